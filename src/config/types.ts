export interface AccountConfig {
  /** Value of the `account` label. */
  name: string
  apiKey: string
  apiSecret: string
  baseUrl: string
  /** Balance under which LaafficBalanceLow fires (exported as laaffic_balance_warning_threshold). */
  balanceWarning: number
  /** Balance under which LaafficBalanceCritical fires (laaffic_balance_critical_threshold). */
  balanceCritical: number
  /** Spend per hour under which LaafficSpendSpike never fires (laaffic_spend_spike_floor_per_hour). */
  spendSpikeFloor: number
}

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

/** How the HTTPS server treats client certificates (the exporter-toolkit's client_auth_type, Go's names). */
export type ClientAuthType = 'NoClientCert' | 'RequestClientCert' | 'RequireAnyClientCert' | 'VerifyClientCertIfGiven' | 'RequireAndVerifyClientCert'

/** The server speaks HTTPS with these; everything but clientAuth can change at a reload. */
export interface TlsSettings {
  /** PEM certificate chain and key. */
  cert: string
  key: string
  clientAuth: ClientAuthType
  /** PEM CA certificates client certificates are verified against. */
  clientCa?: string
  /** A client certificate must carry one of these as a Subject Alternative Name (DNS, IP, e-mail or URI). */
  clientAllowedSans?: string[]
  minVersion: 'TLSv1.2' | 'TLSv1.3'
  maxVersion: 'TLSv1.2' | 'TLSv1.3'
  /** OpenSSL cipher list, in preference order; undefined: Node's default. */
  ciphers?: string
  /** The server's order of ciphers wins over the client's. */
  honorCipherOrder: boolean
  /** Node's ecdhCurve list ("X25519:P-256"); undefined: Node's default. */
  ecdhCurve?: string
}

export interface WebConfig {
  auth?: WebAuth
  tls?: TlsSettings
  /** Security headers added to every answer (http_server_config.headers). */
  headers?: Record<string, string>
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
