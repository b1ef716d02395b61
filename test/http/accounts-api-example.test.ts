// The JSON example in docs/status-page.md is what the exporter answers for the account it shows.
import t from 'tap'
import { readFileSync } from 'node:fs'
import type { BalanceValues } from '../../src/api/answer.js'
import { DEFAULT_SETTINGS } from '../../src/config/account-settings.js'
import { statusReport } from '../../src/http/account-view.js'
import { accountsJson, type AccountJson, type AccountsJson } from '../../src/http/accounts-json.js'
import { AccountStates } from '../../src/state/account-states.js'
import { MAX_STALENESS_MS } from '../helpers/status-accounts.js'

t.test('the example in docs/status-page.md is what the exporter answers for that account', async (t) => {
  const doc = readFileSync(new URL('../../docs/status-page.md', import.meta.url), 'utf8')
  const section = doc.slice(doc.indexOf('## JSON'))
  const example = JSON.parse(/```json\n([\s\S]*?)```/.exec(section)?.[1] ?? 'null') as AccountsJson
  t.equal(example.accounts.length, 1)
  const [shown] = example.accounts as [AccountJson]
  // The account the example describes, written through the mutators the poller uses: the balance it
  // shows minus its one top-up plus its spend, spent, then topped up (the poll that saw it is its last success).
  const { name, balanceWarning, balanceCritical, currency, provider } = shown
  const states = new AccountStates([{ ...DEFAULT_SETTINGS, name, balanceWarning, balanceCritical, spendSpikeFloor: 10, currency, provider }])
  const at = (time: string | null): number => Date.parse(time ?? '')
  const values = (balance: number): BalanceValues => ({ balance, gift: shown.gift ?? NaN, credit: shown.credit ?? NaN })
  const [balance, topup] = [shown.balance ?? NaN, shown.lastTopup?.amount ?? NaN]
  t.equal(shown.topupsSinceStart, 1, 'one top-up')
  t.equal(shown.lastTopup?.time, shown.lastSuccess, 'seen by the last good poll')
  states.recordSuccess(name, values(balance - topup + (shown.spentSinceStart ?? NaN)), at(shown.lastSuccess) - 120_000, 0.1)
  states.recordSuccess(name, values(balance - topup), at(shown.lastSuccess) - 60_000, 0.1)
  states.recordSuccess(name, values(balance), at(shown.lastSuccess), 0.1)
  states.recordFailure(shown.name, { status: shown.lastError?.status ?? '-1', reason: shown.lastError?.reason ?? '', atMs: at(shown.lastError?.time ?? null) }, 0.1)
  states.recordNextPoll(shown.name, { atMs: at(shown.nextPoll), backoff: shown.backoff })
  const refusal = example.reload.refused ? { atMs: at(example.reload.time), problems: example.reload.problems } : undefined
  t.same(accountsJson(statusReport(states.all(), at(example.time), MAX_STALENESS_MS), example.version, refusal), example)
})

t.test('the field tables in docs/status-page.md name every field the example has, and no other', async (t) => {
  const section = readFileSync(new URL('../../docs/status-page.md', import.meta.url), 'utf8').split('## JSON')[1] ?? ''
  const example = JSON.parse(/```json\n([\s\S]*?)```/.exec(section)?.[1] ?? 'null') as AccountsJson
  // The first table is the answer's, the one after the example an account's; a row names its fields in backticks.
  const tables = section.split('\n\n').filter((block) => block.startsWith('| field |')).map((table) => table.split('\n').slice(2)
    .flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/`(\w+)`/g)].map((m) => m[1] ?? '')))
  t.same(tables.map((fields) => [...fields].sort()), [Object.keys(example).sort(), Object.keys(example.accounts[0] ?? {}).sort()])
})
