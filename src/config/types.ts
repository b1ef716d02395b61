import type { AccountConfig } from './account-settings.js'

// Declared by the table of per-account settings (account-settings.ts); re-exported beside the rest of the configuration.
export type { AccountConfig }
import type { ClientAuthType, TlsVersion } from './tls-names.js'

export type { ClientAuthType } from './tls-names.js'

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export type LogLevel = typeof LOG_LEVELS[number]
/** pino's JSON lines, or logfmt lines as Go exporters write by default (src/logfmt.ts). */
export const LOG_FORMATS = ['json', 'logfmt'] as const
export type LogFormat = typeof LOG_FORMATS[number]

/** Who may read /metrics and the status page (/healthz and /readyz stay open). */
export type WebAuth =
  | { type: 'bearer', token: string }
  /** user → bcrypt hash, from an htpasswd-style file. */
  | { type: 'basic', users: Map<string, string> }

/** The server speaks HTTPS with these; everything but clientAuth can change at a reload. */
export interface TlsSettings {
  /** PEM certificate chain and key. */
  cert: string
  key: string
  clientAuth: ClientAuthType
  /** PEM CA certificates client certificates are verified against (none: Node's root CAs, as Go uses the system's). */
  clientCa?: string
  /** A client certificate must carry one of these as a Subject Alternative Name (DNS, IP, e-mail or URI). */
  clientAllowedSans?: string[]
  minVersion: TlsVersion
  maxVersion: TlsVersion
  /** OpenSSL cipher list, in preference order; undefined: Node's default. */
  ciphers?: string
  /** The server's order of ciphers wins over the client's. */
  honorCipherOrder: boolean
  /** Node's ecdhCurve list ("X25519:P-256"); undefined: Node's default. */
  ecdhCurve?: string
}

/** rate_limit: at most `burst` requests at once, one more every `intervalMs` (a token bucket over all clients). */
export interface RateLimit {
  intervalMs: number
  burst: number
}

export interface WebConfig {
  auth?: WebAuth
  tls?: TlsSettings
  /** Security headers added to every answer (http_server_config.headers). */
  headers?: Record<string, string>
  rateLimit?: RateLimit
}

/** This process' part of the accounts: shard `index` of `total` (src/config/shard.ts). */
export interface ShardConfig {
  index: number
  total: number
}

export interface Config {
  /** The accounts of this process' shard (all of them when not sharded). */
  accounts: AccountConfig[]
  shard: ShardConfig
  web: WebConfig
  pollIntervalSeconds: number
  requestTimeoutSeconds: number
  /** Polls running at once over all accounts (LAAFFIC_MAX_CONCURRENT_POLLS). */
  maxConcurrentPolls: number
  /** Seconds after the last success at which value series are dropped; 0 keeps them forever. */
  maxStalenessSeconds: number
  processMetrics: boolean
  /** POST /-/reload is served (WEB_ENABLE_LIFECYCLE). */
  lifecycle: boolean
  /** Every file the configuration was read from, absolute: a reload re-reads them, a change of one triggers it. */
  files: string[]
  host: string
  port: number
  /** Where the metrics are served (WEB_TELEMETRY_PATH, default /metrics). */
  telemetryPath: string
  logLevel: LogLevel
  logFormat: LogFormat
}

/** A configuration that cannot run. `problems` holds one line per problem, each naming the variable. */
export class ConfigError extends Error {
  readonly problems: string[]

  constructor (problems: string[]) {
    super(problems.join('\n'))
    this.name = 'ConfigError'
    this.problems = problems
  }
}
