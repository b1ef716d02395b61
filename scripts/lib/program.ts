// Starting a program as a child process, learning its port, collecting its output and stopping it: the one
// way the tests, the soak and the bench run the exporter, the simulator, Prometheus and Alertmanager.
//
// The port is read from /proc (the listening TCP sockets of the child), not from a log line: the soak and
// the bench run the exporter at LOG_LEVEL=warn, where it does not say where it listens, and Prometheus and
// Alertmanager log in formats of their own. With /proc every program can be started on port 0, so no port
// is picked in advance and lost to another test in between. Linux only, as the soak already was.
import { spawn, type ChildProcess } from 'node:child_process'
import { eachLine, KeptLines } from './output.js'
import { listeningPorts } from './proc.js'
import { waitFor } from './wait.js'

export type StreamName = 'stdout' | 'stderr'
export interface Exit { code: number | null, signal: NodeJS.Signals | null }
/** How a stopped program ended, and how long stopping it took. */
export type Stopped = Exit & { stopMs: number }

export interface ProgramOptions {
  command: string
  args?: readonly string[]
  /** The program's whole environment besides PATH: nothing leaks in from the caller's unless passed here. */
  env?: NodeJS.ProcessEnv
  /** Its working directory (default: the caller's). */
  cwd?: string
  /** Called with each complete line, without its newline, as it arrives. */
  onLine?: (line: string, stream: StreamName) => void
  /** Characters of output kept per stream, the latest lines (default 16 Mi, far more than any test writes). */
  keepChars?: number
}

export interface Program {
  /** The command line, for messages. */
  readonly name: string
  readonly child: ChildProcess
  readonly pid: number
  /**
   * Resolves once the process has ended and its output has been read to the end, or DRAIN_GRACE_MS after
   * it ended if a process it started still holds its output (that one is left running).
   */
  readonly exited: Promise<Exit>
  /** The kept output, exactly as written. */
  stdout: () => string
  stderr: () => string
  /** Lines dropped from the front of the kept output to stay within keepChars. */
  dropped: () => Record<StreamName, number>
  /** The kept stdout lines that are JSON objects: pino's log records. */
  records: () => Array<Record<string, unknown>>
  /** Waits until it listens on a TCP port, and returns the port; throws if it exits first or the deadline passes. */
  port: (timeoutMs?: number) => Promise<number>
  /** `http://127.0.0.1:PORT` once it listens (see port). */
  url: (timeoutMs?: number) => Promise<string>
  /**
   * SIGTERM, then SIGKILL if it has not exited within `graceMs`; how it ended, and how long that took (at
   * most `graceMs` plus DRAIN_GRACE_MS). Processes it started are not signalled.
   */
  stop: (graceMs?: number) => Promise<Stopped>
}

const DEFAULT_KEEP_CHARS = 16 * 1024 * 1024
const DEFAULT_PORT_TIMEOUT_MS = 15_000
/** Between two reads of /proc: each reads every fd of the process, hundreds of sockets during the soak. */
const PORT_POLL_MS = 20
const DEFAULT_STOP_GRACE_MS = 3000
/**
 * After the process has exited, how long its output may take to reach its end before the pipes are closed.
 * Only a pipe still held by a grandchild takes that long: otherwise the end comes at once.
 */
export const DRAIN_GRACE_MS = 500

export function startProgram (options: ProgramOptions): Program {
  const args = options.args ?? []
  const name = [options.command, ...args].join(' ')
  const child = spawn(options.command, args, {
    env: { PATH: process.env.PATH ?? '', ...options.env },
    ...(options.cwd !== undefined && { cwd: options.cwd }),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let startError: Error | undefined
  const exited = new Promise<Exit>((resolve) => {
    // 'close' rather than 'exit' where it can: by then every line it wrote has been read. But 'close' waits
    // for every holder of the stdout and stderr pipes, and a grandchild that inherited them (a shell's
    // background job, a script npm runs) can hold them for ever: stop() and runProgram would never return.
    // So once the process itself has exited, its output gets DRAIN_GRACE_MS to reach its end, then the
    // pipes are closed from this side (whatever is written to them later is lost), which brings the
    // 'close' (with the exit's code and signal) and the last line without a newline (eachLine). Starting
    // it detached and killing its process group would still hang on a grandchild that leaves the group
    // (setsid, a daemon), and would change which signals a terminal's Ctrl-C sends the children; this way
    // holds whatever the descendants do, and leaves them alone.
    let drain: NodeJS.Timeout | undefined
    child.on('exit', () => {
      drain = setTimeout(() => {
        child.stdout.destroy()
        child.stderr.destroy()
      }, DRAIN_GRACE_MS)
    })
    child.on('close', (code, signal) => { clearTimeout(drain); resolve({ code, signal }) })
    child.on('error', (err) => { startError = err; resolve({ code: null, signal: null }) })
  })
  if (child.pid === undefined) throw new Error(`cannot start ${name}`)
  const pid = child.pid

  const kept = { stdout: new KeptLines(options.keepChars ?? DEFAULT_KEEP_CHARS), stderr: new KeptLines(options.keepChars ?? DEFAULT_KEEP_CHARS) }
  for (const stream of ['stdout', 'stderr'] as const) {
    eachLine(child[stream], (line) => {
      kept[stream].add(line)
      options.onLine?.(line.endsWith('\n') ? line.slice(0, -1) : line, stream)
    })
  }
  const running = (): boolean => child.exitCode === null && child.signalCode === null && startError === undefined

  let knownPort: number | undefined
  const port = async (timeoutMs = DEFAULT_PORT_TIMEOUT_MS): Promise<number> => {
    await waitFor(async () => {
      if (!running()) {
        const exit = child.signalCode === null ? `code ${String(child.exitCode)}` : `signal ${child.signalCode}`
        throw new Error(`${name} ended (${startError?.message ?? exit}) before listening: ${kept.stderr.text().slice(-2000)}`)
      }
      // The process may be gone between the check above and the read: no port, and the next round says why.
      // One port on two sockets is still one port: fastify, for host localhost, listens on 127.0.0.1 and ::1.
      const ports = [...new Set(await listeningPorts(pid).catch(() => []))]
      if (ports.length > 1) throw new Error(`${name} listens on ${ports.join(', ')}: port() needs a program with one port`)
      knownPort = ports[0]
      return knownPort !== undefined
    }, `${name} to listen on a TCP port`, timeoutMs, { intervalMs: PORT_POLL_MS })
    return knownPort as number
  }

  const stop = async (graceMs = DEFAULT_STOP_GRACE_MS): Promise<Stopped> => {
    const started = Date.now()
    if (running()) {
      child.kill('SIGTERM')
      const timer = setTimeout(() => { child.kill('SIGKILL') }, graceMs)
      await exited
      clearTimeout(timer)
    }
    return { ...(await exited), stopMs: Date.now() - started }
  }

  return {
    name,
    child,
    pid,
    exited,
    stdout: () => kept.stdout.text(),
    stderr: () => kept.stderr.text(),
    dropped: () => ({ stdout: kept.stdout.dropped, stderr: kept.stderr.dropped }),
    records: () => kept.stdout.text().split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>),
    port: async (timeoutMs) => knownPort ?? await port(timeoutMs),
    url: async (timeoutMs) => `http://127.0.0.1:${knownPort ?? await port(timeoutMs)}`,
    stop,
  }
}

/** startProgram for a JavaScript file, run by the same Node.js as the caller. */
export function startNodeScript (script: string, options: Omit<ProgramOptions, 'command'> = {}): Program {
  return startProgram({ ...options, command: process.execPath, args: [script, ...options.args ?? []] })
}

/** Runs a program to its end (SIGKILL after `timeoutMs`): how it ended, and everything it wrote. */
export async function runProgram (options: ProgramOptions & { timeoutMs: number }): Promise<Exit & { stdout: string, stderr: string }> {
  const program = startProgram(options)
  const timer = setTimeout(() => { program.child.kill('SIGKILL') }, options.timeoutMs)
  const exit = await program.exited
  clearTimeout(timer)
  return { ...exit, stdout: program.stdout(), stderr: program.stderr() }
}
