import { SETTING_NAMES } from './account-settings.js'
import type { Config } from './types.js'

/** The configuration as the start line shows it: account names and URLs, never keys or secrets. */
export function describeConfig (config: Config): Record<string, unknown> {
  return {
    // Every setting of the table (none is secret), never the key or the secret.
    accounts: config.accounts.map((account) => Object.fromEntries([['name', account.name], ...SETTING_NAMES.map((name): [string, unknown] => [name, account[name]])])),
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
    telemetryPath: config.telemetryPath,
    lifecycle: config.lifecycle,
    logLevel: config.logLevel,
    logFormat: config.logFormat,
  }
}
