import t from 'tap'
import { Counter, Gauge, Registry } from 'prom-client'
import { DEFAULT_SETTINGS } from '../../src/config/account-settings.js'
import { ACCOUNT_FAMILIES, AccountFamilies, type Family } from '../../src/metrics/account-metrics.js'
import { PROVIDER_NAMES } from '../../src/config/providers.js'
import { AccountStates } from '../../src/state/account-states.js'

/** The families' text as /metrics shows it: their pieces in order. */
const text = (families: AccountFamilies): string => Buffer.concat(families.render()).toString('utf8')

/**
 * The account families are written by hand (for speed); prom-client is the reference. The same states
 * rendered both ways must give the same bytes, odd names and values included.
 */
t.test('the account families are byte for byte what prom-client writes for the same samples', async (t) => {
  const names = ['plain', 'with "quotes"', 'back\\slash', 'new\nline', 'ünïcödé ☎']
  const states = new AccountStates(names.map((name, i) => ({ ...DEFAULT_SETTINGS, name, balanceWarning: 100 + i, balanceCritical: i === 0 ? 0.1 + 0.2 : -5, spendSpikeFloor: i, provider: PROVIDER_NAMES[i % 3] ?? 'laaffic', currency: ['', 'EUR', 'USD'][i % 3] ?? '' })))
  const now = 1_700_000_000_000
  const values = [
    { balance: 99.99, gift: 50, credit: 0 },
    { balance: 1e21, gift: 5e-7 },
    { balance: -0.000001 },
    { balance: 123456789.123456, credit: 1000 },
  ]
  names.forEach((name, i) => {
    states.pollStarted(name)
    states.requestSent(name)
    states.requestSent(name)
    const answer = values[i]
    if (answer !== undefined) states.recordSuccess(name, answer, now - i * 1000, 0.125 * i)
    // A second good poll: a top-up of 0.1 for the first account, 0.3 spent by the third.
    if (i === 0) states.recordSuccess(name, { balance: 100.09, gift: 50, credit: 0 }, now - 500, 0.1)
    if (i === 2) states.recordSuccess(name, { balance: -0.300001 }, now - 1500, 0.1)
    else states.recordFailure(name, { status: 'http_503', reason: 'x', atMs: now }, 3)
    if (i % 2 === 0) states.recordFailure(name, { status: '-10', reason: 'insufficient', atMs: now }, 0.5)
    if (i === 1) states.recordClockSkew(name, -42.5)
  })
  const families = new AccountFamilies(states, () => now, 900_000)

  const reference = new Registry()
  const gauge = (name: string, help: string, read: (s: ReturnType<AccountStates['get']>) => number | undefined): void => {
    const g = new Gauge({ name, help, labelNames: ['account'], registers: [reference] })
    for (const s of states.all()) { const v = read(s); if (v !== undefined) g.set({ account: s.name }, v) }
  }
  const counter = (name: string, help: string, read: (s: ReturnType<AccountStates['get']>) => number): void => {
    const c = new Counter({ name, help, labelNames: ['account'], registers: [reference] })
    for (const s of states.all()) c.inc({ account: s.name }, read(s))
  }
  gauge('laaffic_balance', 'Account balance from the last good getBalance answer.', (s) => s.values?.balance)
  gauge('laaffic_gift_balance', 'Gift (bonus) balance from the last good getBalance answer.', (s) => s.values?.gift)
  gauge('laaffic_credit_limit', 'Credit limit from the last good getBalance answer.', (s) => s.values?.credit)
  gauge('laaffic_up', '1 if the latest poll of the account succeeded, else 0.', (s) => s.up === undefined ? undefined : Number(s.up))
  gauge('laaffic_last_success_timestamp_seconds', 'Unix time of the last successful poll.', (s) => s.lastSuccessMs === undefined ? undefined : s.lastSuccessMs / 1000)
  gauge('laaffic_poll_duration_seconds', 'Duration of the latest poll in seconds, retries included.', (s) => s.lastPollDurationSeconds)
  gauge('laaffic_clock_skew_seconds', 'The Laaffic API\'s clock minus the local clock, in seconds, from the Date header of the latest answer that had one; Date has whole seconds, so accurate to 0.5 s.', (s) => s.clockSkewSeconds)
  counter('laaffic_polls_total', 'Polls of the getBalance API started (a poll\'s retries count once).', (s) => s.polls)
  counter('laaffic_api_requests_total', 'HTTP requests sent to the getBalance API, retries included.', (s) => s.apiRequests)
  const errors = new Counter({
    name: 'laaffic_poll_errors_total',
    help: 'Failed polls by cause: the API status code, or timeout, network, http_<code>, invalid_response.',
    labelNames: ['account', 'status'],
    registers: [reference],
  })
  for (const s of states.all()) for (const [status, count] of s.errors) errors.inc({ account: s.name, status }, count)
  const money = (name: string, help: string, read: (s: ReturnType<AccountStates['get']>) => number | undefined): void => {
    const c = new Counter({ name, help, labelNames: ['account'], registers: [reference] })
    for (const s of states.all()) { const v = read(s); if (v !== undefined) c.inc({ account: s.name }, v) }
  }
  money('laaffic_spent_total', 'What balance + gift lost between consecutive good polls since the start (credit is not spend; spend and a top-up between the same two polls net out).',
    (s) => s.spentTotal)
  money('laaffic_topped_up_total', 'What balance + gift gained between consecutive good polls since the start (net of spend between the same two polls).', (s) => s.toppedUpTotal)
  money('laaffic_topups_total', 'Good polls that saw balance + gift higher than the good poll before, since the start.', (s) => s.topupsTotal)
  gauge('laaffic_last_topup_timestamp_seconds', 'Unix time of the poll that last saw balance + gift gain (absent until one did since the start).',
    (s) => s.lastTopup === undefined ? undefined : s.lastTopup.atMs / 1000)
  gauge('laaffic_balance_warning_threshold', 'Balance under which the LaafficBalanceLow alert fires (LAAFFIC_BALANCE_WARNING or balanceWarning).', (s) => s.balanceWarning)
  gauge('laaffic_balance_critical_threshold', 'Balance under which the LaafficBalanceCritical alert fires (LAAFFIC_BALANCE_CRITICAL or balanceCritical).', (s) => s.balanceCritical)
  gauge('laaffic_spend_spike_floor_per_hour', 'Spend per hour under which the LaafficSpendSpike alert never fires (LAAFFIC_SPEND_SPIKE_FLOOR or spendSpikeFloor).', (s) => s.spendSpikeFloor)
  const info = new Gauge({ name: 'laaffic_account_info', help: 'Always 1; labelled with the account\'s provider (LAAFFIC_PROVIDER or provider) and currency (LAAFFIC_CURRENCY or currency; empty when not set).', labelNames: ['account', 'provider', 'currency'], registers: [reference] })
  for (const s of states.all()) info.set({ account: s.name, provider: s.provider, currency: s.currency }, 1)

  const expected = await reference.metrics()
  t.match(expected, /account="with \\"quotes\\""/, 'the reference escapes quotes')
  t.match(expected, /account="new\\nline"/, 'and newlines')
  t.match(expected, /\nlaaffic_topped_up_total\{account="plain"\} 0\.1\nlaaffic_topped_up_total\{account="with \\"quotes\\""\} 0\n/, 'a top-up, counted exactly')
  t.match(expected, /\nlaaffic_spent_total\{account="back\\\\slash"\} 0\.3\n/, 'spend, counted exactly')
  t.equal(text(families), `${expected}\n`, 'and the blank line before the families that follow')
})

t.test('each account\'s samples stay together: a status first counted later follows that account\'s others', async (t) => {
  const states = new AccountStates([{ ...DEFAULT_SETTINGS, name: 'a', balanceWarning: 1, balanceCritical: 0, spendSpikeFloor: 0 }, { ...DEFAULT_SETTINGS, name: 'b', balanceWarning: 1, balanceCritical: 0, spendSpikeFloor: 0 }])
  states.recordFailure('a', { status: '-10', reason: 'x', atMs: 0 }, 0)
  states.recordFailure('b', { status: 'http_503', reason: 'x', atMs: 0 }, 0)
  states.recordFailure('a', { status: 'http_503', reason: 'x', atMs: 0 }, 0)
  const errors = text(new AccountFamilies(states, () => 0, 0)).split('\n').filter((l) => l.startsWith('laaffic_poll_errors_total{'))
    .map((l) => /account="(\w+)",status="([^"]+)"/.exec(l)?.slice(1).join('/'))
  t.same(errors, [
    'a/-1', 'a/-2', 'a/-13', 'a/-16', 'a/-18', 'a/timeout', 'a/network', 'a/invalid_response', 'a/-10', 'a/http_503',
    'b/-1', 'b/-2', 'b/-13', 'b/-16', 'b/-18', 'b/timeout', 'b/network', 'b/invalid_response', 'b/http_503',
  ])
})

t.test('an account is formatted again only when it changed or went stale', async (t) => {
  const formatted: string[] = []
  const counting: Family = { name: 'x', help: 'x', type: 'gauge', lines: (state) => { formatted.push(state.name); return '' } }
  const states = new AccountStates([{ ...DEFAULT_SETTINGS, name: 'a', balanceWarning: 1, balanceCritical: 0, spendSpikeFloor: 0 }, { ...DEFAULT_SETTINGS, name: 'b', balanceWarning: 1, balanceCritical: 0, spendSpikeFloor: 0 }])
  let clock = 0
  const families = new AccountFamilies(states, () => clock, 1000, [...ACCOUNT_FAMILIES, counting])
  states.recordSuccess('a', { balance: 5 }, 0, 0)
  states.recordSuccess('b', { balance: 6 }, 500, 0)
  families.render()
  t.same(formatted.splice(0), ['a', 'b'], 'the first render formats every account')
  families.render()
  t.same(formatted.splice(0), [], 'nothing changed: nothing is formatted')
  states.pollStarted('b')
  families.render()
  t.same(formatted.splice(0), ['b'], 'one account changed: only it is formatted')
  clock = 1001
  families.render()
  t.same(formatted.splice(0), ['a'], 'an account whose values went stale is formatted again')
})

t.test('what a render shows after a change, and after a value goes stale', async (t) => {
  const states = new AccountStates([{ ...DEFAULT_SETTINGS, name: 'a', balanceWarning: 1, balanceCritical: 0, spendSpikeFloor: 0 }, { ...DEFAULT_SETTINGS, name: 'b', balanceWarning: 1, balanceCritical: 0, spendSpikeFloor: 0 }])
  let clock = 0
  const families = new AccountFamilies(states, () => clock, 1000)
  states.recordSuccess('a', { balance: 5 }, 0, 0)
  states.recordSuccess('b', { balance: 6 }, 500, 0)
  t.match(text(families), /^laaffic_balance\{account="a"\} 5\n^laaffic_balance\{account="b"\} 6$/m)
  t.equal(families.changesAtMs(), 1001, 'a goes stale first')
  states.recordSuccess('b', { balance: 7 }, 600, 0)
  t.match(text(families), /^laaffic_balance\{account="b"\} 7$/m, 'a change shows at once')
  clock = 1001
  const later = text(families)
  t.notMatch(later, /^laaffic_balance\{account="a"\}/m, 'a stale value is dropped by the clock alone')
  t.match(later, /^laaffic_balance\{account="b"\} 7$/m)
  t.match(later, /^laaffic_last_success_timestamp_seconds\{account="a"\} 0$/m, 'the last success stays')
})
