import t, { type Test } from 'tap'
import bcrypt from 'bcryptjs'
import { loadConfig } from '../../src/config/load.js'
import { pem } from '../helpers/web-client.js'
import { account, okBody } from '../helpers/api.js'
import { buildTestApp } from '../helpers/app.js'
import { startFakeLaaffic } from '../helpers/fake-laaffic.js'

const TOKEN = 'CANARY-bearer-5d0c9a'
const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`

async function appWith (t: Test, web: Parameters<typeof buildTestApp>[1]['web']) {
  const main = account('main')
  const api = await startFakeLaaffic([main])
  t.teardown(api.close)
  api.reply(main, { body: okBody() })
  return await buildTestApp(t, { accounts: [{ ...main, baseUrl: api.baseUrl }], web })
}

t.test('bearer token: /metrics and / need it; /healthz and /readyz stay open', async (t) => {
  const { app, logs, firstPolls } = await appWith(t, { auth: { type: 'bearer', token: TOKEN } })
  await firstPolls()
  for (const url of ['/metrics', '/']) {
    for (const authorization of [undefined, 'Bearer wrong', `Bearer ${TOKEN}x`, `Basic ${TOKEN}`, TOKEN, 'Bearer ']) {
      const response = await app.inject({ url, headers: authorization === undefined ? {} : { authorization } })
      t.equal(response.statusCode, 401, `${url} with ${authorization ?? 'no header'}`)
      t.equal(response.headers['www-authenticate'], 'Bearer realm="laaffic-exporter"')
      t.equal(response.body, 'unauthorized\n')
    }
    const ok = await app.inject({ url, headers: { authorization: `Bearer ${TOKEN}` } })
    t.equal(ok.statusCode, 200, `${url} with the token`)
    t.equal((await app.inject({ url, headers: { authorization: `bearer ${TOKEN}` } })).statusCode, 200, 'the scheme is case-insensitive')
  }
  t.equal((await app.inject('/healthz')).statusCode, 200)
  t.equal((await app.inject('/readyz')).statusCode, 200)
  t.equal((await app.inject('/readyz?x=1')).statusCode, 200)
  t.equal((await app.inject('/metrics?x=/healthz')).statusCode, 401, 'a query string does not open a route')
  t.notMatch(logs.lines.join('\n'), TOKEN, 'the token is never logged')

  // trustProxy is off: a client cannot pose as another address with X-Forwarded-For.
  await app.inject({ url: '/metrics', headers: { 'x-forwarded-for': '203.0.113.9' }, remoteAddress: '127.0.0.7' })
  t.match(logs.records.findLast((r) => r.msg === 'unauthorized request'), { remoteAddress: '127.0.0.7' })
})

t.test('basic auth with bcrypt hashes; an unknown user is checked against a fake hash', async (t) => {
  const users = new Map([['prometheus', bcrypt.hashSync('s3cret', 4)], ['grafana', bcrypt.hashSync('other', 4)]])
  const compared: string[] = []
  const original = bcrypt.compare.bind(bcrypt)
  // Watch which hashes are compared, to see that an unknown user costs a comparison too.
  t.intercept(bcrypt, 'compare', { value: async (password: string, hash: string) => { compared.push(hash); return await original(password, hash) } })
  const { app } = await appWith(t, { auth: { type: 'basic', users } })

  const cases: Array<[string | undefined, number]> = [
    [undefined, 401],
    [basic('prometheus', 'wrong'), 401],
    [basic('nobody', 's3cret'), 401],
    [basic('prometheus', ''), 401],
    ['Basic !!!', 401],
    [`Basic ${Buffer.from('no-colon').toString('base64')}`, 401],
    [`Bearer ${TOKEN}`, 401],
    [basic('prometheus', 's3cret'), 200],
    [basic('grafana', 'other'), 200],
  ]
  for (const [authorization, status] of cases) {
    const response = await app.inject({ url: '/metrics', headers: authorization === undefined ? {} : { authorization } })
    t.equal(response.statusCode, status, authorization ?? 'no header')
    if (status === 401) t.equal(response.headers['www-authenticate'], 'Basic realm="laaffic-exporter", charset="UTF-8"')
  }
  const known = [...users.values()]
  t.equal(compared.filter((hash) => !known.includes(hash)).length, 1, 'the unknown user was compared against a fake hash')

  compared.length = 0
  t.equal((await app.inject({ url: '/metrics', headers: { authorization: basic('prometheus', 's3cret') } })).statusCode, 200)
  t.same(compared, [], 'a verified password is remembered: no second bcrypt comparison')
  t.equal((await app.inject({ url: '/metrics', headers: { authorization: basic('prometheus', 'wrong') } })).statusCode, 401)
  t.equal(compared.length, 1, 'a wrong password is always compared')
})

t.test('the auth variables: one mode at a time, clear errors, the token never echoed', async (t) => {
  const base = { LAAFFIC_API_KEY: 'k', LAAFFIC_API_SECRET: 's' }
  const hash = bcrypt.hashSync('pw', 4)
  const files: Record<string, string> = {
    '/token': `${TOKEN}\n`,
    '/users': `# comment\n\nprometheus:${hash}\n`,
    '/bad-users': `prometheus:${hash}\nplain:password\nprometheus:${hash}\njust-a-name\n`,
    '/server.crt': pem('server.crt'),
    '/server.key': pem('server.key'),
    '/ca.crt': pem('ca.crt'),
    '/empty-users': '# nobody\n',
  }
  const readFile = (path: string): string => {
    const content = files[path]
    if (content === undefined) throw Object.assign(new Error('nope'), { code: 'ENOENT' })
    return content
  }
  const problems = (env: Record<string, string>): string[] => {
    try {
      loadConfig({ ...base, ...env }, readFile)
      return []
    } catch (err) {
      return (err as { problems: string[] }).problems
    }
  }
  t.same(loadConfig({ ...base, METRICS_BEARER_TOKEN_FILE: '/token' }, readFile).web, { headers: {}, auth: { type: 'bearer', token: TOKEN } })
  t.same(loadConfig({ ...base, METRICS_BASIC_AUTH_USERS_FILE: '/users' }, readFile).web,
    { headers: {}, auth: { type: 'basic', users: new Map([['prometheus', hash]]) } })
  t.same(problems({ METRICS_BEARER_TOKEN: TOKEN, METRICS_BASIC_AUTH_USERS_FILE: '/users' }),
    ['METRICS_BASIC_AUTH_USERS_FILE cannot be combined with METRICS_BEARER_TOKEN(_FILE): choose one'])
  t.same(problems({ METRICS_BEARER_TOKEN: TOKEN, METRICS_BEARER_TOKEN_FILE: '/token' }),
    ['METRICS_BEARER_TOKEN and METRICS_BEARER_TOKEN_FILE are both set: set only one'])
  t.same(problems({ METRICS_BASIC_AUTH_USERS_FILE: '/bad-users' }), [
    'METRICS_BASIC_AUTH_USERS_FILE: line 3: user "prometheus" appears twice',
    'METRICS_BASIC_AUTH_USERS_FILE: line 4 is not "user:bcrypt-hash" (make one with: htpasswd -nbBC 10 user \'password\')',
    'METRICS_BASIC_AUTH_USERS_FILE: line 2: the password hash of "plain" is not a bcrypt hash (make one with: htpasswd -nbBC 10 "" \'password\' | tr -d \':\\n\')',
  ])
  t.same(problems({ METRICS_BASIC_AUTH_USERS_FILE: '/empty-users' }), ['METRICS_BASIC_AUTH_USERS_FILE: "/empty-users" holds no users'])
  t.same(problems({ METRICS_BASIC_AUTH_USERS_FILE: '/missing' }), ['METRICS_BASIC_AUTH_USERS_FILE: cannot read "/missing" (ENOENT)'])
  t.same(problems({ METRICS_BEARER_TOKEN: TOKEN, PORT: 'x' }), ['PORT: must be a whole number (got "x")'])
  t.same(problems({ TLS_CERT_FILE: '/token' }), ['TLS_CERT_FILE and TLS_KEY_FILE go together: set both or neither'])
  t.same(problems({ TLS_CERT_FILE: '/token', TLS_KEY_FILE: '/users' }), [
    'TLS_CERT_FILE: "/token" holds no PEM certificate',
    'TLS_KEY_FILE: "/users" holds no PEM private key',
  ])
  // The shorthands go through the web config file's checks: a key that is not the certificate's is refused.
  t.same(problems({ TLS_CERT_FILE: '/ca.crt', TLS_KEY_FILE: '/server.key' }), [
    'TLS_CERT_FILE and TLS_KEY_FILE: the certificate and the key do not belong together (is one of them a renewed one and the other not yet?)',
  ])
  t.match(loadConfig({ ...base, TLS_CERT_FILE: '/server.crt', TLS_KEY_FILE: '/server.key' }, readFile).web.tls,
    { cert: pem('server.crt'), clientAuth: 'NoClientCert', minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3', honorCipherOrder: true })
})
