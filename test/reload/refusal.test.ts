// A refused reload changes nothing: not the accounts, not the authentication, not the certificate, even when
// only the last thing prepared fails (a key that does not match its certificate) or something unexpected is
// thrown. It is never fatal, and the same refusal is logged at error once.
import t from 'tap'
import { readFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { account, CANARY_SECRET } from '../helpers/api.js'
import { sample } from '../helpers/app.js'
import { testConfig } from '../helpers/config.js'
import { reloadable } from '../helpers/reloadable-app.js'
import { getOverTls } from '../helpers/tls-scrape.js'

const pem = (name: string): string => readFileSync(new URL(`../fixtures/tls/${name}`, import.meta.url), 'utf8')
const TLS = { clientAuth: 'NoClientCert', minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3', honorCipherOrder: true } as const
const REFUSED = 'configuration reload refused: the running configuration stays'

t.test('a key that does not match its certificate refuses the whole reload: accounts, authentication and certificate stay', async (t) => {
  const trusted = [pem('self-signed.crt'), pem('ca.crt')]
  const first = testConfig({ accounts: [account('main')], web: { headers: {}, tls: { ...TLS, cert: pem('self-signed.crt'), key: pem('self-signed.key') } } })
  const { app, next, logs } = await reloadable(t, first)
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as AddressInfo
  const before = await getOverTls(port, trusted)
  t.equal(sample(before.body, 'laaffic_balance_warning_threshold{account="main"}'), 100)

  // Everything changes, and the certificate was renewed before its key: the pair does not match.
  next.config = testConfig({
    accounts: [account('other')],
    web: { headers: { 'X-Frame-Options': 'deny' }, auth: { type: 'bearer', token: CANARY_SECRET }, tls: { ...TLS, cert: pem('server.crt'), key: pem('self-signed.key') } },
  })
  const result = await app.reloadConfig('file change')
  t.same(result, { ok: false, problems: ['TLS: the key does not match the certificate: the running certificate serves until the new files form a pair'] })
  const after = await getOverTls(port, trusted)
  t.equal(after.status, 200, 'no authentication asked for: the bearer token was not switched on')
  t.equal(after.fingerprint, before.fingerprint, 'the old certificate serves')
  t.equal(sample(after.body, 'laaffic_balance_warning_threshold{account="main"}'), 100, 'the running account goes on')
  t.notMatch(after.body, /account="other"/, 'the new account was not added')
  t.equal(sample(after.body, 'laaffic_config_last_reload_successful'), 0)
  t.same(logs.records.filter((r) => r.msg === REFUSED).map((r) => [r.level, r.trigger, r.problems]), [[50, 'file change', result.ok ? [] : result.problems]], 'one error line naming the problem')
  t.notMatch(logs.lines.join('\n'), /PRIVATE KEY|BEGIN CERTIFICATE/, 'no key or certificate in the logs')

  // The key arrives: everything applies at once.
  next.config = { ...next.config, web: { ...next.config.web, tls: { ...TLS, cert: pem('server.crt'), key: pem('server.key') } } }
  t.same(await app.reloadConfig('file change'), { ok: true })
  const renewed = await getOverTls(port, trusted, { path: '/healthz' })
  t.not(renewed.fingerprint, before.fingerprint, 'the new certificate serves')
  t.equal((await getOverTls(port, trusted)).status, 401, 'the bearer token is now asked for')
})

t.test('an unexpected exception while reloading is a refusal, never a crash', async (t) => {
  const { app, next, logs, scrape } = await reloadable(t, testConfig({}))
  await app.ready()
  next.error = new TypeError('Cannot read properties of undefined (reading \'accounts\')')
  const result = await app.reloadConfig('SIGHUP')
  t.same(result, { ok: false, problems: ['unexpected error while reading the configuration: TypeError: Cannot read properties of undefined (reading \'accounts\')'] })
  t.equal(sample(await scrape(), 'laaffic_config_last_reload_successful'), 0)
  t.match(logs.records.filter((r) => r.msg === REFUSED), [{ level: 50, trigger: 'SIGHUP' }])
  next.error = undefined
  t.same(await app.reloadConfig('SIGHUP'), { ok: true }, 'the next good reload applies')
  t.equal(sample(await scrape(), 'laaffic_config_last_reload_successful'), 1)
})

t.test('the same refusal is logged at error once; another one, or the same after a success, again', async (t) => {
  const { app, next, logs, scrape } = await reloadable(t, testConfig({}))
  await app.ready()
  const errorLines = (): unknown[] => logs.records.filter((r) => r.msg === REFUSED).map((r) => r.problems)
  const bad = ['LAAFFIC_ACCOUNTS_FILE: accounts[0]: unknown field "colour"']
  const worse = ['LAAFFIC_ACCOUNTS_FILE: accounts[0].apiKey is required']
  next.problems = bad
  for (const trigger of ['file change', 'SIGHUP', 'HTTP'] as const) {
    t.same(await app.reloadConfig(trigger), { ok: false, problems: bad }, `${trigger} is answered with the problems`)
  }
  t.same(errorLines(), [bad], 'one error line for three refusals of the same files')
  t.same(logs.records.filter((r) => r.level === 20 && String(r.msg).startsWith('configuration reload refused again')).map((r) => r.trigger), ['SIGHUP', 'HTTP'], 'the repeats at debug')
  t.equal(sample(await scrape(), 'laaffic_config_last_reload_successful'), 0, 'the metric stays 0')
  next.problems = worse
  await app.reloadConfig('file change')
  next.problems = bad
  await app.reloadConfig('file change')
  t.same(errorLines(), [bad, worse, bad], 'a different refusal is logged, and so is the first one coming back')
  next.problems = undefined
  await app.reloadConfig('SIGHUP')
  next.problems = bad
  await app.reloadConfig('SIGHUP')
  t.same(errorLines(), [bad, worse, bad, bad], 'after a success the same refusal is news again')
})
