// Counting a program's log lines by level and message as they arrive, keeping only the first few that
// matter: an exporter at LOG_LEVEL=warn under faults writes thousands of lines in a soak.
import type { StreamName } from '../lib/program.js'

const KEPT_LINES = 20
const LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' }

export interface LogStats {
  /** JSON lines by pino level name. */
  byLevel: Record<string, number>
  /** JSON lines by message. */
  byMessage: Record<string, number>
  /** `account failing` lines by status. */
  failingByStatus: Record<string, number>
  /** The first few lines at error or fatal, or not JSON. */
  notable: string[]
  stderrLines: number
  stderrFirst: string[]
}

/** Empty counts, and the line handler (for startProgram's onLine) that fills them. */
export function countLogLines (): { stats: LogStats, onLine: (line: string, stream: StreamName) => void } {
  const stats: LogStats = { byLevel: {}, byMessage: {}, failingByStatus: {}, notable: [], stderrLines: 0, stderrFirst: [] }
  const bump = (counts: Record<string, number>, key: string): void => { counts[key] = (counts[key] ?? 0) + 1 }
  const keep = (list: string[], line: string): void => { if (list.length < KEPT_LINES) list.push(line.slice(0, 500)) }
  const onLine = (line: string, stream: StreamName): void => {
    if (line === '') return
    if (stream === 'stderr') {
      stats.stderrLines++
      keep(stats.stderrFirst, line)
      return
    }
    let record: Record<string, unknown>
    try {
      record = JSON.parse(line) as Record<string, unknown>
    } catch {
      bump(stats.byLevel, 'not-json')
      keep(stats.notable, line)
      return
    }
    const level = LEVELS[Number(record.level)] ?? String(record.level)
    const msg = typeof record.msg === 'string' ? record.msg : ''
    bump(stats.byLevel, level)
    bump(stats.byMessage, msg)
    if (msg === 'account failing') bump(stats.failingByStatus, String(record.status))
    if (Number(record.level) >= 50) keep(stats.notable, line)
  }
  return { stats, onLine }
}
