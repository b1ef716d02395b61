import t from 'tap'
import { readFileSync } from 'node:fs'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { createBalanceClient, type BalanceClientOptions } from '../../src/client/balance-client.js'
import { account, okBody, steppingClock } from '../helpers/api.js'
import { startStubServer } from '../helpers/stub-server.js'
import { waitFor } from '../helpers/wait.js'

// Faults over a real loopback socket (no nock in this process).
function client (overrides: Partial<BalanceClientOptions> = {}) {
  return createBalanceClient({ now: steppingClock(1_700_000_000_000, 7_000), requestTimeoutMs: 1000, retryBaseDelayMs: 5, ...overrides })
}
const fetchOptions = { budgetMs: 60_000 }
/** `127.0.0.1:PORT` of a stub server, as a failure's reason names it. */
const hostOf = (baseUrl: string): string => new URL(baseUrl).host

t.test('timeouts are retried, then reported as timeout', async (t) => {
  const hanging = await startStubServer(() => { /* never answers */ })
  t.teardown(hanging.close)
  let attempts = 0
  // 300 ms, not less: the stub server shares this event loop, and after a stall Node runs due timers before it
  // reads sockets, so a shorter timeout could abort an attempt the server has not read yet.
  const result = await client({ requestTimeoutMs: 300 })
    .fetchBalance(account('main', { baseUrl: hanging.baseUrl }), { ...fetchOptions, onAttempt: () => { attempts++ } })
  t.same(result, { ok: false, status: 'timeout', reason: `no answer from ${hostOf(hanging.baseUrl)} within request timeout` })
  t.equal(attempts, 3)
  t.equal(hanging.requests.length, 3)
})

t.test('connection errors are retried, then reported as network', async (t) => {
  const resetting = await startStubServer((req) => { req.socket.destroy() })
  t.teardown(resetting.close)
  const result = await client().fetchBalance(account('main', { baseUrl: resetting.baseUrl }), fetchOptions)
  t.same(result, { ok: false, status: 'network', reason: `ECONNRESET ${hostOf(resetting.baseUrl)}` })
  t.equal(resetting.requests.length, 3)

  await resetting.close()
  const refused = await client().fetchBalance(account('main', { baseUrl: resetting.baseUrl }), fetchOptions)
  t.same(refused, { ok: false, status: 'network', reason: `ECONNREFUSED ${hostOf(resetting.baseUrl)}` })
})

t.test('a host that does not resolve is named with the port the URL implies', async (t) => {
  // .invalid never resolves (RFC 6761); a resolver that cannot be reached answers EAI_AGAIN instead.
  const result = await client().fetchBalance(account('main', { baseUrl: 'https://api.laaffic.invalid/v3' }), fetchOptions)
  t.match(result, { ok: false, status: 'network', reason: /^(ENOTFOUND|EAI_AGAIN) api\.laaffic\.invalid:443$/ })
})

t.test('an abort during a hanging request returns at once', async (t) => {
  const hanging = await startStubServer(() => { /* never answers */ })
  t.teardown(hanging.close)
  const controller = new AbortController()
  const pending = client({ requestTimeoutMs: 10_000 })
    .fetchBalance(account('main', { baseUrl: hanging.baseUrl }), { ...fetchOptions, signal: controller.signal })
  // Throws if the request never reaches the server: then there is nothing in flight for the abort to cut.
  await waitFor(() => hanging.requests.length === 1, 'the request to hang on the server')
  const started = Date.now()
  controller.abort()
  t.same(await pending, { ok: false, status: 'aborted', reason: 'exporter stopping' })
  t.equal(hanging.requests.length, 1, 'the hanging request was the only one: no retry after the abort')
  // Without the abort it would wait for the 10 s request timeout (and retry).
  t.ok(Date.now() - started < 5000, `returned in ${Date.now() - started} ms, long before the 10 s timeout`)
})

t.test('a real server answering well gives values', async (t) => {
  const good = await startStubServer((req, res) => { res.end(okBody('12.5', '0', '100')) })
  t.teardown(good.close)
  const result = await client({ now: Date.now }).fetchBalance(account('main', { baseUrl: good.baseUrl }), fetchOptions)
  t.match(result, { ok: true, values: { balance: 12.5, gift: 0, credit: 100 } })
  // Node's server sends its Date: the same clock here, so the skew is within the header's 1 s resolution.
  t.ok(Math.abs(result.clockSkewSeconds ?? Infinity) <= 1, `clock skew ${result.clockSkewSeconds} s`)
})

t.test('TLS is verified: a self-signed certificate is refused, and nothing is sent over it', async (t) => {
  // test/fixtures/tls holds a self-signed certificate for 127.0.0.1, made for this test only.
  const tls = {
    cert: readFileSync(new URL('../fixtures/tls/self-signed.crt', import.meta.url)),
    key: readFileSync(new URL('../fixtures/tls/self-signed.key', import.meta.url)),
  }
  let requests = 0
  const server = createHttpsServer(tls, (_req, res) => { requests++; res.end(okBody()) })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => { server.close() })
  const { port } = server.address() as AddressInfo
  const result = await client().fetchBalance(account('main', { baseUrl: `https://127.0.0.1:${port}/v3` }), fetchOptions)
  t.same(result, { ok: false, status: 'network', reason: `DEPTH_ZERO_SELF_SIGNED_CERT 127.0.0.1:${port}` })
  t.equal(requests, 0, 'no request reached the server')
})
