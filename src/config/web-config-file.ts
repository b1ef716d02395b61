// WEB_CONFIG_FILE: the exporter-toolkit's web configuration file, the one every Prometheus exporter reads with
// --web.config.file (prometheus/exporter-toolkit docs/web-configuration.md): TLS, security headers and basic
// auth users. Read strictly: an unknown key is an error naming it. Never echoes a key, hash or certificate.
import { createSecureContext } from 'node:tls'
import { dirname, resolve } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { quote } from './env.js'
import { readConfigFile, type ReadFile } from './secrets.js'
import { CLIENT_AUTH_TYPES, cipherSuite, curveName, tlsVersion } from './tls-names.js'
import type { ClientAuthType, TlsSettings, WebConfig } from './types.js'

const VARIABLE = 'WEB_CONFIG_FILE'
/** $2a$, $2b$ or $2y$ (htpasswd's), a two-digit cost, then 53 characters of salt and hash. */
export const BCRYPT_HASH = /^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/
const TOP = ['tls_server_config', 'http_server_config', 'basic_auth_users']
const TLS_KEYS = ['cert', 'key', 'client_ca', 'cert_file', 'key_file', 'client_auth_type', 'client_ca_file', 'client_allowed_sans',
  'min_version', 'max_version', 'cipher_suites', 'prefer_server_cipher_suites', 'curve_preferences']
const HTTP_KEYS = ['headers', 'http2']
/** The headers the toolkit allows, with the values it accepts (undefined: any). */
const HEADERS: Record<string, RegExp | undefined> = {
  'Content-Security-Policy': undefined,
  'X-Frame-Options': /^(deny|sameorigin)$/i,
  'X-Content-Type-Options': /^nosniff$/i,
  'X-XSS-Protection': undefined,
  'Strict-Transport-Security': undefined,
}

type Fields = Record<string, unknown>
/** A key shown in an error: only when it looks like one (a mistyped `key:value` can hold a secret). */
const shownKey = (key: string): string => /^[A-Za-z][A-Za-z0-9_-]{0,40}$/.test(key) ? quote(key) : '(not shown)'

export function loadWebConfigFile (path: string, readFile: ReadFile, problems: string[]): WebConfig | undefined {
  const text = readConfigFile(path, VARIABLE, readFile, problems)
  if (text === undefined) return undefined
  let document: unknown
  try {
    document = parseYaml(text, { logLevel: 'error' }) ?? {}
  } catch (err) {
    const { code, linePos } = err as { code?: string, linePos?: Array<{ line: number, col: number }> }
    const at = linePos?.[0] === undefined ? '' : ` at line ${linePos[0].line}, column ${linePos[0].col}`
    problems.push(`${VARIABLE}: ${quote(path)} is not valid YAML (${code ?? 'parse error'}${at})`)
    return undefined
  }
  const before = problems.length
  const top = mapping(document, VARIABLE, TOP, problems)
  const base = dirname(path)
  const tls = top.tls_server_config === undefined ? undefined : tlsSettings(mapping(top.tls_server_config, `${VARIABLE}: tls_server_config`, TLS_KEYS, problems), base, readFile, problems)
  const http = top.http_server_config === undefined ? {} : mapping(top.http_server_config, `${VARIABLE}: http_server_config`, HTTP_KEYS, problems)
  if (http.http2 !== undefined && typeof http.http2 !== 'boolean') problems.push(`${VARIABLE}: http_server_config.http2 must be true or false`)
  const headers = http.headers === undefined ? {} : securityHeaders(http.headers, problems)
  const users = top.basic_auth_users === undefined ? undefined : basicAuthUsers(top.basic_auth_users, problems)
  if (problems.length > before) return undefined
  return { headers, ...(tls !== undefined && { tls }), ...(users !== undefined && users.size > 0 && { auth: { type: 'basic', users } }) }
}

/** An object with only known keys (unknown ones are problems); {} for anything else, reported too. */
function mapping (value: unknown, where: string, known: readonly string[], problems: string[]): Fields {
  if (value === null || value === undefined) return {}
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.push(`${where} must be a mapping`)
    return {}
  }
  for (const key of Object.keys(value)) if (!known.includes(key)) problems.push(`${where}: unknown key ${shownKey(key)}`)
  return value as Fields
}

function tlsSettings (fields: Fields, base: string, readFile: ReadFile, problems: string[]): TlsSettings | undefined {
  const where = `${VARIABLE}: tls_server_config`
  const str = (key: string): string | undefined => {
    const value = fields[key]
    if (value === undefined || value === null || value === '') return undefined
    if (typeof value === 'string') return value
    problems.push(`${where}.${key} must be a string`)
    return undefined
  }
  // Go's rule: a section with neither certificate nor client-auth settings means plain HTTP.
  if (['cert', 'key', 'cert_file', 'key_file', 'client_auth_type', 'client_ca', 'client_ca_file'].every((key) => str(key) === undefined)) return undefined
  const pem = (inline: string, file: string, kind: RegExp, required: boolean): string | undefined => {
    const text = str(inline)
    const path = str(file)
    if (text !== undefined && path !== undefined) problems.push(`${where}: ${inline} and ${file} are both set: set only one`)
    if (text === undefined && path === undefined) {
      if (required) problems.push(`${where}.${file} (or ${inline}) is required`)
      return undefined
    }
    const content = text ?? readConfigFile(resolve(base, path ?? ''), `${where}.${file}`, readFile, problems)
    if (content === undefined || kind.test(content)) return content
    problems.push(`${where}.${text === undefined ? file : inline} is not PEM of the expected kind`)
    return undefined
  }
  const cert = pem('cert', 'cert_file', /-----BEGIN CERTIFICATE-----/, true)
  const key = pem('key', 'key_file', /-----BEGIN (RSA |EC |ENCRYPTED )?PRIVATE KEY-----/, true)
  const clientCa = pem('client_ca', 'client_ca_file', /-----BEGIN CERTIFICATE-----/, false)
  const clientAuth = (str('client_auth_type') ?? 'NoClientCert') as ClientAuthType
  if (!CLIENT_AUTH_TYPES.includes(clientAuth)) problems.push(`${where}.client_auth_type must be one of ${CLIENT_AUTH_TYPES.join(', ')} (got ${quote(clientAuth)})`)
  if (clientCa !== undefined && clientAuth === 'NoClientCert') problems.push(`${where}: a client CA is set but client_auth_type is NoClientCert`)
  if (clientCa === undefined && (clientAuth === 'VerifyClientCertIfGiven' || clientAuth === 'RequireAndVerifyClientCert')) {
    problems.push(`${where}: client_auth_type ${clientAuth} needs client_ca_file (or client_ca)`)
  }
  const sans = strings(fields.client_allowed_sans, `${where}.client_allowed_sans`, problems)
  if (sans !== undefined && clientAuth !== 'RequireAnyClientCert' && clientAuth !== 'RequireAndVerifyClientCert') {
    problems.push(`${where}: client_allowed_sans needs client_auth_type RequireAnyClientCert or RequireAndVerifyClientCert`)
  }
  const version = (name: string, fallback: 'TLSv1.2' | 'TLSv1.3'): 'TLSv1.2' | 'TLSv1.3' => {
    const value = str(name)
    if (value === undefined) return fallback
    const node = tlsVersion(value)
    if (node === undefined) problems.push(`${where}.${name} must be TLS12 or TLS13 (got ${quote(value)}${/^TLS1[01]$/.test(value) ? ': TLS 1.0 and 1.1 are not offered' : ''})`)
    return node ?? fallback
  }
  const minVersion = version('min_version', 'TLSv1.2')
  const maxVersion = version('max_version', 'TLSv1.3')
  if (minVersion > maxVersion) problems.push(`${where}: min_version is above max_version`)
  const ciphers = (strings(fields.cipher_suites, `${where}.cipher_suites`, problems) ?? []).map((name) => {
    const suite = cipherSuite(name)
    if ('problem' in suite) problems.push(`${where}.cipher_suites: ${quote(name)} ${suite.problem}`)
    return 'openssl' in suite ? suite.openssl : ''
  })
  const curves = (strings(fields.curve_preferences, `${where}.curve_preferences`, problems) ?? []).map((name) => {
    const curve = curveName(name)
    if (curve === undefined) problems.push(`${where}.curve_preferences: ${quote(name)} is not a curve name of Go's crypto/tls`)
    else if (!offered({ ecdhCurve: curve })) problems.push(`${where}.curve_preferences: ${quote(name)} (${curve}) is not offered by this Node.js`)
    return curve ?? ''
  })
  const prefer = fields.prefer_server_cipher_suites ?? true
  if (typeof prefer !== 'boolean') problems.push(`${where}.prefer_server_cipher_suites must be true or false`)
  if (cert === undefined || key === undefined) return undefined
  // Certificate and key must belong together (only the error's code is shown: never the material).
  const pair = offered({ cert, key })
  if (!pair) problems.push(`${where}: the certificate and key do not match or cannot be loaded`)
  return {
    cert,
    key,
    clientAuth,
    minVersion,
    maxVersion,
    honorCipherOrder: prefer === true,
    ...(clientCa !== undefined && { clientCa }),
    ...(sans !== undefined && { clientAllowedSans: sans }),
    ...(ciphers.length > 0 && { ciphers: ciphers.join(':') }),
    ...(curves.length > 0 && { ecdhCurve: curves.join(':') }),
  }
}

/** True when Node accepts these secure-context options. */
function offered (options: Parameters<typeof createSecureContext>[0]): boolean {
  try {
    createSecureContext(options)
    return true
  } catch {
    return false
  }
}

function strings (value: unknown, where: string, problems: string[]): string[] | undefined {
  if (value === undefined || value === null) return undefined
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && v !== '')) {
    problems.push(`${where} must be a list of strings`)
    return undefined
  }
  return value as string[]
}

function securityHeaders (value: unknown, problems: string[]): Record<string, string> {
  const where = `${VARIABLE}: http_server_config.headers`
  const headers: Record<string, string> = {}
  for (const [name, content] of Object.entries(mapping(value, where, Object.keys(HEADERS), problems))) {
    if (!(name in HEADERS) || content === null || content === undefined || content === '') continue
    const allowed = HEADERS[name]
    if (typeof content !== 'string' || (allowed !== undefined && !allowed.test(content))) {
      problems.push(`${where}.${name}: ${typeof content === 'string' ? quote(content) : 'the value'} is not accepted${allowed === undefined ? '' : ` (${allowed.source.replace(/[\^$()]/g, '').replace('|', ' or ')})`}`)
      continue
    }
    headers[name] = content
  }
  return headers
}

function basicAuthUsers (value: unknown, problems: string[]): Map<string, string> {
  const where = `${VARIABLE}: basic_auth_users`
  const users = new Map<string, string>()
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    problems.push(`${where} must be a mapping of user names to bcrypt hashes`)
    return users
  }
  for (const [user, hash] of Object.entries(value as Fields)) {
    if (typeof hash !== 'string' || !BCRYPT_HASH.test(hash)) problems.push(`${where}: the password hash of ${shownKey(user)} is not a bcrypt hash (make one with: htpasswd -nBC 10 "" | tr -d ':\\n')`)
    else users.set(user, hash)
  }
  return users
}
