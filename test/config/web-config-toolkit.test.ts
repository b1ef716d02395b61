// Every case of the exporter-toolkit's own test data (web/testdata/*.yml, with web/tls_config_test.go saying which
// file fails with which error), written again here as test/fixtures/web-config/<case>.yml. The files it refuses
// are refused here, each with a problem naming the setting; the files it accepts load (and are served in
// test/http/web-config-toolkit.test.ts).
import t from 'tap'
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { loadConfig } from '../../src/config/load.js'
import { ConfigError } from '../../src/config/types.js'

const DIR = fileURLToPath(new URL('../fixtures/web-config/', import.meta.url))
const F = 'WEB_CONFIG_FILE: tls_server_config'

function problemsOf (file: string): string[] {
  try {
    loadConfig({ LAAFFIC_API_KEY: 'k', LAAFFIC_API_SECRET: 's', WEB_CONFIG_FILE: `${DIR}${file}` })
    return []
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((line) => line.replaceAll(DIR, '<dir>/'))
    throw err
  }
}

// toolkit file (its tls_config_test.go error) → this project's file → the problems it gets here.
const REFUSED: Array<[string, string, string[]]> = [
  ['somefile: path to config yml invalid (no such file)', 'somefile', ['WEB_CONFIG_FILE: cannot read "<dir>/somefile" (ENOENT)']],
  ['web_config_junk.yml (YAML error)', 'junk.bad.yml', ['WEB_CONFIG_FILE: "<dir>/junk.bad.yml" is not valid YAML: line 1, column 32: the [ or { that starts here is never closed, or a line inside it is not indented enough']],
  ['web_config_junk_key.yml (YAML error)', 'junk_key.bad.yml', [`${F}: unknown key "cert_filse"`]],
  ['web_config_noAuth_certPath_empty.bad.yml (missing one of cert or cert_file)', 'certPath_empty.bad.yml', [`${F}.cert_file (or cert) is required`]],
  ['web_config_noAuth_cert_empty.bad.yml (missing one of cert or cert_file)', 'cert_empty.bad.yml', [`${F}.cert_file (or cert) is required`]],
  ['web_config_noAuth_keyPath_empty.bad.yml (missing one of key or key_file)', 'keyPath_empty.bad.yml', [`${F}.key_file (or key) is required`]],
  ['web_config_noAuth_key_empty.bad.yml (missing one of key or key_file)', 'key_empty.bad.yml', [`${F}.key_file (or key) is required`]],
  ['web_config_noAuth_certPath_keyPath_empty.bad.yml (missing one of cert or cert_file)', 'certPath_keyPath_empty.bad.yml', [
    `${F}.cert_file (or cert) is required`,
    `${F}.key_file (or key) is required`,
    `${F}.client_auth_type must be one of NoClientCert, RequestClientCert, RequireAnyClientCert, VerifyClientCertIfGiven, RequireAndVerifyClientCert (got "x")`,
  ]],
  ['web_config_noAuth_certPath_invalid.bad.yml (no such file)', 'certPath_invalid.bad.yml', [`${F}.cert_file: cannot read "<dir>/somefile" (ENOENT)`]],
  ['web_config_noAuth_keyPath_invalid.bad.yml (no such file)', 'keyPath_invalid.bad.yml', [`${F}.key_file: cannot read "<dir>/somefile" (ENOENT)`]],
  ['web_config_noAuth_certPath_keyPath_invalid.bad.yml (no such file)', 'certPath_keyPath_invalid.bad.yml', [
    `${F}.cert_file: cannot read "<dir>/somefile" (ENOENT)`,
    `${F}.key_file: cannot read "<dir>/somefile" (ENOENT)`,
  ]],
  ['web_config_noAuth.bad.yml (client CA\'s configured without a Client Auth Policy)', 'noAuth.bad.yml', [
    `${F}.client_ca_file: "/dev/null" holds no PEM certificate`,
    `${F}: a client CA is set but client_auth_type is NoClientCert`,
  ]],
  ['web_config_auth_clientCAs_invalid.bad.yml (no such file)', 'clientCAs_invalid.bad.yml', [
    `${F}.client_ca_file: cannot read "<dir>/somefile" (ENOENT)`,
    `${F}: a client CA is set but client_auth_type is NoClientCert`,
  ]],
  ['web_config_auth_clientCAs_nocerts.bad.yml (no certificates)', 'clientCAs_nocerts.bad.yml', [`${F}.client_ca_file: "../tls/make.sh" holds no PEM certificate`]],
  ['web_config_auth_clientCAsText_nocerts.bad.yml (no certificates)', 'clientCAsText_nocerts.bad.yml', [`${F}.client_ca holds no PEM certificate`]],
  ['web_config_auth_user_list_invalid.bad.yml (hashedSecret too short)', 'user_list_invalid.bad.yml', [
    'WEB_CONFIG_FILE: basic_auth_users: the password hash of "john" is not a bcrypt hash (make one with: htpasswd -nbBC 10 "" \'password\' | tr -d \':\\n\')',
  ]],
  ['web_config_noAuth_inventedCiphers.bad.yml (unknown cipher)', 'inventedCiphers.bad.yml', [
    `${F}.cipher_suites: "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA2048" is not a cipher suite the exporter-toolkit accepts (Go's tls.CipherSuites())`,
  ]],
  ['web_config_noAuth_inventedCurves.bad.yml (unknown curve)', 'inventedCurves.bad.yml', [
    `${F}.curve_preferences: "CurveP257" is not a curve the exporter-toolkit accepts (CurveP256, CurveP384, CurveP521, X25519, X25519MLKEM768)`,
  ]],
  ['web_config_noAuth_wrongTLSVersion.bad.yml (unknown TLS version)', 'wrongTLSVersion.bad.yml', [`${F}.min_version must be TLS10, TLS11, TLS12 or TLS13 (got "TLS111")`]],
  ['web_config_noAuth_noHTTP2Cipher.bad.yml (missing an HTTP/2-required cipher)', 'noHTTP2Cipher.bad.yml', [
    `${F}.cipher_suites lacks TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 and TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, one of which HTTP/2 requires: add one, or set http_server_config.http2: false`,
  ]],
  ['web_config_headers_content_type_options.bad.yml (invalid value)', 'headers_content_type_options.bad.yml', [
    'WEB_CONFIG_FILE: http_server_config.headers.X-Content-Type-Options must be "nosniff" (got "sniff")',
  ]],
  ['web_config_headers_frame_options.bad.yml (invalid value)', 'headers_frame_options.bad.yml', [
    'WEB_CONFIG_FILE: http_server_config.headers.X-Frame-Options must be "deny" or "sameorigin" (got "foo")',
  ]],
  ['web_config_headers_extra_header.bad.yml (header can not be configured)', 'headers_extra_header.bad.yml', [
    'WEB_CONFIG_FILE: http_server_config.headers: the header "Content-Type" cannot be configured (only Strict-Transport-Security, X-Content-Type-Options, X-Frame-Options, X-XSS-Protection, Content-Security-Policy)',
  ]],
  ['web_config_auth_client_san_no_client_auth.bad.yaml (client_allowed_sans requires …)', 'client_san_no_client_auth.bad.yml', [
    `${F}.client_allowed_sans needs client_auth_type RequireAnyClientCert or RequireAndVerifyClientCert`,
  ]],
  ['web_config_auth_client_san_optional_cert.bad.yaml (client_allowed_sans requires …)', 'client_san_optional_cert.bad.yml', [
    `${F}.client_allowed_sans needs client_auth_type RequireAnyClientCert or RequireAndVerifyClientCert`,
  ]],
]

t.test('what the toolkit refuses is refused, with a problem naming the setting', async (t) => {
  for (const [toolkitCase, file, expected] of REFUSED) t.same(problemsOf(file), expected, `${toolkitCase} → ${file}`)
})

t.test('what the toolkit accepts loads without a problem', async (t) => {
  const good = readdirSync(DIR).filter((file) => file.endsWith('.good.yml') || file === 'client_san.bad.yml')
  t.ok(good.length >= 20, `${good.length} accepted cases`)
  for (const file of good) t.same(problemsOf(file), [], file)
})

t.test('every case file is in one of the two lists', async (t) => {
  const listed = new Set(REFUSED.map(([, file]) => file))
  for (const file of readdirSync(DIR)) t.ok(listed.has(file) || file.endsWith('.good.yml') || file === 'client_san.bad.yml', file)
})
