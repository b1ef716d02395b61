// `npm run bench`: what the exporter costs, measured on loopback against the runtime's own limit, printed as
// tables. Not part of `npm test`. Flags: --quick (short windows, to see it run), --write (update
// BENCHMARKS.md), --node LINE|PATH (repeatable: compare on these Node.js binaries; default the one running),
// --scale (instead: 10,000 accounts in one process and over 4 shards, its own section of BENCHMARKS.md),
// --memory (instead: RSS of `node dist/laaffic-exporter.js` with and without its V8 settings, its own section).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startNodeScript, type Program } from './lib/program.js'
import { machine, writeResults, writeSection } from './lib/results.js'
import { SimulatorControl } from './lib/simulator-control.js'
import { waitFor } from './lib/wait.js'
import { compareWithBare } from './bench/compare.js'
import { measureGzip } from './bench/gzip.js'
import { HAVE_WRK, sequentialLatency } from './bench/load.js'
import { resolveNodeLines, startExporterOn, type NodeLine } from './bench/node-lines.js'
import { measureMemory } from './bench/memory.js'
import { accountsFile, measureScale } from './bench/scale.js'
import { measureSharded } from './bench/shards.js'
import { Table } from './bench/table.js'

const args = process.argv.slice(2)
const quick = args.includes('--quick')
const write = args.includes('--write')
const scaleOnly = args.includes('--scale')
const memoryOnly = args.includes('--memory')
const requestedNodes = args.flatMap((arg, i) => arg === '--node' && args[i + 1] !== undefined ? [args[i + 1] as string] : [])
const repo = fileURLToPath(new URL('../../', import.meta.url))
const work = mkdtempSync(join(tmpdir(), 'laaffic-bench-'))
const say = (line: string): void => { process.stderr.write(`bench: ${line}\n`) }
const programs: Program[] = []

/** The simulator with these accounts (the bench's own node runs it: it is not what is measured). */
async function simulator (file: string): Promise<{ baseUrl: string, url: string, stop: () => Promise<unknown> }> {
  const program = startNodeScript(join(repo, 'dist', 'laaffic-simulator.js'), { env: { SIMULATOR_ACCOUNTS_FILE: file, SIMULATOR_PORT: '0', LOG_LEVEL: 'warn' } })
  programs.push(program)
  const url = await program.url()
  return { url, baseUrl: `${url}/v3`, stop: async () => await program.stop() }
}

async function main (): Promise<Table[]> {
  const lines = resolveNodeLines(requestedNodes, repo, say)
  const tables: Table[] = []
  const one = accountsFile(work, 1)
  const sim = await simulator(one)
  for (const line of lines) {
    const table = new Table(`One account on Node.js ${line.version}: the exporter against a bare node:http server`,
      ['measure', 'exporter', 'bare node:http', 'ratio', 'target'])
    if (!HAVE_WRK) table.note('wrk is missing (apt-get install wrk): the load came from autocannon, which competes with the servers for the CPU')
    await compareWithBare(line, { repo, work, accountsFile: one, baseUrl: sim.baseUrl, quick, say }, table)
    tables.push(table)
  }

  const first = lines[0] as (typeof lines)[number]
  const scale = new Table(`Many accounts on Node.js ${first.version}`, ['measure', 'value', 'target'])
  await hangingApi(first, sim.url, scale)
  await measureScale(first, [1, 100, 1000], { repo, work, quick, say, simulator }, scale)
  tables.push(scale)

  const gzip = new Table(`gzip on Node.js ${first.version}: bytes and CPU per scrape, 10 connections`, ['measure', 'value', 'target'])
  await measureGzip(first, [1, 1000], { repo, work, quick, say, simulator }, gzip)
  tables.push(gzip)
  return tables
}

/** One scrape at a time, while the API answers and while a poll hangs on it: a scrape never waits for the API. */
async function hangingApi (line: NodeLine, simulatorUrl: string, table: Table): Promise<void> {
  say('latency of single scrapes, normal and while the API hangs')
  const exporter = startExporterOn(line, repo, {
    LAAFFIC_API_KEY: 'key-0', LAAFFIC_API_SECRET: 'secret-0', LAAFFIC_ACCOUNT: 'acct-0000', LAAFFIC_BASE_URL: `${simulatorUrl}/v3`, LAAFFIC_POLL_INTERVAL: '2', LAAFFIC_REQUEST_TIMEOUT: '30',
  })
  programs.push(exporter)
  const url = `${await exporter.url()}/metrics`
  await waitFor(async () => (await fetch(url.replace('/metrics', '/readyz'))).ok, 'the first poll', 30_000)
  const normal = await sequentialLatency(url, 500)
  const control = new SimulatorControl(simulatorUrl)
  await control.setFault('acct-0000', { type: 'hang' })
  await waitFor(async () => (await control.requests('acct-0000')).some((r) => r.answer === 'fault:hang'), 'a hanging poll', 30_000)
  const hanging = await sequentialLatency(url, 500)
  await control.clearFault('acct-0000')
  control.close()
  await exporter.stop()
  const fmt = (n: number): string => n.toFixed(2)
  table.row('one scrape at a time, API answering (p50 / p99)', `${fmt(normal.p50Ms)} / ${fmt(normal.p99Ms)} ms`, '', undefined)
  table.row('one scrape at a time, a poll hanging on the API (p50 / p99)', `${fmt(hanging.p50Ms)} / ${fmt(hanging.p99Ms)} ms`, 'same as answering',
    hanging.p50Ms < normal.p50Ms * 1.5 + 0.2)
}

/** --scale: many accounts in one process and over shards, with the API's latency simulated. */
async function scale (): Promise<Table[]> {
  const [line] = resolveNodeLines(requestedNodes, repo, say)
  if (line === undefined) throw new Error('no Node.js line')
  const options = { accounts: quick ? 2000 : 10_000, shards: 4, apiLatencyMs: 200, pollIntervalSeconds: quick ? 15 : 60 }
  const table = new Table(`${options.accounts.toLocaleString('en-US')} accounts on Node.js ${line.version}: one process and ${options.shards} shards`,
    ['measure', 'one process', `${options.shards} shards`, 'target'])
  await measureSharded(line, options, { repo, work, quick, say, simulator, simulatorUrl: simulator }, table)
  return [table]
}

/** --memory: the V8 settings reach `node dist/laaffic-exporter.js` too. */
async function memory (): Promise<Table[]> {
  const [line] = resolveNodeLines(requestedNodes, repo, say)
  if (line === undefined) throw new Error('no Node.js line')
  const table = new Table(`500 accounts polled every 2 s, 4 connections scraping /metrics, on Node.js ${line.version}`, ['measure', 'value (each run)', 'target'])
  await measureMemory(line, { repo, work, quick, say, simulator }, table)
  return [table]
}

if (scaleOnly || memoryOnly) {
  const section = scaleOnly ? 'bench:scale' : 'bench:memory'
  try {
    const tables = scaleOnly ? await scale() : await memory()
    const output = `Machine: ${machine()}${quick ? ' (--quick: fewer accounts, short windows)' : ''}\n\n${tables.map((t) => t.markdown()).join('\n\n')}\n`
    process.stdout.write(output)
    if (write) {
      writeSection(join(repo, 'BENCHMARKS.md'), section, output)
      say(`BENCHMARKS.md updated (the ${section} section)`)
    }
  } finally {
    await Promise.all(programs.map(async (p) => await p.stop()))
    rmSync(work, { recursive: true, force: true })
  }
  process.exit(0)
}

try {
  const tables = await main()
  const output = `Machine: ${machine()}${quick ? ' (--quick: short windows)' : ''}\n\n${tables.map((t) => t.markdown()).join('\n\n')}\n`
  process.stdout.write(output)
  if (write) {
    writeResults(join(repo, 'BENCHMARKS.md'), '<!-- bench:results -->', output)
    say('BENCHMARKS.md updated')
  }
} finally {
  await Promise.all(programs.map(async (p) => await p.stop()))
  rmSync(work, { recursive: true, force: true })
}
