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
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export type LogLevel = typeof LOG_LEVELS[number]

/** Who may read /metrics and the status page (/healthz and /readyz stay open). */
export type WebAuth =
  | { type: 'bearer', token: string }
  /** user → bcrypt hash, from an htpasswd-style file. */
  | { type: 'basic', users: Map<string, string> }

export interface WebConfig {
  auth?: WebAuth
  /** PEM certificate chain and key: the server speaks HTTPS (TLS 1.2 or later). */
  tls?: { cert: string, key: string }
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
  /** Seconds after the last success at which value series are dropped; 0 keeps them forever. */
  maxStalenessSeconds: number
  processMetrics: boolean
  host: string
  port: number
  logLevel: LogLevel
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
