// WEB_CONFIG_FILE: the exporter-toolkit web configuration file, read strictly (src/config/web-config-file.ts).
import t from 'tap'
import { spawnSync } from 'node:child_process'
import { copyFileSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
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
    X-Frame-Options: SAMEORIGIN
    Content-Security-Policy: default-src 'self'
basic_auth_users:
  prometheus: ${HASH}
`
  const config = load({ '/etc/laaffic/web.yml': web, ...PEMS })
  t.same(config.web, {
    headers: { 'X-Content-Type-Options': 'nosniff', 'X-Frame-Options': 'SAMEORIGIN', 'Content-Security-Policy': 'default-src \'self\'' },
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

t.test('mistakes: one exact line each, naming the key; never a key, hash or certificate', async (t) => {
  const table: Array<[string, string[], Record<string, string>?]> = [
    ['rate_limit: {interval: 1s}\n', ['WEB_CONFIG_FILE: unknown key "rate_limit"']],
    ['tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  client_auth: RequireAnyClientCert\n', ['WEB_CONFIG_FILE: tls_server_config: unknown key "client_auth"'], PEMS],
    ['tls_server_config:\n  cert_file: server.crt\n', ['WEB_CONFIG_FILE: tls_server_config.key_file (or key) is required'], PEMS],
    ['tls_server_config:\n  cert_file: nope.crt\n  key_file: server.key\n', ['WEB_CONFIG_FILE: tls_server_config.cert_file: cannot read "/etc/laaffic/nope.crt" (ENOENT)'], PEMS],
    ['tls_server_config:\n  cert_file: server.key\n  key_file: server.key\n', ['WEB_CONFIG_FILE: tls_server_config.cert_file is not PEM of the expected kind'], PEMS],
    ['tls_server_config:\n  cert_file: ca.crt\n  key_file: server.key\n', ['WEB_CONFIG_FILE: tls_server_config: the certificate and key do not match or cannot be loaded'], PEMS],
    ['tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  cert: x\n', [
      'WEB_CONFIG_FILE: tls_server_config: cert and cert_file are both set: set only one',
      'WEB_CONFIG_FILE: tls_server_config.cert is not PEM of the expected kind',
    ], PEMS],
    ['tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  client_auth_type: RequireClientCert\n', [
      'WEB_CONFIG_FILE: tls_server_config.client_auth_type must be one of NoClientCert, RequestClientCert, RequireAnyClientCert, VerifyClientCertIfGiven, RequireAndVerifyClientCert (got "RequireClientCert")',
    ], PEMS],
    ['tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  client_ca_file: ca.crt\n', ['WEB_CONFIG_FILE: tls_server_config: a client CA is set but client_auth_type is NoClientCert'], PEMS],
    ['tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  client_auth_type: RequireAndVerifyClientCert\n', [
      'WEB_CONFIG_FILE: tls_server_config: client_auth_type RequireAndVerifyClientCert needs client_ca_file (or client_ca)',
    ], PEMS],
    ['tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  client_auth_type: VerifyClientCertIfGiven\n  client_ca_file: ca.crt\n  client_allowed_sans: [x]\n', [
      'WEB_CONFIG_FILE: tls_server_config: client_allowed_sans needs client_auth_type RequireAnyClientCert or RequireAndVerifyClientCert',
    ], PEMS],
    ['tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  min_version: TLS11\n  max_version: TLS14\n', [
      'WEB_CONFIG_FILE: tls_server_config.min_version must be TLS12 or TLS13 (got "TLS11": TLS 1.0 and 1.1 are not offered)',
      'WEB_CONFIG_FILE: tls_server_config.max_version must be TLS12 or TLS13 (got "TLS14")',
    ], PEMS],
    ['tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  min_version: TLS13\n  max_version: TLS12\n', ['WEB_CONFIG_FILE: tls_server_config: min_version is above max_version'], PEMS],
    ['tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  cipher_suites: [TLS_RSA_WITH_RC4_128_SHA, TLS_MADE_UP]\n', [
      `WEB_CONFIG_FILE: tls_server_config.cipher_suites: "TLS_RSA_WITH_RC4_128_SHA" (RC4-SHA) is not offered by this Node.js (OpenSSL ${process.versions.openssl})`,
      'WEB_CONFIG_FILE: tls_server_config.cipher_suites: "TLS_MADE_UP" is not a cipher suite name of Go\'s crypto/tls',
    ], PEMS],
    ['tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  curve_preferences: [CurveP128]\n', [
      'WEB_CONFIG_FILE: tls_server_config.curve_preferences: "CurveP128" is not a curve name of Go\'s crypto/tls',
    ], PEMS],
    ['http_server_config:\n  headers:\n    X-Powered-By: laaffic\n    X-Frame-Options: allow\n', [
      'WEB_CONFIG_FILE: http_server_config.headers: unknown key "X-Powered-By"',
      'WEB_CONFIG_FILE: http_server_config.headers.X-Frame-Options: "allow" is not accepted (deny or sameorigin)',
    ]],
    ['http_server_config:\n  http2: maybe\n', ['WEB_CONFIG_FILE: http_server_config.http2 must be true or false']],
    [`basic_auth_users:\n  prometheus: ${CANARY_SECRET}\n`, [
      'WEB_CONFIG_FILE: basic_auth_users: the password hash of "prometheus" is not a bcrypt hash (make one with: htpasswd -nBC 10 "" | tr -d \':\\n\')',
    ]],
    [`tls_server_config:\n  ${CANARY_SECRET}:x\n`, ['WEB_CONFIG_FILE: tls_server_config must be a mapping']],
    [`basic_auth_users:\n  "prometheus ${CANARY_SECRET}": x\n`, ['WEB_CONFIG_FILE: basic_auth_users: the password hash of (not shown) is not a bcrypt hash (make one with: htpasswd -nBC 10 "" | tr -d \':\\n\')']],
    ['tls_server_config: [\n', ['WEB_CONFIG_FILE: "/etc/laaffic/web.yml" is not valid YAML (BAD_INDENT at line 2, column 1)']],
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

t.test('the shipped example passes promtool check web-config, and this exporter reads it the same way', async (t) => {
  const promtool = requireProgram(t, 'promtool', 'prometheus')
  if (promtool === undefined) return
  const dir = t.testdir()
  copyFileSync(new URL('../../examples/web-config.yml', import.meta.url), join(dir, 'web-config.yml'))
  for (const name of ['server.crt', 'server.key', 'ca.crt']) copyFileSync(new URL(`../fixtures/tls/${name}`, import.meta.url), join(dir, name))
  const check = spawnSync(promtool, ['check', 'web-config', join(dir, 'web-config.yml')], { encoding: 'utf8' })
  t.equal(check.status, 0, `promtool: ${check.stdout}${check.stderr}`)
  const config = loadConfig({ LAAFFIC_API_KEY: 'k', LAAFFIC_API_SECRET: 's', WEB_CONFIG_FILE: join(dir, 'web-config.yml') })
  t.match(config.web, { tls: { clientAuth: 'RequireAndVerifyClientCert', clientCa: CA }, auth: { type: 'basic' }, headers: { 'X-Frame-Options': 'deny' } })
})
