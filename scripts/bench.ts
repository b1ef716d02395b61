// `npm run bench`: what /metrics costs, measured on loopback against the runtime's limit, with a table.
// Not part of `npm test`. Flags: --quick (short windows, to see it run), --write (update BENCHMARKS.md).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { stringify } from 'yaml'
import { hammer, sequentialLatency, type LoadResult } from './bench/load.js'
import { renderTime } from './bench/render.js'
import { cpuSeconds, rssBytes } from './lib/proc.js'
import { startNodeScript, type Program } from './lib/program.js'
import { machine, writeResults } from './lib/results.js'
import { SimulatorControl } from './lib/simulator-control.js'
import { waitFor } from './lib/wait.js'

const quick = process.argv.includes('--quick')
const write = process.argv.includes('--write')
const LOAD_SECONDS = quick ? 2 : 5
const CPU_WINDOW_SECONDS = quick ? 10 : 60
const SCRAPES = quick ? 20_000 : 100_000
const repo = fileURLToPath(new URL('../../', import.meta.url))
const dist = (path: string): string => join(repo, 'dist', path)
const MB = 1024 * 1024
const work = mkdtempSync(join(tmpdir(), 'laaffic-bench-'))
const programs: Program[] = []
const say = (line: string): void => { process.stderr.write(`bench: ${line}\n`) }

interface Row { measure: string, value: string, target: string, met: string }
const rows: Row[] = []
const row = (measure: string, value: string, target = '', met?: boolean, why = ''): void => {
  rows.push({ measure, value, target, met: met === undefined ? '' : met ? 'yes' : `no${why === '' ? '' : `: ${why}`}` })
}

function accountsFile (count: number): string {
  const path = join(work, `accounts-${count}.yml`)
  const accounts = Array.from({ length: count }, (_, i) => ({ name: `acct-${String(i).padStart(4, '0')}`, apiKey: `key-${i}`, apiSecret: `secret-${i}` }))
  writeFileSync(path, stringify({ accounts }))
  return path
}

/** Starts a built program (or script) with only `env` (plus PATH), stopped at the end of the bench. */
function start (script: string, env: Record<string, string> = {}, args: string[] = []): Program {
  const program = startNodeScript(script, { env, args })
  programs.push(program)
  return program
}

async function startPair (accounts: string, env: Record<string, string>): Promise<{ exporter: Program, url: string, sim: string, spawnedAt: number }> {
  const sim = await start(dist('laaffic-simulator.js'), { SIMULATOR_ACCOUNTS_FILE: accounts, SIMULATOR_PORT: '0', LOG_LEVEL: 'warn' }).url()
  const spawnedAt = performance.now()
  const exporter = start(dist('laaffic-exporter.js'), {
    LAAFFIC_ACCOUNTS_FILE: accounts, LAAFFIC_BASE_URL: `${sim}/v3`, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', ...env,
  })
  return { exporter, url: await exporter.url(), sim, spawnedAt }
}

/** Polls every 2 ms (the start-up figure is read off it), a failed request counting as not yet. */
async function until (condition: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  await waitFor(async () => await condition().catch(() => false), what, timeoutMs, { intervalMs: 2 })
}

const fmt = (n: number, digits = 1): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
const loadLine = (r: LoadResult): string => `${fmt(r.requestsPerSecond, 0)} req/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms${r.errors + r.non2xx > 0 ? `, ${r.errors + r.non2xx} errors` : ''}`

async function main (): Promise<void> {
  // 1. One account, process metrics on: start, throughput against the bare server, latency while the API hangs.
  say('one account: start-up')
  const one = await startPair(accountsFile(1), { LAAFFIC_POLL_INTERVAL: '2', LAAFFIC_REQUEST_TIMEOUT: '30' })
  await until(async () => (await fetch(`${one.url}/metrics`)).ok, 'the first /metrics answer')
  const startMs = performance.now() - one.spawnedAt
  row('start to first /metrics answer (process spawn included)', `${fmt(startMs, 0)} ms`, '< 300 ms', startMs < 300)
  await until(async () => (await fetch(`${one.url}/readyz`)).ok, 'the first poll')
  const rssStart = await rssBytes(one.exporter.pid)
  row('RSS after start, 1 account', `${fmt(rssStart / MB)} MB`)

  const metricsUrl = `${one.url}/metrics`
  const body = await (await fetch(metricsUrl)).text()
  const bodyFile = join(work, 'metrics.txt')
  writeFileSync(bodyFile, body)
  const bare = start(join(repo, 'dist-scripts/scripts/bench/bare-server.js'), {}, [bodyFile, 'text/plain; version=0.0.4; charset=utf-8'])
  const bareUrl = `${await bare.url()}/`

  const results: Record<string, LoadResult> = {}
  for (const connections of [1, 50]) {
    say(`load: ${connections} connection(s), ${LOAD_SECONDS} s each against the exporter and the bare server`)
    results[`exporter-${connections}`] = await hammer(metricsUrl, connections, { seconds: LOAD_SECONDS })
    results[`bare-${connections}`] = await hammer(bareUrl, connections, { seconds: LOAD_SECONDS })
  }
  await bare.stop()
  for (const connections of [1, 50]) {
    const exporter = results[`exporter-${connections}`] as LoadResult
    const limit = results[`bare-${connections}`] as LoadResult
    const ratio = exporter.requestsPerSecond / limit.requestsPerSecond
    row(`/metrics (${fmt(body.length / 1024)} KiB), ${connections} connection(s)`, loadLine(exporter))
    row(`bare node:http, same bytes, ${connections} connection(s)`, loadLine(limit))
    row(`throughput ratio exporter / bare, ${connections} connection(s)`, fmt(ratio, 2), '>= 0.5', ratio >= 0.5)
  }
  const p99 = (results['exporter-50'] as LoadResult).p99Ms
  row('p99 at 50 connections', `${p99} ms`, '< 5 ms', p99 < 5)

  say('latency of single scrapes, normal and while the API hangs')
  const normal = await sequentialLatency(metricsUrl, 500)
  const control = new SimulatorControl(one.sim)
  await control.setFault('acct-0000', { type: 'hang' })
  await until(async () => (await control.requests('acct-0000')).some((r) => r.answer === 'fault:hang'), 'a hanging poll')
  control.close()
  const hanging = await sequentialLatency(metricsUrl, 500)
  row('one scrape, API answering (p50 / p99)', `${fmt(normal.p50Ms, 2)} / ${fmt(normal.p99Ms, 2)} ms`)
  row('one scrape, API hanging (p50 / p99)', `${fmt(hanging.p50Ms, 2)} / ${fmt(hanging.p99Ms, 2)} ms`, 'same as answering',
    hanging.p50Ms < normal.p50Ms * 1.5 + 0.2)

  say(`${SCRAPES.toLocaleString('en-US')} scrapes for memory`)
  await hammer(metricsUrl, 10, { amount: SCRAPES / 5 })
  const rssWarm = await rssBytes(one.exporter.pid)
  const burst = await hammer(metricsUrl, 10, { amount: SCRAPES })
  const rssAfter = await rssBytes(one.exporter.pid)
  row(`RSS after warm-up (${(SCRAPES / 5).toLocaleString('en-US')} scrapes)`, `${fmt(rssWarm / MB)} MB`)
  row(`RSS after ${SCRAPES.toLocaleString('en-US')} more scrapes`, `${fmt(rssAfter / MB)} MB (${burst.errors + burst.non2xx} errors)`, '< 80 MB', rssAfter < 80 * MB)
  const growth = (rssAfter - rssWarm) / MB
  row('RSS growth after warm-up', `${fmt(growth)} MB`, 'about 0 (within a few MB)', growth < 5)
  await one.exporter.stop()

  // 2. 1, 100 and 1,000 accounts: render time, size, memory and the CPU polling costs.
  for (const count of [1, 100, 1000]) {
    const render = await renderTime(count)
    row(`${count} account(s): render after a change (in process, p50)`, `${fmt(render.p50Ms, 2)} ms, ${fmt(render.bytes / 1024)} KiB without process metrics`,
      count === 1000 ? '< 20 ms' : '', count === 1000 ? render.p50Ms < 20 : undefined)
    say(`${count} account(s): exporter against the simulator, CPU over ${CPU_WINDOW_SECONDS} s at a 60 s interval`)
    const pair = await startPair(accountsFile(count), { LAAFFIC_POLL_INTERVAL: '60' })
    await until(async () => (await fetch(`${pair.url}/readyz`)).ok, `the first poll of ${count} accounts`)
    const size = (await (await fetch(`${pair.url}/metrics`)).text()).length
    const cpuBefore = await cpuSeconds(pair.exporter.pid)
    await new Promise((resolve) => setTimeout(resolve, CPU_WINDOW_SECONDS * 1000))
    const cpuPerMinute = ((await cpuSeconds(pair.exporter.pid)) - cpuBefore) * 60 / CPU_WINDOW_SECONDS
    const rss = await rssBytes(pair.exporter.pid)
    row(`${count} account(s): /metrics size, RSS`, `${fmt(size / 1024)} KiB, ${fmt(rss / MB)} MB`,
      count === 1000 ? '< 150 MB' : count === 1 ? '< 80 MB' : '', count === 1000 ? rss < 150 * MB : count === 1 ? rss < 80 * MB : undefined)
    row(`${count} account(s): CPU used per minute (polling, no scrapes)`, `${fmt(cpuPerMinute, 2)} s`)
    await pair.exporter.stop()
  }
}

function table (): string {
  const header = ['measure', 'value', 'target', 'met']
  const lines = [header, ...rows.map((r) => [r.measure, r.value, r.target, r.met])]
  const widths = header.map((_, i) => Math.max(...lines.map((l) => (l[i] ?? '').length)))
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map((r) => line([r.measure, r.value, r.target, r.met]))].join('\n')
}

try {
  await main()
  const output = `Machine: ${machine()}${quick ? ' (--quick: short windows)' : ''}\n\n${table()}\n`
  process.stdout.write(output)
  if (write) {
    writeResults(join(repo, 'BENCHMARKS.md'), '<!-- bench:results -->', output)
    say('BENCHMARKS.md updated')
  }
} finally {
  await Promise.all(programs.map(async (p) => await p.stop()))
  rmSync(work, { recursive: true, force: true })
}
