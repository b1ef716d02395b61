// The exporter-toolkit's accepted test-data cases (web/testdata/*.good.yml and what web/tls_config_test.go does with
// each), as this project's own files in test/fixtures/web-config/, each loaded the way WEB_CONFIG_FILE is and served
// on a real socket: the handshake or request the toolkit's test makes gets the answer it gets there.
import t, { type Test } from 'tap'
import { fileURLToPath } from 'node:url'
import { loadConfig } from '../../src/config/load.js'
import { CLIENT, get, ROGUE, serving, statusOf } from '../helpers/web-client.js'

const DIR = fileURLToPath(new URL('../fixtures/web-config/', import.meta.url))
const serve = async (t: Test, file: string): Promise<number> =>
  await serving(t, loadConfig({ LAAFFIC_API_KEY: 'k', LAAFFIC_API_SECRET: 's', WEB_CONFIG_FILE: `${DIR}${file}` }).web)
const basic = (user: string, password: string): Record<string, string> => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` })

t.test('empty file: plain HTTP, nothing asked', async (t) => {
  t.equal(await statusOf(await serve(t, 'empty.good.yml'), { plain: true }), 200)
})

t.test('VerifyClientCertIfGiven without a client CA (the toolkit verifies a given one against the root CAs)', async (t) => {
  const port = await serve(t, 'noAuth.good.yml')
  t.equal(await statusOf(port), 200, 'no client certificate: served')
  t.equal(await statusOf(port, CLIENT), 'refused', 'a certificate no root CA signed: refused, as Go refuses it')
  t.equal(await statusOf(port, { maxVersion: 'TLSv1.1' }), 'refused', 'a TLS 1.1 client: refused (min_version defaults to TLS12)')
  t.not(await statusOf(port, { plain: true }), 200, 'plain HTTP: not served')
})

t.test('RequireAndVerifyClientCert without a client CA: accepted, and nobody without a root-signed certificate gets in', async (t) => {
  const port = await serve(t, 'noAuth.blocking.good.yml')
  t.same([await statusOf(port), await statusOf(port, CLIENT)], ['refused', 'refused'])
})

t.test('certificate and key inline, or the key inline beside a cert_file', async (t) => {
  t.equal(await statusOf(await serve(t, 'tlsInline.good.yml')), 200)
  const port = await serve(t, 'requireanyclientcertkeyinline.good.yml')
  t.same([await statusOf(port), await statusOf(port, CLIENT)], ['refused', 200])
})

t.test('cipher suites: all of Go\'s, some, the server\'s order or the client\'s', async (t) => {
  const all = await serve(t, 'allCiphers.good.yml')
  t.same([await statusOf(all), await statusOf(all, { maxVersion: 'TLSv1.2' })], [200, 200])
  const some = await serve(t, 'someCiphers.good.yml')
  t.match(await get(some, '/healthz', { ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256' }), { status: 200, cipher: 'ECDHE-ECDSA-AES128-GCM-SHA256' })
  t.equal(await get(some, '/healthz', { ciphers: 'ECDHE-ECDSA-AES256-SHA' }), 'refused', 'no common suite: handshake failure')
  const both = 'ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256'
  t.match(await get(some, '/healthz', { ciphers: both }), { cipher: 'ECDHE-ECDSA-AES128-GCM-SHA256' }, 'prefer_server_cipher_suites (default true): the server\'s first')
  const clientOrder = await serve(t, 'someCiphers_noOrder.good.yml')
  const clientFirst = 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384'
  t.match(await get(clientOrder, '/healthz', { ciphers: clientFirst }), { cipher: 'ECDHE-ECDSA-AES128-GCM-SHA256' }, 'prefer_server_cipher_suites: false: the client\'s first')
  const noHttp2 = await serve(t, 'noHTTP2.good.yml')
  t.match(await get(noHttp2, '/healthz'), { status: 200, cipher: 'ECDHE-ECDSA-AES256-GCM-SHA384' }, 'http2: false allows a list without HTTP/2\'s suite')
})

t.test('curve preferences', async (t) => {
  t.equal(await statusOf(await serve(t, 'allCurves.good.yml')), 200)
  const some = await serve(t, 'someCurves.good.yml')
  t.equal(await statusOf(some, { ecdhCurve: 'P-521' }), 200)
  t.equal(await statusOf(some, { ecdhCurve: 'P-384' }), 'refused', 'no common curve: handshake failure')
})

t.test('security headers, X-XSS-Protection: 1 read as the string "1"', async (t) => {
  const answer = await get(await serve(t, 'headers.good.yml'), '/healthz', { plain: true })
  t.match(answer, {
    status: 200,
    headers: {
      'x-frame-options': 'deny',
      'strict-transport-security': 'max-age=31536000; includeSubDomains',
      'x-content-type-options': 'nosniff',
      'x-xss-protection': '1',
      'content-security-policy': 'default-src \'self\' *.test.example.net',
    },
  })
})

t.test('client certificates: required (any), required and verified, allowed SANs', async (t) => {
  const any = await serve(t, 'requireanyclientcert.good.yml')
  t.same([await statusOf(any), await statusOf(any, CLIENT), await statusOf(any, ROGUE)], ['refused', 200, 200])
  const verified = await serve(t, 'requireandverifyclientcert.good.yml')
  t.same([await statusOf(verified), await statusOf(verified, CLIENT), await statusOf(verified, ROGUE)], ['refused', 200, 'refused'])
  t.equal(await statusOf(await serve(t, 'client_san.good.yml'), CLIENT), 200, 'one of its SANs is allowed')
  t.equal(await statusOf(await serve(t, 'client_san.bad.yml'), CLIENT), 'refused', 'none of its SANs is allowed')
})

t.test('rate_limit', async (t) => {
  const none = await serve(t, 'rate_limiter_nonblocking.good.yml')
  const statuses: Array<number | 'refused'> = []
  for (let i = 0; i <= 10; i++) statuses.push(await statusOf(none, { plain: true }))
  t.same(statuses, Array(11).fill(200), 'interval 0: no limit')
  t.equal(await statusOf(await serve(t, 'rate_limiter_one_second.good.yml'), { plain: true }), 429, 'burst 0: every request is turned away')
  const hourly = await serve(t, 'rate_limiter_headers.good.yml')
  const [first, second] = [await get(hourly, '/healthz', { plain: true }), await get(hourly, '/healthz', { plain: true })]
  const headers = { 'x-frame-options': 'deny', 'strict-transport-security': 'max-age=31536000; includeSubDomains' }
  t.match(first, { status: 200, headers }, 'burst 1: the first is served')
  t.match(second, { status: 429, headers }, 'the second is turned away, with the headers')
})

t.test('basic_auth_users, over HTTP and HTTPS', async (t) => {
  const plain = await serve(t, 'users_noTLS.good.yml')
  const status = async (port: number, headers: Record<string, string>, tls: boolean): Promise<unknown> => {
    const answer = await get(port, '/metrics', { headers, plain: !tls })
    return answer === 'refused' ? answer : answer.status
  }
  t.same([
    await status(plain, {}, false), await status(plain, basic('dave', 'dave123'), false),
    await status(plain, basic('dave', 'bad'), false), await status(plain, basic('nonexistent', 'nonexistent'), false),
  ], [401, 200, 401, 401])
  const tls = await serve(t, 'users.good.yml')
  t.same([await status(tls, {}, true), await status(tls, basic('dave', 'dave123'), true), await status(tls, basic('carol', 'carol123'), true)], [401, 200, 200])
})
