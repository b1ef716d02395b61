// Once a second during the load: the exporter's RSS and fds from /proc, and its series from a scrape.
import { type FdSample, rssBytes, sampleFds } from '../lib/proc.js'
import { countSeries, parseSamples } from './exposition.js'
import { type LoadClock, sleep } from './load-clock.js'
import type { Snapshot } from './measurements.js'
import type { Rig } from './rig.js'
import type { Scrapes } from './scrapes.js'
import type { Started } from './start.js'

export interface Sampled {
  snapshots: Snapshot[]
  /** Every status label of laaffic_poll_errors_total seen. */
  statusesSeen: Set<string>
  /** A poll-error series was there in one sample and gone in the next. */
  pollErrorSeriesShrank: boolean
  /** The first fd sample at or after warm-up. */
  fdsWarmup?: FdSample
}

export async function sampleEverySecond (clock: LoadClock, rig: Rig, started: Started, scrapes: Scrapes,
  warmupAt: number, durationSeconds: number, log: (line: string) => void): Promise<Sampled> {
  const { exporter, ports } = started
  const pid = exporter.program.pid
  const sampled: Sampled = { snapshots: [], statusesSeen: new Set(), pollErrorSeriesShrank: false }
  const agent = rig.agent(1)
  const logEvery = Math.max(10, Math.round(durationSeconds / 10))
  let nextLogAt = logEvery
  for (let second = 0; clock.running(); second = Math.max(second + 1, Math.ceil(clock.elapsed()))) {
    await clock.until(second)
    if (!clock.running()) break
    const t = clock.elapsed()
    let measured: [{ text: string } | undefined, number, FdSample]
    try {
      measured = await Promise.all([scrapes.scrape(agent, 'sampler'), rssBytes(pid), sampleFds(pid, ports)])
    } catch (err) {
      // /proc/PID is gone: the exporter exited. Its exit event, if it comes within a second, says how.
      await Promise.race([exporter.program.exited, sleep(1000)])
      clock.die(`cannot measure the exporter at t=${t.toFixed(1)}s: ${(err as Error).message}`)
      break
    }
    const [scraped, rss, fds] = measured
    if (sampled.fdsWarmup === undefined && t >= warmupAt) sampled.fdsWarmup = fds
    if (scraped === undefined) continue
    const samples = parseSamples(scraped.text)
    for (const s of samples) if (s.name === 'laaffic_poll_errors_total' && s.labels.status !== undefined) sampled.statusesSeen.add(s.labels.status)
    const series = countSeries(samples)
    const previous = sampled.snapshots.at(-1)
    if (previous !== undefined && series.pollErrors < previous.series.pollErrors) sampled.pollErrorSeriesShrank = true
    const heapUsed = samples.find((s) => s.name === 'nodejs_heap_size_used_bytes')?.value
    const external = samples.find((s) => s.name === 'nodejs_external_memory_bytes')?.value
    sampled.snapshots.push({ t, rss, fds, series, ...(heapUsed !== undefined && { heapUsed }), ...(external !== undefined && { external }) })
    if (t >= nextLogAt) {
      nextLogAt += logEvery
      const { served, errors } = scrapes.stats
      log(`t=${Math.round(t)}s scrapes ${served} errors ${errors} rss ${(rss / 2 ** 20).toFixed(1)} MB fds ${fds.fds} (pool ${fds.pool}) series ${series.total}`)
    }
  }
  return sampled
}
