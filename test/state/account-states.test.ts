import t from 'tap'
import { DEFAULT_SETTINGS } from '../../src/config/account-settings.js'
import { AccountStates } from '../../src/state/account-states.js'

const settings = (name: string) => ({ ...DEFAULT_SETTINGS, name, balanceWarning: 100, balanceCritical: 20, spendSpikeFloor: 10 })

/** Every way to change a state, with arguments. A public method missing here fails the last test. */
const MUTATORS: Record<string, (states: AccountStates) => void> = {
  pollStarted: (s) => { s.pollStarted('a') },
  requestSent: (s) => { s.requestSent('a') },
  recordSuccess: (s) => { s.recordSuccess('a', { balance: 1 }, 1000, 0.1) },
  recordFailure: (s) => { s.recordFailure('a', { status: '-13', reason: 'locked', atMs: 1000 }, 0.1) },
  recordClockSkew: (s) => { s.recordClockSkew('a', 2) },
  setAccounts: (s) => { s.setAccounts([{ ...settings('a'), balanceWarning: 500 }, settings('b')]) },
  recordNextPoll: (s) => { s.recordNextPoll('a', { atMs: 5000, backoff: true }) },
}
const READERS = new Set(['constructor', 'version', 'get', 'all', 'allPolled'])

t.test('every change moves the version and the account\'s own version, and touches no other account', async (t) => {
  for (const [name, mutate] of Object.entries(MUTATORS)) {
    const states = new AccountStates([settings('a'), settings('b')])
    const b = states.get('b')
    const before = { version: states.version, a: states.get('a').version, b: { ...b, errors: new Map(b.errors) } }
    mutate(states)
    t.equal(states.version, before.version + 1, `${name} moves the version`)
    t.equal(states.get('a').version, before.a + 1, `${name} moves the account's version`)
    t.same(states.get('b'), before.b, `${name} leaves the other account alone`)
  }
})

t.test('every public method is either a reader or a mutator listed above', async (t) => {
  const methods = Object.getOwnPropertyNames(AccountStates.prototype)
  t.same(methods.filter((m) => !READERS.has(m) && !(m in MUTATORS) && !['update', 'require'].includes(m)), [],
    'a new method must be added to MUTATORS (and go through update) or to READERS')
})

t.test('counters start at 0, with the statuses the status table starts at 0', async (t) => {
  const state = new AccountStates([settings('a')]).get('a')
  t.match(state, { polls: 0, apiRequests: 0, up: undefined })
  t.same([...state.errors], [['-1', 0], ['-2', 0], ['-13', 0], ['-16', 0], ['-18', 0], ['timeout', 0], ['network', 0], ['invalid_response', 0]])
})

t.test('a failure counts its status and keeps the last good values; values are copied in', async (t) => {
  const states = new AccountStates([settings('a')])
  const values = { balance: 5, gift: 1 }
  states.recordSuccess('a', values, 1000, 0.1)
  values.balance = 99
  states.recordFailure('a', { status: 'http_503', reason: 'HTTP 503', atMs: 2000 }, 3)
  states.recordFailure('a', { status: 'http_503', reason: 'HTTP 503', atMs: 3000 }, 3)
  const state = states.get('a')
  t.match(state, { up: false, values: { balance: 5, gift: 1 }, lastSuccessMs: 1000, lastError: { status: 'http_503', atMs: 3000 } })
  t.equal(state.errors.get('http_503'), 2)
  t.throws(() => { states.pollStarted('nobody') }, /unknown account nobody/)
})

t.test('setAccounts: unchanged accounts keep values and counters, new ones start empty, removed ones go', async (t) => {
  const states = new AccountStates([settings('keep'), settings('drop')])
  states.pollStarted('keep')
  states.recordSuccess('keep', { balance: 7 }, 1000, 0.1)
  states.recordFailure('drop', { status: '-1', reason: 'x', atMs: 1000 }, 0.1)
  const version = states.version
  states.setAccounts([{ ...settings('keep'), balanceCritical: 5 }, settings('new')])
  t.ok(states.version > version, 'the version moved')
  t.match(states.get('keep'), { polls: 1, values: { balance: 7 }, balanceCritical: 5, balanceWarning: 100 }, 'kept, with its new threshold')
  t.match(states.get('new'), { polls: 0, up: undefined, balanceWarning: 100 })
  t.throws(() => states.get('drop'), /unknown account drop/, 'removed')
  t.same(states.all().map((s) => s.name), ['keep', 'new'])
  const unchanged = states.version
  states.setAccounts([{ ...settings('keep'), balanceCritical: 5 }, settings('new')])
  t.equal(states.version, unchanged, 'the same accounts again: no change, no new version')
})
