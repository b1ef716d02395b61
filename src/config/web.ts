// Protection of the HTTP server: WEB_CONFIG_FILE (the exporter-toolkit file), or the shorthand variables, which
// are turned into the same toolkit-shaped document and go through the same front end (web-document.ts), with
// problems naming the variable the user set. The bearer token is this exporter's addition: the toolkit's format
// has none (a file holding one would fail promtool and every Go exporter), so it stays out of the document and
// becomes the authentication of the result.
import { quote } from './env.js'
import type { Env } from './schema.js'
import { readConfigFile, resolveSecret, type ReadFile } from './secrets.js'
import type { WebConfig } from './types.js'
import { buildWebConfig } from './web-document.js'
import { loadWebConfigFile } from './web-config-file.js'
import { shownKey, type GoMapping } from './yaml-go.js'

type WebVars = Pick<Env, 'METRICS_BEARER_TOKEN' | 'METRICS_BEARER_TOKEN_FILE' | 'METRICS_BASIC_AUTH_USERS_FILE' | 'TLS_CERT_FILE' | 'TLS_KEY_FILE' | 'WEB_CONFIG_FILE'>

/** The variables WEB_CONFIG_FILE replaces: setting both would leave one of them silently unused. */
const SHORTHANDS = ['METRICS_BEARER_TOKEN', 'METRICS_BEARER_TOKEN_FILE', 'METRICS_BASIC_AUTH_USERS_FILE', 'TLS_CERT_FILE', 'TLS_KEY_FILE'] as const
const USERS = 'METRICS_BASIC_AUTH_USERS_FILE'
/** The document's settings the shorthands fill, and the variable a problem with each names. */
const VARIABLE_OF: Readonly<Record<string, string>> = {
  tls_server_config: 'TLS_CERT_FILE and TLS_KEY_FILE',
  'tls_server_config.cert_file': 'TLS_CERT_FILE',
  'tls_server_config.key_file': 'TLS_KEY_FILE',
  basic_auth_users: USERS,
}

/** Problems go to `problems`; the result is what the server runs with when there are none. */
export function loadWebConfig (vars: WebVars, readFile: ReadFile, problems: string[]): WebConfig {
  if (vars.WEB_CONFIG_FILE !== undefined) {
    const set = SHORTHANDS.filter((name) => vars[name] !== undefined)
    for (const name of set) problems.push(`WEB_CONFIG_FILE cannot be combined with ${name}: put the setting in the web config file`)
    return (set.length > 0 ? undefined : loadWebConfigFile(vars.WEB_CONFIG_FILE, readFile, problems)) ?? { headers: {} }
  }
  const document: GoMapping = {}
  const lineOf = new Map<string, number>()
  const bearer = vars.METRICS_BEARER_TOKEN !== undefined || vars.METRICS_BEARER_TOKEN_FILE !== undefined
  let token: string | undefined
  if (bearer && vars.METRICS_BASIC_AUTH_USERS_FILE !== undefined) {
    problems.push(`${USERS} cannot be combined with METRICS_BEARER_TOKEN(_FILE): choose one`)
  } else if (bearer) {
    token = resolveSecret({
      inline: vars.METRICS_BEARER_TOKEN,
      file: vars.METRICS_BEARER_TOKEN_FILE,
      inlineName: 'METRICS_BEARER_TOKEN',
      fileName: 'METRICS_BEARER_TOKEN_FILE',
    }, readFile, problems)
  } else if (vars.METRICS_BASIC_AUTH_USERS_FILE !== undefined) {
    const users = htpasswdUsers(vars.METRICS_BASIC_AUTH_USERS_FILE, readFile, lineOf, problems)
    if (users !== undefined) document.basic_auth_users = users
  }
  if ((vars.TLS_CERT_FILE === undefined) !== (vars.TLS_KEY_FILE === undefined)) {
    problems.push('TLS_CERT_FILE and TLS_KEY_FILE go together: set both or neither')
  } else if (vars.TLS_CERT_FILE !== undefined) {
    document.tls_server_config = { cert_file: vars.TLS_CERT_FILE, key_file: vars.TLS_KEY_FILE }
  }
  const web = buildWebConfig(document, {
    at: (setting) => VARIABLE_OF[setting] ?? `(from the shorthand variables) ${setting}`,
    user: (name) => `${USERS}: line ${lineOf.get(name) ?? 0}: the password hash of ${shownKey(name)}`,
    base: process.cwd(),
    readFile,
  }, problems) ?? { headers: {} }
  return token === undefined ? web : { ...web, auth: { type: 'bearer', token } }
}

/**
 * htpasswd lines (`user:bcrypt-hash`; blank lines and # comments skipped) as the document's basic_auth_users;
 * the hashes are checked there, with the users of WEB_CONFIG_FILE. Nothing of a line is ever echoed.
 */
function htpasswdUsers (path: string, readFile: ReadFile, lineOf: Map<string, number>, problems: string[]): GoMapping | undefined {
  const text = readConfigFile(path, USERS, readFile, problems)
  if (text === undefined) return undefined
  const users: GoMapping = {}
  const before = problems.length
  // The users read so far go on to the hash check even after a problem, so every bad line shows at once.
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) return
    const colon = line.indexOf(':')
    const user = line.slice(0, Math.max(colon, 0))
    if (colon <= 0) problems.push(`${USERS}: line ${index + 1} is not "user:bcrypt-hash" (make one with: htpasswd -nbBC 10 user 'password')`)
    else if (lineOf.has(user)) problems.push(`${USERS}: line ${index + 1}: user ${quote(user)} appears twice`)
    else {
      users[user] = line.slice(colon + 1)
      lineOf.set(user, index + 1)
    }
  })
  if (lineOf.size === 0 && problems.length === before) {
    problems.push(`${USERS}: ${quote(path)} holds no users`)
    return undefined
  }
  return users
}
