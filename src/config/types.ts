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

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'

export interface Config {
  accounts: AccountConfig[]
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
