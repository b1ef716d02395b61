// The soak itself: the built simulator and exporter as child processes on loopback, a seeded fault
// schedule, clients scraping /metrics back to back, and measurements of the exporter from outside.
import type { ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { Agent } from 'node:http'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { byAccount, checkExposition, countSeries, parseSamples, sum, type Sample } from './exposition.js'
import { keepAliveAgent, send } from '../lib/http.js'
import { SimulatorControl } from '../lib/simulator-control.js'
import { eachLimited } from './each-limited.js'
import { DEFAULTS, type SoakOptions } from './options.js'
import { rssBytes, sampleFds, type FdSample } from '../lib/proc.js'
import { startProgram, type Program } from './processes.js'
import { Prng } from './prng.js'
import { evaluate, type Measurements, type Snapshot, type SoakResult } from './report.js'
import { FaultPlanner, randomFigures, statusesOf } from './schedule.js'
import { STATUSES_STARTING_AT_ZERO } from '../../src/client/status.js'

export type { SoakOptions } from './options.js'
export type { SoakResult } from './report.js'

export interface SoakHooks {
  /** Called with each child process as soon as it is started (e.g. to kill it in a test's teardown). */
  onChild?: (child: ChildProcess) => void
  /** Progress lines (the CLI prints them on stderr). */
  log?: (line: string) => void
  /** Aborting ends the load early; runSoak then throws after cleaning up. */
  signal?: AbortSignal
  /** The repository root (default: found from this file's location). */
  root?: string
}

const SCRAPE_TIMEOUT_MS = 10_000
const CONTROL_CONCURRENCY = 8
const KEPT_ERRORS = 10

const sleep = async (ms: number): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))) }

/** Polls `condition` every 50 ms until it holds (true) or `timeoutMs` passes (false). */
async function waitUntil (condition: () => Promise<boolean>, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (await condition().catch(() => false)) return true
    if (Date.now() > deadline || signal?.aborted === true) return false
    await sleep(50)
  }
}

function findRoot (): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'src'))) return dir
    dir = dirname(dir)
  }
  throw new Error('cannot find the repository root above ' + fileURLToPath(import.meta.url))
}

const accountName = (i: number): string => `acct-${String(i + 1).padStart(4, '0')}`

/** Runs the soak and measures; the verdict is in `result.ok` and `result.checks`. Always stops its children. */
export async function runSoak (given: Partial<SoakOptions> = {}, hooks: SoakHooks = {}): Promise<SoakResult> {
  const options: SoakOptions = { ...DEFAULTS, ...given }
  const log = hooks.log ?? (() => {})
  const { signal } = hooks
  const root = hooks.root ?? findRoot()
  const serverJs = join(root, 'dist', 'server.js')
  const simulatorJs = join(root, 'dist', 'simulator', 'server.js')
  for (const file of [serverJs, simulatorJs]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build first`)
  }

  const prng = new Prng(options.seed)
  const names = Array.from({ length: options.accounts }, (_, i) => accountName(i))
  const dir = await mkdtemp(join(tmpdir(), 'laaffic-soak-'))
  const accountsFile = join(dir, 'accounts.json')
  // Secrets are random (they never leave this machine); keys and names follow the account number.
  await writeFile(accountsFile, JSON.stringify({
    accounts: names.map((name, i) => ({ name, apiKey: `soak-key-${i + 1}`, apiSecret: `soak-secret-${i + 1}-${randomBytes(8).toString('hex')}` })),
  }), { mode: 0o600 })

  const programs: Program[] = []
  const killAll = (): void => { for (const p of programs) p.child.kill('SIGKILL') }
  process.once('exit', killAll)
  const agents: Agent[] = []
  const agent = (sockets: number): Agent => {
    const created = keepAliveAgent(sockets)
    agents.push(created)
    return created
  }
  const start = (script: string, env: Record<string, string>): Program => {
    const program = startProgram(script, env)
    programs.push(program)
    hooks.onChild?.(program.child)
    return program
  }
  const startedAt = new Date()
  const wallStart = performance.now()

  try {
    // --- the simulator, with every account's own figures and no spending
    const simulator = start(simulatorJs, {
      SIMULATOR_HOST: '127.0.0.1', SIMULATOR_PORT: '0', SIMULATOR_ACCOUNTS_FILE: accountsFile, SIMULATOR_SPEND_PER_HOUR: '0', LOG_LEVEL: 'warn',
    })
    const simulatorPort = await simulator.port()
    const control = new SimulatorControl(`http://127.0.0.1:${simulatorPort}`, { agent: agent(CONTROL_CONCURRENCY) })
    if (!await waitUntil(async () => await control.accounts().then(() => true), 10_000)) {
      throw new Error('the simulator does not answer its control API')
    }
    const initialPrng = new Prng(prng.int(0, 2 ** 32 - 1))
    await eachLimited(names, CONTROL_CONCURRENCY, async (name) => {
      await control.patchAccount(name, { ...randomFigures(initialPrng, true), spendPerHour: 0, topUp: null })
    })
    log(`simulator pid ${simulator.pid} on 127.0.0.1:${simulatorPort}, ${options.accounts} accounts`)

    // --- the exporter, on the same accounts
    const exporter = start(serverJs, {
      HOST: '127.0.0.1',
      PORT: '0',
      LAAFFIC_ACCOUNTS_FILE: accountsFile,
      LAAFFIC_BASE_URL: `http://127.0.0.1:${simulatorPort}/v3`,
      LAAFFIC_POLL_INTERVAL: String(options.intervalSeconds),
      LAAFFIC_REQUEST_TIMEOUT: String(options.timeoutSeconds),
      LOG_LEVEL: 'warn',
    })
    const exporterPort = await exporter.port()
    const base = `http://127.0.0.1:${exporterPort}`
    const ports = { exporter: exporterPort, simulator: simulatorPort }
    const probeAgent = agent(1)
    const readyWithin = 30_000 + 20 * options.accounts
    if (!await waitUntil(async () => (await send(`${base}/readyz`, { agent: probeAgent, timeoutMs: 2000 })).status === 200, readyWithin, signal)) {
      throw new Error(`the exporter was not ready within ${readyWithin} ms`)
    }
    log(`exporter pid ${exporter.pid} on ${base}: ready (first poll of every account done)`)

    /** The exporter's fds with our own connections closed: the least of a few samples over a second. */
    const settledFds = async (): Promise<FdSample> => {
      for (const a of agents) a.destroy()
      let least: FdSample | undefined
      for (let i = 0; i < 6; i++) {
        const sample = await sampleFds(exporter.pid, ports)
        if (least === undefined || sample.fdsWithoutPool < least.fdsWithoutPool) least = sample
        await sleep(200)
      }
      return least as FdSample
    }
    const fdsStart = await settledFds()
    const rssStart = await rssBytes(exporter.pid)

    // --- the load: scrapers, a sampler each second, and the fault schedule, for the duration
    const loadStart = performance.now()
    const loadEnd = loadStart + options.durationSeconds * 1000
    const elapsed = (): number => (performance.now() - loadStart) / 1000
    /** Set when the exporter or the simulator exits on its own: the load stops and runSoak throws. */
    let died: string | undefined
    for (const [what, program] of [['exporter', exporter], ['simulator', simulator]] as const) {
      void program.exited.then(({ code, signal: killedBy }) => {
        died ??= `the ${what} (pid ${program.pid}) exited during the load at t=${elapsed().toFixed(1)}s with ` +
          `${killedBy === null ? `code ${String(code)}` : `signal ${killedBy}`}; stderr (${program.logs.stderrLines} lines): ` +
          `${program.logs.stderrFirst.join(' | ')}; notable log lines: ${program.logs.notable.join(' | ')}`
      })
    }
    const running = (): boolean => performance.now() < loadEnd && signal?.aborted !== true && died === undefined

    const scrapes = { served: 0, errors: 0, errorSamples: [] as string[], latenciesMs: [] as number[], bytes: 0 }
    const scrapeError = (what: string): void => {
      scrapes.errors++
      if (scrapes.errorSamples.length < KEPT_ERRORS) scrapes.errorSamples.push(`t=${elapsed().toFixed(1)}s ${what}`)
    }
    /** Latency (request sent to last byte received) of the latest good scrape by each client. */
    const lastLatencyMs = new Map<string, number>()
    /** One GET /metrics: the checked text, or undefined after counting the error. */
    const scrape = async (via: Agent, who: string): Promise<string | undefined> => {
      const t0 = performance.now()
      try {
        const answer = await send(`${base}/metrics`, { agent: via, timeoutMs: SCRAPE_TIMEOUT_MS })
        const ms = performance.now() - t0
        if (answer.status !== 200) { scrapeError(`${who}: HTTP ${answer.status} after ${ms.toFixed(0)} ms`); return undefined }
        const problem = checkExposition(answer.body)
        if (problem !== undefined) { scrapeError(`${who}: ${problem}`); return undefined }
        lastLatencyMs.set(who, ms)
        return answer.body
      } catch (err) {
        scrapeError(`${who}: ${(err as Error).name}: ${(err as Error).message} after ${(performance.now() - t0).toFixed(0)} ms`)
        return undefined
      }
    }

    const scraperAgents = Array.from({ length: options.scrapers }, () => agent(1))
    const scraper = async (via: Agent, index: number): Promise<void> => {
      const who = `scraper ${index}`
      while (running()) {
        const text = await scrape(via, who)
        if (text !== undefined) {
          scrapes.latenciesMs.push(lastLatencyMs.get(who) ?? NaN)
          scrapes.served++
          scrapes.bytes = text.length
        }
        if (options.scrapeGapMs > 0) await sleep(options.scrapeGapMs)
      }
    }

    const snapshots: Snapshot[] = []
    const statusesSeen = new Set<string>()
    let pollErrorSeriesShrank = false
    const samplerAgent = agent(1)
    const warmupAt = options.warmupFraction * options.durationSeconds
    let fdsWarmup: FdSample | undefined
    let nextLogAt = Math.max(10, Math.round(options.durationSeconds / 10))
    const sampler = async (): Promise<void> => {
      for (let second = 0; running(); second = Math.max(second + 1, Math.ceil(elapsed()))) {
        await sleep(loadStart + second * 1000 - performance.now())
        if (!running()) break
        const t = elapsed()
        let measured: [string | undefined, number, FdSample]
        try {
          measured = await Promise.all([scrape(samplerAgent, 'sampler'), rssBytes(exporter.pid), sampleFds(exporter.pid, ports)])
        } catch (err) {
          // /proc/PID is gone: the exporter exited (`died` says how, once its exit event arrived).
          await Promise.race([exporter.exited, sleep(1000)])
          died ??= `cannot measure the exporter at t=${t.toFixed(1)}s: ${(err as Error).message}`
          break
        }
        const [text, rss, fds] = measured
        if (fdsWarmup === undefined && t >= warmupAt) fdsWarmup = fds
        if (text === undefined) continue
        const samples = parseSamples(text)
        for (const s of samples) if (s.name === 'laaffic_poll_errors_total' && s.labels.status !== undefined) statusesSeen.add(s.labels.status)
        const series = countSeries(samples)
        const previous = snapshots.at(-1)
        if (previous !== undefined && series.pollErrors < previous.series.pollErrors) pollErrorSeriesShrank = true
        const heapUsed = samples.find((s) => s.name === 'nodejs_heap_size_used_bytes')?.value
        const external = samples.find((s) => s.name === 'nodejs_external_memory_bytes')?.value
        snapshots.push({ t, rss, fds, series, ...(heapUsed !== undefined && { heapUsed }), ...(external !== undefined && { external }) })
        if (t >= nextLogAt) {
          nextLogAt += Math.max(10, Math.round(options.durationSeconds / 10))
          log(`t=${Math.round(t)}s scrapes ${scrapes.served} errors ${scrapes.errors} rss ${(rss / 2 ** 20).toFixed(1)} MB fds ${fds.fds} (pool ${fds.pool}) series ${series.total}`)
        }
      }
    }

    const planner = new FaultPlanner(new Prng(prng.int(0, 2 ** 32 - 1)), names, {
      durationSeconds: options.durationSeconds,
      periodSeconds: options.faultPeriodSeconds,
      intervalSeconds: options.intervalSeconds,
      timeoutSeconds: options.timeoutSeconds,
    }, { fault: options.faultFraction, patch: options.patchFraction })
    const faults = {
      injected: {} as Record<string, number>,
      cleared: 0,
      patched: 0,
      ticks: 0,
      maxTickLagMs: 0,
      controlErrors: 0,
      controlErrorSamples: [] as string[],
    }
    const expectedStatuses = new Set<string>(STATUSES_STARTING_AT_ZERO)
    const schedule = async (): Promise<void> => {
      for (let tick = 0; tick < planner.ticks; tick++) {
        const plan = planner.plan(tick)
        const due = loadStart + plan.atSeconds * 1000
        await sleep(due - performance.now())
        if (!running()) break
        faults.maxTickLagMs = Math.max(faults.maxTickLagMs, performance.now() - due)
        faults.ticks++
        const calls: Array<() => Promise<void>> = [
          ...plan.set.map(({ name, kind, fault }) => async () => {
            for (const status of statusesOf(kind)) expectedStatuses.add(status)
            await control.setFault(name, fault)
            faults.injected[kind] = (faults.injected[kind] ?? 0) + 1
          }),
          ...plan.clear.map((name) => async () => {
            await control.clearFault(name)
            faults.cleared++
          }),
          ...plan.patch.map(({ name, figures }) => async () => {
            await control.patchAccount(name, figures)
            faults.patched++
          }),
        ]
        await eachLimited(calls, CONTROL_CONCURRENCY, async (call) => {
          try {
            await call()
          } catch (err) {
            faults.controlErrors++
            if (faults.controlErrorSamples.length < KEPT_ERRORS) faults.controlErrorSamples.push((err as Error).message)
          }
        })
      }
    }

    log(`load for ${options.durationSeconds} s: ${options.scrapers} scrapers, faults every ${options.faultPeriodSeconds} s (seed ${options.seed})`)
    await Promise.all([...scraperAgents.map(scraper), sampler(), schedule()])
    const loadSeconds = elapsed()
    if (died !== undefined) throw new Error(died)
    if (signal?.aborted === true) throw new Error('soak aborted')

    // --- the end: clear every fault, wait for a full poll round after that, compare every account
    await eachLimited(names, CONTROL_CONCURRENCY, async (name) => { await control.clearFault(name) })
    const simAccounts = await control.accounts()
    const stillFaulty = simAccounts.filter((a) => a.fault !== null).map((a) => a.name)
    const finalAgent = agent(1)
    const finalScrape = async (): Promise<Sample[]> => {
      const text = await scrape(finalAgent, 'final check')
      if (text === undefined) throw new Error(`the final scrape failed: ${scrapes.errorSamples.at(-1) ?? ''}`)
      return parseSamples(text)
    }
    const pollsAtClear = byAccount(await finalScrape(), 'laaffic_polls_total')
    // polls_total counts a poll when it starts: two more than at the clear means a poll that started after
    // the clear has finished.
    const longestPoll = options.intervalSeconds + options.timeoutSeconds + 1
    const finalWaitLimitMs = (2 * longestPoll + 2 * options.intervalSeconds + 10) * 1000
    const finalWaitStart = performance.now()
    let lastPolls = pollsAtClear
    const finalRoundDone = await waitUntil(async () => {
      lastPolls = byAccount(await finalScrape(), 'laaffic_polls_total')
      return names.every((name) => (lastPolls.get(name) ?? 0) >= (pollsAtClear.get(name) ?? Infinity) + 2)
    }, finalWaitLimitMs, signal)
    const finalWaitMs = performance.now() - finalWaitStart
    const notPolled = names.filter((name) => (lastPolls.get(name) ?? 0) < (pollsAtClear.get(name) ?? Infinity) + 2)

    const finalSamples = await finalScrape()
    const exported = {
      balance: byAccount(finalSamples, 'laaffic_balance'),
      gift: byAccount(finalSamples, 'laaffic_gift_balance'),
      credit: byAccount(finalSamples, 'laaffic_credit_limit'),
      up: byAccount(finalSamples, 'laaffic_up'),
    }
    const mismatches: string[] = []
    let matching = 0
    for (const account of simAccounts) {
      const problems: string[] = []
      for (const field of ['balance', 'gift', 'credit'] as const) {
        const value = exported[field].get(account.name)
        if (value !== account[field]) problems.push(`${field} ${String(value)} != simulator ${account[field]}`)
      }
      if (exported.up.get(account.name) !== 1) problems.push(`up ${String(exported.up.get(account.name))}`)
      if (problems.length === 0) matching++
      else if (mismatches.length < KEPT_ERRORS) mismatches.push(`${account.name}: ${problems.join(', ')}`)
    }
    const pollErrorsByStatus: Record<string, number> = {}
    for (const s of finalSamples) {
      if (s.name === 'laaffic_poll_errors_total' && s.labels.status !== undefined && s.value > 0) {
        pollErrorsByStatus[s.labels.status] = (pollErrorsByStatus[s.labels.status] ?? 0) + s.value
      }
    }
    const rssAfterFinal = await rssBytes(exporter.pid)
    const fdsEnd = await settledFds()
    log(`final round after ${(finalWaitMs / 1000).toFixed(1)} s; ${matching}/${simAccounts.length} accounts match`)

    const exporterStop = await exporter.stop()
    await simulator.stop()

    const measurements: Measurements = {
      options,
      startedAt: startedAt.toISOString(),
      wallSeconds: (performance.now() - wallStart) / 1000,
      loadSeconds,
      scrapes,
      snapshots,
      rssStart,
      rssAfterFinal,
      warmupAt,
      fds: { start: fdsStart, ...(fdsWarmup !== undefined && { warmup: fdsWarmup }), end: fdsEnd },
      maxPool: snapshots.reduce((max, s) => Math.max(max, s.fds.pool), fdsStart.pool),
      statusesSeen: [...statusesSeen].sort(),
      expectedStatuses: [...expectedStatuses].sort(),
      pollErrorSeriesShrank,
      faults: { ...faults, cooldownSeconds: planner.cooldownSeconds, backoffCutoffSeconds: planner.backoffCutoffSeconds },
      exporterCounters: { polls: sum(finalSamples, 'laaffic_polls_total'), requests: sum(finalSamples, 'laaffic_api_requests_total'), pollErrorsByStatus },
      final: {
        accounts: options.accounts, compared: simAccounts.length, matching, mismatches, stillFaulty,
        roundDone: finalRoundDone, notPolled: notPolled.slice(0, KEPT_ERRORS), waitMs: finalWaitMs, waitLimitMs: finalWaitLimitMs,
      },
      exporterLogs: exporter.logs,
      simulatorLogs: simulator.logs,
      exporterStop,
    }
    return evaluate(measurements)
  } finally {
    for (const a of agents) a.destroy()
    await Promise.all(programs.map(async (p) => await p.stop(2000)))
    process.removeListener('exit', killAll)
    await rm(dir, { recursive: true, force: true })
  }
}
