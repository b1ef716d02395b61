import t from 'tap'
import type { BalanceClient, FetchOptions, FetchResult } from '../../src/client/balance-client.js'
import type { PollStatus } from '../../src/api/status.js'
import type { Aborted } from '../../src/client/classify-error.js'
import { createPoller } from '../../src/poller/poller.js'
import { AccountStates } from '../../src/state/account-states.js'
import { account } from '../helpers/api.js'
import { captureLogs } from '../helpers/logs.js'
import { ManualScheduler } from '../helpers/manual-scheduler.js'
import { waitFor } from '../helpers/wait.js'

type Step = FetchResult | 'hang'
const ok = (balance: number): FetchResult => ({ ok: true, values: { balance } })
const fail = (status: PollStatus | Aborted, reason = ''): FetchResult => ({ ok: false, status, reason })

/** A client that answers each account from its own script; 'hang' waits until the poller aborts. */
function scriptedClient (scripts: Record<string, Step[]>): BalanceClient & { calls: string[] } {
  const calls: string[] = []
  return {
    calls,
    fetchBalance: async (acc, options: FetchOptions) => {
      calls.push(acc.name)
      options.onAttempt?.()
      const step = scripts[acc.name]?.shift() ?? 'hang'
      if (step !== 'hang') return step
      return await new Promise<FetchResult>((resolve) => {
        options.signal?.addEventListener('abort', () => { resolve(fail('aborted', 'exporter stopping')) })
      })
    },
  }
}

const statesOf = (names: string[]): AccountStates => new AccountStates(names.map((name) => account(name)))

/** The error counts of an account that are not 0, by status. */
const errorsOf = (states: AccountStates, name: string): Record<string, number> =>
  Object.fromEntries([...states.get(name).errors].filter(([, count]) => count > 0))

function setup (scripts: Record<string, Step[]>) {
  const names = Object.keys(scripts)
  const scheduler = new ManualScheduler()
  const states = statesOf(names)
  const client = scriptedClient(scripts)
  const logs = captureLogs('info')
  let clock = 1_700_000_000_000
  const poller = createPoller({
    accounts: names.map((n) => account(n)),
    client,
    states,
    logger: logs.logger,
    now: () => (clock += 250),
    intervalMs: 60_000,
    scheduler: scheduler.schedule,
  })
  return { scheduler, states, client, logs, poller }
}

t.test('polls every account at start, then at the interval, spread over it', async (t) => {
  const { scheduler, states, poller } = setup({ a: [ok(10), ok(9), ok(8)], b: [ok(5), ok(4), ok(3)] })
  poller.start()
  await waitFor(() => scheduler.pending.length === 2, 'both accounts scheduled')
  t.same(scheduler.delays, [60_000, 90_000], 'the second account keeps half an interval from the first')
  t.equal(states.get('a').values?.balance, 10)
  t.equal(states.get('b').values?.balance, 5)
  // Both polls start before either finishes, and every clock read moves it 250 ms: 2 reads apart.
  t.equal(states.get('a').lastPollDurationSeconds, 0.5, 'duration from the injected clock')
  t.equal(states.get('b').lastPollDurationSeconds, 0.5)
  scheduler.runAll()
  await waitFor(() => scheduler.pending.length === 2, 'second round scheduled')
  t.equal(states.get('a').values?.balance, 9)
  scheduler.runAll()
  await waitFor(() => scheduler.pending.length === 2, 'third round scheduled')
  t.same(scheduler.delays.slice(2), [60_000, 60_000, 60_000, 60_000], 'then each at the interval')
  await poller.stop()
})

t.test('a thousand accounts: phases spread evenly, at most 16 polls in flight', async (t) => {
  const names = Array.from({ length: 1000 }, (_, i) => `acct-${i}`)
  const scheduler = new ManualScheduler()
  let inFlight = 0
  let maxInFlight = 0
  const client: BalanceClient = {
    fetchBalance: async (_account, options) => {
      inFlight++
      maxInFlight = Math.max(maxInFlight, inFlight)
      // Like got, listen for the abort while in flight.
      const onAbort = (): void => {}
      options.signal?.addEventListener('abort', onAbort)
      await new Promise((resolve) => setImmediate(resolve))
      options.signal?.removeEventListener('abort', onAbort)
      inFlight--
      return ok(1)
    },
  }
  const poller = createPoller({
    accounts: names.map((n) => account(n)),
    client,
    states: statesOf(names),
    logger: captureLogs('info').logger,
    now: Date.now,
    intervalMs: 60_000,
    scheduler: scheduler.schedule,
  })
  const warnings: string[] = []
  const onWarning = (warning: Error): void => { warnings.push(warning.name) }
  process.on('warning', onWarning)
  t.teardown(() => { process.off('warning', onWarning) })
  poller.start()
  await waitFor(() => scheduler.pending.length === 1000, 'every account polled once', 10_000)
  t.equal(maxInFlight, 16, 'never more than 16 requests at once')
  const phases = scheduler.delays.map((ms) => ms - 60_000).sort((a, b) => a - b)
  t.equal(phases[0], 0)
  t.equal(phases[999], 59_940)
  t.ok(phases.every((p, i) => p === Math.floor((i * 60_000) / 1000)), 'one account every 60 ms across the interval')
  await new Promise((resolve) => setImmediate(resolve))
  t.same(warnings, [], 'no MaxListenersExceededWarning from 16 requests on one abort signal')
  await poller.stop()
})

t.test('-1, -2, -13 back off doubling; a success resets the interval', async (t) => {
  const { scheduler, poller, states } = setup({ a: [fail('-13'), fail('-13'), fail('-1'), fail('-2'), fail('-13'), fail('-13'), ok(1), fail('-18')] })
  poller.start()
  for (let round = 1; round <= 8; round++) {
    await waitFor(() => scheduler.delays.length === round, `poll ${round} scheduled`)
    scheduler.runAll()
  }
  t.same(scheduler.delays.map((ms) => ms / 60_000), [2, 4, 8, 15, 15, 15, 1, 1])
  t.same(errorsOf(states, 'a'), { '-1': 1, '-2': 1, '-13': 4, '-18': 1 }, 'every failure counted under its status')
  t.equal(states.get('a').polls, 9, 'eight polls finished, the ninth under way')
  await poller.stop()
})

t.test('the next poll\'s time, and whether it is a backoff, reach the account\'s state', async (t) => {
  const { scheduler, poller, states } = setup({ a: [fail('-13'), fail('-13'), ok(1), fail('-18')] })
  poller.start()
  t.equal(states.get('a').nextPoll, undefined, 'unknown until the first poll finished')
  const seen: Array<[boolean | undefined, number | undefined]> = []
  for (let round = 1; round <= 4; round++) {
    await waitFor(() => scheduler.delays.length === round, `poll ${round} scheduled`)
    const state = states.get('a')
    const finishedAt = state.up === true ? state.lastSuccessMs : state.lastError?.atMs
    // The poller reads the clock once more (it steps 250 ms a read) when it arms the timer.
    seen.push([state.nextPoll?.backoff, (state.nextPoll?.atMs ?? 0) - (finishedAt ?? 0) - 250])
    scheduler.runAll()
  }
  t.same(seen, [[true, 120_000], [true, 240_000], [false, 60_000], [false, 60_000]])
  await poller.stop()
})

t.test('a hanging account neither overlaps itself nor delays another', async (t) => {
  const { scheduler, states, client, poller } = setup({ slow: ['hang'], fast: [ok(1), ok(2), ok(3)] })
  poller.start()
  for (let round = 1; round <= 3; round++) {
    await waitFor(() => scheduler.pending.length === 1, `fast round ${round} scheduled`)
    scheduler.runAll()
  }
  await waitFor(() => states.get('fast').values?.balance === 3, 'fast account polled three times')
  t.equal(client.calls.filter((c) => c === 'slow').length, 1, 'the hanging account was called once, never again while in flight')
  t.equal(states.get('slow').up, undefined, 'the hanging account has no result yet')
  const stopped = Date.now()
  await poller.stop()
  t.ok(Date.now() - stopped < 500, 'stop aborts the hanging request at once')
  t.equal(scheduler.runAll(), 0, 'nothing is scheduled after stop')
  t.equal(states.get('slow').up, undefined, 'an abort is not recorded as a failure')
})

t.test('a failure keeps the last good values and is isolated to its account', async (t) => {
  const { scheduler, states, poller } = setup({ a: [ok(10), fail('timeout', 'no answer')], b: [ok(20), ok(21)] })
  poller.start()
  await waitFor(() => scheduler.pending.length === 2, 'first round')
  scheduler.runAll()
  await waitFor(() => scheduler.pending.length === 2, 'second round')
  t.match(states.get('a'), { up: false, values: { balance: 10 }, lastError: { status: 'timeout', reason: 'no answer' } })
  t.match(states.get('b'), { up: true, values: { balance: 21 } })
  t.equal(states.get('b').lastError, undefined)
  await poller.stop()
})

t.test('logs a line when an account changes state, not on every poll', async (t) => {
  const { scheduler, poller, logs } = setup({ a: [ok(1), fail('-16', 'time limit'), fail('-16', 'time limit'), fail('-18', 'oops'), ok(2), ok(3)] })
  poller.start()
  for (let round = 1; round <= 6; round++) {
    await waitFor(() => scheduler.delays.length === round, `poll ${round}`)
    scheduler.runAll()
  }
  const lines = logs.records.map((r) => [r.msg, r.account, r.status, r.level])
  t.same(lines, [
    ['account is up', 'a', undefined, 30],
    ['account failing', 'a', '-16', 40],
    ['account failing', 'a', '-18', 40],
    ['account recovered', 'a', undefined, 30],
  ])
  t.match(logs.records[1], { reason: 'time limit', hint: /clock is probably off/ })
  await poller.stop()
})

t.test('the status table\'s evidence is logged with its status: the clock skew with -16, not with -18', async (t) => {
  const skewed = (status: PollStatus): FetchResult => ({ ok: false, status, reason: 'r', clockSkewSeconds: -1900.4 })
  const { scheduler, poller, logs } = setup({ a: [skewed('-16'), skewed('-18')] })
  poller.start()
  await waitFor(() => scheduler.delays.length === 1, 'poll 1')
  scheduler.runAll()
  await waitFor(() => scheduler.delays.length === 2, 'poll 2')
  const failing = logs.records.filter((r) => r.msg === 'account failing')
  t.match(failing, [{ status: '-16', clockSkewSeconds: -1900.4 }, { status: '-18' }])
  t.equal(failing[1]?.clockSkewSeconds, undefined, 'a -18 has nothing to do with the clock')
  await poller.stop()
})

t.test('counts polls, requests and errors per account, in the account\'s state', async (t) => {
  const { scheduler, poller, states, logs } = setup({ a: [ok(1)], b: [fail('network'), fail('-10', 'insufficient balance')] })
  poller.start()
  await waitFor(() => scheduler.pending.length === 2, 'both polled')
  t.match(states.get('a'), { polls: 1, apiRequests: 1 })
  t.same(errorsOf(states, 'a'), {})
  t.match(states.get('b'), { polls: 1, apiRequests: 1 })
  t.same(errorsOf(states, 'b'), { network: 1 })
  scheduler.runAll()
  await waitFor(() => states.get('b').polls === 2 && scheduler.pending.length === 1, 'b polled again')
  t.same(errorsOf(states, 'b'), { network: 1, '-10': 1 }, 'a code the table does not know is counted under its own code')
  const failing = logs.records.filter((r) => r.msg === 'account failing').map((r) => [r.status, r.hint])
  t.same(failing, [
    ['network', 'the API could not be reached: check DNS, proxy, firewall and the base URL'],
    ['-10', 'an error code the exporter does not know: see the reason'],
  ], 'the exporter\'s own causes and unknown codes are logged with the status table\'s hint too')
  await poller.stop()
})

t.test('Retry-After slows the account; the Date header is recorded as clock skew', async (t) => {
  const slow: FetchResult = { ok: false, status: 'http_429', reason: 'HTTP 429', retryAfterMs: 300_000, clockSkewSeconds: -3.5 }
  const { scheduler, states, poller } = setup({ a: [slow, ok(1)] })
  poller.start()
  await waitFor(() => scheduler.delays.length === 1, 'first poll')
  t.same(scheduler.delays, [300_000], 'waits the 5 minutes the provider asked for')
  t.equal(states.get('a').clockSkewSeconds, -3.5)
  scheduler.runAll()
  await waitFor(() => scheduler.delays.length === 2, 'second poll')
  t.equal(scheduler.delays[1], 60_000, 'back to the interval after a success')
  await poller.stop()
})

t.test('setAccounts: an added account is polled at once, a removed one no more, a rotated secret at once', async (t) => {
  const { scheduler, states, poller, client } = setup({ a: [ok(1), ok(2), ok(3)], b: [fail('-1', 'auth'), ok(20)], gone: ['hang'] })
  poller.start()
  await waitFor(() => scheduler.pending.length === 2 && states.get('b').up === false, 'a and b polled, gone hanging')
  const delayOfB = scheduler.delays.at(-1)
  t.equal(delayOfB, 120_000, 'b backs off after -1')
  const accounts = ['a', 'b', 'c'].map((name) => account(name))
  const rotatedB = { ...accounts[1]!, apiSecret: 'rotated' }
  states.setAccounts([accounts[0]!, rotatedB, accounts[2]!])
  poller.setAccounts([accounts[0]!, rotatedB, accounts[2]!])
  await waitFor(() => states.get('b').up === true && client.calls.includes('c'), 'b polled again and c polled, without waiting for a timer')
  t.equal(states.get('b').values?.balance, 20)
  t.same(client.calls.filter((c) => c === 'a'), ['a'], 'a keeps its schedule')
  await poller.stop()
  t.notOk(states.all().some((s) => s.name === 'gone'), 'the removed account has no state')
})
