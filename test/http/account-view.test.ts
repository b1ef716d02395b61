import t from 'tap'
import { DEFAULT_SETTINGS } from '../../src/config/account-settings.js'
import { accountView, CONDITION_ORDER, statusReport, type Condition } from '../../src/http/account-view.js'
import { AccountFamilies } from '../../src/metrics/account-metrics.js'
import { escapeLabelValue } from '../../src/metrics/exposition.js'
import { AccountStates } from '../../src/state/account-states.js'
import { accountsInEveryState, MAX_STALENESS_MS, NOW } from '../helpers/status-accounts.js'

const T0 = 1_700_000_000_000

/** One account (warning 100, critical 20) after `polls`, read at `nowMs`. */
function conditionAfter (polls: Array<number | 'fail'>, nowMs: number, maxStalenessMs = 900_000): Condition {
  const states = new AccountStates([{ ...DEFAULT_SETTINGS, name: 'a', balanceWarning: 100, balanceCritical: 20, spendSpikeFloor: 10 }])
  for (const poll of polls) {
    if (poll === 'fail') states.recordFailure('a', { status: '-18', reason: '', atMs: T0 }, 0.1)
    else states.recordSuccess('a', { balance: poll }, T0, 0.1)
  }
  return accountView(states.get('a'), nowMs, maxStalenessMs).condition
}

t.test('each account is in the first condition that applies, most urgent first', async (t) => {
  t.same(CONDITION_ORDER, ['critical', 'stale', 'failing', 'low', 'pending', 'ok'])
  const cases: Array<[string, Array<number | 'fail'>, number, Condition]> = [
    ['no poll finished', [], T0, 'pending'],
    ['above the warning', [100], T0, 'ok'],
    ['under the warning', [99.99], T0, 'low'],
    ['at the critical threshold: low, as the alerts compare (<)', [20], T0, 'low'],
    ['under the critical threshold', [19.99], T0, 'critical'],
    ['negative (credit used)', [-5], T0, 'critical'],
    ['never answered', ['fail'], T0, 'failing'],
    ['failing with a fresh low balance: the failure comes first', [50, 'fail'], T0, 'failing'],
    ['failing with a fresh critical balance: the money comes first', [5, 'fail'], T0, 'critical'],
    ['failing, last success exactly LAAFFIC_MAX_STALENESS ago: still fresh', [500, 'fail'], T0 + 900_000, 'failing'],
    ['failing, last success a millisecond more: stale', [500, 'fail'], T0 + 900_001, 'stale'],
    ['a critical balance gone stale is stale (no longer on /metrics)', [5, 'fail'], T0 + 900_001, 'stale'],
    ['up, but its last success too old (a long Retry-After)', [500], T0 + 900_001, 'stale'],
  ]
  for (const [what, polls, nowMs, condition] of cases) t.equal(conditionAfter(polls, nowMs), condition, what)
  t.equal(conditionAfter([5, 'fail'], T0 + 10 * 365 * 86_400_000, 0), 'critical', 'LAAFFIC_MAX_STALENESS=0: never stale')
})

t.test('stale on the page exactly when /metrics has dropped the values', async (t) => {
  const states = accountsInEveryState()
  const metrics = new AccountFamilies(states, () => NOW, MAX_STALENESS_MS).render()
  for (const view of statusReport(states.all(), NOW, MAX_STALENESS_MS).accounts) {
    const exported = metrics.split('\n').some((line) => line.startsWith('laaffic_balance{') && line.includes(`account="${escapeLabelValue(view.name)}"`))
    t.equal(exported, view.values !== undefined && view.condition !== 'stale', `${view.name}: balance on /metrics ⇔ shown as current`)
  }
})

t.test('the report counts every condition, zeros included, and sorts by condition then name', async (t) => {
  const report = statusReport(accountsInEveryState().all(), NOW, MAX_STALENESS_MS)
  t.same(report.counts, { critical: 2, stale: 1, failing: 3, low: 1, pending: 1, ok: 2 })
  const ranks = report.accounts.map((a) => CONDITION_ORDER.indexOf(a.condition))
  t.same(ranks, [...ranks].sort((a, b) => a - b))
  t.same(report.accounts.filter((a) => a.condition === 'ok').map((a) => a.name), ['ok', 'recovered'])
  t.equal(report.accounts.find((a) => a.name === 'failing_backoff')?.lastError?.hint,
    'authentication failed: check the API key and secret', 'the hint comes from the status table')
})
