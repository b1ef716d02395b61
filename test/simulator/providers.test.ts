// Each provider's base URL, from the configuration to a signed request the simulator accepts: the client's
// request to the provider's host is intercepted (nock: no real network) and handed, path and headers as
// sent, to the simulator, which checks the signature and answers on both path shapes.
import t from 'tap'
import nock from 'nock'
import { createBalanceClient } from '../../src/client/balance-client.js'
import { loadConfig } from '../../src/config/load.js'
import { createLogger } from '../../src/logger.js'
import { buildSimulator } from '../../src/simulator/app.js'
import type { ReceivedRequest } from '../../src/simulator/request-log.js'

nock.disableNetConnect()
t.afterEach(() => { nock.cleanAll() })

const KEY = 'key-main'
const SECRET = 'SECRET-main-4f2a'
// From the providers' own documentation pages (docs/providers.md), written out rather than read from the code.
const GET_BALANCE_URLS = {
  laaffic: 'https://api.laaffic.com/v3/getBalance',
  onbuka: 'https://api.onbuka.com/v3/getBalance',
  itniotech: 'https://api.itniotech.com/sms/getBalance',
}

async function simulator () {
  const app = buildSimulator({ accounts: [{ name: 'main', apiKey: KEY, apiSecret: SECRET, balance: 42, gift: 1, credit: 0 }], logger: createLogger('silent') })
  t.teardown(async () => { await app.close() })
  return app
}

/** Intercepts `url` and hands each request to the simulator; returns the paths that reached it. */
function forward (url: string, app: Awaited<ReturnType<typeof simulator>>): string[] {
  const { origin, pathname } = new URL(url)
  const reached: string[] = []
  nock(origin).get(pathname).reply(async (request: Request) => {
    reached.push(pathname)
    const headers = Object.fromEntries(request.headers.entries())
    const answer = await app.inject({ method: 'GET', url: pathname, headers })
    return [answer.statusCode, answer.body, { 'content-type': String(answer.headers['content-type']) }]
  })
  return reached
}

const client = () => createBalanceClient({ now: Date.now, requestTimeoutMs: 2000, retryBaseDelayMs: 5 })

t.test('each provider\'s URL gets a signed request to the path the simulator serves', async (t) => {
  const app = await simulator()
  for (const [provider, url] of Object.entries(GET_BALANCE_URLS)) {
    const [account] = loadConfig({ LAAFFIC_API_KEY: KEY, LAAFFIC_API_SECRET: SECRET, LAAFFIC_PROVIDER: provider }).accounts
    if (account === undefined) throw new Error('no account')
    const reached = forward(url, app)
    const result = await client().fetchBalance(account, { budgetMs: 5000 })
    t.same(result, { ok: true, values: { balance: 42, gift: 1, credit: 0 } }, `${provider}: the simulator accepted the signature`)
    t.same(reached, [new URL(url).pathname], `${provider}: ${url}`)
  }
  const log = (await app.inject('/__sim/requests')).json<ReceivedRequest[]>()
  t.same(log.map((r) => [r.account, r.signatureValid, r.answer]), [['main', true, '0'], ['main', true, '0'], ['main', true, '0']])
})

t.test('baseUrl overrides the provider\'s URL', async (t) => {
  const app = await simulator()
  const [account] = loadConfig({ LAAFFIC_ACCOUNTS_FILE: '/a.yml' }, () =>
    `accounts: [{name: main, apiKey: ${KEY}, apiSecret: ${SECRET}, provider: itniotech, baseUrl: "https://proxy.example/v3"}]`).accounts
  if (account === undefined) throw new Error('no account')
  const reached = forward('https://proxy.example/v3/getBalance', app)
  t.same(await client().fetchBalance(account, { budgetMs: 5000 }), { ok: true, values: { balance: 42, gift: 1, credit: 0 } })
  t.same(reached, ['/v3/getBalance'], 'the request went to baseUrl, not to api.itniotech.com')
})

t.test('the simulator answers getBalance on both path shapes, and nowhere else', async (t) => {
  const app = await simulator()
  for (const path of ['/v3/getBalance', '/sms/getBalance']) {
    const answer = await app.inject({ method: 'GET', url: path, headers: { 'api-key': KEY, timestamp: '1', sign: 'x' } })
    t.equal(answer.json<{ status: string }>().status, '-1', `${path}: a provider answer (a wrong Sign is -1)`)
  }
  t.equal((await app.inject('/v2/getBalance')).statusCode, 404)
})
