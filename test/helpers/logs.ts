import type { DestinationStream } from 'pino'
import { createLogger } from '../../src/logger.js'
import type { LogLevel } from '../../src/config/types.js'

export interface CapturedLogs {
  /** Every line as written, for searching the raw text. */
  lines: string[]
  /** Every line parsed, for asserting on records. */
  records: Array<Record<string, unknown> & { msg?: string, level: number }>
}

/** A real pino logger writing into memory. */
export function captureLogs (level: LogLevel = 'debug'): CapturedLogs & { logger: ReturnType<typeof createLogger> } {
  const lines: string[] = []
  const records: CapturedLogs['records'] = []
  const destination: DestinationStream = {
    write (line: string) {
      lines.push(line)
      records.push(JSON.parse(line) as CapturedLogs['records'][number])
    },
  }
  return { lines, records, logger: createLogger(level, destination) }
}
