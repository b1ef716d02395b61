#!/usr/bin/env node
// `npm run soak`: the exporter against the simulator with many accounts and a random fault schedule while
// clients scrape /metrics, for a bounded time; prints a table (or JSON with --json) and exits 1 on a failed check.
// See SOAK.md.
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

try {
  const result = await runSoak(options, {
    signal: controller.signal,
    log: (line) => { process.stderr.write(`soak: ${line}\n`) },
  })
  process.stdout.write(options.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatTable(result)}\n`)
  process.exitCode = result.ok ? 0 : 1
} catch (err) {
  process.stderr.write(`soak: ${(err as Error).stack ?? String(err)}\n`)
  process.exitCode = 1
}
