// The one web configuration front end. Its input is the exporter-toolkit's web-config.yml structure (web/tls_config.go
// Config: tls_server_config, http_server_config, rate_limit, basic_auth_users), whether it came from WEB_CONFIG_FILE
// or was built from the TLS_* and METRICS_* shorthand variables (web.ts); the rules are the toolkit's, read from its
// Go code: unknown keys refused (yaml.UnmarshalStrict), scalars read as Go reads them (yaml-go.ts), the header
// allow-list and values of web/handler.go, bcrypt hashes as bcrypt.Cost checks them. Problems name the setting
// as the user wrote it (WebSource.at).
import { quote } from './env.js'
import type { ReadFile } from './secrets.js'
import type { RateLimit, WebConfig } from './types.js'
import { tlsSettings } from './web-tls.js'
import { goBool, goDurationMs, goInt, goMapping, goString, shownKey, type GoValue } from './yaml-go.js'

/** Where the document came from: how to name a setting in a problem, and where relative file paths start. */
export interface WebSource {
  /** "" is the whole document; "tls_server_config.cert_file" a setting. */
  at: (setting: string) => string
  /** Names the password hash of one basic auth user. */
  user: (name: string) => string
  base: string
  readFile: ReadFile
}

const TOP = ['tls_server_config', 'http_server_config', 'rate_limit', 'basic_auth_users']
/** The headers web/handler.go lets a file set, each with its accepted values (exact, case included), or null: any. */
const HEADERS: Readonly<Record<string, readonly string[] | null>> = {
  'Strict-Transport-Security': null,
  'X-Content-Type-Options': ['nosniff'],
  'X-Frame-Options': ['deny', 'sameorigin'],
  'X-XSS-Protection': null,
  'Content-Security-Policy': null,
}
/** bcrypt as Go's bcrypt.Cost reads it (version 2, 2a, 2b or 2y; cost 4 to 31), with the 53 characters bcrypt can verify. */
const BCRYPT_HASH = /^\$2[aby]?\$(0[4-9]|[12]\d|3[01])\$[./A-Za-z0-9]{53}$/
export const MAKE_HASH = 'htpasswd -nbBC 10 "" \'password\' | tr -d \':\\n\''

/** The web configuration a document describes, or undefined with the reasons in `problems`. */
export function buildWebConfig (document: GoValue, source: WebSource, problems: string[]): WebConfig | undefined {
  const before = problems.length
  const top = goMapping(document, source.at(''), TOP, problems)
  const http = goMapping(top.http_server_config, source.at('http_server_config'), ['headers', 'http2'], problems)
  // http2 is read for its rules only: Node serves HTTP/1.1 here (docs/security.md).
  const http2 = goBool(http.http2, source.at('http_server_config.http2'), true, problems)
  const headers = securityHeaders(http.headers, source, problems)
  const rateLimit = rateLimitOf(top.rate_limit, source, problems)
  const users = basicAuthUsers(top.basic_auth_users, source, problems)
  const tls = tlsSettings(top.tls_server_config, source, http2, problems)
  if (problems.length > before) return undefined
  return {
    headers,
    ...(tls !== undefined && { tls }),
    ...(users.size > 0 && { auth: { type: 'basic', users } }),
    ...(rateLimit !== undefined && { rateLimit }),
  }
}

function securityHeaders (value: GoValue, source: WebSource, problems: string[]): Record<string, string> {
  const at = source.at('http_server_config.headers')
  const headers: Record<string, string> = {}
  for (const [name, raw] of Object.entries(goMapping(value, at, undefined, problems))) {
    const allowed = HEADERS[name]
    const content = goString(raw, `${at}.${name}`, problems)
    if (allowed === undefined) {
      problems.push(`${at}: the header ${shownKey(name)} cannot be configured (only ${Object.keys(HEADERS).join(', ')})`)
    } else if (allowed !== null && !allowed.includes(content)) {
      problems.push(`${at}.${name} must be ${allowed.map((v) => `"${v}"`).join(' or ')} (got ${quote(content.slice(0, 40))})`)
    } else {
      headers[name] = content
    }
  }
  return headers
}

/** rate_limit: a token bucket over every request (interval 0 or less: none), as the toolkit's golang.org/x/time/rate. */
function rateLimitOf (value: GoValue, source: WebSource, problems: string[]): RateLimit | undefined {
  const fields = goMapping(value, source.at('rate_limit'), ['burst', 'interval'], problems)
  const intervalMs = goDurationMs(fields.interval, source.at('rate_limit.interval'), problems)
  const burst = goInt(fields.burst, source.at('rate_limit.burst'), problems)
  return intervalMs > 0 ? { intervalMs, burst } : undefined
}

function basicAuthUsers (value: GoValue, source: WebSource, problems: string[]): Map<string, string> {
  const users = new Map<string, string>()
  for (const [user, raw] of Object.entries(goMapping(value, source.at('basic_auth_users'), undefined, problems))) {
    const hash = goString(raw, source.user(user), problems)
    if (BCRYPT_HASH.test(hash)) users.set(user, hash)
    else problems.push(`${source.user(user)} is not a bcrypt hash (make one with: ${MAKE_HASH})`)
  }
  return users
}
