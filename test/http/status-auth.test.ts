import t, { type Test } from 'tap'
import bcrypt from 'bcryptjs'
import type { WebAuth } from '../../src/config/types.js'
import { account, okBody } from '../helpers/api.js'
import { buildTestApp } from '../helpers/app.js'
import { startFakeLaaffic } from '../helpers/fake-laaffic.js'

// The status page and its JSON show the money: they sit behind the same authentication as /metrics
// (src/http/auth.ts checks every path but /healthz and /readyz, before routing).
const TOKEN = 'CANARY-status-token-41c7'
const ROUTES = ['/', '/api/v1/accounts', '/metrics']

async function appWith (t: Test, auth: WebAuth) {
  const main = account('main')
  const api = await startFakeLaaffic([main])
  t.teardown(api.close)
  api.reply(main, { body: okBody() })
  const built = await buildTestApp(t, { accounts: [{ ...main, baseUrl: api.baseUrl }], web: { auth } })
  await built.firstPolls()
  return built.app
}

t.test('bearer token: the page and the JSON need it, as /metrics does', async (t) => {
  const app = await appWith(t, { type: 'bearer', token: TOKEN })
  for (const url of ROUTES) {
    for (const method of ['GET', 'HEAD'] as const) {
      for (const authorization of [undefined, 'Bearer wrong', `Basic ${TOKEN}`]) {
        const refused = await app.inject({ method, url, headers: authorization === undefined ? {} : { authorization } })
        t.equal(refused.statusCode, 401, `${method} ${url} with ${authorization ?? 'no header'}`)
        t.equal(refused.headers['www-authenticate'], 'Bearer realm="laaffic-exporter"')
        t.notMatch(refused.body, /main|99\.99/, 'nothing of the accounts in the refusal')
      }
      t.equal((await app.inject({ method, url, headers: { authorization: `Bearer ${TOKEN}` } })).statusCode, 200, `${method} ${url} with the token`)
    }
  }
  t.equal((await app.inject('/api/v1/accounts?x=/healthz')).statusCode, 401, 'a query string does not open it')
  t.equal((await app.inject('/api/v1/anything-new')).statusCode, 401, 'a path no route has is refused before it is looked up')
  t.equal((await app.inject({ url: '/api/v1/anything-new', headers: { authorization: `Bearer ${TOKEN}` } })).statusCode, 404)
  t.equal((await app.inject('/healthz')).statusCode, 200, '/healthz stays open')
  t.equal((await app.inject('/readyz')).statusCode, 200, '/readyz stays open')
})

t.test('basic auth: the page and the JSON need a user', async (t) => {
  const app = await appWith(t, { type: 'basic', users: new Map([['prometheus', bcrypt.hashSync('s3cret', 4)]]) })
  const basic = (password: string): string => `Basic ${Buffer.from(`prometheus:${password}`).toString('base64')}`
  for (const url of ROUTES) {
    t.equal((await app.inject(url)).statusCode, 401, `${url} without credentials`)
    t.equal((await app.inject({ url, headers: { authorization: basic('wrong') } })).statusCode, 401, `${url} with a wrong password`)
    t.equal((await app.inject({ url, headers: { authorization: basic('s3cret') } })).statusCode, 200, `${url} with the user`)
  }
})
