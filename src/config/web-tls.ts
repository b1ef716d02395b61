// tls_server_config of the web configuration (from WEB_CONFIG_FILE or the TLS_* shorthands) → the server's TLS
// settings, with the exporter-toolkit's rules (web/tls_config.go ConfigToTLSConfig): a section with no
// certificate, key, client CA or client_auth_type is plain HTTP; a file path wins over inline PEM; a client CA
// needs a client_auth_type; client_allowed_sans needs a client certificate to be required. The secure context is
// built here, as the server will build it, so a key that does not match its certificate (a renewal caught half
// way) or an option Node refuses is a problem naming the setting before anything runs. Never shows PEM.
import { resolve } from 'node:path'
import { createSecureContext, type SecureContextOptions } from 'node:tls'
import { quote } from './env.js'
import { readConfigFile } from './secrets.js'
import { CLIENT_AUTH_TYPES, cipherSuite, clientAuthType, curveName, HTTP2_REQUIRED_SUITES, tlsVersion, versionRank, type TlsVersion } from './tls-names.js'
import type { TlsSettings } from './types.js'
import { goBool, goMapping, goString, goStrings, type GoValue } from './yaml-go.js'
import type { WebSource } from './web-document.js'

const TLS_KEYS = ['cert', 'key', 'client_ca', 'cert_file', 'key_file', 'client_auth_type', 'client_ca_file', 'cipher_suites',
  'curve_preferences', 'min_version', 'max_version', 'prefer_server_cipher_suites', 'client_allowed_sans']
const TEXT_KEYS = ['cert', 'key', 'client_ca', 'cert_file', 'key_file', 'client_auth_type', 'client_ca_file', 'min_version', 'max_version']
const PEM = {
  certificate: /-----BEGIN CERTIFICATE-----/,
  'private key': /-----BEGIN (RSA |EC |ENCRYPTED )?PRIVATE KEY-----/,
}

export function tlsSettings (value: GoValue, source: WebSource, http2: boolean, problems: string[]): TlsSettings | undefined {
  const at = (key?: string): string => source.at(key === undefined ? 'tls_server_config' : `tls_server_config.${key}`)
  const fields = goMapping(value, at(), TLS_KEYS, problems)
  const before = problems.length
  const texts = new Map(TEXT_KEYS.map((key) => [key, goString(fields[key], at(key), problems)]))
  const text = (key: string): string => texts.get(key) ?? ''
  // Go's TLSConfig.IsEnabled: none of these set means plain HTTP.
  if (['cert', 'key', 'cert_file', 'key_file', 'client_ca', 'client_ca_file', 'client_auth_type'].every((key) => text(key) === '')) return undefined

  /** The one PEM reader: the file when its path is set (Go's precedence), else the inline text. */
  const pem = (inline: string, file: string, kind: keyof typeof PEM): string | undefined => {
    const path = text(file)
    const content = path !== '' ? readConfigFile(resolve(source.base, path), at(file), source.readFile, problems) : text(inline)
    if (content === undefined || PEM[kind].test(content)) return content
    problems.push(path !== '' ? `${at(file)}: ${quote(path)} holds no PEM ${kind}` : `${at(inline)} holds no PEM ${kind}`)
    return undefined
  }
  const required = (inline: string, file: string, kind: keyof typeof PEM): string | undefined => {
    if (text(inline) !== '' || text(file) !== '') return pem(inline, file, kind)
    problems.push(`${at(file)} (or ${inline}) is required`)
    return undefined
  }
  const cert = required('cert', 'cert_file', 'certificate')
  const key = required('key', 'key_file', 'private key')

  const authName = text('client_auth_type')
  const clientAuth = clientAuthType(authName)
  if (clientAuth === undefined) problems.push(`${at('client_auth_type')} must be one of ${CLIENT_AUTH_TYPES.join(', ')} (got ${quote(authName)})`)
  // Without a client CA, Verify* policies check client certificates against the root CAs (Go: the system's).
  const caGiven = text('client_ca') !== '' || text('client_ca_file') !== ''
  const clientCa = caGiven ? pem('client_ca', 'client_ca_file', 'certificate') : undefined
  if (caGiven && clientAuth === 'NoClientCert') problems.push(`${at()}: a client CA is set but client_auth_type is NoClientCert`)
  const sans = goStrings(fields.client_allowed_sans, at('client_allowed_sans'), problems)
  if (sans !== undefined && clientAuth !== 'RequireAnyClientCert' && clientAuth !== 'RequireAndVerifyClientCert') {
    problems.push(`${at('client_allowed_sans')} needs client_auth_type RequireAnyClientCert or RequireAndVerifyClientCert`)
  }

  const version = (key: string, fallback: TlsVersion): TlsVersion => {
    const name = text(key)
    const node = name === '' ? fallback : tlsVersion(name)
    if (node === undefined) problems.push(`${at(key)} must be TLS10, TLS11, TLS12 or TLS13 (got ${quote(name)})`)
    return node ?? fallback
  }
  const minVersion = version('min_version', 'TLSv1.2')
  const maxVersion = version('max_version', 'TLSv1.3')
  if (versionRank(minVersion) > versionRank(maxVersion)) problems.push(`${at()}: min_version is above max_version: no TLS version is left to serve`)

  const suiteNames = goStrings(fields.cipher_suites, at('cipher_suites'), problems) ?? []
  const suites = suiteNames.map(cipherSuite)
  suites.forEach((suite, index) => { if ('problem' in suite) problems.push(`${at('cipher_suites')}: ${quote(suiteNames[index] ?? '')} ${suite.problem}`) })
  const ciphers = suites.flatMap((suite) => 'openssl' in suite && suite.openssl !== '' ? [suite.openssl] : [])
  // Go's HTTP server refuses to start with a TLS 1.2 list lacking HTTP/2's required suite (web_config_noAuth_noHTTP2Cipher).
  if (http2 && suiteNames.length > 0 && suites.every((suite) => 'openssl' in suite) && versionRank(minVersion) < versionRank('TLSv1.3') && !suiteNames.some((name) => HTTP2_REQUIRED_SUITES.includes(name))) {
    problems.push(`${at('cipher_suites')} lacks ${HTTP2_REQUIRED_SUITES.join(' and ')}, one of which HTTP/2 requires: add one, or set http_server_config.http2: false`)
  }
  const curves = (goStrings(fields.curve_preferences, at('curve_preferences'), problems) ?? []).map((name) => {
    const curve = curveName(name)
    if (curve === undefined) problems.push(`${at('curve_preferences')}: ${quote(name)} is not a curve the exporter-toolkit accepts (CurveP256, CurveP384, CurveP521, X25519, X25519MLKEM768)`)
    else if (!accepted({ ecdhCurve: curve })) problems.push(`${at('curve_preferences')}: ${quote(name)} (${curve}) is not offered by this Node.js`)
    return curve ?? ''
  })
  const prefer = goBool(fields.prefer_server_cipher_suites, at('prefer_server_cipher_suites'), true, problems)
  if (cert === undefined || key === undefined || clientAuth === undefined || problems.length > before) return undefined

  const settings: TlsSettings = {
    cert,
    key,
    clientAuth,
    minVersion,
    maxVersion,
    honorCipherOrder: prefer,
    ...(clientCa !== undefined && { clientCa }),
    ...(sans !== undefined && { clientAllowedSans: sans }),
    ...(ciphers.length > 0 && { ciphers: ciphers.join(':') }),
    ...(curves.length > 0 && { ecdhCurve: curves.join(':') }),
  }
  const why = contextProblem(secureContextOptions(settings))
  if (why !== undefined) problems.push(`${at()}: ${why}`)
  return why === undefined ? settings : undefined
}

/** What tls.createSecureContext (and the server, and server.setSecureContext at a reload) takes from the settings. */
export function secureContextOptions (tls: TlsSettings): SecureContextOptions {
  // OpenSSL 3 offers TLS 1.0 and 1.1 only at security level 0; Go has no such level, so min_version TLS10 lowers it.
  const legacy = versionRank(tls.minVersion) < versionRank('TLSv1.2')
  const ciphers = legacy ? `${tls.ciphers ?? 'DEFAULT'}:@SECLEVEL=0` : tls.ciphers
  return {
    cert: tls.cert,
    key: tls.key,
    minVersion: tls.minVersion,
    maxVersion: tls.maxVersion,
    honorCipherOrder: tls.honorCipherOrder,
    ...(tls.clientCa !== undefined && { ca: tls.clientCa }),
    ...(ciphers !== undefined && { ciphers }),
    ...(tls.ecdhCurve !== undefined && { ecdhCurve: tls.ecdhCurve }),
  }
}

/** Why Node cannot build this secure context, from the error's code only (its message could hold PEM). */
function contextProblem (options: SecureContextOptions): string | undefined {
  try {
    createSecureContext(options)
    return undefined
  } catch (err) {
    const { code } = err as { code?: unknown }
    if (typeof code !== 'string') return 'Node.js cannot load the certificate, key or options'
    if (/KEY_VALUES_MISMATCH/.test(code)) return 'the certificate and the key do not belong together (is one of them a renewed one and the other not yet?)'
    return `Node.js cannot load the certificate, key or options (${code})`
  }
}

const accepted = (options: SecureContextOptions): boolean => contextProblem(options) === undefined
