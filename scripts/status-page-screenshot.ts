// docs/status-page.png from a real run: the built simulator and exporter as processes (as `npm run demo`
// starts them), eight accounts brought into every state through the simulator's control API, and headless
// Chromium's picture of the page at a desktop width. Run after `npm run build`:
//   tsc -p tsconfig.scripts.json && node dist-scripts/scripts/status-page-screenshot.js [OUT.png] [WIDTH]
// It takes about a minute: one account has to go stale (LAAFFIC_MAX_STALENESS=30 here).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { stringify } from 'yaml'
import { launchChromium } from './lib/devtools.js'
import { startNodeScript } from './lib/program.js'
import { SimulatorControl, type AccountPatch } from './lib/simulator-control.js'
import { waitFor } from './lib/wait.js'

/** The repository: the first folder above this script with package.json and src/ (it runs from dist-scripts/ or scripts/). */
let root = dirname(fileURLToPath(import.meta.url))
while (!(existsSync(join(root, 'package.json')) && existsSync(join(root, 'src')))) {
  if (dirname(root) === root) throw new Error('cannot find the repository root')
  root = dirname(root)
}
const out = process.argv[2] ?? join(root, 'docs', 'status-page.png')
const width = Number(process.argv[3] ?? 1280)

/** Name, the simulator's figures, the exporter's settings for it. Keys are made up: the simulator's own. */
const ACCOUNTS: Array<[string, AccountPatch, Record<string, unknown>]> = [
  ['otp', { balance: 12480.35, gift: 50, spendPerHour: 1800, topUp: { everySeconds: 25, amount: 500 } }, { currency: 'USD', balanceWarning: 2000, balanceCritical: 500 }],
  ['marketing', { balance: 1240.5, gift: 20, credit: 50, spendPerHour: 720 }, { currency: 'EUR', balanceWarning: 2000, balanceCritical: 500 }],
  ['alerts-eu', { balance: 8.75, gift: 0 }, { currency: 'EUR' }],
  ['newsletter', { balance: 310.2, gift: 0, spendPerHour: 360 }, { currency: 'USD', provider: 'onbuka' }],
  ['campaigns', { balance: 985, gift: 0, spendPerHour: 900 }, { currency: 'GBP', balanceWarning: 1000, balanceCritical: 100 }],
  ['legacy', { balance: 55, gift: 0 }, { currency: 'USD', apiSecret: 'a-wrong-secret' }],
  ['archive', { balance: 700, gift: 5 }, { currency: 'USD' }],
  ['support', { balance: 4200, gift: 0 }, { currency: 'USD', provider: 'itniotech' }],
]

const folder = mkdtempSync(join(tmpdir(), 'laaffic-screenshot-'))
const file = (name: string, accounts: unknown[]): string => {
  const path = join(folder, name)
  writeFileSync(path, stringify({ accounts }), { mode: 0o600 })
  return path
}
const secret = (name: string): string => `demo-${name}-secret`
const simulator = startNodeScript(join(root, 'dist', 'laaffic-simulator.js'), {
  env: { SIMULATOR_PORT: '0', LOG_LEVEL: 'warn', SIMULATOR_ACCOUNTS_FILE: file('simulator.yml', ACCOUNTS.map(([name]) => ({ name, apiKey: `demo-${name}-key`, apiSecret: secret(name) }))) },
})
try {
  const simulatorUrl = await simulator.url()
  const control = new SimulatorControl(simulatorUrl)
  for (const [name, patch] of ACCOUNTS) await control.patchAccount(name, { credit: 0, spendPerHour: 0, ...patch })
  await control.setFault('support', { type: 'hang' })
  const accounts = ACCOUNTS.map(([name, , settings]) => ({
    name, apiKey: `demo-${name}-key`, apiSecret: secret(name), baseUrl: `${simulatorUrl}${settings.provider === 'itniotech' ? '/sms' : '/v3'}`, ...settings,
  }))
  const exporter = startNodeScript(join(root, 'dist', 'laaffic-exporter.js'), {
    env: {
      PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', LAAFFIC_ACCOUNTS_FILE: file('exporter.yml', accounts),
      // A long timeout keeps `support` pending; a short staleness lets `archive` go stale within a minute.
      LAAFFIC_POLL_INTERVAL: '5', LAAFFIC_REQUEST_TIMEOUT: '120', LAAFFIC_MAX_STALENESS: '30',
    },
  })
  try {
    const pageUrl = `${await exporter.url()}/`
    const states = async (): Promise<Record<string, string>> => {
      const json = await (await fetch(`${pageUrl}api/v1/accounts`)).json() as { accounts: Array<{ name: string, conditions: string[] }> }
      return Object.fromEntries(json.accounts.map((a) => [a.name, a.conditions.join(' ')]))
    }
    await waitFor(async () => (await states()).archive === 'ok', 'the first polls', 30_000, { intervalMs: 200 })
    await control.setFault('archive', { type: 'http', httpStatus: 503 })
    await waitFor(async () => (await states()).archive === 'stale failing', 'archive to go stale', 60_000, { intervalMs: 500 })
    for (const name of ['newsletter', 'campaigns']) await control.setFault(name, { type: 'status', status: '-18', reason: 'interface exception' })
    await waitFor(async () => (await states()).campaigns === 'failing low', 'campaigns to fail', 30_000, { intervalMs: 500 })

    const browser = await launchChromium('chromium', join(folder, 'profile'), folder)
    try {
      await browser.resize(width, 640)
      await browser.open(pageUrl)
      writeFileSync(out, await browser.screenshot(true))
      process.stdout.write(`${out}: the page at ${width} px, states ${JSON.stringify(await states())}\n`)
    } finally {
      await browser.close()
    }
  } finally {
    await exporter.stop()
  }
} finally {
  await simulator.stop()
  rmSync(folder, { recursive: true, force: true })
}
