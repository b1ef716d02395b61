// The soak: the built simulator and exporter as child processes on loopback, a seeded fault schedule,
// clients scraping /metrics back to back, and measurements of the exporter from outside. One function
// per phase: start, measure, load (warm-up first), final round, measure again, stop; then the verdict.
import type { ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { sum, sumByLabel } from './exposition.js'
import { finalRound } from './final-round.js'
import { runLoad } from './load.js'
import { measureAtEnd, measureAtStart } from './measure.js'
import { DEFAULTS, type SoakOptions } from './options.js'
import { Prng } from './prng.js'
import type { Measurements } from './measurements.js'
import { evaluate, type SoakResult } from './report.js'
import { Rig } from './rig.js'
import { startPrograms, type Started } from './start.js'

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

function findRoot (): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'src'))) return dir
    dir = dirname(dir)
  }
  throw new Error('cannot find the repository root above ' + fileURLToPath(import.meta.url))
}

/** The stop phase: SIGTERM to the exporter (judged: exit 0 within 2 s), then to the simulator. */
async function stopPrograms (started: Started): Promise<Measurements['exporterStop']> {
  const exporterStop = await started.exporter.program.stop()
  await started.simulator.program.stop()
  return exporterStop
}

/** Runs the soak and measures; the verdict is in `result.ok` and `result.checks`. Always stops its children. */
export async function runSoak (given: Partial<SoakOptions> = {}, hooks: SoakHooks = {}): Promise<SoakResult> {
  const options: SoakOptions = { ...DEFAULTS, ...given }
  const log = hooks.log ?? (() => {})
  const { signal } = hooks
  const startedAt = new Date()
  const wallStart = performance.now()
  // One seed for the whole run: the start phase draws the accounts' figures from it, then the load its schedule.
  const prng = new Prng(options.seed)
  const rig = await Rig.create((program) => hooks.onChild?.(program.child))
  try {
    const started = await startPrograms(rig, options, hooks.root ?? findRoot(), prng, log, signal)
    const atStart = await measureAtStart(rig, started)
    const load = await runLoad(rig, started, options, prng, log, signal)
    const { final, samples } = await finalRound(rig, started, options, load.scrapes, signal)
    const atEnd = await measureAtEnd(rig, started)
    log(`final round after ${(final.waitMs / 1000).toFixed(1)} s; ${final.matching}/${final.compared} accounts match`)

    const exporterStop = await stopPrograms(started)

    const { snapshots, statusesSeen, pollErrorSeriesShrank, fdsWarmup } = load.sampled
    const { expectedStatuses, ...faults } = load.faults
    return evaluate({
      options,
      startedAt: startedAt.toISOString(),
      wallSeconds: (performance.now() - wallStart) / 1000,
      loadSeconds: load.loadSeconds,
      scrapes: load.scrapes.stats,
      snapshots,
      rssStart: atStart.rss,
      rssAfterFinal: atEnd.rss,
      warmupAt: load.warmupAt,
      fds: { start: atStart.fds, ...(fdsWarmup !== undefined && { warmup: fdsWarmup }), end: atEnd.fds },
      maxPool: snapshots.reduce((max, s) => Math.max(max, s.fds.pool), atStart.fds.pool),
      statusesSeen: [...statusesSeen].sort(),
      expectedStatuses: [...expectedStatuses].sort(),
      pollErrorSeriesShrank,
      faults: { ...faults, cooldownSeconds: load.planner.cooldownSeconds, backoffCutoffSeconds: load.planner.backoffCutoffSeconds },
      exporterCounters: {
        polls: sum(samples, 'laaffic_polls_total'),
        requests: sum(samples, 'laaffic_api_requests_total'),
        pollErrorsByStatus: sumByLabel(samples, 'laaffic_poll_errors_total', 'status'),
      },
      final,
      exporterLogs: started.exporter.logs,
      simulatorLogs: started.simulator.logs,
      exporterStop,
    })
  } finally {
    await rig.close()
  }
}
