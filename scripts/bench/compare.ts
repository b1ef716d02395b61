// The exporter with one account against a bare node:http server answering the same bytes from memory, on
// the same Node.js line, started and loaded the same way: the limit for that runtime. Every figure is taken
// side by side in one run, in alternating rounds, so a busy machine slows both alike.
import { writeFileSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { rssBytes } from '../lib/proc.js'
import { startProgram, type Program } from '../lib/program.js'
import { median, MB } from '../lib/stats.js'
import { waitFor } from '../lib/wait.js'
import { load, scrapes, type LoadResult } from './load.js'
import { exporterNodeFlags, type NodeLine } from './node-lines.js'
import type { Table } from './table.js'

export interface CompareSetup {
  repo: string
  work: string
  /** An accounts file with one account, and the simulator's base URL for it. */
  accountsFile: string
  baseUrl: string
  quick: boolean
  say: (line: string) => void
}

const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'
const fmt = (n: number, digits = 1): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })

export async function compareWithBare (line: NodeLine, setup: CompareSetup, table: Table): Promise<void> {
  const { repo, work, quick, say } = setup
  const bundle = join(repo, 'dist', 'laaffic-exporter.js')
  const flags = exporterNodeFlags(bundle)
  const programs: Program[] = []
  const start = (args: string[], env: Record<string, string> = {}): Program => {
    const program = startProgram({ command: line.node, args, env })
    programs.push(program)
    return program
  }
  const exporter = (port = 0): Program => start([...flags, bundle], {
    LAAFFIC_ACCOUNTS_FILE: setup.accountsFile, LAAFFIC_BASE_URL: setup.baseUrl, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', LAAFFIC_POLL_INTERVAL: '60',
  })
  try {
    // The bytes the bare server answers: the exporter's own /metrics.
    const first = exporter()
    const body = await (await fetch(`${await first.url()}/metrics`)).arrayBuffer()
    await first.stop()
    const bodyFile = join(work, 'metrics.txt')
    writeFileSync(bodyFile, Buffer.from(body))
    const bare = (port = 0): Program => start([join(repo, 'dist-scripts/scripts/bench/bare-server.js'), bodyFile, CONTENT_TYPE], { PORT: String(port) })
    table.note(`${line.version} (${line.node}); exporter flags: ${flags.join(' ') || 'none'}; /metrics ${fmt(body.byteLength / 1024)} KiB`)

    say(`${line.version}: start-up, alternating`)
    const startMs = { exporter: [] as number[], bare: [] as number[] }
    for (let round = 0; round < (quick ? 3 : 7); round++) {
      startMs.bare.push(await timeToFirstAnswer(bare))
      startMs.exporter.push(await timeToFirstAnswer(exporter))
    }
    const startRatio = median(startMs.exporter) / median(startMs.bare)
    table.row('start to first /metrics answer (median, spawn included)', `${fmt(median(startMs.exporter), 0)} ms`, `${fmt(median(startMs.bare), 0)} ms`,
      `${fmt(startRatio, 1)} ×`, '<= 4 × bare', startRatio <= 4)

    // fastify alone, serving the same bytes: how much of the exporter's memory the framework takes by itself.
    const fastifyOnly = start([join(repo, 'dist-scripts/scripts/bench/fastify-server.js'), bodyFile, CONTENT_TYPE])
    const server = { exporter: exporter(), bare: bare() }
    const url = { exporter: `${await server.exporter.url()}/metrics`, bare: `${await server.bare.url()}/`, fastify: `${await fastifyOnly.url()}/metrics` }
    await waitFor(async () => (await fetch(url.exporter.replace('/metrics', '/readyz'))).ok, 'the first poll', 30_000)
    await fetch(url.bare)
    await fetch(url.fastify)
    await settle()
    const idle = { exporter: await rssBytes(server.exporter.pid), bare: await rssBytes(server.bare.pid), fastify: await rssBytes(fastifyOnly.pid) }
    table.row('idle RSS, after the first poll and answer', `${fmt(idle.exporter / MB)} MB`, `${fmt(idle.bare / MB)} MB`,
      `${fmt(idle.exporter / idle.bare, 2)} ×`, '<= 70 MB', idle.exporter <= 70 * MB)

    const seconds = quick ? 2 : 4
    const rounds = quick ? 3 : 5
    for (const connections of [1, 50]) {
      say(`${line.version}: ${rounds} alternating rounds of ${seconds} s at ${connections} connection(s)`)
      const results = { exporter: [] as LoadResult[], bare: [] as LoadResult[] }
      for (let round = 0; round < rounds; round++) {
        results.exporter.push(await load(url.exporter, connections, seconds))
        results.bare.push(await load(url.bare, connections, seconds))
      }
      const rps = (side: 'exporter' | 'bare'): number => median(results[side].map((r) => r.requestsPerSecond))
      const p99 = (side: 'exporter' | 'bare'): number => median(results[side].map((r) => r.p99Ms))
      const ratio = rps('exporter') / rps('bare')
      const errors = [...results.exporter, ...results.bare].reduce((sum, r) => sum + r.errors, 0)
      const generator = Math.max(...[...results.exporter, ...results.bare].map((r) => r.generatorCores))
      table.row(`/metrics throughput, ${connections} connection(s) (median req/s)`, fmt(rps('exporter'), 0), fmt(rps('bare'), 0), `${fmt(ratio, 2)} ×`,
        connections === 50 ? '>= 0.6 × bare' : '', connections === 50 ? ratio >= 0.6 : undefined)
      table.row(`p99 latency, ${connections} connection(s) (median of rounds)`, `${fmt(p99('exporter'), 2)} ms`, `${fmt(p99('bare'), 2)} ms`,
        `${fmt(p99('exporter') / p99('bare'), 2)} ×`, connections === 50 ? '<= 1.5 × bare' : '', connections === 50 ? p99('exporter') <= 1.5 * p99('bare') : undefined)
      table.note(`${connections} connection(s): load by ${results.exporter[0]?.tool ?? '?'}, which used at most ${fmt(generator, 2)} of a core; ${errors} errors`)
    }

    const warmup = quick ? 5000 : 20_000
    const count = quick ? 20_000 : 100_000
    say(`${line.version}: ${warmup} scrapes to warm up, then ${count}, each at 50 connections`)
    for (const side of ['exporter', 'bare', 'fastify'] as const) await scrapes(url[side], warmup, 20_000)
    await settle()
    const warm = { exporter: await rssBytes(server.exporter.pid), bare: await rssBytes(server.bare.pid) }
    const made = { exporter: await scrapes(url.exporter, count, 20_000), bare: await scrapes(url.bare, count, 20_000) }
    await scrapes(url.fastify, count, 20_000)
    await settle()
    const after = { exporter: await rssBytes(server.exporter.pid), bare: await rssBytes(server.bare.pid), fastify: await rssBytes(fastifyOnly.pid) }
    const loaded = after.exporter <= 100 * MB && after.exporter <= 1.3 * after.bare
    table.row(`RSS after ${count.toLocaleString('en-US')} more scrapes at 50 connections`, `${fmt(after.exporter / MB)} MB`, `${fmt(after.bare / MB)} MB`,
      `${fmt(after.exporter / after.bare, 2)} ×`, '<= 100 MB and <= 1.3 × bare', loaded)
    const growth = (after.exporter - warm.exporter) / MB
    table.row(`RSS growth after the ${warmup.toLocaleString('en-US')}-scrape warm-up`, `${fmt(growth)} MB`, `${fmt((after.bare - warm.bare) / MB)} MB`, '',
      'about 0 (< 5 MB)', growth < 5)
    table.note(`fastify alone serving the same bytes, same load: idle RSS ${fmt(idle.fastify / MB)} MB, after the scrapes ${fmt(after.fastify / MB)} MB`)
    table.note(`scrapes made: exporter ${made.exporter.requests.toLocaleString('en-US')} (${made.exporter.errors} errors), ` +
      `bare ${made.bare.requests.toLocaleString('en-US')} (${made.bare.errors} errors)`)
  } finally {
    await Promise.all(programs.map(async (p) => await p.stop()))
  }
}

/**
 * Milliseconds from spawning a server on a free port to its first 200 answer (asked every 2 ms); the server
 * is then stopped.
 */
async function timeToFirstAnswer (startServer: (port: number) => Program): Promise<number> {
  const port = await freePort()
  const spawnedAt = performance.now()
  const server = startServer(port)
  const url = `http://127.0.0.1:${port}/metrics`
  await waitFor(async () => await fetch(url).then((r) => r.ok, () => false), 'the first answer', 30_000, { intervalMs: 2 })
  const ms = performance.now() - spawnedAt
  await server.stop()
  return ms
}

async function freePort (): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** A quiet second before reading memory, so no request or collection is half done. */
async function settle (): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 1000))
}
