import { quote } from './env.js'
import type { Env } from './schema.js'
import { readConfigFile, resolveSecret, type ReadFile } from './secrets.js'
import type { WebAuth, WebConfig } from './types.js'
import { BCRYPT_HASH, loadWebConfigFile } from './web-config-file.js'

type WebVars = Pick<Env, 'METRICS_BEARER_TOKEN' | 'METRICS_BEARER_TOKEN_FILE' | 'METRICS_BASIC_AUTH_USERS_FILE' | 'TLS_CERT_FILE' | 'TLS_KEY_FILE' | 'WEB_CONFIG_FILE'>


/** The variables WEB_CONFIG_FILE replaces: setting both would leave one of them silently unused. */
const SHORTHANDS = ['METRICS_BEARER_TOKEN', 'METRICS_BEARER_TOKEN_FILE', 'METRICS_BASIC_AUTH_USERS_FILE', 'TLS_CERT_FILE', 'TLS_KEY_FILE'] as const

/**
 * Protection of the HTTP server: WEB_CONFIG_FILE (the exporter-toolkit file), or the shorthand variables for
 * a bearer token, basic auth users and a certificate. Problems go to `problems`.
 */
export function loadWebConfig (vars: WebVars, readFile: ReadFile, problems: string[]): WebConfig {
  if (vars.WEB_CONFIG_FILE !== undefined) {
    const set = SHORTHANDS.filter((name) => vars[name] !== undefined)
    for (const name of set) problems.push(`WEB_CONFIG_FILE cannot be combined with ${name}: put the setting in the web config file`)
    return (set.length > 0 ? undefined : loadWebConfigFile(vars.WEB_CONFIG_FILE, readFile, problems)) ?? { headers: {} }
  }
  const web: WebConfig = { headers: {} }
  const bearer = vars.METRICS_BEARER_TOKEN !== undefined || vars.METRICS_BEARER_TOKEN_FILE !== undefined
  if (bearer && vars.METRICS_BASIC_AUTH_USERS_FILE !== undefined) {
    problems.push('METRICS_BASIC_AUTH_USERS_FILE cannot be combined with METRICS_BEARER_TOKEN(_FILE): choose one')
  } else if (bearer) {
    const token = resolveSecret({
      inline: vars.METRICS_BEARER_TOKEN,
      file: vars.METRICS_BEARER_TOKEN_FILE,
      inlineName: 'METRICS_BEARER_TOKEN',
      fileName: 'METRICS_BEARER_TOKEN_FILE',
    }, readFile, problems)
    if (token !== undefined) web.auth = { type: 'bearer', token }
  } else if (vars.METRICS_BASIC_AUTH_USERS_FILE !== undefined) {
    const users = readUsersFile(vars.METRICS_BASIC_AUTH_USERS_FILE, readFile, problems)
    if (users !== undefined) web.auth = users
  }

  if ((vars.TLS_CERT_FILE === undefined) !== (vars.TLS_KEY_FILE === undefined)) {
    problems.push('TLS_CERT_FILE and TLS_KEY_FILE go together: set both or neither')
  } else if (vars.TLS_CERT_FILE !== undefined && vars.TLS_KEY_FILE !== undefined) {
    const cert = readPem(vars.TLS_CERT_FILE, 'TLS_CERT_FILE', /-----BEGIN CERTIFICATE-----/, readFile, problems)
    const key = readPem(vars.TLS_KEY_FILE, 'TLS_KEY_FILE', /-----BEGIN (RSA |EC |ENCRYPTED )?PRIVATE KEY-----/, readFile, problems)
    if (cert !== undefined && key !== undefined) {
      web.tls = { cert, key, clientAuth: 'NoClientCert', minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3', honorCipherOrder: true }
    }
  }
  return web
}

/** htpasswd-style `user:bcrypt-hash` lines; blank lines and # comments are skipped. Hashes are never echoed. */
function readUsersFile (path: string, readFile: ReadFile, problems: string[]): WebAuth | undefined {
  const where = 'METRICS_BASIC_AUTH_USERS_FILE'
  const text = readConfigFile(path, where, readFile, problems)
  if (text === undefined) return undefined
  const users = new Map<string, string>()
  const before = problems.length
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) return
    const colon = line.indexOf(':')
    const user = line.slice(0, Math.max(colon, 0))
    const hash = line.slice(colon + 1)
    if (colon <= 0 || !BCRYPT_HASH.test(hash)) {
      problems.push(`${where}: line ${index + 1} is not "user:bcrypt-hash" (make one with: htpasswd -nbB user password)`)
    } else if (users.has(user)) {
      problems.push(`${where}: line ${index + 1}: user ${quote(user)} appears twice`)
    } else {
      users.set(user, hash)
    }
  })
  if (problems.length > before) return undefined
  if (users.size === 0) {
    problems.push(`${where}: ${quote(path)} holds no users`)
    return undefined
  }
  return { type: 'basic', users }
}

function readPem (path: string, variable: string, marker: RegExp, readFile: ReadFile, problems: string[]): string | undefined {
  const text = readConfigFile(path, variable, readFile, problems)
  if (text === undefined) return undefined
  if (!marker.test(text)) {
    problems.push(`${variable}: ${quote(path)} is not a PEM file of the expected kind`)
    return undefined
  }
  return text
}
