// Starting the built exporter and simulator as child processes, finding their ports through /proc
// (at LOG_LEVEL=warn neither logs where it listens), and counting their log lines without keeping them all.
import { spawn, type ChildProcess } from 'node:child_process'
import { listeningPorts } from './proc.js'

const KEPT_LINES = 20

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

export interface Program {
  child: ChildProcess
  pid: number
  logs: LogStats
  exited: Promise<{ code: number | null, signal: NodeJS.Signals | null }>
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  stop: (graceMs?: number) => Promise<{ code: number | null, signal: NodeJS.Signals | null, stopMs: number }>
}

const LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' }

/** Calls `onLine` for each complete line of a stream. */
function lines (stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let rest = ''
  stream.setEncoding('utf8')
  stream.on('data', (chunk: string) => {
    const parts = (rest + chunk).split('\n')
    rest = parts.pop() ?? ''
    for (const line of parts) if (line !== '') onLine(line)
  })
  stream.on('end', () => { if (rest !== '') onLine(rest) })
}

/** Starts `node script` with only `env` (plus PATH). */
export function startProgram (script: string, env: Record<string, string>): Program {
  const child = spawn(process.execPath, [script], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  if (child.pid === undefined) throw new Error(`cannot start ${script}`)
  const logs: LogStats = { byLevel: {}, byMessage: {}, failingByStatus: {}, notable: [], stderrLines: 0, stderrFirst: [] }
  const bump = (counts: Record<string, number>, key: string): void => { counts[key] = (counts[key] ?? 0) + 1 }
  const keep = (list: string[], line: string): void => { if (list.length < KEPT_LINES) list.push(line.slice(0, 500)) }
  lines(child.stdout, (line) => {
    let record: Record<string, unknown>
    try {
      record = JSON.parse(line) as Record<string, unknown>
    } catch {
      bump(logs.byLevel, 'not-json')
      keep(logs.notable, line)
      return
    }
    const level = LEVELS[Number(record.level)] ?? String(record.level)
    const msg = typeof record.msg === 'string' ? record.msg : ''
    bump(logs.byLevel, level)
    bump(logs.byMessage, msg)
    if (msg === 'account failing') bump(logs.failingByStatus, String(record.status))
    if (Number(record.level) >= 50) keep(logs.notable, line)
  })
  lines(child.stderr, (line) => {
    logs.stderrLines++
    keep(logs.stderrFirst, line)
  })
  const exited = new Promise<{ code: number | null, signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => { resolve({ code, signal }) })
  })
  const stop = async (graceMs = 3000): Promise<{ code: number | null, signal: NodeJS.Signals | null, stopMs: number }> => {
    const started = Date.now()
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      const timer = setTimeout(() => { child.kill('SIGKILL') }, graceMs)
      await exited
      clearTimeout(timer)
    }
    return { ...(await exited), stopMs: Date.now() - started }
  }
  return { child, pid: child.pid, logs, exited, stop }
}

/** Waits (polling /proc, bounded by `timeoutMs`) until the program listens on a TCP port, and returns it. */
export async function listeningPort (program: Program, timeoutMs = 15_000): Promise<number> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (program.child.exitCode !== null || program.child.signalCode !== null) {
      throw new Error(`process ${program.pid} exited before listening: ${program.logs.stderrFirst.join('\n')} ${program.logs.notable.join('\n')}`)
    }
    const ports = await listeningPorts(program.pid).catch(() => [])
    if (ports[0] !== undefined) return ports[0]
    if (Date.now() > deadline) throw new Error(`process ${program.pid} did not listen within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
