// --memory: the exporter's memory when started as a systemd unit, a process manager, the soak and the bench
// start it (`node dist/laaffic-exporter.js`, no shebang), against the same start with the re-execution that
// adds the V8 settings turned off (V8's defaults: the reference). 500 accounts polled every 2 s; idle RSS
// after 20 s of polling alone, then 4 connections scraping /metrics back to back, and the peak RSS the
// kernel saw (VmHWM, which no sampling interval can miss).
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { rssBytes } from '../lib/proc.js'
import { startProgram, type Program } from '../lib/program.js'
import { MB } from '../lib/stats.js'
import { waitFor } from '../lib/wait.js'
import { load } from './load.js'
import type { NodeLine } from './node-lines.js'
import { accountsFile, type ScaleSetup } from './scale.js'
import type { Table } from './table.js'

const ACCOUNTS = 500
const VARIANTS = [
  { label: 'node dist/laaffic-exporter.js (re-executes itself with the V8 settings)', env: {} },
  { label: 'the same with the re-execution off (V8 defaults, reference)', env: { LAAFFIC_EXPORTER_REEXECUTED: '1' } },
] as const

/** The highest RSS the process reached, from the kernel's own high-water mark. */
async function peakRssBytes (pid: number): Promise<number> {
  const kb = /^VmHWM:\s+(\d+) kB$/m.exec(await readFile(`/proc/${pid}/status`, 'utf8'))?.[1]
  if (kb === undefined) throw new Error(`no VmHWM in /proc/${pid}/status`)
  return Number(kb) * 1024
}

export async function measureMemory (line: NodeLine, setup: ScaleSetup, table: Table): Promise<void> {
  const { repo, work, quick, say } = setup
  const runs = quick ? 1 : 3
  const idleSeconds = quick ? 5 : 20
  const loadSeconds = quick ? 10 : 60
  const simulator = await setup.simulator(accountsFile(work, ACCOUNTS))
  try {
    for (const variant of VARIANTS) {
      const idle: number[] = []
      const peak: number[] = []
      let scrapes = 0
      let errors = 0
      for (let run = 1; run <= runs; run++) {
        say(`memory: ${variant.label}, run ${run} of ${runs} (${idleSeconds} s idle, ${loadSeconds} s of scrapes)`)
        let exporter: Program | undefined
        try {
          exporter = startProgram({
            command: line.node,
            args: [join(repo, 'dist', 'laaffic-exporter.js')],
            env: { HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', LAAFFIC_ACCOUNTS_FILE: join(work, `accounts-${ACCOUNTS}.yml`), LAAFFIC_BASE_URL: simulator.baseUrl, LAAFFIC_POLL_INTERVAL: '2', LAAFFIC_MAX_CONCURRENT_POLLS: '64', ...variant.env },
          })
          const url = await exporter.url()
          await waitFor(async () => (await fetch(`${url}/readyz`)).ok, `the first poll of ${ACCOUNTS} accounts`, 60_000)
          await new Promise((resolve) => setTimeout(resolve, idleSeconds * 1000))
          idle.push(await rssBytes(exporter.pid))
          const result = await load(`${url}/metrics`, 4, loadSeconds)
          scrapes += result.requests
          errors += result.errors
          peak.push(await peakRssBytes(exporter.pid))
        } finally {
          await exporter?.stop()
        }
      }
      const mb = (values: number[]): string => values.map((v) => (v / MB).toFixed(0)).join(', ')
      table.row(`${variant.label}: idle RSS`, `${mb(idle)} MB`, '', undefined)
      table.row(`${variant.label}: peak RSS under scrapes`, `${mb(peak)} MB (${scrapes.toLocaleString('en-US')} scrapes, ${errors} errors)`, '', undefined)
    }
  } finally {
    await simulator.stop()
  }
}
