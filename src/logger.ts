import { pino, type DestinationStream, type Logger } from 'pino'
import type { LogFormat, LogLevel } from './config/types.js'
import { logfmtDestination } from './logfmt.js'

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

/** Where the exporter's log goes in a LOG_FORMAT: stdout, as pino's JSON (undefined: pino's own) or as logfmt. */
export const logDestination = (format: LogFormat): DestinationStream | undefined => format === 'logfmt' ? logfmtDestination() : undefined
