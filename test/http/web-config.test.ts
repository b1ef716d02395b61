// The web configuration file's settings on real sockets: client certificate policies, allowed SANs, TLS
// versions and cipher suites, security headers, basic auth.
import t from 'tap'
import type { TlsSettings } from '../../src/config/types.js'
import { CA, CLIENT, get, ROGUE, SERVER, serving, statusOf } from '../helpers/web-client.js'

const tls = (settings: Partial<TlsSettings> = {}): TlsSettings =>
  ({ ...SERVER, clientAuth: 'NoClientCert', minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3', honorCipherOrder: true, ...settings })

t.test('client_auth_type: who gets an answer, with no certificate, a trusted one and one from another CA', async (t) => {
  const expected: Record<TlsSettings['clientAuth'], [unknown, unknown, unknown]> = {
    NoClientCert: [200, 200, 200],
    RequestClientCert: [200, 200, 200],
    RequireAnyClientCert: ['refused', 200, 200],
    VerifyClientCertIfGiven: [200, 200, 'refused'],
    RequireAndVerifyClientCert: ['refused', 200, 'refused'],
  }
  for (const [clientAuth, [none, trusted, rogue]] of Object.entries(expected)) {
    const needsCa = clientAuth === 'VerifyClientCertIfGiven' || clientAuth === 'RequireAndVerifyClientCert' || clientAuth === 'RequireAnyClientCert' || clientAuth === 'RequestClientCert'
    const port = await serving(t, { tls: tls({ clientAuth: clientAuth as TlsSettings['clientAuth'], ...(needsCa && { clientCa: CA }) }) })
    t.same([await statusOf(port), await statusOf(port, CLIENT), await statusOf(port, ROGUE)], [none, trusted, rogue], clientAuth)
  }
})

t.test('client_allowed_sans: the client certificate must carry one of them', async (t) => {
  const allowed = await serving(t, { tls: tls({ clientAuth: 'RequireAndVerifyClientCert', clientCa: CA, clientAllowedSans: ['spiffe://laaffic.test/prometheus'] }) })
  t.equal(await statusOf(allowed, CLIENT), 200, 'URI SAN matches')
  const other = await serving(t, { tls: tls({ clientAuth: 'RequireAndVerifyClientCert', clientCa: CA, clientAllowedSans: ['grafana'] }) })
  t.equal(await statusOf(other, CLIENT), 'refused', 'no SAN matches')
})

t.test('min_version and cipher_suites are what the server negotiates', async (t) => {
  const tls13 = await serving(t, { tls: tls({ minVersion: 'TLSv1.3' }) })
  t.equal(await statusOf(tls13), 200)
  t.equal(await get(tls13, '/healthz', { maxVersion: 'TLSv1.2', agent: false }), 'refused', 'a TLS 1.2 client is refused')
  const oneSuite = await serving(t, { tls: tls({ maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES256-GCM-SHA384' }) })
  t.equal(await get(oneSuite, '/healthz', { ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256', agent: false }), 'refused', 'a client without that suite is refused')
  t.match(await get(oneSuite, '/healthz', { ciphers: 'ECDHE-ECDSA-AES256-GCM-SHA384', agent: false }), { status: 200 }, 'the suite is served')
})

t.test('min_version TLS10: a TLS 1.0 client is served (OpenSSL\'s security level lowered for it)', async (t) => {
  const port = await serving(t, { tls: tls({ minVersion: 'TLSv1' }) })
  const old = { minVersion: 'TLSv1', maxVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' } as const
  t.match(await get(port, '/healthz', old), { status: 200 })
  t.equal(await get(await serving(t, { tls: tls() }), '/healthz', old), 'refused', 'with the default TLS12: refused')
})

t.test('security headers on every answer, and basic auth from the file', async (t) => {
  const hash = '$2b$10$I.GTHEqnsGr0eEnknQmCs.Mhyw0j.7paNQgVYSIN2L3c7/Gpa.AYK'
  const port = await serving(t, {
    tls: tls(),
    headers: { 'X-Content-Type-Options': 'nosniff', 'Strict-Transport-Security': 'max-age=31536000' },
    auth: { type: 'basic', users: new Map([['prometheus', hash]]) },
  })
  const open = await get(port, '/healthz')
  t.match(open, { status: 200, headers: { 'x-content-type-options': 'nosniff', 'strict-transport-security': 'max-age=31536000' } })
  t.match(await get(port, '/metrics'), { status: 401, headers: { 'x-content-type-options': 'nosniff' } }, 'refusals carry them too')
  const authorized = await get(port, '/metrics', { headers: { authorization: `Basic ${Buffer.from('prometheus:change-me').toString('base64')}` } })
  t.match(authorized, { status: 200, body: /^laaffic_balance\{account="main"\}/m })
})
