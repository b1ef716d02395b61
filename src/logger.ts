import { pino, type DestinationStream, type Logger } from 'pino'
import type { Config, LogLevel } from './config/types.js'

/**
 * pino JSON on stdout. The redact paths are a safety net only: nothing is meant to hand a secret,
 * a Sign or a request to the logger in the first place.
 */
export function createLogger (level: LogLevel, destination?: DestinationStream, name = 'laaffic-exporter'): Logger {
  const options = {
    level,
    base: { name },
    redact: {
      paths: ['*.apiSecret', '*.*.apiSecret', 'apiSecret', 'headers.sign', '*.headers.sign', 'headers.Sign', '*.headers.Sign'],
      censor: '[REDACTED]',
    },
  }
  return destination === undefined ? pino(options) : pino(options, destination)
}

/** The configuration as the start line shows it: account names and URLs, never keys or secrets. */
export function describeConfig (config: Config): Record<string, unknown> {
  return {
    accounts: config.accounts.map(({ name, baseUrl, balanceWarning, balanceCritical }) => ({ name, baseUrl, balanceWarning, balanceCritical })),
    pollIntervalSeconds: config.pollIntervalSeconds,
    requestTimeoutSeconds: config.requestTimeoutSeconds,
    maxStalenessSeconds: config.maxStalenessSeconds,
    processMetrics: config.processMetrics,
    auth: config.web.auth?.type ?? 'none',
    tls: config.web.tls !== undefined,
    host: config.host,
    port: config.port,
    logLevel: config.logLevel,
  }
}
