// Many accounts: the time to render /metrics after one poll (in this process), and a real exporter polling
// that many simulated accounts: its /metrics size, memory and the CPU polling costs it; and what the status
// page costs to render, in process and over HTTP.
import { writeFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { cpuSeconds, rssBytes } from '../lib/proc.js'
import type { Program } from '../lib/program.js'
import { MB, quantile } from '../lib/stats.js'
import { waitFor } from '../lib/wait.js'
import { startExporterOn, type NodeLine } from './node-lines.js'
import { renderTime } from './render.js'
import { statusPageRenderTime } from './status-page.js'
import type { Table } from './table.js'

export interface ScaleSetup {
  repo: string
  work: string
  quick: boolean
  say: (line: string) => void
  /** Starts the simulator with these accounts and returns its base URL (…/v3). */
  simulator: (accountsFile: string) => Promise<{ baseUrl: string, stop: () => Promise<unknown> }>
}

const fmt = (n: number, digits = 1): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })

export function accountsFile (work: string, count: number): string {
  const path = join(work, `accounts-${count}.yml`)
  const accounts = Array.from({ length: count }, (_, i) => ({ name: `acct-${String(i).padStart(4, '0')}`, apiKey: `key-${i}`, apiSecret: `secret-${i}` }))
  writeFileSync(path, stringify({ accounts }))
  return path
}

export async function measureScale (line: NodeLine, counts: readonly number[], setup: ScaleSetup, table: Table): Promise<void> {
  const { repo, work, quick, say } = setup
  const cpuWindowSeconds = quick ? 10 : 60
  for (const count of counts) {
    const render = await renderTime(count)
    table.row(`${count.toLocaleString('en-US')} account(s): render after one poll (in process, p50)`, `${fmt(render.p50Ms, 2)} ms`,
      count === 1000 ? '< 20 ms' : '', count === 1000 ? render.p50Ms < 20 : undefined)
    const page = statusPageRenderTime(count)
    table.row(`${count.toLocaleString('en-US')} account(s): status page and /api/v1/accounts render (in process, p50)`,
      `${fmt(page.pageP50Ms, 2)} ms (${fmt(page.pageBytes / 1024)} KiB), ${fmt(page.jsonP50Ms, 2)} ms (${fmt(page.jsonBytes / 1024)} KiB)`, '', undefined)
    say(`${count} account(s): an exporter polling them every 60 s, CPU over ${cpuWindowSeconds} s`)
    const file = accountsFile(work, count)
    const simulator = await setup.simulator(file)
    let exporter: Program | undefined
    try {
      exporter = startExporterOn(line, repo, { LAAFFIC_ACCOUNTS_FILE: file, LAAFFIC_BASE_URL: simulator.baseUrl, LAAFFIC_POLL_INTERVAL: '60' })
      const url = await exporter.url()
      await waitFor(async () => (await fetch(`${url}/readyz`)).ok, `the first poll of ${count} accounts`, 120_000)
      const size = (await (await fetch(`${url}/metrics`)).arrayBuffer()).byteLength
      const cpuBefore = await cpuSeconds(exporter.pid)
      await new Promise((resolve) => setTimeout(resolve, cpuWindowSeconds * 1000))
      const cpuPerMinute = ((await cpuSeconds(exporter.pid)) - cpuBefore) * 60 / cpuWindowSeconds
      const rss = await rssBytes(exporter.pid)
      table.row(`${count.toLocaleString('en-US')} account(s): /metrics size, RSS`, `${fmt(size / 1024)} KiB, ${fmt(rss / MB)} MB`,
        count === 1000 ? '< 150 MB' : '', count === 1000 ? rss < 150 * MB : undefined)
      table.row(`${count.toLocaleString('en-US')} account(s): CPU per minute of polling (no scrapes)`, `${fmt(cpuPerMinute, 2)} s`, '', undefined)
      // After the memory is read: these pages' garbage is not the polling's.
      const pageMs: number[] = []
      let pageBytes = 0
      for (let i = 0; i < 11; i++) {
        const started = performance.now()
        pageBytes = (await (await fetch(`${url}/`)).arrayBuffer()).byteLength
        pageMs.push(performance.now() - started)
      }
      table.row(`${count.toLocaleString('en-US')} account(s): GET / over HTTP (p50 of 11)`, `${fmt(quantile(pageMs, 0.5))} ms, ${fmt(pageBytes / 1024)} KiB`, '', undefined)
    } finally {
      await exporter?.stop()
      await simulator.stop()
    }
  }
}
