// What gzip saves and costs: /metrics bytes on the wire and the exporter's CPU per scrape, plain and gzip,
// at 1 and 1,000 accounts (the compressed body is made once per change, so a scrape only sends it).
import { request } from 'node:http'
import { cpuSeconds } from '../lib/proc.js'
import type { Program } from '../lib/program.js'
import { waitFor } from '../lib/wait.js'
import { load } from './load.js'
import { startExporterOn, type NodeLine } from './node-lines.js'
import { accountsFile, type ScaleSetup } from './scale.js'
import type { Table } from './table.js'

const fmt = (n: number, digits = 1): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })

/** Bytes of the /metrics body as sent, with or without Accept-Encoding: gzip. */
async function wireBytes (url: string, gzip: boolean): Promise<number> {
  return await new Promise((resolve, reject) => {
    const req = request(url, { headers: gzip ? { 'accept-encoding': 'gzip' } : {} }, (res) => {
      let bytes = 0
      res.on('data', (chunk: Buffer) => { bytes += chunk.length })
      res.on('end', () => { resolve(bytes) })
    })
    req.on('error', reject)
    req.end()
  })
}

export async function measureGzip (line: NodeLine, counts: readonly number[], setup: ScaleSetup, table: Table): Promise<void> {
  const seconds = setup.quick ? 2 : 5
  for (const count of counts) {
    setup.say(`gzip at ${count} account(s): ${seconds} s of scrapes each way`)
    const file = accountsFile(setup.work, count)
    const simulator = await setup.simulator(file)
    let exporter: Program | undefined
    try {
      // Polled once at start (a long interval): every scrape then answers the same body.
      exporter = startExporterOn(line, setup.repo, { LAAFFIC_ACCOUNTS_FILE: file, LAAFFIC_BASE_URL: simulator.baseUrl, LAAFFIC_POLL_INTERVAL: '86400' })
      const url = `${await exporter.url()}/metrics`
      await waitFor(async () => (await fetch(url.replace('/metrics', '/readyz'))).ok, `the first poll of ${count} accounts`, 120_000)
      const cpuPerScrape = async (headers: Record<string, string>): Promise<number> => {
        const pid = (exporter as Program).pid
        const before = await cpuSeconds(pid)
        const result = await load(url, 10, seconds, headers)
        return ((await cpuSeconds(pid)) - before) / result.requests
      }
      const plain = { bytes: await wireBytes(url, false), cpu: await cpuPerScrape({}) }
      const gzip = { bytes: await wireBytes(url, true), cpu: await cpuPerScrape({ 'accept-encoding': 'gzip' }) }
      const label = `${count.toLocaleString('en-US')} account(s)`
      table.row(`${label}: /metrics on the wire, plain / gzip`, `${fmt(plain.bytes / 1024)} / ${fmt(gzip.bytes / 1024)} KiB (${fmt(plain.bytes / gzip.bytes)} ×)`, '', undefined)
      table.row(`${label}: exporter CPU per scrape, plain / gzip`, `${fmt(plain.cpu * 1e6, 0)} / ${fmt(gzip.cpu * 1e6, 0)} µs`, '', undefined)
    } finally {
      await exporter?.stop()
      await simulator.stop()
    }
  }
}
