// WEB_CONFIG_FILE: the exporter-toolkit web configuration file, read strictly (src/config/web-config-file.ts).
import t from 'tap'
import { spawnSync } from 'node:child_process'
import { copyFileSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadConfig } from '../../src/config/load.js'
import { ConfigError } from '../../src/config/types.js'
import { CANARY_SECRET } from '../helpers/api.js'
import { requireProgram } from '../helpers/programs.js'

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/tls/${name}`, import.meta.url), 'utf8')
const CERT = fixture('server.crt')
const KEY = fixture('server.key')
const CA = fixture('ca.crt')
const HASH = '$2b$10$I.GTHEqnsGr0eEnknQmCs.Mhyw0j.7paNQgVYSIN2L3c7/Gpa.AYK'
const BASE = { LAAFFIC_API_KEY: 'k', LAAFFIC_API_SECRET: CANARY_SECRET, WEB_CONFIG_FILE: '/etc/laaffic/web.yml' }

/** loadConfig with these files (paths → content); anything else is ENOENT. */
function load (files: Record<string, string>, env: Record<string, string> = {}) {
  const readFile = (path: string): string => {
    const content = files[path]
    if (content === undefined) throw Object.assign(new Error('missing'), { code: 'ENOENT' })
    return content
  }
  return loadConfig({ ...BASE, ...env }, readFile)
}

function problemsOf (web: string, more: Record<string, string> = {}, env: Record<string, string> = {}): string[] {
  try {
    load({ '/etc/laaffic/web.yml': web, ...more }, env)
  } catch (err) {
    if (err instanceof ConfigError) return err.problems
    throw err
  }
  return []
}

const PEMS = { '/etc/laaffic/server.crt': CERT, '/etc/laaffic/server.key': KEY, '/etc/laaffic/ca.crt': CA }

t.test('every key of the format, read into the server\'s settings; relative paths beside the file', async (t) => {
  const web = `
tls_server_config:
  cert_file: server.crt
  key_file: /etc/laaffic/server.key
  client_auth_type: RequireAndVerifyClientCert
  client_ca_file: ca.crt
  client_allowed_sans: [prometheus, spiffe://laaffic.test/prometheus]
  min_version: TLS12
  max_version: TLS13
  cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256]
  prefer_server_cipher_suites: false
  curve_preferences: [X25519, CurveP256]
http_server_config:
  http2: true
  headers:
    X-Content-Type-Options: nosniff
    X-Frame-Options: sameorigin
    Content-Security-Policy: default-src 'self'
rate_limit: {interval: 1m, burst: 30}
basic_auth_users:
  prometheus: ${HASH}
`
  const config = load({ '/etc/laaffic/web.yml': web, ...PEMS })
  t.same(config.web, {
    headers: { 'X-Content-Type-Options': 'nosniff', 'X-Frame-Options': 'sameorigin', 'Content-Security-Policy': 'default-src \'self\'' },
    rateLimit: { intervalMs: 60_000, burst: 30 },
    tls: {
      cert: CERT,
      key: KEY,
      clientAuth: 'RequireAndVerifyClientCert',
      minVersion: 'TLSv1.2',
      maxVersion: 'TLSv1.3',
      honorCipherOrder: false,
      clientCa: CA,
      clientAllowedSans: ['prometheus', 'spiffe://laaffic.test/prometheus'],
      ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-CHACHA20-POLY1305',
      ecdhCurve: 'X25519:P-256',
    },
    auth: { type: 'basic', users: new Map([['prometheus', HASH]]) },
  })
  t.same(config.files.sort(), ['/etc/laaffic/ca.crt', '/etc/laaffic/server.crt', '/etc/laaffic/server.key', '/etc/laaffic/web.yml'],
    'every file read is remembered for the reload watch')
})

t.test('inline PEM, defaults, and an empty section means plain HTTP', async (t) => {
  const inline = load({ '/etc/laaffic/web.yml': JSON.stringify({ tls_server_config: { cert: CERT, key: KEY } }) })
  t.match(inline.web.tls, { cert: CERT, key: KEY, clientAuth: 'NoClientCert', minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3', honorCipherOrder: true })
  t.same(load({ '/etc/laaffic/web.yml': 'tls_server_config: {}\n' }).web, { headers: {} })
  t.same(load({ '/etc/laaffic/web.yml': '' }).web, { headers: {} }, 'an empty file: nothing to protect')
})

t.test('read as Go reads it: what the exporter-toolkit accepts is accepted', async (t) => {
  const web = (text: string) => load({ '/etc/laaffic/web.yml': text, ...PEMS }).web
  const pair = 'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n'
  t.match(web(`${pair}  client_auth_type: RequireClientCert\n`).tls, { clientAuth: 'RequireAnyClientCert' }, 'the old name RequireClientCert')
  t.match(web(`${pair}  client_auth_type: VerifyClientCertIfGiven\n`).tls, { clientAuth: 'VerifyClientCertIfGiven', clientCa: undefined }, 'without a client CA: the root CAs')
  t.match(web(`${pair}  cert: not used\n  key: not used\n`).tls, { cert: CERT, key: KEY }, 'a file wins over inline PEM')
  t.match(web(`${pair}  min_version: TLS10\n  prefer_server_cipher_suites: no\n`).tls, { minVersion: 'TLSv1', honorCipherOrder: false }, 'TLS 1.0, and YAML 1.1\'s no')
  t.same(web('http_server_config:\n  headers:\n    X-XSS-Protection: 1\n    Strict-Transport-Security: 0x10\n').headers,
    { 'X-XSS-Protection': '1', 'Strict-Transport-Security': '0x10' }, 'a number is kept as written')
  t.same(web('rate_limit: {interval: 0, burst: 10}\nbasic_auth_users: {}\n'), { headers: {} }, 'interval 0: no limit; no users: no auth')
})

t.test('mistakes: one exact line each, naming the key; never a key, hash or certificate', async (t) => {
  const F = 'WEB_CONFIG_FILE: tls_server_config'
  const PAIR = 'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n'
  const table: Array<[string, string[], Record<string, string>?]> = [
    ['rate_limits: {interval: 1s}\n', ['WEB_CONFIG_FILE: unknown key "rate_limits"']],
    [`${PAIR}  client_auth: RequireAnyClientCert\n`, [`${F}: unknown key "client_auth"`], PEMS],
    ['tls_server_config:\n  cert_file: server.crt\n', [`${F}.key_file (or key) is required`], PEMS],
    ['tls_server_config:\n  cert_file: nope.crt\n  key_file: server.key\n', [`${F}.cert_file: cannot read "/etc/laaffic/nope.crt" (ENOENT)`], PEMS],
    ['tls_server_config:\n  cert_file: server.key\n  key_file: server.key\n', [`${F}.cert_file: "server.key" holds no PEM certificate`], PEMS],
    ['tls_server_config:\n  cert_file: ca.crt\n  key_file: server.key\n', [
      `${F}: the certificate and the key do not belong together (is one of them a renewed one and the other not yet?)`,
    ], PEMS],
    ['tls_server_config:\n  cert: x\n  key: y\n', [`${F}.cert holds no PEM certificate`, `${F}.key holds no PEM private key`]],
    [`${PAIR}  client_auth_type: RequireSomeCert\n`, [
      `${F}.client_auth_type must be one of NoClientCert, RequestClientCert, RequireAnyClientCert, VerifyClientCertIfGiven, RequireAndVerifyClientCert (got "RequireSomeCert")`,
    ], PEMS],
    [`${PAIR}  client_ca_file: ca.crt\n`, [`${F}: a client CA is set but client_auth_type is NoClientCert`], PEMS],
    [`${PAIR}  client_auth_type: VerifyClientCertIfGiven\n  client_ca_file: ca.crt\n  client_allowed_sans: [x]\n`, [
      `${F}.client_allowed_sans needs client_auth_type RequireAnyClientCert or RequireAndVerifyClientCert`,
    ], PEMS],
    [`${PAIR}  min_version: TLS1\n  max_version: TLS14\n`, [
      `${F}.min_version must be TLS10, TLS11, TLS12 or TLS13 (got "TLS1")`,
      `${F}.max_version must be TLS10, TLS11, TLS12 or TLS13 (got "TLS14")`,
    ], PEMS],
    [`${PAIR}  min_version: TLS13\n  max_version: TLS12\n`, [`${F}: min_version is above max_version: no TLS version is left to serve`], PEMS],
    [`${PAIR}  cipher_suites: [TLS_RSA_WITH_RC4_128_SHA, TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256]\n`, [
      `${F}.cipher_suites: "TLS_RSA_WITH_RC4_128_SHA" is not a cipher suite the exporter-toolkit accepts (Go's tls.CipherSuites())`,
      `${F}.cipher_suites: "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256" is not a cipher suite the exporter-toolkit accepts (Go's tls.CipherSuites())`,
    ], PEMS],
    [`${PAIR}  cipher_suites: TLS_AES_128_GCM_SHA256\n  prefer_server_cipher_suites: "true"\n`, [
      `${F}.cipher_suites must be a list`,
      `${F}.prefer_server_cipher_suites must be true or false`,
    ], PEMS],
    ['http_server_config:\n  headers:\n    X-Powered-By: laaffic\n    X-Frame-Options: SAMEORIGIN\n', [
      'WEB_CONFIG_FILE: http_server_config.headers: the header "X-Powered-By" cannot be configured (only Strict-Transport-Security, X-Content-Type-Options, X-Frame-Options, X-XSS-Protection, Content-Security-Policy)',
      'WEB_CONFIG_FILE: http_server_config.headers.X-Frame-Options must be "deny" or "sameorigin" (got "SAMEORIGIN")',
    ]],
    ['http_server_config:\n  http2: maybe\n', ['WEB_CONFIG_FILE: http_server_config.http2 must be true or false']],
    ['rate_limit:\n  interval: 1 hour\n  burst: 1.5\n', [
      'WEB_CONFIG_FILE: rate_limit.interval must be a duration such as 1s, 500ms or 1h30m',
      'WEB_CONFIG_FILE: rate_limit.burst must be a whole number',
    ]],
    [`basic_auth_users:\n  prometheus: ${CANARY_SECRET}\n`, [
      'WEB_CONFIG_FILE: basic_auth_users: the password hash of "prometheus" is not a bcrypt hash (make one with: htpasswd -nbBC 10 "" \'password\' | tr -d \':\\n\')',
    ]],
    [`tls_server_config:\n  ${CANARY_SECRET}:x\n`, ['WEB_CONFIG_FILE: tls_server_config must be a mapping']],
    [`basic_auth_users:\n  "prometheus ${CANARY_SECRET}": x\n`, [
      'WEB_CONFIG_FILE: basic_auth_users: the password hash of (not shown) is not a bcrypt hash (make one with: htpasswd -nbBC 10 "" \'password\' | tr -d \':\\n\')',
    ]],
    ['tls_server_config: [\n', ['WEB_CONFIG_FILE: "/etc/laaffic/web.yml" is not valid YAML: line 1, column 20: the [ or { that starts here is never closed, or a line inside it is not indented enough']],
    [`basic_auth_users:\n  prometheus: "${CANARY_SECRET}\n`, [
      'WEB_CONFIG_FILE: "/etc/laaffic/web.yml" is not valid YAML: line 2, column 15: the quoted value that starts here is never closed (its closing quote is missing)',
    ]],
  ]
  for (const [web, expected, more] of table) {
    const problems = problemsOf(web, more)
    t.same(problems, expected, web.split('\n').slice(-2)[0] ?? '')
    t.notMatch(problems.join('\n'), new RegExp(`${CANARY_SECRET}|BEGIN|\\$2b\\$`), 'no secret, certificate or hash in the messages')
  }
})

t.test('WEB_CONFIG_FILE with one of the shorthand variables: an error naming both', async (t) => {
  t.same(problemsOf('', {}, { METRICS_BEARER_TOKEN: CANARY_SECRET, TLS_CERT_FILE: '/c', TLS_KEY_FILE: '/k' }), [
    'WEB_CONFIG_FILE cannot be combined with METRICS_BEARER_TOKEN: put the setting in the web config file',
    'WEB_CONFIG_FILE cannot be combined with TLS_CERT_FILE: put the setting in the web config file',
    'WEB_CONFIG_FILE cannot be combined with TLS_KEY_FILE: put the setting in the web config file',
  ])
})

t.test('the shipped example checks clean with promtool the documented way, and this exporter reads it the same way', async (t) => {
  const promtool = requireProgram(t, 'promtool', 'prometheus')
  if (promtool === undefined) return
  const example = fileURLToPath(new URL('../../examples/web-config.yml', import.meta.url))
  // As docs/security.md and the example say: put it beside the certificates, then promtool check web-config on it.
  const dir = t.testdir()
  copyFileSync(example, join(dir, 'web-config.yml'))
  for (const name of ['server.crt', 'server.key', 'ca.crt']) copyFileSync(new URL(`../fixtures/tls/${name}`, import.meta.url), join(dir, name))
  const check = spawnSync(promtool, ['check', 'web-config', join(dir, 'web-config.yml')], { encoding: 'utf8' })
  t.equal(check.status, 0, `promtool: ${check.stdout}${check.stderr}`)
  const config = loadConfig({ LAAFFIC_API_KEY: 'k', LAAFFIC_API_SECRET: 's', WEB_CONFIG_FILE: join(dir, 'web-config.yml') })
  t.match(config.web, { tls: { clientAuth: 'RequireAndVerifyClientCert', clientCa: CA }, auth: { type: 'basic' }, headers: { 'X-Frame-Options': 'deny' } })
  // And what the docs warn of: where it is shipped, with no certificates beside it, promtool says which file it lacks.
  const shipped = spawnSync(promtool, ['check', 'web-config', example], { encoding: 'utf8' })
  t.not(shipped.status, 0)
  t.match(`${shipped.stdout}${shipped.stderr}`, /server\.crt/)
})
