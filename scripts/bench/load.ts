// Load generation. wrk (Debian's package) is written in C: on two cores it leaves the server one core and
// uses well under the other, where autocannon, written in JavaScript, saturates a core itself and pushes
// every server/baseline ratio towards 1. autocannon is the fallback where wrk is missing, and says so.
import autocannon from 'autocannon'
import { spawnSync } from 'node:child_process'
import { performance } from 'node:perf_hooks'
import { runProgram } from '../lib/program.js'
import { quantile } from '../lib/stats.js'

export interface LoadResult {
  tool: 'wrk' | 'autocannon'
  requests: number
  requestsPerSecond: number
  p50Ms: number
  p99Ms: number
  /** Connection errors, timeouts and answers other than 2xx/3xx. */
  errors: number
  /** CPU the load generator itself used, in cores (1 = one core busy the whole time); NaN when unknown. */
  generatorCores: number
}

export const HAVE_WRK = spawnSync('/bin/sh', ['-c', 'command -v wrk'], { encoding: 'utf8' }).stdout.trim() !== ''

/** `seconds` of load with `connections` connections against `url`, each request with these headers. */
export async function load (url: string, connections: number, seconds: number, headers: Record<string, string> = {}): Promise<LoadResult> {
  return HAVE_WRK ? await wrk(url, connections, seconds, headers) : await cannon(url, connections, seconds, headers)
}

async function wrk (url: string, connections: number, seconds: number, headers: Record<string, string>): Promise<LoadResult> {
  // One wrk thread: the other core is the server's. bash's `times` prints the CPU its children used.
  const header = Object.entries(headers).map(([name, value]) => ` -H '${name}: ${value}'`).join('')
  const script = `wrk -t1 -c${connections} -d${seconds}s --latency${header} '${url}' && times`
  const run = await runProgram({ command: '/bin/bash', args: ['-c', script], env: { PATH: process.env.PATH ?? '' }, timeoutMs: (seconds + 30) * 1000 })
  if (run.code !== 0) throw new Error(`wrk failed (${run.code}): ${run.stderr}${run.stdout}`)
  const out = run.stdout
  const number = (pattern: RegExp): number => Number(pattern.exec(out)?.[1] ?? NaN)
  const errors = [...(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out) ?? [])].slice(1).map(Number)
  const [, childUser = '0m0s', childSystem = '0m0s'] = /\n(\d+m[\d.]+s) (\d+m[\d.]+s)\s*$/.exec(out) ?? []
  return {
    tool: 'wrk',
    requests: number(/(\d+) requests in/),
    requestsPerSecond: number(/Requests\/sec:\s+([\d.]+)/),
    p50Ms: duration(/ 50%\s+([\d.]+\w+)/.exec(out)?.[1]),
    p99Ms: duration(/ 99%\s+([\d.]+\w+)/.exec(out)?.[1]),
    errors: errors.reduce((a, b) => a + b, 0) + (number(/Non-2xx or 3xx responses: (\d+)/) || 0),
    generatorCores: (minutes(childUser) + minutes(childSystem)) / seconds,
  }
}

/** wrk's "1.23ms", "850.00us", "1.02s" in milliseconds. */
function duration (text: string | undefined): number {
  const [, value, unit] = /^([\d.]+)(us|ms|s|m)$/.exec(text ?? '') ?? []
  const scale: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 }
  return value === undefined || unit === undefined ? NaN : Number(value) * (scale[unit] ?? NaN)
}

/** bash's "0m1.234s" in seconds. */
function minutes (text: string): number {
  const [, m = '0', s = '0'] = /^(\d+)m([\d.]+)s$/.exec(text) ?? []
  return Number(m) * 60 + Number(s)
}

async function cannon (url: string, connections: number, seconds: number, headers: Record<string, string>): Promise<LoadResult> {
  const cpuBefore = process.cpuUsage()
  const result = await autocannon({ url, connections, duration: seconds, headers })
  const cpu = process.cpuUsage(cpuBefore)
  return {
    tool: 'autocannon',
    requests: result.requests.total,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    generatorCores: (cpu.user + cpu.system) / 1e6 / seconds,
  }
}

/** At least `count` requests, in rounds of load at 50 connections; how many were made. */
export async function scrapes (url: string, count: number, expectedPerSecond: number): Promise<{ requests: number, errors: number }> {
  let requests = 0
  let errors = 0
  while (requests < count) {
    const seconds = Math.max(1, Math.ceil((count - requests) / Math.max(expectedPerSecond, 1000)))
    const round = await load(url, 50, seconds)
    requests += round.requests
    errors += round.errors
  }
  return { requests, errors }
}

/** `count` sequential GETs; latency percentiles in ms. */
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
