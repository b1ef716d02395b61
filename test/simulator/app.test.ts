import t, { type Test } from 'tap'
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import { signedHeaders } from '../../src/api/sign.js'
import { createLogger } from '../../src/logger.js'
import { buildSimulator, type SimulatorAccount, type SimulatorOptions } from '../../src/simulator/app.js'
import type { ReceivedRequest } from '../../src/simulator/request-log.js'
import { waitFor } from '../helpers/wait.js'

const NOW = 1_700_000_000_000
const MINUTE = 60_000
const JSON_TYPE = 'application/json;charset=UTF-8'
const MAIN = { name: 'main', apiKey: 'key-main', apiSecret: 'SECRET-main-4f2a', balance: 99.99, gift: 50, credit: 0 }
const SIDE = { name: 'side', apiKey: 'key-side', apiSecret: 'SECRET-side-9c1b', balance: 10, gift: 0, credit: 100 }
const MAIN_OK = '{"status":"0","reason":"success","balance":"99.990000","gift":"50.00000","credit":"0"}'
const SIDE_OK = '{"status":"0","reason":"success","balance":"10.000000","gift":"0.00000","credit":"100"}'
const AUTH_ERROR = '{"status":"-1","reason":"authentication error"}'
const TIME_ERROR = '{"status":"-16","reason":"time limit exceeded"}'

type Body = Record<string, unknown> | unknown[] | string

function simulator (t: Test, options: Partial<SimulatorOptions> = {}) {
  const clock = { ms: NOW }
  const dice = { value: 0 }
  const app = buildSimulator({
    accounts: [MAIN, SIDE],
    logger: createLogger('silent'),
    now: () => clock.ms,
    random: () => dice.value,
    timestampWindowSeconds: 1800,
    ...options,
  })
  t.teardown(async () => { await app.close() })
  const getBalance = async (headers: Record<string, string>) => app.inject({ method: 'GET', url: '/v3/getBalance', headers })
  /** A request signed like the exporter signs it, at the simulator's current time unless told otherwise. */
  const signed = async (account: SimulatorAccount = MAIN, atMs = clock.ms) =>
    getBalance(signedHeaders(account.apiKey, account.apiSecret, atMs))
  const setFault = async (fault: Body, name = 'main') => app.inject({ method: 'PUT', url: `/__sim/accounts/${name}/fault`, payload: fault })
  const patch = async (body: Body, name = 'main') => app.inject({ method: 'PATCH', url: `/__sim/accounts/${name}`, payload: body })
  const view = async (name = 'main') => (await app.inject(`/__sim/accounts/${name}`)).json<Record<string, unknown>>()
  const requests = async (query = '') => (await app.inject(`/__sim/requests${query}`)).json<ReceivedRequest[]>()
  return { app, clock, dice, getBalance, signed, setFault, patch, view, requests }
}

/** One GET over a real socket (no keep-alive); resolves with the answer or the error code, never rejects. */
async function httpGet (url: string, headers: Record<string, string>, timeoutMs: number): Promise<{ status?: number, headers?: IncomingHttpHeaders, body?: string, error?: string }> {
  return new Promise((resolve) => {
    const req = httpRequest(url, { headers, agent: false }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => { body += chunk })
      res.on('end', () => { resolve({ status: res.statusCode, headers: res.headers, body }) })
      res.on('error', (err: NodeJS.ErrnoException) => { resolve({ error: err.code ?? err.message }) })
    })
    req.setTimeout(timeoutMs, () => { req.destroy(Object.assign(new Error('no answer in time'), { code: 'CLIENT_TIMEOUT' })) })
    req.on('error', (err: NodeJS.ErrnoException) => { resolve({ error: err.code ?? err.message }) })
    req.end()
  })
}

const headersOf = (account: SimulatorAccount, atMs = NOW) => signedHeaders(account.apiKey, account.apiSecret, atMs)
const without = (headers: Record<string, string>, name: string) => Object.fromEntries(Object.entries(headers).filter(([k]) => k !== name))

t.test('getBalance', async (t) => {
  t.test('a correctly signed request gets the account figures as strings', async (t) => {
    const sim = simulator(t)
    for (const [account, body] of [[MAIN, MAIN_OK], [SIDE, SIDE_OK]] as const) {
      const response = await sim.signed(account)
      t.equal(response.statusCode, 200, account.name)
      t.equal(response.headers['content-type'], JSON_TYPE, account.name)
      t.equal(response.body, body, account.name)
    }
  })

  t.test('accounts without figures start at 100 / 50 / 0', async (t) => {
    const bare = { name: 'bare', apiKey: 'key-bare', apiSecret: 'secret-bare' }
    const sim = simulator(t, { accounts: [bare] })
    t.equal((await sim.signed(bare)).body, '{"status":"0","reason":"success","balance":"100.000000","gift":"50.00000","credit":"0"}')
  })

  t.test('the figures follow the injected clock: spending and top-ups', async (t) => {
    const sim = simulator(t, { accounts: [{ ...MAIN, spendPerHour: 36 }, { ...SIDE, topUp: { everySeconds: 600, amount: 5 } }] })
    sim.clock.ms = NOW + 30 * MINUTE
    t.equal((await sim.signed(MAIN)).body, '{"status":"0","reason":"success","balance":"99.990000","gift":"32.00000","credit":"0"}')
    t.equal((await sim.signed(SIDE)).body, '{"status":"0","reason":"success","balance":"25.000000","gift":"0.00000","credit":"100"}',
      'three top-ups of 5 in 30 minutes')
  })

  t.test('defaultSpendPerHour applies to accounts that set no spending', async (t) => {
    const sim = simulator(t, { accounts: [MAIN, { ...SIDE, spendPerHour: 0 }], defaultSpendPerHour: 60 })
    sim.clock.ms = NOW + 10 * MINUTE
    t.equal((await sim.signed(MAIN)).body, '{"status":"0","reason":"success","balance":"99.990000","gift":"40.00000","credit":"0"}')
    t.equal((await sim.signed(SIDE)).body, SIDE_OK)
  })

  t.test('Sign is compared case-insensitively', async (t) => {
    const sim = simulator(t)
    const headers = headersOf(MAIN)
    t.match(headers.Sign, /[a-f]/, 'the signature has letters to change case')
    const response = await sim.getBalance({ ...headers, Sign: headers.Sign!.toUpperCase() })
    t.equal(response.statusCode, 200)
    t.equal(response.body, MAIN_OK)
  })

  t.test('an unknown Api-Key is an authentication error', async (t) => {
    const sim = simulator(t)
    const response = await sim.getBalance(signedHeaders('key-nobody', MAIN.apiSecret, NOW))
    t.equal(response.statusCode, 200)
    t.equal(response.headers['content-type'], JSON_TYPE)
    t.equal(response.body, AUTH_ERROR)
  })

  t.test('a wrong Sign is an authentication error', async (t) => {
    const sim = simulator(t)
    const good = headersOf(MAIN)
    const cases: Array<[string, Record<string, string>]> = [
      ['signed with a wrong secret', signedHeaders(MAIN.apiKey, 'not-the-secret', NOW)],
      ['signed with the secret of another account', signedHeaders(MAIN.apiKey, SIDE.apiSecret, NOW)],
      ['signed for another Timestamp', { ...good, Timestamp: String(NOW / 1000 + 1) }],
      ['a truncated Sign', { ...good, Sign: good.Sign!.slice(0, 31) }],
      ['an empty Sign', { ...good, Sign: '' }],
    ]
    for (const [what, headers] of cases) {
      const response = await sim.getBalance(headers)
      t.equal(response.statusCode, 200, what)
      t.equal(response.body, AUTH_ERROR, what)
    }
  })

  t.test('missing headers are an authentication error', async (t) => {
    const sim = simulator(t)
    for (const name of ['Api-Key', 'Timestamp', 'Sign']) {
      t.equal((await sim.getBalance(without(headersOf(MAIN), name))).body, AUTH_ERROR, `without ${name}`)
    }
    t.equal((await sim.getBalance({})).body, AUTH_ERROR, 'without any')
  })

  t.test('a Timestamp outside the window is -16; the window edges are accepted', async (t) => {
    const sim = simulator(t)
    const at = async (offsetSeconds: number) => sim.signed(MAIN, NOW + offsetSeconds * 1000)
    t.equal((await at(-1801)).body, TIME_ERROR, '1801 s in the past')
    t.equal((await at(1801)).body, TIME_ERROR, '1801 s in the future')
    t.equal((await at(-1800)).body, MAIN_OK, '1800 s in the past')
    t.equal((await at(1800)).body, MAIN_OK, '1800 s in the future')
    const far = await at(-86_400)
    t.equal(far.statusCode, 200)
    t.equal(far.headers['content-type'], JSON_TYPE)
    t.equal(far.body, TIME_ERROR, 'a day behind')
  })

  t.test('timestampWindowSeconds sets the window', async (t) => {
    const sim = simulator(t, { timestampWindowSeconds: 60 })
    t.equal((await sim.signed(MAIN, NOW - 61_000)).body, TIME_ERROR)
    t.equal((await sim.signed(MAIN, NOW + 61_000)).body, TIME_ERROR)
    t.equal((await sim.signed(MAIN, NOW - 60_000)).body, MAIN_OK)
    t.equal((await sim.signed(MAIN, NOW + 60_000)).body, MAIN_OK)
  })

  t.test('a wrong Sign outside the window is still -1', async (t) => {
    const sim = simulator(t)
    t.equal((await sim.getBalance(signedHeaders(MAIN.apiKey, 'wrong', NOW - 7200_000))).body, AUTH_ERROR)
  })
})

t.test('faults', async (t) => {
  t.test('PUT stores the fault and answers with it', async (t) => {
    const sim = simulator(t)
    const faults: Array<Record<string, unknown>> = [
      { type: 'hang' },
      { type: 'reset', probability: 0.5 },
      { type: 'malformed', count: 2 },
      { type: 'oversized', probability: 0.25, count: 3 },
      { type: 'numbers' },
      { type: 'status', status: '-18', reason: 'boom', count: 1 },
      { type: 'status', status: '-13' },
      { type: 'http', httpStatus: 503, retryAfter: 7, body: 'busy' },
      { type: 'http', httpStatus: 500 },
      { type: 'delay', delayMs: 20, probability: 0.5 },
    ]
    for (const fault of faults) {
      const what = JSON.stringify(fault)
      const response = await sim.setFault(fault)
      t.equal(response.statusCode, 200, `PUT ${what}`)
      t.same(response.json(), { fault }, `PUT ${what} answers the fault`)
      t.same((await sim.view()).fault, fault, `GET shows ${what}`)
    }
  })

  t.test('status: the given status and reason instead of the figures', async (t) => {
    const statusFault = { type: 'status', status: '-18', reason: 'boom' } as const
    const atStart = simulator(t, { accounts: [{ ...MAIN, fault: statusFault }, SIDE] })
    const response = await atStart.signed()
    t.equal(response.statusCode, 200)
    t.equal(response.headers['content-type'], JSON_TYPE)
    t.equal(response.body, '{"status":"-18","reason":"boom"}')
    t.equal((await atStart.signed(SIDE)).body, SIDE_OK, 'other accounts answer normally')

    const byPut = simulator(t)
    t.equal((await byPut.setFault(statusFault)).statusCode, 200)
    t.equal((await byPut.signed()).body, '{"status":"-18","reason":"boom"}', 'set by PUT')
    t.equal((await byPut.signed(SIDE)).body, SIDE_OK)
  })

  t.test('status without reason: the documented reason, or "error"', async (t) => {
    const locked = simulator(t, { accounts: [{ ...MAIN, fault: { type: 'status', status: '-13' } }] })
    t.equal((await locked.signed()).body, '{"status":"-13","reason":"user locked"}')
    const undocumented = simulator(t, { accounts: [{ ...MAIN, fault: { type: 'status', status: '-10' } }] })
    t.equal((await undocumented.signed()).body, '{"status":"-10","reason":"error"}')

    const byPut = simulator(t)
    await byPut.setFault({ type: 'status', status: '-2' })
    t.equal((await byPut.signed()).body, '{"status":"-2","reason":"IP access restricted"}', 'set by PUT')
  })

  t.test('http: the HTTP status, Retry-After and body', async (t) => {
    const withRetry = simulator(t, { accounts: [{ ...MAIN, fault: { type: 'http', httpStatus: 503, retryAfter: 7 } }] })
    const busy = await withRetry.signed()
    t.equal(busy.statusCode, 503)
    t.equal(busy.headers['retry-after'], '7')
    t.equal(busy.headers['content-type'], 'text/plain')
    t.equal(busy.body, 'HTTP 503')

    const withBody = simulator(t, { accounts: [{ ...MAIN, fault: { type: 'http', httpStatus: 429, body: 'slow down' } }] })
    const slow = await withBody.signed()
    t.equal(slow.statusCode, 429)
    t.equal(slow.headers['retry-after'], undefined, 'no Retry-After unless asked for')
    t.equal(slow.body, 'slow down')

    const byPut = simulator(t)
    t.equal((await byPut.setFault({ type: 'http', httpStatus: 503, retryAfter: 7 })).statusCode, 200)
    const put = await byPut.signed()
    t.equal(put.statusCode, 503, 'set by PUT: status')
    t.equal(put.headers['retry-after'], '7', 'set by PUT: Retry-After')
    t.equal(put.body, 'HTTP 503', 'set by PUT: body')
  })

  t.test('delay: the normal answer, late', async (t) => {
    const delayMs = 80
    const atStart = simulator(t, { accounts: [{ ...MAIN, fault: { type: 'delay', delayMs } }] })
    let started = performance.now()
    let response = await atStart.signed()
    t.ok(performance.now() - started >= delayMs - 5, 'answered after the delay')
    t.equal(response.statusCode, 200)
    t.equal(response.body, MAIN_OK)

    const byPut = simulator(t)
    t.equal((await byPut.setFault({ type: 'delay', delayMs })).statusCode, 200)
    started = performance.now()
    response = await byPut.signed()
    t.ok(performance.now() - started >= delayMs - 5, 'set by PUT: answered after the delay')
    t.equal(response.body, MAIN_OK)
  })

  t.test('malformed: a body that is not valid JSON', async (t) => {
    const sim = simulator(t)
    await sim.setFault({ type: 'malformed' })
    const response = await sim.signed()
    t.equal(response.statusCode, 200)
    t.equal(response.headers['content-type'], JSON_TYPE)
    t.equal(response.body, '{"status":"0","reason":"success","balance":"99.9')
    t.throws(() => JSON.parse(response.body) as unknown, SyntaxError)
  })

  t.test('oversized: a valid answer of more than 64 KiB', async (t) => {
    const sim = simulator(t)
    await sim.setFault({ type: 'oversized' })
    const response = await sim.signed()
    t.equal(response.statusCode, 200)
    t.equal(response.headers['content-type'], JSON_TYPE)
    t.ok(Buffer.byteLength(response.body) > 64 * 1024, `${Buffer.byteLength(response.body)} bytes`)
    const { padding, ...rest } = response.json<Record<string, string>>()
    t.same(rest, { status: '0', reason: 'success', balance: '99.990000', gift: '50.00000', credit: '0' })
    t.equal(padding, 'x'.repeat(100 * 1024))
  })

  t.test('numbers: the figures as JSON numbers', async (t) => {
    const sim = simulator(t)
    await sim.setFault({ type: 'numbers' })
    const response = await sim.signed()
    t.equal(response.statusCode, 200)
    t.equal(response.body, '{"status":0,"reason":"success","balance":99.99,"gift":50,"credit":0}')
  })

  t.test('hang: never answers, other accounts still do, and closing does not wait for it', async (t) => {
    const sim = simulator(t)
    const base = await sim.app.listen({ port: 0, host: '127.0.0.1' })
    const url = `${base}/v3/getBalance`
    await sim.setFault({ type: 'hang' })

    t.same(await httpGet(url, headersOf(MAIN), 200), { error: 'CLIENT_TIMEOUT' }, 'no answer within 200 ms')
    const side = await httpGet(url, headersOf(SIDE), 2000)
    t.equal(side.status, 200)
    t.equal(side.body, SIDE_OK, 'another account answers while one hangs')

    const pending = httpGet(url, headersOf(MAIN), 10_000)
    await waitFor(async () => (await sim.requests('?account=main')).length === 2, 'the second hanging request to arrive')
    t.same((await sim.requests('?account=main')).map((r) => r.answer), ['fault:hang', 'fault:hang'])
    const started = performance.now()
    await sim.app.close()
    t.ok(performance.now() - started < 1000, 'close is not held up by the hanging request')
    t.same(await pending, { error: 'ECONNRESET' }, 'the hanging request ends without an answer when the server closes')
  })

  t.test('reset: the connection is destroyed without an answer', async (t) => {
    const sim = simulator(t)
    const base = await sim.app.listen({ port: 0, host: '127.0.0.1' })
    const url = `${base}/v3/getBalance`
    await sim.setFault({ type: 'reset', count: 1 })
    t.same(await httpGet(url, headersOf(MAIN), 2000), { error: 'ECONNRESET' })
    const next = await httpGet(url, headersOf(MAIN), 2000)
    t.equal(next.status, 200)
    t.equal(next.headers?.['content-type'], JSON_TYPE)
    t.equal(next.body, MAIN_OK, 'the fault is over after count requests')
    t.same((await sim.requests()).map((r) => r.answer), ['fault:reset', '0'])
  })

  t.test('count ends a fault after that many faulty answers', async (t) => {
    const sim = simulator(t)
    t.equal((await sim.setFault({ type: 'numbers', count: 2 })).statusCode, 200)
    t.equal((await sim.signed()).body, '{"status":0,"reason":"success","balance":99.99,"gift":50,"credit":0}')
    t.same((await sim.view()).fault, { type: 'numbers', count: 1 })
    t.equal((await sim.signed()).body, '{"status":0,"reason":"success","balance":99.99,"gift":50,"credit":0}')
    t.equal((await sim.view()).fault, null)
    t.equal((await sim.signed()).body, MAIN_OK)
  })

  t.test('probability: the injected random decides', async (t) => {
    const sim = simulator(t)
    await sim.setFault({ type: 'malformed', probability: 0.4 })
    sim.dice.value = 0.4
    t.equal((await sim.signed()).body, MAIN_OK, 'random() 0.4: no fault')
    sim.dice.value = 0.39
    t.equal((await sim.signed()).body, '{"status":"0","reason":"success","balance":"99.9', 'random() 0.39: fault')
    t.same((await sim.view()).fault, { type: 'malformed', probability: 0.4 }, 'stays set')
  })

  t.test('DELETE clears the fault', async (t) => {
    const sim = simulator(t)
    await sim.setFault({ type: 'malformed' })
    const deleted = await sim.app.inject({ method: 'DELETE', url: '/__sim/accounts/main/fault' })
    t.equal(deleted.statusCode, 204)
    t.equal(deleted.body, '')
    t.equal((await sim.view()).fault, null)
    t.equal((await sim.signed()).body, MAIN_OK)
    t.equal((await sim.app.inject({ method: 'DELETE', url: '/__sim/accounts/main/fault' })).statusCode, 204, 'again: nothing to clear')
  })

  t.test('a fault set at start shows in the control API and can be cleared', async (t) => {
    const sim = simulator(t, { accounts: [{ ...MAIN, fault: { type: 'status', status: '-13' } }] })
    t.same((await sim.view()).fault, { type: 'status', status: '-13' })
    await sim.app.inject({ method: 'DELETE', url: '/__sim/accounts/main/fault' })
    t.equal((await sim.signed()).body, MAIN_OK)
  })

  t.test('bad fault bodies are 400 and change nothing', async (t) => {
    const sim = simulator(t)
    const bad: Body[] = [
      {},
      [],
      { type: 'nope' },
      { type: 'status' },
      { type: 'status', status: 'abc' },
      { type: 'status', status: '-1234567890' },
      { type: 'http' },
      { type: 'http', httpStatus: 99 },
      { type: 'http', httpStatus: 600 },
      { type: 'http', httpStatus: 503, retryAfter: -1 },
      { type: 'delay' },
      { type: 'delay', delayMs: -1 },
      { type: 'delay', delayMs: 600_001 },
      { type: 'http', httpStatus: '503' },
      { type: 'status', status: -13 },
      { type: 'hang', probability: 1.5 },
      { type: 'hang', probability: -0.1 },
      { type: 'hang', count: 0 },
      { type: 'hang', count: 1.5 },
    ]
    for (const body of bad) {
      const response = await sim.setFault(body)
      t.equal(response.statusCode, 400, JSON.stringify(body))
      t.equal(response.json<{ code: string }>().code, 'FST_ERR_VALIDATION', JSON.stringify(body))
    }
    const notJson = await sim.app.inject({
      method: 'PUT', url: '/__sim/accounts/main/fault', headers: { 'content-type': 'application/json' }, payload: '{"type":"hang"',
    })
    t.equal(notJson.statusCode, 400, 'invalid JSON')
    t.equal(notJson.json<{ code: string }>().code, 'FST_ERR_CTP_INVALID_JSON_BODY')
    t.equal((await sim.view()).fault, null, 'no fault was set')
    t.equal((await sim.signed()).body, MAIN_OK)
  })

  t.test('unknown fields in a fault are rejected, not dropped', async (t) => {
    const sim = simulator(t)
    for (const body of [{ type: 'hang', bogus: 1 }, { type: 'status', status: '-18', httpStatus: 503 }, { type: 'delay', delayMs: 5, retryAfter: 1 }]) {
      const response = await sim.setFault(body)
      t.equal(response.statusCode, 400, JSON.stringify(body))
    }
    t.equal((await sim.view()).fault, null)
  })
})

t.test('unknown accounts are 404', async (t) => {
  const sim = simulator(t)
  const notFound = '{"error":"no such account"}'
  const calls = [
    { method: 'GET', url: '/__sim/accounts/nobody' },
    { method: 'PATCH', url: '/__sim/accounts/nobody', payload: { balance: 1 } },
    { method: 'PUT', url: '/__sim/accounts/nobody/fault', payload: { type: 'hang' } },
    { method: 'DELETE', url: '/__sim/accounts/nobody/fault' },
  ] as const
  for (const call of calls) {
    const response = await sim.app.inject(call)
    t.equal(response.statusCode, 404, `${call.method} ${call.url}`)
    t.equal(response.body, notFound, `${call.method} ${call.url}`)
  }
})

t.test('PATCH /__sim/accounts/:name', async (t) => {
  t.test('sets the figures, spending and drain order', async (t) => {
    const sim = simulator(t)
    const response = await sim.patch({ balance: 12.5, gift: 3, credit: 40, spendPerHour: 6, drainOrder: 'balance-first' })
    t.equal(response.statusCode, 200)
    const expected = { name: 'main', apiKey: 'key-main', balance: 12.5, gift: 3, credit: 40, spendPerHour: 6, drainOrder: 'balance-first', topUp: null, fault: null }
    t.same(response.json(), expected)
    t.same(await sim.view(), expected)
    t.equal((await sim.signed()).body, '{"status":"0","reason":"success","balance":"12.500000","gift":"3.00000","credit":"40"}')
    sim.clock.ms = NOW + 60 * MINUTE
    t.equal((await sim.signed()).body, '{"status":"0","reason":"success","balance":"6.500000","gift":"3.00000","credit":"40"}',
      'balance-first: spent from the balance')
    t.equal((await sim.patch({ drainOrder: 'gift-first' })).statusCode, 200, 'only drainOrder')
    sim.clock.ms = NOW + 90 * MINUTE
    t.equal((await sim.signed()).body, '{"status":"0","reason":"success","balance":"6.500000","gift":"0.00000","credit":"40"}',
      'gift-first: spent from the gift')
    t.same(await sim.view('side'), { name: 'side', apiKey: 'key-side', balance: 10, gift: 0, credit: 100, spendPerHour: 0, drainOrder: 'gift-first', topUp: null, fault: null },
      'other accounts unchanged')
  })

  t.test('spending up to the change uses the old rate', async (t) => {
    const sim = simulator(t, { accounts: [{ ...MAIN, spendPerHour: 36 }] })
    sim.clock.ms = NOW + 60 * MINUTE
    const response = await sim.patch({ spendPerHour: 72 })
    t.same(response.json(), { name: 'main', apiKey: 'key-main', balance: 99.99, gift: 14, credit: 0, spendPerHour: 72, drainOrder: 'gift-first', topUp: null, fault: null },
      '36 spent in the first hour at the old rate')
    sim.clock.ms = NOW + 70 * MINUTE
    t.equal((await sim.signed()).body, '{"status":"0","reason":"success","balance":"99.990000","gift":"2.00000","credit":"0"}')
  })

  t.test('a negative balance is allowed', async (t) => {
    const sim = simulator(t)
    t.equal((await sim.patch({ balance: -5, credit: 10 })).statusCode, 200)
    t.equal((await sim.signed()).body, '{"status":"0","reason":"success","balance":"-5.000000","gift":"50.00000","credit":"10"}')
  })

  t.test('topUp schedules top-ups from now; null removes them', async (t) => {
    const sim = simulator(t)
    sim.clock.ms = NOW + 5 * MINUTE
    const set = await sim.patch({ topUp: { everySeconds: 600, amount: 25 } })
    t.equal(set.statusCode, 200)
    t.same(set.json<Record<string, unknown>>().topUp, { everySeconds: 600, amount: 25 })
    sim.clock.ms = NOW + 15 * MINUTE - 1
    t.equal((await sim.signed()).body, MAIN_OK, 'not before 10 minutes from the change')
    sim.clock.ms = NOW + 15 * MINUTE
    t.equal((await sim.signed()).body, '{"status":"0","reason":"success","balance":"124.990000","gift":"50.00000","credit":"0"}')
    sim.clock.ms = NOW + 35 * MINUTE
    t.equal((await sim.signed()).body, '{"status":"0","reason":"success","balance":"174.990000","gift":"50.00000","credit":"0"}')

    const removed = await sim.patch({ topUp: null })
    t.equal(removed.statusCode, 200)
    t.equal(removed.json<Record<string, unknown>>().topUp, null)
    sim.clock.ms = NOW + 120 * MINUTE
    t.equal((await sim.signed()).body, '{"status":"0","reason":"success","balance":"174.990000","gift":"50.00000","credit":"0"}',
      'no more top-ups')
  })

  t.test('bad bodies are 400 and change nothing', async (t) => {
    const sim = simulator(t)
    const before = await sim.view()
    const bad: Body[] = [
      { gift: -1 },
      { credit: -1 },
      { spendPerHour: -1 },
      { balance: 'lots' },
      { drainOrder: 'random' },
      { topUp: { everySeconds: 0, amount: 1 } },
      { topUp: { everySeconds: 1e-7, amount: 1 } },
      { topUp: { everySeconds: 0.5, amount: 1 } },
      { topUp: { everySeconds: 60, amount: 0 } },
      { balance: null },
      { credit: true },
      { gift: '7' },
      { topUp: { everySeconds: 60 } },
      { topUp: 5 },
      [],
      'plain text',
    ]
    for (const body of bad) {
      const response = await sim.patch(body)
      t.equal(response.statusCode, typeof body === 'string' ? 415 : 400, JSON.stringify(body))
    }
    const notJson = await sim.app.inject({ method: 'PATCH', url: '/__sim/accounts/main', headers: { 'content-type': 'application/json' }, payload: '{"balance":' })
    t.equal(notJson.statusCode, 400, 'invalid JSON')
    t.equal(notJson.json<{ code: string }>().code, 'FST_ERR_CTP_INVALID_JSON_BODY')
    t.same(await sim.view(), before)
  })

  t.test('unknown fields are rejected', async (t) => {
    const sim = simulator(t)
    const before = await sim.view()
    for (const body of [{ balance: 1, apiSecret: 'new' }, { name: 'renamed' }, { apiKey: 'key-new' }, { topUp: { everySeconds: 60, amount: 1, at: 0 } }]) {
      t.equal((await sim.patch(body)).statusCode, 400, JSON.stringify(body))
    }
    t.same(await sim.view(), before, 'nothing changed')
    t.equal((await sim.signed()).body, MAIN_OK, 'the same key and secret still work')
  })
})

t.test('GET /__sim/accounts lists every account, never a secret', async (t) => {
  const sim = simulator(t, { accounts: [MAIN, { ...SIDE, drainOrder: 'balance-first', spendPerHour: 2, topUp: { everySeconds: 60, amount: 1 }, fault: { type: 'hang' } }] })
  const response = await sim.app.inject('/__sim/accounts')
  t.equal(response.statusCode, 200)
  t.same(response.json(), [
    { name: 'main', apiKey: 'key-main', balance: 99.99, gift: 50, credit: 0, spendPerHour: 0, drainOrder: 'gift-first', topUp: null, fault: null },
    { name: 'side', apiKey: 'key-side', balance: 10, gift: 0, credit: 100, spendPerHour: 2, drainOrder: 'balance-first', topUp: { everySeconds: 60, amount: 1 }, fault: { type: 'hang' } },
  ])
  t.notMatch(response.body, /apiSecret/i)
  t.notMatch(response.body, /SECRET-/)
  t.notMatch((await sim.app.inject('/__sim/accounts/main')).body, /SECRET-|apiSecret/i)
  t.notMatch((await sim.patch({ balance: 1 })).body, /SECRET-|apiSecret/i)
})

t.test('GET /__sim/requests', async (t) => {
  t.test('records time, account, headers, signature, skew and answer', async (t) => {
    const sim = simulator(t)
    const sent: Array<Record<string, string>> = []
    const send = async (atMs: number, headers: Record<string, string>) => {
      sim.clock.ms = atMs
      sent.push(headers)
      await sim.getBalance(headers)
    }
    await send(NOW, headersOf(MAIN, NOW - 10_000))
    await send(NOW + 1000, signedHeaders('key-nobody', 'whatever', NOW + 1000))
    await send(NOW + 2000, signedHeaders(MAIN.apiKey, 'wrong', NOW + 2000))
    await send(NOW + 3000, headersOf(SIDE, NOW + 3000 + 1801_000))
    await send(NOW + 4000, without(headersOf(MAIN, NOW + 4000), 'Timestamp'))
    await sim.setFault({ type: 'malformed', count: 1 })
    await send(NOW + 5000, headersOf(MAIN, NOW + 5000))

    const log = await sim.requests()
    t.same(log.map((r) => ({ time: r.time, account: r.account, signatureValid: r.signatureValid, timestampSkewSeconds: r.timestampSkewSeconds, answer: r.answer })), [
      { time: '2023-11-14T22:13:20.000Z', account: 'main', signatureValid: true, timestampSkewSeconds: 10, answer: '0' },
      { time: '2023-11-14T22:13:21.000Z', account: null, signatureValid: false, timestampSkewSeconds: 0, answer: '-1' },
      { time: '2023-11-14T22:13:22.000Z', account: 'main', signatureValid: false, timestampSkewSeconds: 0, answer: '-1' },
      { time: '2023-11-14T22:13:23.000Z', account: 'side', signatureValid: true, timestampSkewSeconds: -1801, answer: '-16' },
      { time: '2023-11-14T22:13:24.000Z', account: 'main', signatureValid: false, timestampSkewSeconds: null, answer: '-1' },
      { time: '2023-11-14T22:13:25.000Z', account: 'main', signatureValid: true, timestampSkewSeconds: 0, answer: 'fault:malformed' },
    ])
    t.equal(log.length, sent.length)
    log.forEach((entry, i) => {
      const lowercased = Object.fromEntries(Object.entries(sent[i]!).map(([k, v]) => [k.toLowerCase(), v]))
      t.hasStrict(entry.headers, lowercased, `entry ${i} records the headers as sent`)
    })
    t.notOk('timestamp' in log[4]!.headers, 'a missing header is not invented')
    t.notMatch(JSON.stringify(log), /SECRET-/, 'the secret itself is never in the log')
  })

  t.test('?account= filters, DELETE clears', async (t) => {
    const sim = simulator(t)
    await sim.signed(MAIN)
    await sim.signed(SIDE)
    await sim.signed(MAIN, NOW - 3600_000)
    await sim.getBalance(signedHeaders('key-nobody', 'x', NOW))
    t.same((await sim.requests('?account=main')).map((r) => [r.account, r.answer]), [['main', '0'], ['main', '-16']])
    t.same((await sim.requests('?account=side')).map((r) => [r.account, r.answer]), [['side', '0']])
    t.same(await sim.requests('?account=nobody'), [])
    t.equal((await sim.requests()).length, 4)

    const cleared = await sim.app.inject({ method: 'DELETE', url: '/__sim/requests' })
    t.equal(cleared.statusCode, 204)
    t.equal(cleared.body, '')
    t.same(await sim.requests(), [])
    await sim.signed(SIDE)
    t.same((await sim.requests()).map((r) => r.account), ['side'], 'records again after clearing')
  })

  t.test('keeps the last 1000 requests', async (t) => {
    const sim = simulator(t)
    for (let i = 0; i < 1005; i++) await sim.getBalance({ 'Api-Key': `unknown-${i}` })
    const log = await sim.requests()
    t.equal(log.length, 1000)
    t.equal(log[0]!.headers['api-key'], 'unknown-5', 'the oldest five are dropped')
    t.equal(log[999]!.headers['api-key'], 'unknown-1004', 'the newest is last')
  })
})
