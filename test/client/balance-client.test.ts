import t from 'tap'
import nock from 'nock'
import { MAX_ANSWER_BYTES } from '../../src/api/answer.js'
import { createBalanceClient, type BalanceClientOptions } from '../../src/client/balance-client.js'
import { account, BASE_URL, CANARY_SECRET, expectedSign, okBody, statusBody, steppingClock } from '../helpers/api.js'

// Timeouts and connection faults are in balance-client.sockets.test.ts: nock's interceptor
// leaves got's timeout errors unhandled, and a real socket is the faithful test anyway.
nock.disableNetConnect()
t.afterEach(() => { nock.cleanAll() })

const ORIGIN = new URL(BASE_URL).origin
const PATH = '/v3/getBalance'

interface Seen { apiKey: string | null, timestamp: string | null, sign: string | null }

/** Replies in turn with each given reply, recording the signed headers of every request. */
function api (...replies: Array<[number, string, Record<string, string>?]>): Seen[] {
  const seen: Seen[] = []
  const scope = nock(ORIGIN)
  for (const [status, body, headers] of replies) {
    scope.get(PATH).reply((request: unknown) => {
      const h = (request as Request).headers
      seen.push({ apiKey: h.get('api-key'), timestamp: h.get('timestamp'), sign: h.get('sign') })
      return [status, body, headers ?? {}]
    })
  }
  return seen
}

function client (overrides: Partial<BalanceClientOptions> = {}) {
  return createBalanceClient({ now: steppingClock(1_700_000_000_000, 7_000), requestTimeoutMs: 1000, retryBaseDelayMs: 5, ...overrides })
}

const main = account('main')
const fetchOptions = { budgetMs: 60_000 }

t.test('a good answer becomes values', async (t) => {
  api([200, okBody('99.990000', '50.00000', '0')])
  t.same(await client().fetchBalance(main, fetchOptions), { ok: true, values: { balance: 99.99, gift: 50, credit: 0 } })
})

t.test('every attempt is signed afresh, retries included', async (t) => {
  const seen = api([503, 'busy'], [502, 'bad gateway'], [200, okBody()])
  let attempts = 0
  const result = await client().fetchBalance(main, { ...fetchOptions, onAttempt: () => { attempts++ } })
  t.equal(result.ok, true)
  t.equal(attempts, 3)
  t.equal(seen.length, 3)
  t.equal(new Set(seen.map((s) => s.timestamp)).size, 3, 'three different Timestamps')
  for (const s of seen) {
    t.equal(s.apiKey, main.apiKey)
    t.match(s.timestamp, /^\d{10}$/)
    t.equal(s.sign, expectedSign(main.apiKey, main.apiSecret, s.timestamp as string), `Sign matches Timestamp ${s.timestamp}`)
  }
})

t.test('5xx and 429 are retried at most twice', async (t) => {
  api([500, 'x'], [500, 'x'], [500, 'x'])
  const scope = nock(ORIGIN).get(PATH).reply(200, okBody())
  let attempts = 0
  t.same(await client().fetchBalance(main, { ...fetchOptions, onAttempt: () => { attempts++ } }),
    { ok: false, status: 'http_500', reason: 'HTTP 500' })
  t.equal(attempts, 3)
  t.notOk(scope.isDone(), 'no fourth request')
  nock.cleanAll()

  api([429, 'slow down'], [200, okBody('5')])
  t.same(await client().fetchBalance(main, fetchOptions), { ok: true, values: { balance: 5, gift: 50, credit: 0 } })
})

t.test('Retry-After is honoured, and never past the poll interval', async (t) => {
  api([429, 'slow down', { 'Retry-After': '1' }], [200, okBody()])
  const started = Date.now()
  const result = await client({ now: Date.now }).fetchBalance(main, fetchOptions)
  t.equal(result.ok, true)
  t.ok(Date.now() - started >= 950, 'waited the second the API asked for')

  api([429, 'slow down', { 'Retry-After': '0' }], [200, okBody()])
  t.equal((await client().fetchBalance(main, fetchOptions)).ok, true, 'Retry-After: 0 is retried')

  let attempts = 0
  api([429, 'slow down', { 'Retry-After': '120' }])
  t.same(await client().fetchBalance(main, { budgetMs: 60_000, onAttempt: () => { attempts++ } }),
    { ok: false, status: 'http_429', reason: 'HTTP 429', retryAfterMs: 120_000 }, 'the wait asked for is passed on to the poller')
  t.equal(attempts, 1, 'a Retry-After beyond the interval is not waited for')

  attempts = 0
  api([503, 'x'], [200, okBody()])
  t.equal((await client({ now: Date.now, retryBaseDelayMs: 1000 }).fetchBalance(main, { budgetMs: 500, onAttempt: () => { attempts++ } })).ok, false)
  t.equal(attempts, 1, 'a backoff beyond the interval is not waited for')
})

t.test('API status errors arrive as HTTP 200 and are not retried', async (t) => {
  for (const status of ['-1', '-2', '-13', '-16', '-18', '-15', '7']) {
    let attempts = 0
    api([200, statusBody(status, `reason ${status}`)])
    t.same(await client().fetchBalance(main, { ...fetchOptions, onAttempt: () => { attempts++ } }),
      { ok: false, status, reason: `reason ${status}` })
    t.equal(attempts, 1, `${status} not retried`)
  }
})

t.test('4xx other than 429 and redirects are failures without retry', async (t) => {
  for (const code of [400, 401, 403, 404, 302]) {
    let attempts = 0
    api([code, 'no', code === 302 ? { Location: 'https://elsewhere.test/' } : {}])
    const result = await client().fetchBalance(main, { ...fetchOptions, onAttempt: () => { attempts++ } })
    t.same(result, { ok: false, status: `http_${code}`, reason: `HTTP ${code}` })
    t.equal(attempts, 1)
  }
})

t.test('bodies over 64 KiB are refused', async (t) => {
  const huge = JSON.stringify({ status: '0', balance: '1', padding: 'x'.repeat(MAX_ANSWER_BYTES) })
  api([200, huge])
  const result = await client().fetchBalance(main, fetchOptions)
  t.same(result, { ok: false, status: 'invalid_response', reason: `body larger than ${MAX_ANSWER_BYTES} bytes` })
})

t.test('no result carries the secret or a Sign value', async (t) => {
  const seen = api([500, 'x'], [500, 'x'], [500, 'x'], [200, statusBody('-1', 'auth failed')], [200, 'not json'])
  const results = []
  for (let i = 0; i < 3; i++) results.push(await client().fetchBalance(main, fetchOptions))
  const text = JSON.stringify(results)
  t.equal(seen.length, 5)
  t.notMatch(text, CANARY_SECRET)
  for (const s of seen) t.notMatch(text, s.sign ?? 'no sign header')
})
