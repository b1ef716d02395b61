import t from 'tap'
import { DEFAULT_SETTINGS } from '../../src/config/account-settings.js'
import { accountView, CONDITION_ORDER, statusReport } from '../../src/http/account-view.js'
import { AccountFamilies } from '../../src/metrics/account-metrics.js'
import { escapeLabelValue } from '../../src/metrics/exposition.js'
import { AccountStates } from '../../src/state/account-states.js'
import { accountsInEveryState, MAX_STALENESS_MS, NOW } from '../helpers/status-accounts.js'

const T0 = 1_700_000_000_000

/** One account (warning 100, critical 20) after `polls`, read at `nowMs`: its state, then any other condition it is in. */
function conditionAfter (polls: Array<number | 'fail'>, nowMs: number, maxStalenessMs = 900_000): string {
  const states = new AccountStates([{ ...DEFAULT_SETTINGS, name: 'a', balanceWarning: 100, balanceCritical: 20, spendSpikeFloor: 10 }])
  for (const poll of polls) {
    if (poll === 'fail') states.recordFailure('a', { status: '-18', reason: '', atMs: T0 }, 0.1)
    else states.recordSuccess('a', { balance: poll }, T0, 0.1)
  }
  const view = accountView(states.get('a'), nowMs, maxStalenessMs)
  t.equal(view.condition, view.conditions[0], 'the state is the most urgent condition')
  return view.conditions.join(' ')
}

t.test('each account is in every condition that applies, the most urgent first', async (t) => {
  t.same(CONDITION_ORDER, ['critical', 'stale', 'failing', 'low', 'pending', 'ok'])
  const cases: Array<[string, Array<number | 'fail'>, number, string]> = [
    ['no poll finished', [], T0, 'pending'],
    ['above the warning', [100], T0, 'ok'],
    ['under the warning', [99.99], T0, 'low'],
    ['at the critical threshold: low, as the alerts compare (<)', [20], T0, 'low'],
    ['under the critical threshold', [19.99], T0, 'critical'],
    ['negative (credit used)', [-5], T0, 'critical'],
    ['never answered', ['fail'], T0, 'failing'],
    ['failing with a fresh low balance: the failure comes first, low beside it', [50, 'fail'], T0, 'failing low'],
    ['failing with a fresh critical balance: the money comes first, failing beside it', [5, 'fail'], T0, 'critical failing'],
    ['failing, last success exactly LAAFFIC_MAX_STALENESS ago: still fresh', [500, 'fail'], T0 + 900_000, 'failing'],
    ['failing, last success a millisecond more: stale (and failing)', [500, 'fail'], T0 + 900_001, 'stale failing'],
    ['a critical balance gone stale is stale (no longer on /metrics)', [5, 'fail'], T0 + 900_001, 'stale failing'],
    ['a low balance gone stale: no longer low (the alert no longer sees it)', [50, 'fail'], T0 + 900_001, 'stale failing'],
    ['up, but its last success too old (a long Retry-After)', [500], T0 + 900_001, 'stale'],
  ]
  for (const [what, polls, nowMs, condition] of cases) t.equal(conditionAfter(polls, nowMs), condition, what)
  t.equal(conditionAfter([5, 'fail'], T0 + 10 * 365 * 86_400_000, 0), 'critical failing', 'LAAFFIC_MAX_STALENESS=0: never stale')
})

t.test('stale on the page exactly when /metrics has dropped the values', async (t) => {
  const states = accountsInEveryState()
  const metrics = Buffer.concat(new AccountFamilies(states, () => NOW, MAX_STALENESS_MS).render()).toString('utf8')
  for (const view of statusReport(states.all(), NOW, MAX_STALENESS_MS).accounts) {
    const exported = metrics.split('\n').some((line) => line.startsWith('laaffic_balance{') && line.includes(`account="${escapeLabelValue(view.name)}"`))
    t.equal(exported, view.values !== undefined && view.condition !== 'stale', `${view.name}: balance on /metrics ⇔ shown as current`)
  }
})

t.test('the report counts every condition each account is in, zeros included, and sorts by state then name', async (t) => {
  const report = statusReport(accountsInEveryState().all(), NOW, MAX_STALENESS_MS)
  t.same(report.counts, { critical: 2, stale: 1, failing: 6, low: 2, pending: 1, ok: 2 })
  t.same(report.accounts.filter((a) => a.conditions.length > 1).map((a) => `${a.name}: ${a.conditions.join(' ')}`),
    ['critical_failing: critical failing', 'stale: stale failing', 'low_failing: failing low'], 'those in two conditions count in both')
  const ranks = report.accounts.map((a) => CONDITION_ORDER.indexOf(a.condition))
  t.same(ranks, [...ranks].sort((a, b) => a - b))
  t.same(report.accounts.filter((a) => a.condition === 'ok').map((a) => a.name), ['ok', 'recovered'])
  t.equal(report.accounts.find((a) => a.name === 'failing_backoff')?.lastError?.hint,
    'authentication failed: check the API key and secret', 'the hint comes from the status table')
})

t.test('the view carries the account\'s currency, provider and money moved since the start', async (t) => {
  const states = new AccountStates([
    { name: 'eu', balanceWarning: 100, balanceCritical: 20, spendSpikeFloor: 10, currency: 'EUR', provider: 'onbuka' },
  ])
  const view = (): ReturnType<typeof accountView> => accountView(states.get('eu'), T0, 900_000)
  t.match(view(), { currency: 'EUR', provider: 'onbuka', spentTotal: undefined, topupsTotal: undefined, lastTopup: undefined }, 'no money counted before the first good poll')
  states.recordSuccess('eu', { balance: 500, gift: 10 }, T0 - 3000, 0.1)
  states.recordSuccess('eu', { balance: 480, gift: 5 }, T0 - 2000, 0.1)
  states.recordSuccess('eu', { balance: 530, gift: 5 }, T0 - 1000, 0.1)
  t.match(view(), { spentTotal: 25, toppedUpTotal: 50, topupsTotal: 1, lastTopup: { atMs: T0 - 1000, amount: 50 } })
})
