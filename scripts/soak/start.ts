// The soak's first phase: an accounts file, the built simulator with every account's own figures, and
// the built exporter on the same accounts, ready (every account polled once).
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { send } from '../lib/http.js'
import { SimulatorControl } from '../lib/simulator-control.js'
import { holdsWithin } from '../lib/wait.js'
import { eachLimited } from './each-limited.js'
import type { SoakOptions } from './options.js'
import { Prng } from './prng.js'
import type { CountedProgram, Rig } from './rig.js'
import { randomFigures } from './schedule.js'

/** Control requests in flight at once (initial figures, fault ticks, the final clear). */
export const CONTROL_CONCURRENCY = 8

export interface Started {
  names: string[]
  simulator: CountedProgram
  exporter: CountedProgram
  /** http://127.0.0.1:PORT of the exporter. */
  base: string
  ports: { exporter: number, simulator: number }
  control: SimulatorControl
}

const accountName = (i: number): string => `acct-${String(i + 1).padStart(4, '0')}`

export async function startPrograms (rig: Rig, options: SoakOptions, root: string, prng: Prng, log: (line: string) => void, signal?: AbortSignal): Promise<Started> {
  const serverJs = join(root, 'dist', 'laaffic-exporter.js')
  const simulatorJs = join(root, 'dist', 'laaffic-simulator.js')
  for (const file of [serverJs, simulatorJs]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build first`)
  }
  const names = Array.from({ length: options.accounts }, (_, i) => accountName(i))
  const accountsFile = join(rig.dir, 'accounts.json')
  // Secrets are random (they never leave this machine); keys and names follow the account number.
  await writeFile(accountsFile, JSON.stringify({
    accounts: names.map((name, i) => ({ name, apiKey: `soak-key-${i + 1}`, apiSecret: `soak-secret-${i + 1}-${randomBytes(8).toString('hex')}` })),
  }), { mode: 0o600 })

  // The simulator, with every account's own figures and no spending: a mix-up between accounts would show.
  const simulator = rig.start(simulatorJs, {
    SIMULATOR_HOST: '127.0.0.1', SIMULATOR_PORT: '0', SIMULATOR_ACCOUNTS_FILE: accountsFile, SIMULATOR_SPEND_PER_HOUR: '0', LOG_LEVEL: 'warn',
  })
  const simulatorPort = await simulator.program.port()
  const control = new SimulatorControl(`http://127.0.0.1:${simulatorPort}`, { agent: rig.agent(CONTROL_CONCURRENCY) })
  if (!await holdsWithin(async () => await control.accounts().then(() => true, () => false), 10_000, { intervalMs: 50 })) {
    throw new Error('the simulator does not answer its control API')
  }
  const initialPrng = new Prng(prng.int(0, 2 ** 32 - 1))
  await eachLimited(names, CONTROL_CONCURRENCY, async (name) => {
    await control.patchAccount(name, { ...randomFigures(initialPrng, true), spendPerHour: 0, topUp: null })
  })
  log(`simulator pid ${simulator.program.pid} on 127.0.0.1:${simulatorPort}, ${options.accounts} accounts`)

  const exporter = rig.start(serverJs, {
    HOST: '127.0.0.1',
    PORT: '0',
    LAAFFIC_ACCOUNTS_FILE: accountsFile,
    LAAFFIC_BASE_URL: `http://127.0.0.1:${simulatorPort}/v3`,
    LAAFFIC_POLL_INTERVAL: String(options.intervalSeconds),
    LAAFFIC_REQUEST_TIMEOUT: String(options.timeoutSeconds),
    LOG_LEVEL: 'warn',
  })
  const exporterPort = await exporter.program.port()
  const base = `http://127.0.0.1:${exporterPort}`
  const probeAgent = rig.agent(1)
  const readyWithin = 30_000 + 20 * options.accounts
  const ready = async (): Promise<boolean> => await send(`${base}/readyz`, { agent: probeAgent, timeoutMs: 2000 }).then((a) => a.status === 200, () => false)
  if (!await holdsWithin(ready, readyWithin, { intervalMs: 50, signal })) {
    // holdsWithin gives up early on an abort (Ctrl-C): that is no verdict on the exporter.
    throw new Error(signal?.aborted === true ? 'soak aborted while waiting for the exporter to be ready' : `the exporter was not ready within ${readyWithin} ms`)
  }
  log(`exporter pid ${exporter.program.pid} on ${base}: ready (first poll of every account done)`)
  return { names, simulator, exporter, base, ports: { exporter: exporterPort, simulator: simulatorPort }, control }
}
