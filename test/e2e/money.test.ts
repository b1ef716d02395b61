// End to end, the money counters: the built exporter polls the built simulator over loopback HTTP; the test
// moves the account's money through the simulator's control API and reads /metrics as Prometheus would.
import t from 'tap'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { SimulatorControl, type AccountPatch } from '../../scripts/lib/simulator-control.js'
import type { Program } from '../../scripts/lib/program.js'
import { startExporter, startSimulator } from '../helpers/exporter-process.js'
import { waitFor } from '../helpers/wait.js'

const ACCOUNT = { name: 'money', apiKey: 'key-money', apiSecret: 'secret-money' }
const dir = t.testdir({})
const accountsFile = join(dir, 'accounts.yml')
writeFileSync(accountsFile, stringify({ accounts: [ACCOUNT] }))

const simulator = startSimulator({ SIMULATOR_ACCOUNTS_FILE: accountsFile })
t.teardown(() => { simulator.child.kill('SIGKILL') })
const sim = await simulator.url()
const control = new SimulatorControl(sim)
t.teardown(() => { control.close() })
// No spending of its own: the money moves only when the test moves it, so every poll between two moves
// sees the same figures and the counters must come out exact whatever the number of polls.
await control.patchAccount(ACCOUNT.name, { balance: 100.1, gift: 0.3, credit: 0, spendPerHour: 0 })

function startMoneyExporter (): Program {
  const exporter = startExporter({ LAAFFIC_BASE_URL: `${sim}/v3`, LAAFFIC_ACCOUNTS_FILE: accountsFile, LAAFFIC_POLL_INTERVAL: '1' })
  t.teardown(() => { exporter.child.kill('SIGKILL') })
  return exporter
}

/** The value of a series exactly as /metrics writes it, or undefined when absent. */
function written (text: string, name: string): string | undefined {
  const prefix = `${name}{account="${ACCOUNT.name}"`
  const line = text.split('\n').find((l) => l.startsWith(prefix))
  return line?.slice(line.lastIndexOf(' ') + 1)
}

const COUNTERS = ['laaffic_spent_total', 'laaffic_topped_up_total', 'laaffic_topups_total'] as const

let url = ''
const scrape = async (): Promise<string> => await (await fetch(`${url}/metrics`)).text()
/** The three counters and the last top-up's time as written, e.g. { spent: '0.3', ... }. */
async function counters (): Promise<Record<string, string | undefined>> {
  const text = await scrape()
  return Object.fromEntries([...COUNTERS, 'laaffic_last_topup_timestamp_seconds'].map((name) => [name, written(text, name)]))
}

/** Moves the money, then waits until the exporter has polled the new figures (balance and gift as sent). */
async function move (patch: AccountPatch & { balance: number, gift: number }): Promise<void> {
  await control.patchAccount(ACCOUNT.name, patch)
  await waitFor(async () => {
    const text = await scrape()
    return written(text, 'laaffic_balance') === String(patch.balance) && written(text, 'laaffic_gift_balance') === String(patch.gift) &&
      written(text, 'laaffic_up') === '1'
  }, `the exporter to see balance ${patch.balance}, gift ${patch.gift}`, 10_000)
}

t.test('spend, an outage and a top-up, counted exactly from consecutive good polls', async (t) => {
  const exporter = startMoneyExporter()
  url = await exporter.url()
  await waitFor(async () => (await fetch(`${url}/readyz`)).status === 200, 'the first poll')
  t.same(await counters(), { laaffic_spent_total: '0', laaffic_topped_up_total: '0', laaffic_topups_total: '0', laaffic_last_topup_timestamp_seconds: undefined },
    'at 0 from the first good poll; no top-up seen yet')

  // 0.3 - 0.2 is 0.09999999999999998 in floating point, and 0.1 + 0.2 is 0.30000000000000004.
  await move({ balance: 100.1, gift: 0.2 })
  t.equal((await counters()).laaffic_spent_total, '0.1', 'gift spent: 0.1')
  await move({ balance: 99.9, gift: 0.2 })
  t.equal((await counters()).laaffic_spent_total, '0.3', 'balance spent: 0.2 more, written as 0.3')

  // Polls fail (-18, not backed off) and 0.5 is spent behind them: nothing counted until a good poll.
  await control.setFault(ACCOUNT.name, { type: 'status', status: '-18' })
  await waitFor(async () => written(await scrape(), 'laaffic_up') === '0', 'a failed poll')
  await control.patchAccount(ACCOUNT.name, { balance: 99.4 })
  const failedBefore = Number(written(await scrape(), 'laaffic_polls_total'))
  await waitFor(async () => Number(written(await scrape(), 'laaffic_polls_total')) >= failedBefore + 2, 'a failed poll after the spend', 10_000)
  t.match(await counters(), { laaffic_spent_total: '0.3', laaffic_topups_total: '0' }, 'a failed poll counts nothing')
  await control.clearFault(ACCOUNT.name)
  await move({ balance: 99.4, gift: 0.2 })
  t.equal((await counters()).laaffic_spent_total, '0.8', 'the spend behind the failed polls, counted by the next good one')

  const beforeTopUp = Date.now() / 1000
  await move({ balance: 149.4, gift: 0.2 })
  const afterTopUp = Date.now() / 1000
  const topped = await counters()
  t.match(topped, { laaffic_spent_total: '0.8', laaffic_topped_up_total: '50', laaffic_topups_total: '1' }, 'a top-up of 50')
  const at = Number(topped.laaffic_last_topup_timestamp_seconds)
  t.ok(at >= beforeTopUp - 1 && at <= afterTopUp, `the last top-up's time (${at}) is when it was polled`)

  // More spend from both, while the credit limit moves (not money).
  await move({ balance: 149.3, gift: 0, credit: 1000 })
  t.same(await counters(), {
    laaffic_spent_total: '1.1',
    laaffic_topped_up_total: '50',
    laaffic_topups_total: '1',
    laaffic_last_topup_timestamp_seconds: topped.laaffic_last_topup_timestamp_seconds,
  }, '0.3 more spent, the credit change not counted, the top-up kept')
  const stopped = await exporter.stop()
  t.equal(stopped.code, 0, 'the exporter stops cleanly')
})

t.test('a restarted exporter counts nothing for its first poll, then counts again', async (t) => {
  // Spent while no exporter runs: the new process has no good poll to compare its first one with.
  await control.patchAccount(ACCOUNT.name, { balance: 140 })
  url = await startMoneyExporter().url()
  await waitFor(async () => (await fetch(`${url}/readyz`)).status === 200, 'the first poll after the restart')
  t.equal(written(await scrape(), 'laaffic_balance'), '140', 'the first poll saw the spend')
  t.same(await counters(), { laaffic_spent_total: '0', laaffic_topped_up_total: '0', laaffic_topups_total: '0', laaffic_last_topup_timestamp_seconds: undefined },
    'and counted none of it')
  await move({ balance: 139.75, gift: 0 })
  t.equal((await counters()).laaffic_spent_total, '0.25', 'the next good poll counts again')
})
