// The soak's load phase: clients scraping /metrics, a sampler each second and the fault schedule, all at
// once for the duration. Warm-up is its first part (options.warmupFraction): the baselines for growth are
// taken when it ends.
import type { Program } from '../lib/program.js'
import { LoadClock, sleep } from './load-clock.js'
import type { LogStats } from './log-stats.js'
import type { SoakOptions } from './options.js'
import { Prng } from './prng.js'
import type { Rig } from './rig.js'
import { sampleEverySecond, type Sampled } from './sampler.js'
import { FaultPlanner } from './schedule.js'
import { Scrapes } from './scrapes.js'
import { playFaultSchedule, type FaultsApplied } from './fault-ticks.js'
import type { Started } from './start.js'

export interface LoadOutcome {
  /** Seconds the load actually ran. */
  loadSeconds: number
  /** Seconds into the load at which warm-up ends. */
  warmupAt: number
  scrapes: Scrapes
  sampled: Sampled
  faults: FaultsApplied
  planner: FaultPlanner
}

/** What dieOnExit needs of a program: its pid, its exit, and its log counts for the message. */
export interface Watched {
  program: Pick<Program, 'pid' | 'exited'>
  logs: LogStats
}

/**
 * Stops the load (clock.die, with why) when the exporter or the simulator exits during it. Returns the
 * function that ends the watch when the load is over: the stop phase ends both programs normally.
 */
export function dieOnExit (clock: LoadClock, programs: Record<'exporter' | 'simulator', Watched>): () => void {
  let loading = true
  for (const [what, { program, logs }] of Object.entries(programs)) {
    void program.exited.then(({ code, signal: killedBy }) => {
      if (!loading) return
      clock.die(`the ${what} (pid ${program.pid}) exited during the load at t=${clock.elapsed().toFixed(1)}s with ` +
        `${killedBy === null ? `code ${String(code)}` : `signal ${killedBy}`}; stderr (${logs.stderrLines} lines): ` +
        `${logs.stderrFirst.join(' | ')}; notable log lines: ${logs.notable.join(' | ')}`)
    })
  }
  return () => { loading = false }
}

export async function runLoad (rig: Rig, started: Started, options: SoakOptions, prng: Prng, log: (line: string) => void, signal?: AbortSignal): Promise<LoadOutcome> {
  const clock = new LoadClock(options.durationSeconds, signal)
  const loadOver = dieOnExit(clock, { exporter: started.exporter, simulator: started.simulator })
  const scrapes = new Scrapes(`${started.base}/metrics`, () => clock.elapsed())
  const scraper = async (index: number): Promise<void> => {
    const agent = rig.agent(1)
    while (clock.running()) {
      const scraped = await scrapes.scrape(agent, `scraper ${index}`)
      if (scraped !== undefined) scrapes.served(scraped)
      if (options.scrapeGapMs > 0) await sleep(options.scrapeGapMs)
    }
  }
  const planner = new FaultPlanner(new Prng(prng.int(0, 2 ** 32 - 1)), started.names, {
    durationSeconds: options.durationSeconds,
    periodSeconds: options.faultPeriodSeconds,
    intervalSeconds: options.intervalSeconds,
    timeoutSeconds: options.timeoutSeconds,
  }, { fault: options.faultFraction, patch: options.patchFraction })
  const warmupAt = options.warmupFraction * options.durationSeconds

  log(`load for ${options.durationSeconds} s: ${options.scrapers} scrapers, faults every ${options.faultPeriodSeconds} s (seed ${options.seed})`)
  const [sampled, faults] = await Promise.all([
    sampleEverySecond(clock, rig, started, scrapes, warmupAt, options.durationSeconds, log),
    playFaultSchedule(clock, planner, started.control),
    ...Array.from({ length: options.scrapers }, async (_, i) => { await scraper(i) }),
  ]).finally(loadOver)
  const loadSeconds = clock.elapsed()
  if (clock.diedBecause !== undefined) throw new Error(clock.diedBecause)
  if (signal?.aborted === true) throw new Error('soak aborted')
  return { loadSeconds, warmupAt, scrapes, sampled, faults, planner }
}
