#!/usr/bin/env node
// `npm run soak`: the exporter against the simulator with many accounts and a random fault schedule while
// clients scrape /metrics, for a bounded time; prints a table (or JSON with --json), puts the table into
// SOAK.md with --write, and exits 1 on a failed check. See SOAK.md.
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runProgram } from './lib/program.js'
import { machine, writeResults } from './lib/results.js'
import { parseOptions, usage } from './soak/options.js'
import { runSoak } from './soak/run.js'
import { formatTable } from './soak/table.js'

let parsed: ReturnType<typeof parseOptions>
try {
  parsed = parseOptions(process.argv.slice(2), process.env)
} catch (err) {
  process.stderr.write(`soak: ${(err as Error).message}\n`)
  process.exit(2)
}
const { options, help } = parsed
if (help) {
  process.stdout.write(`${usage()}\n`)
  process.exit(0)
}

const controller = new AbortController()
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`soak: ${signal}: stopping\n`)
    controller.abort()
  })
}

/** The commit the soak ran on ("-dirty" when the working tree had changes), as git describes it. */
async function revision (repo: string): Promise<string> {
  const git = await runProgram({ command: 'git', args: ['describe', '--always', '--dirty'], cwd: repo, timeoutMs: 10_000 }).catch(() => undefined)
  return git?.code === 0 ? `commit ${git.stdout.trim()}` : 'commit unknown (no git, or not a checkout)'
}

try {
  const result = await runSoak(options, {
    signal: controller.signal,
    log: (line) => { process.stderr.write(`soak: ${line}\n`) },
  })
  const table = formatTable(result)
  process.stdout.write(options.json ? `${JSON.stringify(result, null, 2)}\n` : `${table}\n`)
  if (options.write) {
    const repo = fileURLToPath(new URL('../../', import.meta.url))
    writeResults(join(repo, 'SOAK.md'), '<!-- soak:results -->', `Machine: ${machine()}, ${await revision(repo)}\n\n\`\`\`text\n${table}\n\`\`\`\n`)
    process.stderr.write('soak: SOAK.md updated\n')
  }
  process.exitCode = result.ok ? 0 : 1
} catch (err) {
  process.stderr.write(`soak: ${(err as Error).stack ?? String(err)}\n`)
  process.exitCode = 1
}
