// What the soak measures: one snapshot a second during the load, and everything else once.
import type { FdSample } from '../lib/proc.js'
import type { Stopped } from '../lib/program.js'
import type { SeriesCount } from './exposition.js'
import type { FaultsApplied } from './fault-ticks.js'
import type { LogStats } from './log-stats.js'
import type { SoakOptions } from './options.js'
import type { ScrapeStats } from './scrapes.js'

/** One sample per second during the load. */
export interface Snapshot {
  /** Seconds since the load started. */
  t: number
  rss: number
  /** nodejs_heap_size_used_bytes from the exporter's own /metrics. */
  heapUsed?: number
  /** nodejs_external_memory_bytes (buffers outside the V8 heap). */
  external?: number
  fds: FdSample
  series: SeriesCount
}

export interface Measurements {
  options: SoakOptions
  startedAt: string
  wallSeconds: number
  loadSeconds: number
  scrapes: ScrapeStats
  snapshots: Snapshot[]
  rssStart: number
  rssAfterFinal: number
  /** Seconds into the load at which warm-up ends. */
  warmupAt: number
  fds: { start: FdSample, warmup?: FdSample, end: FdSample }
  maxPool: number
  statusesSeen: string[]
  expectedStatuses: string[]
  pollErrorSeriesShrank: boolean
  faults: Omit<FaultsApplied, 'expectedStatuses'> & { cooldownSeconds: number, backoffCutoffSeconds: number }
  exporterCounters: { polls: number, requests: number, pollErrorsByStatus: Record<string, number> }
  final: {
    accounts: number
    compared: number
    matching: number
    mismatches: string[]
    stillFaulty: string[]
    roundDone: boolean
    notPolled: string[]
    waitMs: number
    waitLimitMs: number
  }
  exporterLogs: LogStats
  simulatorLogs: LogStats
  exporterStop: Stopped
}
