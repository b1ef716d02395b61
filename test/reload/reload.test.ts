// A reload in process (app.reloadConfig, what SIGHUP, POST /-/reload and a file change call): whole or not
// at all, unchanged accounts keep their state, new certificates for the next handshake.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { Agent, request as httpsRequest } from 'node:https'
import type { AddressInfo } from 'node:net'
import type { TLSSocket } from 'node:tls'
import { account, CANARY_SECRET, okBody } from '../helpers/api.js'
import { sample } from '../helpers/app.js'
import { testConfig } from '../helpers/config.js'
import { startFakeLaaffic } from '../helpers/fake-laaffic.js'
import { reloadable } from '../helpers/reloadable-app.js'
import { waitFor } from '../helpers/wait.js'

const pem = (name: string): string => readFileSync(new URL(`../fixtures/tls/${name}`, import.meta.url), 'utf8')

t.test('a good configuration applies at once: kept, rotated, added and removed accounts', async (t) => {
  const [keep, rotate, drop, add] = ['keep', 'rotate', 'drop', 'add'].map((name) => account(name)) as [ReturnType<typeof account>, ReturnType<typeof account>, ReturnType<typeof account>, ReturnType<typeof account>]
  const rotated = { ...rotate, apiSecret: `${CANARY_SECRET}-new` }
  // The API knows the rotated secret only: the running one is refused with -1 until the reload.
  const api = await startFakeLaaffic([keep, rotated, drop, add])
  t.teardown(api.close)
  for (const a of [keep, rotated, drop, add]) api.reply(a, { body: okBody('10') })
  const at = (a: typeof keep): typeof keep => ({ ...a, baseUrl: api.baseUrl })
  const { app, next, logs, scheduler, scrape, tick } = await reloadable(t, testConfig({ accounts: [at(keep), at(rotate), at(drop)] }))
  await app.ready()
  await waitFor(() => scheduler.pending.length === 3, 'the first polls')
  const before = await scrape()
  t.equal(sample(before, 'laaffic_up{account="rotate"}'), 0, 'the old secret is refused')
  t.equal(sample(before, 'laaffic_poll_errors_total{account="rotate",status="-1"}'), 1)

  tick(5000)
  next.config = testConfig({ accounts: [at(keep), at(rotated), at(add)] })
  t.same(await app.reloadConfig('HTTP'), { ok: true })
  await waitFor(async () => sample(await scrape(), 'laaffic_up{account="add"}') === 1 && sample(await scrape(), 'laaffic_up{account="rotate"}') === 1,
    'the added and the rotated account polled without waiting for a timer')
  const after = await scrape()
  t.equal(sample(after, 'laaffic_polls_total{account="keep"}'), 1, 'the unchanged account keeps its counter and is not polled again')
  t.equal(sample(after, 'laaffic_balance{account="keep"}'), 10)
  t.equal(sample(after, 'laaffic_poll_errors_total{account="rotate",status="-1"}'), 1, 'the rotated account keeps its history')
  t.equal(sample(after, 'laaffic_polls_total{account="rotate"}'), 2)
  t.notMatch(after, /account="drop"/, 'every series of the removed account is gone')
  t.equal(sample(after, 'laaffic_config_last_reload_successful'), 1)
  t.equal(sample(after, 'laaffic_config_last_reload_success_timestamp_seconds'), 1_700_000_005)
  t.match(logs.records.find((r) => r.msg === 'configuration reloaded'), { trigger: 'HTTP', added: ['add'], removed: ['drop'], credentialsChanged: ['rotate'] })
  t.notMatch(logs.lines.join('\n'), CANARY_SECRET, 'no secret in the logs')
})

t.test('a bad configuration is refused whole: the running one continues', async (t) => {
  const main = account('main')
  const api = await startFakeLaaffic([main])
  t.teardown(api.close)
  api.reply(main, { body: okBody('10') })
  const { app, next, logs, scheduler, scrape, tick } = await reloadable(t, testConfig({ accounts: [{ ...main, baseUrl: api.baseUrl }] }))
  await app.ready()
  await waitFor(() => scheduler.pending.length === 1, 'the first poll')
  tick(1000)
  next.problems = ['LAAFFIC_ACCOUNTS_FILE: accounts[0].apiKey is required']
  t.same(await app.reloadConfig('SIGHUP'), { ok: false, problems: ['LAAFFIC_ACCOUNTS_FILE: accounts[0].apiKey is required'] })
  const text = await scrape()
  t.equal(sample(text, 'laaffic_config_last_reload_successful'), 0)
  t.equal(sample(text, 'laaffic_config_last_reload_success_timestamp_seconds'), 1_700_000_000, 'the start stays the last success')
  t.equal(sample(text, 'laaffic_balance{account="main"}'), 10, 'the running accounts go on')
  t.match(logs.records.find((r) => r.level === 50), { msg: /reload refused/, trigger: 'SIGHUP', problems: ['LAAFFIC_ACCOUNTS_FILE: accounts[0].apiKey is required'] })

  next.problems = undefined
  next.config = testConfig({ web: { tls: { cert: pem('server.crt'), key: pem('server.key'), clientAuth: 'NoClientCert', minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3', honorCipherOrder: true } } })
  t.same(await app.reloadConfig('HTTP'), { ok: false, problems: ['TLS can only be switched on by a restart (the server is HTTP)'] })
})

/** GET /healthz over HTTPS through `agent`; the status, the server certificate's fingerprint, and whether the socket was reused. */
async function get (port: number, agent: Agent): Promise<{ status: number, fingerprint: string, reused: boolean }> {
  return await new Promise((resolve, reject) => {
    const req = httpsRequest({ host: '127.0.0.1', port, path: '/healthz', agent }, (res) => {
      res.resume()
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, fingerprint: (req.socket as TLSSocket).getPeerCertificate().fingerprint256, reused: req.reusedSocket }) })
    })
    req.on('error', reject)
    req.end()
  })
}

t.test('new certificates serve the next handshake; an open connection goes on', async (t) => {
  const tls = { clientAuth: 'NoClientCert', minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3', honorCipherOrder: true } as const
  const first = testConfig({ web: { tls: { ...tls, cert: pem('self-signed.crt'), key: pem('self-signed.key') } } })
  const { app, next } = await reloadable(t, first)
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as AddressInfo
  const keptOpen = new Agent({ keepAlive: true, maxSockets: 1, ca: pem('self-signed.crt') })
  const fresh = new Agent({ keepAlive: false, ca: pem('ca.crt') })
  t.teardown(() => { keptOpen.destroy(); fresh.destroy() })
  const old = await get(port, keptOpen)
  next.config = testConfig({ web: { tls: { ...tls, cert: pem('server.crt'), key: pem('server.key') } } })
  t.same(await app.reloadConfig('file change'), { ok: true })
  const renewed = await get(port, fresh)
  t.equal(renewed.status, 200, 'a new connection trusting only the new CA is served')
  t.not(renewed.fingerprint, old.fingerprint, 'the next handshake gets the new certificate')
  const again = await get(port, keptOpen)
  t.same([again.status, again.reused, again.fingerprint], [200, true, old.fingerprint], 'the connection opened before the reload still answers')
})

t.test('authentication changes apply to the next request', async (t) => {
  const { app, next } = await reloadable(t, testConfig({}))
  await app.ready()
  t.equal((await app.inject('/metrics')).statusCode, 200)
  next.config = testConfig({ web: { auth: { type: 'bearer', token: CANARY_SECRET } } })
  t.same(await app.reloadConfig('HTTP'), { ok: true })
  t.equal((await app.inject('/metrics')).statusCode, 401)
  t.equal((await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${CANARY_SECRET}` } })).statusCode, 200)
})

t.test('a reload that gives an account another key counts its money from the next poll on, totals kept', async (t) => {
  const before = account('money')
  const other = { ...before, apiKey: 'another-key', apiSecret: `${CANARY_SECRET}-other` }
  const api = await startFakeLaaffic([before, other])
  t.teardown(api.close)
  api.reply(before, { body: okBody('100') })
  const at = (a: typeof before): typeof before => ({ ...a, baseUrl: api.baseUrl })
  const { app, next, scheduler, scrape } = await reloadable(t, testConfig({ accounts: [at(before)] }))
  await app.ready()
  await waitFor(() => scheduler.pending.length === 1, 'the first poll')
  api.reply(before, { body: okBody('90') })
  scheduler.runAll()
  await waitFor(async () => sample(await scrape(), 'laaffic_spent_total{account="money"}') === 10, '10 spent')

  // The new key's account holds 5,000: neither spend nor a top-up of this one.
  api.reply(other, { body: okBody('5000') })
  next.config = testConfig({ accounts: [at(other)] })
  t.same(await app.reloadConfig('HTTP'), { ok: true })
  await waitFor(async () => sample(await scrape(), 'laaffic_balance{account="money"}') === 5000, 'the re-keyed account polled at once')
  let text = await scrape()
  t.equal(sample(text, 'laaffic_topped_up_total{account="money"}'), 0, 'the other account\'s balance is no top-up')
  t.equal(sample(text, 'laaffic_spent_total{account="money"}'), 10, 'the total goes on')

  api.reply(other, { body: okBody('4990') })
  scheduler.runAll()
  await waitFor(async () => sample(text = await scrape(), 'laaffic_spent_total{account="money"}') === 20, 'counted again from the new baseline')
  t.equal(sample(text, 'laaffic_topups_total{account="money"}'), 0)
})
