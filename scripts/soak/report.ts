// The pass/fail checks over what the soak measured, and the summary of it (table.ts prints them).
import type { FdSample } from '../lib/proc.js'
import { MB, median, quantile, slope } from '../lib/stats.js'
import type { Measurements, Snapshot } from './measurements.js'

export interface Check {
  name: string
  ok: boolean
  detail: string
}

export interface SoakResult {
  ok: boolean
  /** The failed checks' details, in order. */
  reasons: string[]
  checks: Check[]
  summary: {
    scrapesServed: number
    scrapeErrors: number
    scrapesPerSecond: number
    latencyMs: { p50: number, p99: number, max: number }
    rssMb: { start: number, warmup: number, end: number, growthAfterWarmup: number, max: number, trendPerMinute: number, afterFinalRound: number, windowSeconds: number }
    heapUsedMb?: { warmup: number, end: number }
    fds: { start: FdSample, warmup?: FdSample, end: FdSample, maxPool: number }
    series: {
      total: { min: number, max: number }
      laafficFixed: { first: number, min: number, max: number }
      pollErrors: { first: number, last: number }
      other: { min: number, max: number }
    }
    faultsInjected: number
    stateChangeLines: number
  }
  measurements: Omit<Measurements, 'scrapes' | 'snapshots'> & { scrapes: Omit<Measurements['scrapes'], 'latenciesMs'> }
  snapshots: Snapshot[]
}

/** Min and max by a loop: Math.max(...values) overflows the stack with a few hundred thousand values. */
function range (values: readonly number[]): { min: number, max: number } {
  if (values.length === 0) return { min: NaN, max: NaN }
  let min = Infinity
  let max = -Infinity
  for (const value of values) {
    if (value < min) min = value
    if (value > max) max = value
  }
  return { min, max }
}
const mb = (bytes: number): number => Math.round((bytes / MB) * 10) / 10

/** Median RSS over the snapshots in [from, to) seconds, or the snapshot nearest `from` when none fall inside. */
function rssAround (snapshots: readonly Snapshot[], from: number, to: number, read: (s: Snapshot) => number | undefined): number {
  const inside = snapshots.filter((s) => s.t >= from && s.t < to).map(read).filter((v): v is number => v !== undefined)
  if (inside.length > 0) return median(inside)
  const nearest = [...snapshots].sort((a, b) => Math.abs(a.t - from) - Math.abs(b.t - from))[0]
  return nearest === undefined ? NaN : (read(nearest) ?? NaN)
}

export function evaluate (m: Measurements): SoakResult {
  const { options, snapshots, fds, final } = m
  // RSS swings by tens of MB from one second to the next (each scrape allocates a few hundred KB of
  // text): compare medians over long windows, 20% of the load (at least 5 s) after warm-up and at the end.
  const window = Math.min(Math.max(5, 0.2 * m.loadSeconds), (m.loadSeconds - m.warmupAt) / 2)
  const rssWarmup = rssAround(snapshots, m.warmupAt, m.warmupAt + window, (s) => s.rss)
  const rssEnd = rssAround(snapshots, m.loadSeconds - window, m.loadSeconds + 1, (s) => s.rss)
  const afterWarmup = snapshots.filter((s) => s.t >= m.warmupAt)
  const heapWarmup = rssAround(snapshots, m.warmupAt, m.warmupAt + window, (s) => s.heapUsed)
  const heapEnd = rssAround(snapshots, m.loadSeconds - window, m.loadSeconds + 1, (s) => s.heapUsed)
  const fixed = snapshots.map((s) => s.series.laafficFixed)
  const faultsInjected = Object.values(m.faults.injected).reduce((a, b) => a + b, 0)

  const summary: SoakResult['summary'] = {
    scrapesServed: m.scrapes.served,
    scrapeErrors: m.scrapes.errors,
    scrapesPerSecond: m.scrapes.served / m.loadSeconds,
    latencyMs: { p50: quantile(m.scrapes.latenciesMs, 0.5), p99: quantile(m.scrapes.latenciesMs, 0.99), max: range(m.scrapes.latenciesMs).max },
    rssMb: {
      start: mb(m.rssStart),
      warmup: mb(rssWarmup),
      end: mb(rssEnd),
      growthAfterWarmup: mb(rssEnd - rssWarmup),
      max: mb(range(snapshots.map((s) => s.rss)).max),
      trendPerMinute: Math.round(slope(afterWarmup.map((s) => ({ x: s.t / 60, y: s.rss / MB }))) * 100) / 100,
      afterFinalRound: mb(m.rssAfterFinal),
      windowSeconds: Math.round(window),
    },
    ...(!Number.isNaN(heapWarmup) && !Number.isNaN(heapEnd) && { heapUsedMb: { warmup: mb(heapWarmup), end: mb(heapEnd) } }),
    fds: { ...fds, maxPool: m.maxPool },
    series: {
      total: range(snapshots.map((s) => s.series.total)),
      laafficFixed: { first: fixed[0] ?? NaN, ...range(fixed) },
      pollErrors: { first: snapshots[0]?.series.pollErrors ?? NaN, last: snapshots.at(-1)?.series.pollErrors ?? NaN },
      other: range(snapshots.map((s) => s.series.other)),
    },
    faultsInjected,
    stateChangeLines: m.exporterLogs.byMessage['account failing'] ?? 0,
  }

  const margin = options.fdMargin
  const unexpected = m.statusesSeen.filter((s) => !m.expectedStatuses.includes(s))
  const errorLines = (m.exporterLogs.byLevel.error ?? 0) + (m.exporterLogs.byLevel.fatal ?? 0)
  const checks: Check[] = [
    { name: 'scrape errors', ok: m.scrapes.errors === 0, detail: `${m.scrapes.errors} scrape errors${m.scrapes.errorSamples.length > 0 ? `: ${m.scrapes.errorSamples.join('; ')}` : ''}` },
    {
      name: 'series',
      ok: snapshots.length > 0 && summary.series.laafficFixed.min === summary.series.laafficFixed.max,
      detail: `laaffic_* series other than laaffic_poll_errors_total went from ${summary.series.laafficFixed.min} to ${summary.series.laafficFixed.max} (must stay ${summary.series.laafficFixed.first})`,
    },
    {
      name: 'poll-error series',
      ok: unexpected.length === 0 && !m.pollErrorSeriesShrank,
      detail: `laaffic_poll_errors_total ${summary.series.pollErrors.first} → ${summary.series.pollErrors.last} series, statuses ${m.statusesSeen.join(' ')}` +
        (unexpected.length > 0 ? `; not expected from the faults set: ${unexpected.join(' ')}` : '') +
        (m.pollErrorSeriesShrank ? '; a poll-error series disappeared' : ''),
    },
    {
      name: 'final values',
      ok: final.roundDone && final.stillFaulty.length === 0 && final.matching === final.accounts && final.compared === final.accounts,
      detail: `${final.matching} of ${final.accounts} accounts match the simulator with laaffic_up 1` +
        (final.roundDone ? '' : `; no full poll round within ${(final.waitLimitMs / 1000).toFixed(0)} s after the faults were cleared (still waiting: ${final.notPolled.join(', ')})`) +
        (final.stillFaulty.length > 0 ? `; faults left in the simulator: ${final.stillFaulty.slice(0, 10).join(', ')}` : '') +
        (final.mismatches.length > 0 ? `; ${final.mismatches.join('; ')}` : ''),
    },
    {
      name: 'fds',
      ok: fds.end.fdsWithoutPool <= fds.start.fdsWithoutPool + margin,
      detail: `fds besides the pool to the simulator: ${fds.start.fdsWithoutPool} at start, ${fds.end.fdsWithoutPool} at the end (margin ${margin})`,
    },
    {
      name: 'sockets',
      ok: fds.end.socketsWithoutPool <= fds.start.socketsWithoutPool + margin && fds.end.closeWait <= margin,
      detail: `sockets besides the pool: ${fds.start.socketsWithoutPool} at start, ${fds.end.socketsWithoutPool} at the end; ${fds.end.closeWait} in CLOSE_WAIT at the end (margin ${margin})`,
    },
    {
      name: 'pool',
      ok: fds.end.pool <= options.accounts && m.maxPool <= options.accounts + margin,
      detail: `keep-alive sockets to the simulator: ${fds.start.pool} at start, at most ${m.maxPool}, ${fds.end.pool} at the end (never more than the ${options.accounts} accounts)`,
    },
    {
      name: 'rss',
      ok: !(summary.rssMb.growthAfterWarmup > options.rssLimitMb),
      detail: `RSS grew ${summary.rssMb.growthAfterWarmup} MB after warm-up (limit ${options.rssLimitMb} MB)`,
    },
    {
      name: 'exporter log',
      ok: errorLines === 0,
      detail: `${errorLines} exporter log lines at error or fatal${m.exporterLogs.notable.length > 0 ? `: ${m.exporterLogs.notable.slice(0, 3).join(' | ')}` : ''}`,
    },
    {
      name: 'control API',
      ok: m.faults.controlErrors === 0,
      detail: `${m.faults.controlErrors} failed control requests to the simulator${m.faults.controlErrorSamples.length > 0 ? `: ${m.faults.controlErrorSamples.join('; ')}` : ''}`,
    },
    {
      name: 'shutdown',
      ok: m.exporterStop.code === 0 && m.exporterStop.stopMs <= 2000,
      detail: `the exporter exited with ${m.exporterStop.code === null ? `signal ${String(m.exporterStop.signal)}` : `code ${m.exporterStop.code}`} ${m.exporterStop.stopMs} ms after SIGTERM (must be 0 within 2 s)`,
    },
  ]
  const reasons = checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`)
  const { served, errors, errorSamples, bytes } = m.scrapes
  const measurements: SoakResult['measurements'] = { ...m, scrapes: { served, errors, errorSamples, bytes } }
  delete (measurements as Partial<Measurements>).snapshots
  return { ok: reasons.length === 0, reasons, checks, summary, measurements, snapshots }
}
