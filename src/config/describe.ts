import type { Config } from './types.js'

/** The configuration as the start line shows it: account names and URLs, never keys or secrets. */
export function describeConfig (config: Config): Record<string, unknown> {
  return {
    accounts: config.accounts.map(({ name, baseUrl, balanceWarning, balanceCritical, spendSpikeFloor }) => ({ name, baseUrl, balanceWarning, balanceCritical, spendSpikeFloor })),
    shard: config.shard,
    pollIntervalSeconds: config.pollIntervalSeconds,
    requestTimeoutSeconds: config.requestTimeoutSeconds,
    maxConcurrentPolls: config.maxConcurrentPolls,
    maxStalenessSeconds: config.maxStalenessSeconds,
    processMetrics: config.processMetrics,
    auth: config.web.auth?.type ?? 'none',
    tls: config.web.tls !== undefined,
    host: config.host,
    port: config.port,
    logLevel: config.logLevel,
  }
}
