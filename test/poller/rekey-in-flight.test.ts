// A reload that gives an account another key while a poll with the old key is in flight: that poll's answer
// is the old account's, so it must neither be shown nor spend the new money baseline the reload started
// (the next poll, with the new key, would then be compared with another account's balance).
import t from 'tap'
import type { BalanceClient, FetchResult } from '../../src/client/balance-client.js'
import { createPoller } from '../../src/poller/poller.js'
import { AccountStates } from '../../src/state/account-states.js'
import { account } from '../helpers/api.js'
import { captureLogs } from '../helpers/logs.js'
import { ManualScheduler } from '../helpers/manual-scheduler.js'
import { waitFor } from '../helpers/wait.js'

const ok = (balance: number): FetchResult => ({ ok: true, values: { balance } })

t.test('a poll with the replaced key, answered after the reload, counts no money and is not recorded', async (t) => {
  const old = account('a')
  const rekeyed = account('a', { apiKey: 'key-of-another-account' })
  // The old key's account has 100, then 90 (its second answer is held until the test releases it); the new key's has 500.
  let release: (result: FetchResult) => void = () => {}
  const answers: Array<() => Promise<FetchResult>> = [
    async () => ok(100),
    async () => await new Promise<FetchResult>((resolve) => { release = resolve }),
    async () => ok(500),
  ]
  const keys: string[] = []
  const client: BalanceClient = {
    fetchBalance: async (acc) => {
      keys.push(acc.apiKey)
      return await (answers.shift() ?? (async () => ok(500)))()
    },
  }
  const scheduler = new ManualScheduler()
  const states = new AccountStates([old])
  const poller = createPoller({ accounts: [old], client, states, logger: captureLogs('info').logger, now: () => Date.now(), intervalMs: 60_000, scheduler: scheduler.schedule })
  t.teardown(async () => { await poller.stop() })
  poller.start()
  await waitFor(() => states.get('a').spentTotal === 0, 'the first good poll (the baseline)')
  scheduler.runAll()
  await waitFor(() => keys.length === 2, 'the second poll in flight')

  // The reload, as app.ts applies it: states, the money baseline of the re-keyed account, the poller.
  states.setAccounts([rekeyed])
  states.newMoneyBaseline(['a'])
  poller.setAccounts([rekeyed])
  release(ok(90))
  await waitFor(() => keys.length === 3 && states.get('a').values?.balance === 500, 'the poll with the new key')

  t.same(keys, [old.apiKey, old.apiKey, rekeyed.apiKey])
  const { spentTotal, toppedUpTotal, topupsTotal } = states.get('a')
  t.same({ spentTotal, toppedUpTotal, topupsTotal }, { spentTotal: 0, toppedUpTotal: 0, topupsTotal: 0 },
    'neither the old account\'s 10 nor the step from its balance to the new one\'s counted')
})
