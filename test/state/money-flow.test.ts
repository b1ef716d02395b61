import t from 'tap'
import { DEFAULT_SETTINGS } from '../../src/config/account-settings.js'
import { AccountStates } from '../../src/state/account-states.js'
import type { BalanceValues } from '../../src/api/answer.js'

const settings = { ...DEFAULT_SETTINGS, name: 'a', balanceWarning: 100, balanceCritical: 20, spendSpikeFloor: 10 }

/** The account's counters after good polls answering `answers`, one second apart. */
function countersAfter (answers: readonly BalanceValues[], states = new AccountStates([settings])) {
  answers.forEach((values, i) => { states.recordSuccess('a', values, (i + 1) * 1000, 0.1) })
  const { spentTotal, toppedUpTotal, topupsTotal, lastTopup } = states.get('a')
  return { spentTotal, toppedUpTotal, topupsTotal, lastTopup }
}

t.test('undefined before the first good poll; 0 from it, whatever it says', async (t) => {
  const states = new AccountStates([settings])
  states.recordFailure('a', { status: '-1', reason: 'x', atMs: 1000 }, 0.1)
  t.match(states.get('a'), { spentTotal: undefined, toppedUpTotal: undefined, topupsTotal: undefined, lastTopup: undefined })
  t.same(countersAfter([{ balance: 500, gift: 20 }], states), { spentTotal: 0, toppedUpTotal: 0, topupsTotal: 0, lastTopup: undefined })
})

t.test('what balance + gift lose is spent, what they gain is a top-up', async (t) => {
  const cases: Array<[string, BalanceValues[], object]> = [
    ['gift spent', [{ balance: 100, gift: 10 }, { balance: 100, gift: 4 }], { spentTotal: 6, toppedUpTotal: 0, topupsTotal: 0 }],
    ['balance spent', [{ balance: 100 }, { balance: 97.5 }], { spentTotal: 2.5, toppedUpTotal: 0, topupsTotal: 0 }],
    ['both spent', [{ balance: 100, gift: 1 }, { balance: 99, gift: 0 }], { spentTotal: 2, topupsTotal: 0 }],
    ['top-up', [{ balance: 10 }, { balance: 60 }], { spentTotal: 0, toppedUpTotal: 50, topupsTotal: 1, lastTopup: { atMs: 2000, amount: 50 } }],
    ['gift granted counts as a top-up', [{ balance: 10, gift: 0 }, { balance: 10, gift: 5 }], { toppedUpTotal: 5, topupsTotal: 1 }],
    ['gift left out of an answer counts as 0', [{ balance: 10, gift: 5 }, { balance: 10 }], { spentTotal: 5 }],
    ['credit is not money', [{ balance: 10, credit: 0 }, { balance: 10, credit: 500 }, { balance: 10, credit: 0 }], { spentTotal: 0, toppedUpTotal: 0, topupsTotal: 0 }],
    ['no change, nothing counted', [{ balance: 10 }, { balance: 10 }, { balance: 10 }], { spentTotal: 0, toppedUpTotal: 0, topupsTotal: 0 }],
    ['spend and a top-up between the same polls net out', [{ balance: 10 }, { balance: 15 }], { spentTotal: 0, toppedUpTotal: 5, topupsTotal: 1 }],
    ['two top-ups, the last one kept', [{ balance: 1 }, { balance: 11 }, { balance: 9 }, { balance: 39 }],
      { spentTotal: 2, toppedUpTotal: 40, topupsTotal: 2, lastTopup: { atMs: 4000, amount: 30 } }],
  ]
  for (const [name, answers, expected] of cases) t.match(countersAfter(answers), expected, name)
})

t.test('a failed poll loses nothing: the next good poll is compared with the last good one', async (t) => {
  const states = new AccountStates([settings])
  states.recordSuccess('a', { balance: 100 }, 1000, 0.1)
  states.recordFailure('a', { status: 'timeout', reason: 'x', atMs: 2000 }, 0.1)
  t.equal(states.get('a').spentTotal, 0, 'a failure counts nothing')
  states.recordSuccess('a', { balance: 93 }, 3000, 0.1)
  t.equal(states.get('a').spentTotal, 7)
})

t.test('sums of decimals are exact to the API\'s six decimals, with no floating-point residue', async (t) => {
  // 0.1 + 0.2 in floating point is 0.30000000000000004; summed in millionths it is 0.3.
  t.equal(countersAfter([{ balance: 1 }, { balance: 0.9 }, { balance: 0.7 }]).spentTotal, 0.3)
  const balances = [498.960433, 498.960432, 497.1308, 17.1308, 17.130799, 0.000001]
  t.equal(countersAfter(balances.map((balance) => ({ balance }))).spentTotal, 498.960432)
  const steps = Array.from({ length: 1000 }, (_, i) => ({ balance: 1000 - i * 0.1 }))
  t.equal(countersAfter(steps).spentTotal, 99.9, 'a thousand steps of 0.1')
  t.match(countersAfter([{ balance: 0.1 }, { balance: 0.3 }]), { toppedUpTotal: 0.2, lastTopup: { amount: 0.2 } })
})

t.test('a reload keeps the counters of an account it keeps; a new account starts from its first poll', async (t) => {
  const states = new AccountStates([settings])
  countersAfter([{ balance: 10 }, { balance: 8 }], states)
  states.setAccounts([{ ...settings, balanceWarning: 5 }, { ...settings, name: 'b' }])
  states.recordSuccess('a', { balance: 7 }, 5000, 0.1)
  states.recordSuccess('b', { balance: 7 }, 5000, 0.1)
  t.equal(states.get('a').spentTotal, 3)
  t.equal(states.get('b').spentTotal, 0)
})

t.test('a re-keyed account starts a new baseline: its next good poll counts nothing, the totals go on', async (t) => {
  const states = new AccountStates([settings])
  countersAfter([{ balance: 100 }, { balance: 90 }], states)
  states.newMoneyBaseline(['a'])
  // Another key's account: 5,000 more is not a top-up, and the next poll is compared with it.
  states.recordSuccess('a', { balance: 5000 }, 10_000, 0.1)
  t.same(pick(states), { spentTotal: 10, toppedUpTotal: 0, topupsTotal: 0 }, 'nothing counted across the change')
  states.recordSuccess('a', { balance: 4990 }, 11_000, 0.1)
  t.same(pick(states), { spentTotal: 20, toppedUpTotal: 0, topupsTotal: 0 }, 'counted again from the new baseline')
})

function pick (states: AccountStates) {
  const { spentTotal, toppedUpTotal, topupsTotal } = states.get('a')
  return { spentTotal, toppedUpTotal, topupsTotal }
}
