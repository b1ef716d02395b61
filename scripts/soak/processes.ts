// The built exporter and simulator as the soak starts them (scripts/lib/program.ts), with their log lines
// counted as they arrive rather than kept.
import type { ChildProcess } from 'node:child_process'
import { startNodeScript, type Exit } from '../lib/program.js'
import { countLogLines, type LogStats } from './log-stats.js'

/** Output kept per stream besides the counts: the latest few lines. */
const KEPT_CHARS = 8 * 1024

export interface Program {
  child: ChildProcess
  pid: number
  logs: LogStats
  exited: Promise<Exit>
  port: (timeoutMs?: number) => Promise<number>
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  stop: (graceMs?: number) => Promise<Exit & { stopMs: number }>
}

/** Starts `node script` with only `env` (plus PATH). */
export function startProgram (script: string, env: Record<string, string>): Program {
  const { stats, onLine } = countLogLines()
  const { child, pid, exited, port, stop } = startNodeScript(script, { env, onLine, keepChars: KEPT_CHARS })
  return { child, pid, logs: stats, exited, port, stop }
}
