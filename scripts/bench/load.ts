// Load generation with autocannon, and latency of plain sequential requests.
import autocannon from 'autocannon'
import { performance } from 'node:perf_hooks'
import { quantile } from '../lib/stats.js'

export interface LoadResult {
  requestsPerSecond: number
  p50Ms: number
  p99Ms: number
  errors: number
  non2xx: number
}

/** autocannon against `url` for `seconds` with `connections`, or for `amount` requests. */
export async function hammer (url: string, connections: number, limit: { seconds: number } | { amount: number }): Promise<LoadResult> {
  const result = await autocannon({
    url,
    connections,
    ...('seconds' in limit ? { duration: limit.seconds } : { amount: limit.amount }),
  })
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  }
}

/** `count` sequential GETs; returns latency percentiles in ms (fractions kept, unlike autocannon's). */
export async function sequentialLatency (url: string, count: number): Promise<{ p50Ms: number, p99Ms: number }> {
  const times: number[] = []
  for (let i = 0; i < count; i++) {
    const started = performance.now()
    const response = await fetch(url)
    await response.arrayBuffer()
    if (!response.ok) throw new Error(`${url} answered ${response.status}`)
    times.push(performance.now() - started)
  }
  return { p50Ms: quantile(times, 0.5), p99Ms: quantile(times, 0.99) }
}
