// The soak's result as the plain-text table it prints (and `--write` puts into SOAK.md).
import { BACKOFF_STATUSES } from '../../src/api/status.js'
import type { SoakResult } from './report.js'
import { FAULT_KINDS } from './schedule.js'

const fixed1 = (n: number): string => Number.isFinite(n) ? n.toFixed(1) : 'n/a'
const signed = (n: number): string => `${n >= 0 ? '+' : ''}${fixed1(n)}`

/** The plain-text table: what, value, and the check it belongs to (ok / FAIL) where there is one. */
export function formatTable (result: SoakResult): string {
  const m = result.measurements
  const o = m.options
  const s = result.summary
  const check = (name: string): string => {
    const found = result.checks.find((c) => c.name === name)
    return found === undefined ? '' : found.ok ? 'ok' : 'FAIL'
  }
  const counts = (record: Record<string, number>): string =>
    Object.entries(record).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'
  const { start, end } = s.fds
  const rows: Array<[string, string, string?]> = [
    ['started', m.startedAt],
    ['duration', `${o.durationSeconds} s of load (${fixed1(m.wallSeconds)} s in all)`],
    ['accounts', String(o.accounts)],
    ['poll interval / request timeout', `${o.intervalSeconds} s / ${o.timeoutSeconds} s`],
    ['scrapers', `${o.scrapers} in a loop${o.scrapeGapMs > 0 ? `, ${o.scrapeGapMs} ms apart` : ', back to back'}`],
    ['fault period / seed', `${o.faultPeriodSeconds} s / ${o.seed}`],
    ['scrapes served', `${s.scrapesServed} (${fixed1(s.scrapesPerSecond)}/s, ${fixed1(m.scrapes.bytes / 1024)} KiB each)`],
    ['scrape errors', String(s.scrapeErrors), check('scrape errors')],
    ['scrape latency p50 / p99 / max', `${fixed1(s.latencyMs.p50)} / ${fixed1(s.latencyMs.p99)} / ${fixed1(s.latencyMs.max)} ms`],
    ['RSS start / after warm-up / end', `${fixed1(s.rssMb.start)} / ${fixed1(s.rssMb.warmup)} / ${fixed1(s.rssMb.end)} MB (medians over ${s.rssMb.windowSeconds} s)`],
    ['RSS growth after warm-up', `${signed(s.rssMb.growthAfterWarmup)} MB (trend ${signed(s.rssMb.trendPerMinute)} MB/min, max ${fixed1(s.rssMb.max)} MB)`, check('rss')],
    ...(s.heapUsedMb === undefined ? [] : [['heap used after warm-up / end', `${fixed1(s.heapUsedMb.warmup)} / ${fixed1(s.heapUsedMb.end)} MB (nodejs_heap_size_used_bytes, medians)`] as [string, string]]),
    ['fds start / end', `${start.fds} / ${end.fds}`],
    ['  without the pool to the simulator', `${start.fdsWithoutPool} / ${end.fdsWithoutPool}`, check('fds')],
    ['sockets start / end', `${start.sockets} / ${end.sockets}`],
    ['  without the pool', `${start.socketsWithoutPool} / ${end.socketsWithoutPool} (CLOSE_WAIT at end: ${end.closeWait})`, check('sockets')],
    ['  pool to the simulator start / max / end', `${start.pool} / ${s.fds.maxPool} / ${end.pool}`, check('pool')],
    ['series total min / max', `${s.series.total.min} / ${s.series.total.max}`],
    ['  laaffic_* w/o poll errors min / max', `${s.series.laafficFixed.min} / ${s.series.laafficFixed.max}`, check('series')],
    ['  laaffic_poll_errors_total first / last', `${s.series.pollErrors.first} / ${s.series.pollErrors.last}`, check('poll-error series')],
    ['  process_* and nodejs_* min / max', `${s.series.other.min} / ${s.series.other.max}`],
    ['faults injected', `${s.faultsInjected} in ${m.faults.ticks} ticks (max tick lag ${m.faults.maxTickLagMs.toFixed(0)} ms)`, check('control API')],
    ...FAULT_KINDS.map((kind): [string, string] => [`  ${kind}`, String(m.faults.injected[kind] ?? 0)]),
    ['faults cleared / figures changed', `${m.faults.cleared} / ${m.faults.patched}`],
    [`backoff statuses (${BACKOFF_STATUSES.join(' ')})`, `count 1-2, none after t=${fixed1(m.faults.backoffCutoffSeconds)} s, ${fixed1(m.faults.cooldownSeconds)} s apart per account`],
    ['polls / API requests (exporter)', `${m.exporterCounters.polls} / ${m.exporterCounters.requests}`],
    ['poll errors (exporter)', counts(m.exporterCounters.pollErrorsByStatus)],
    ['final round after clearing faults', `${fixed1(m.final.waitMs / 1000)} s (limit ${fixed1(m.final.waitLimitMs / 1000)} s)`],
    ['accounts compared / matching', `${m.final.compared} / ${m.final.matching}`, check('final values')],
    ['state-change log lines', `${s.stateChangeLines} "account failing" (${counts(m.exporterLogs.failingByStatus)})`],
    ['exporter error/fatal log lines', String((m.exporterLogs.byLevel.error ?? 0) + (m.exporterLogs.byLevel.fatal ?? 0)), check('exporter log')],
    ['exporter stderr lines', m.exporterLogs.stderrLines === 0 ? '0' : `${m.exporterLogs.stderrLines}: ${m.exporterLogs.stderrFirst[0] ?? ''}`],
    ['exporter stop (SIGTERM)', `code ${String(m.exporterStop.code)} after ${m.exporterStop.stopMs} ms`, check('shutdown')],
    ['verdict', result.ok ? 'PASS' : 'FAIL'],
  ]
  const width = (i: 0 | 1): number => Math.max(...rows.map((r) => r[i].length))
  const [w0, w1] = [width(0), Math.min(width(1), 90)]
  const line = (a: string, b: string, c = ''): string => `${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`.trimEnd()
  const out = [line('what', 'value', 'check'), line('-'.repeat(w0), '-'.repeat(w1), '-----'), ...rows.map(([a, b, c]) => line(a, b, c))]
  if (!result.ok) out.push('', 'failed:', ...result.reasons.map((r) => `  - ${r}`))
  return out.join('\n')
}
