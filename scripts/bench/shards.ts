// `npm run bench -- --scale`: many accounts in one process, and the same accounts over shards. The simulator
// answers each request after a delay standing in for the API's latency, so that the requests in flight mean
// what they would against the real API (an instant answer leaves nothing in flight).
import { request } from 'node:http'
import { cpuSeconds, rssBytes } from '../lib/proc.js'
import type { Program } from '../lib/program.js'
import { envSchema } from '../../src/config/schema.js'
import { SimulatorControl } from '../lib/simulator-control.js'
import { MB } from '../lib/stats.js'
import { waitFor } from '../lib/wait.js'
import { startExporterOn, type NodeLine } from './node-lines.js'
import { renderTime } from './render.js'
import { accountsFile, type ScaleSetup } from './scale.js'
import type { Table } from './table.js'

export interface ShardedScaleOptions {
  accounts: number
  shards: number
  /** How long the simulator takes to answer each request. */
  apiLatencyMs: number
  pollIntervalSeconds: number
}

/** What one exporter process showed over the measuring window. */
interface ProcessFigures {
  accounts: number
  readySeconds: number
  bytes: number
  /** Bytes on the wire when asked for gzip, or undefined when the answer came uncompressed. */
  gzipBytes: number | undefined
  rss: number
  cpuPerMinute: number
  pollsPerMinute: number
  /** Mean requests in flight over the window (Little's law: polls per second × mean poll duration). */
  inFlight: number
  /** The LAAFFIC_MAX_CONCURRENT_POLLS it ran with. */
  maxConcurrentPolls: number
}

/**
 * LAAFFIC_MAX_CONCURRENT_POLLS for a process of `accounts`: what the polls need at once (accounts × latency ÷
 * interval, Little's law) with half again as headroom, and never under the default 16. The sizing docs
 * (docs/kubernetes.md#sizing) tell users the same rule.
 */
function concurrentPollsFor (accounts: number, options: ShardedScaleOptions): number {
  return Math.max(envSchema.properties.LAAFFIC_MAX_CONCURRENT_POLLS.default, Math.ceil(1.5 * accounts * options.apiLatencyMs / 1000 / options.pollIntervalSeconds))
}

const fmt = (n: number, digits = 1): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
const int = (n: number): string => Math.round(n).toLocaleString('en-US')

export async function measureSharded (line: NodeLine, options: ShardedScaleOptions, setup: ScaleSetup & { simulatorUrl: (file: string) => Promise<{ url: string, baseUrl: string, stop: () => Promise<unknown> }> }, table: Table): Promise<void> {
  const { work, say } = setup
  const windowSeconds = Math.min(60, options.pollIntervalSeconds)
  const file = accountsFile(work, options.accounts)
  const simulator = await setup.simulatorUrl(file)
  try {
    say(`${options.accounts} accounts: every simulated answer delayed ${options.apiLatencyMs} ms`)
    await delayEveryAccount(simulator.url, options.accounts, options.apiLatencyMs)

    say(`${options.accounts} accounts in one process: first polls, then ${windowSeconds} s of polling`)
    const [one] = await runExporters(line, setup.repo, file, simulator.baseUrl, 1, options, windowSeconds, say)
    say(`the same accounts over ${options.shards} shards`)
    const shards = await runExporters(line, setup.repo, file, simulator.baseUrl, options.shards, options, windowSeconds, say)
    const renderOne = await renderTime(options.accounts)
    const renderShard = await renderTime(Math.ceil(options.accounts / options.shards))
    if (one === undefined) throw new Error('no figures for one process')

    const max = (pick: (f: ProcessFigures) => number): number => Math.max(...shards.map(pick))
    const sum = (pick: (f: ProcessFigures) => number): number => shards.reduce((total, f) => total + pick(f), 0)
    const needed = options.accounts * 60 / options.pollIntervalSeconds
    const shardCounts = shards.map((s) => s.accounts)
    table.row('accounts per process', int(one.accounts), `${int(Math.min(...shardCounts))} to ${int(Math.max(...shardCounts))}`, '', undefined)
    table.row('render after one poll (in process, p50)', `${fmt(renderOne.p50Ms, 2)} ms`, `${fmt(renderShard.p50Ms, 2)} ms`, '< 100 ms', renderOne.p50Ms < 100)
    table.row('/metrics size, plain', `${fmt(one.bytes / 1024)} KiB`, `${fmt(max((f) => f.bytes) / 1024)} KiB (largest)`, '', undefined)
    table.row('/metrics size, gzip', gzipCell(one), gzipCell(shards.reduce((a, b) => a.bytes > b.bytes ? a : b)), '', undefined)
    table.row(`RSS after the first polls and ${options.pollIntervalSeconds + windowSeconds} s of polling`, `${fmt(one.rss / MB)} MB`,
      `${fmt(max((f) => f.rss) / MB)} MB (largest), ${fmt(sum((f) => f.rss) / MB)} MB in all`, '< 250 MB (one process)', one.rss < 250 * MB)
    table.row('polling CPU per minute (no scrapes)', `${fmt(one.cpuPerMinute, 2)} s`, `${fmt(sum((f) => f.cpuPerMinute), 2)} s in all`, '', undefined)
    table.row(`polls per minute (needed: accounts × 60 / ${options.pollIntervalSeconds} s)`, `${int(one.pollsPerMinute)} of ${int(needed)}`, `${int(sum((f) => f.pollsPerMinute))} of ${int(needed)}`,
      'all', one.pollsPerMinute >= 0.95 * needed)
    table.row('requests in flight: mean (LAAFFIC_MAX_CONCURRENT_POLLS)', `${fmt(one.inFlight)} (${one.maxConcurrentPolls})`,
      `${fmt(max((f) => f.inFlight))} (${max((f) => f.maxConcurrentPolls)}), busiest shard`, '', undefined)
    table.row('start to ready (every account polled once)', `${fmt(one.readySeconds)} s`, `${fmt(max((f) => f.readySeconds))} s (slowest shard)`, '', undefined)
    table.note(`the simulator answers every request after ${options.apiLatencyMs} ms (a delay fault on each account), a stand-in for the API's latency; ` +
      `interval ${options.pollIntervalSeconds} s; measured over ${windowSeconds} s, starting one interval after every account's first poll; process metrics on`)
    table.note('requests in flight: polls per second times the mean of laaffic_poll_duration_seconds over the accounts (Little\'s law), from two scrapes of /metrics')
    table.note('LAAFFIC_MAX_CONCURRENT_POLLS: 1.5 × accounts × latency ÷ interval, at least the default 16 (the rule of docs/kubernetes.md#sizing)')
  } finally {
    await simulator.stop()
  }
}

function gzipCell (figures: ProcessFigures): string {
  return figures.gzipBytes === undefined ? 'not served' : `${fmt(figures.gzipBytes / 1024)} KiB`
}

/** A delay fault on every account of the simulator, a few requests at a time. */
async function delayEveryAccount (simulatorUrl: string, accounts: number, delayMs: number): Promise<void> {
  const control = new SimulatorControl(simulatorUrl)
  try {
    let next = 0
    await Promise.all(Array.from({ length: 16 }, async () => {
      while (next < accounts) {
        const i = next++
        await control.setFault(`acct-${String(i).padStart(4, '0')}`, { type: 'delay', delayMs })
      }
    }))
  } finally {
    control.close()
  }
}

/** `count` exporters (shards 0..count-1 of count), run side by side: their figures once every account polled and the window passed. */
async function runExporters (line: NodeLine, repo: string, file: string, baseUrl: string, count: number, options: ShardedScaleOptions, windowSeconds: number, say: (line: string) => void): Promise<ProcessFigures[]> {
  const programs: Program[] = []
  const maxConcurrentPolls = concurrentPollsFor(Math.ceil(options.accounts / count), options)
  try {
    const started = Date.now()
    for (let shard = 0; shard < count; shard++) {
      programs.push(startExporterOn(line, repo, {
        LAAFFIC_ACCOUNTS_FILE: file, LAAFFIC_BASE_URL: baseUrl, LAAFFIC_POLL_INTERVAL: String(options.pollIntervalSeconds),
        LAAFFIC_TOTAL_SHARDS: String(count), LAAFFIC_SHARD: String(shard), LAAFFIC_MAX_CONCURRENT_POLLS: String(maxConcurrentPolls),
      }))
    }
    const urls = await Promise.all(programs.map(async (p) => await p.url()))
    const readySeconds = await Promise.all(urls.map(async (url) => {
      await waitFor(async () => (await fetch(`${url}/readyz`)).ok, `the first poll of every account at ${url}`, 900_000, { intervalMs: 500 })
      return (Date.now() - started) / 1000
    }))
    // After its first poll each account waits an interval plus its phase (spread over the interval): polling
    // reaches its steady rate one interval after the last first poll.
    say(`ready after ${Math.max(...readySeconds).toFixed(1)} s; settling for ${options.pollIntervalSeconds} s, then measuring for ${windowSeconds} s`)
    await new Promise((resolve) => setTimeout(resolve, options.pollIntervalSeconds * 1000))
    const before = await Promise.all(programs.map(async (p, i) => ({ cpu: await cpuSeconds(p.pid), polls: pollFigures(await text(urls[i] ?? '')), at: Date.now() })))
    await new Promise((resolve) => setTimeout(resolve, windowSeconds * 1000))
    return await Promise.all(programs.map(async (program, i) => {
      const url = urls[i] ?? ''
      const body = await text(url)
      const after = { cpu: await cpuSeconds(program.pid), polls: pollFigures(body), at: Date.now() }
      const start = before[i] as (typeof before)[number]
      const seconds = (after.at - start.at) / 1000
      const pollsPerSecond = (after.polls.total - start.polls.total) / seconds
      const gzipped = await gzipAnswer(url)
      return {
        accounts: after.polls.accounts,
        readySeconds: readySeconds[i] ?? NaN,
        bytes: Buffer.byteLength(body),
        gzipBytes: gzipped,
        rss: await rssBytes(program.pid),
        cpuPerMinute: (after.cpu - start.cpu) * 60 / seconds,
        pollsPerMinute: pollsPerSecond * 60,
        inFlight: pollsPerSecond * after.polls.meanDurationSeconds,
        maxConcurrentPolls,
      }
    }))
  } finally {
    await Promise.all(programs.map(async (p) => await p.stop()))
  }
}

async function text (url: string): Promise<string> {
  return await (await fetch(`${url}/metrics`)).text()
}

/** Polls made so far (all accounts), the mean latest poll duration, and how many accounts the process exports. */
function pollFigures (metrics: string): { total: number, meanDurationSeconds: number, accounts: number } {
  const values = (name: string): number[] => [...metrics.matchAll(new RegExp(`^${name}\\{account="[^"]*"\\} (\\S+)$`, 'gm'))].map((m) => Number(m[1]))
  const polls = values('laaffic_polls_total')
  const durations = values('laaffic_poll_duration_seconds')
  return {
    total: polls.reduce((a, b) => a + b, 0),
    meanDurationSeconds: durations.reduce((a, b) => a + b, 0) / Math.max(durations.length, 1),
    accounts: values('laaffic_up').length,
  }
}

/** The bytes of a /metrics answer to `Accept-Encoding: gzip` when it comes compressed, else undefined. */
async function gzipAnswer (url: string): Promise<number | undefined> {
  return await new Promise((resolve, reject) => {
    const req = request(`${url}/metrics`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
      let bytes = 0
      res.on('data', (chunk: Buffer) => { bytes += chunk.length })
      res.on('end', () => { resolve(res.headers['content-encoding'] === 'gzip' ? bytes : undefined) })
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}
