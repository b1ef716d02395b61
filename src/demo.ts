// `npm run demo`: the simulator and the exporter pointed at it, no credentials needed. Ctrl-C stops both.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { stringify } from 'yaml'
import { DEMO_ACCOUNTS } from './simulator/demo-accounts.js'

const port = process.env.PORT ?? '9866'
const simulatorPort = process.env.SIMULATOR_PORT ?? '9867'
const exporterUrl = `http://localhost:${port}`
const simulatorUrl = `http://127.0.0.1:${simulatorPort}`

// The exporter reads the demo accounts from a file, exactly as it would real ones.
const folder = mkdtempSync(join(tmpdir(), 'laaffic-demo-'))
const accountsFile = join(folder, 'accounts.yml')
writeFileSync(accountsFile, stringify({
  // The currency is the exporter's setting (the API names none), as in compose/demo-accounts.yml.
  accounts: DEMO_ACCOUNTS.map(({ name, apiKey, apiSecret }) => ({ name, apiKey, apiSecret, baseUrl: `${simulatorUrl}/v3`, currency: 'USD' })),
}), { mode: 0o600 })

const children: ChildProcess[] = []
const state = { stopping: false }

function start (label: string, script: string, env: Record<string, string>): ChildProcess {
  // The bundle itself, as `npm start` runs it: its shebang carries the exporter's Node.js flags.
  const child = spawn(fileURLToPath(new URL(script, import.meta.url)), [], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  for (const stream of [child.stdout, child.stderr]) {
    let rest = ''
    stream.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n')
      rest = lines.pop() ?? ''
      for (const line of lines) process.stdout.write(`[${label}] ${line}\n`)
    })
  }
  child.on('exit', (code) => {
    if (!state.stopping) {
      process.stderr.write(`demo: the ${label} exited (code ${code ?? 'none'}); stopping\n`)
      stop(1)
    }
  })
  children.push(child)
  return child
}

function stop (exitCode: number): void {
  state.stopping = true
  const exits = children.filter((c) => c.exitCode === null && c.signalCode === null)
    .map((c) => new Promise((resolve) => { c.once('exit', resolve); c.kill('SIGTERM') }))
  void Promise.all(exits).then(() => {
    rmSync(folder, { recursive: true, force: true })
    process.exit(exitCode)
  })
}

process.once('SIGINT', () => { stop(0) })
process.once('SIGTERM', () => { stop(0) })

start('simulator', './laaffic-simulator.js', { SIMULATOR_PORT: simulatorPort, SIMULATOR_HOST: '127.0.0.1' })
start('exporter', './laaffic-exporter.js', {
  PORT: port,
  HOST: '127.0.0.1',
  LAAFFIC_ACCOUNTS_FILE: accountsFile,
  LAAFFIC_POLL_INTERVAL: '5',
  LAAFFIC_REQUEST_TIMEOUT: '3',
})

// The exporter is ready once both accounts had their first poll (the simulator may not be up yet at its start).
const deadline = Date.now() + 30_000
while (!state.stopping) {
  const ready = await fetch(`${exporterUrl}/readyz`).then((r) => r.ok, () => false)
  if (ready) break
  if (Date.now() > deadline) {
    process.stderr.write('demo: the exporter did not become ready within 30 s\n')
    stop(1)
    break
  }
  await new Promise((resolve) => setTimeout(resolve, 200))
}
if (!state.stopping) {
  process.stdout.write(`
  laaffic-exporter demo is running (balances move every few seconds):
    status page   ${exporterUrl}/
    metrics       ${exporterUrl}/metrics      try: curl -s ${exporterUrl}/metrics | grep ^laaffic_balance
    simulator     ${simulatorUrl}/__sim/accounts   (control API: docs/simulator.md)
  accounts: otp (healthy, draining 120/h), marketing (fails about 30% of polls with -18, tops up every 5 min)
  Ctrl-C stops both.

`)
}
