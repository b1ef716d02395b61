// What a soak sets up and must always take down again, whatever happens in between: a temporary folder
// (the accounts file), the child processes, and the soak's own connections.
import { mkdtemp, rm } from 'node:fs/promises'
import type { Agent } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { keepAliveAgent } from '../lib/http.js'
import { startNodeScript, type Program } from '../lib/program.js'
import { countLogLines, type LogStats } from './log-stats.js'

/** A program of the soak, with its log lines counted instead of kept. */
export interface CountedProgram {
  program: Program
  logs: LogStats
}

/** Output kept per stream besides the counts: the latest few lines, for a message when it dies. */
const KEPT_CHARS = 8 * 1024
/** How long a program has to exit after SIGTERM in the clean-up before it gets SIGKILL. */
const CLEANUP_GRACE_MS = 2000

export class Rig {
  private readonly programs: Program[] = []
  private readonly agents: Agent[] = []
  /** If the soak's own process ends without cleaning up (e.g. process.exit), its children must not stay. */
  private readonly killAll = (): void => { for (const p of this.programs) p.child.kill('SIGKILL') }

  private constructor (readonly dir: string, private readonly onStart: (program: Program) => void) {
    process.once('exit', this.killAll)
  }

  static async create (onStart: (program: Program) => void): Promise<Rig> {
    return new Rig(await mkdtemp(join(tmpdir(), 'laaffic-soak-')), onStart)
  }

  /** Starts a built program with only `env` (plus PATH), counting its log lines. */
  start (script: string, env: Record<string, string>): CountedProgram {
    const { stats, onLine } = countLogLines()
    const program = startNodeScript(script, { env, onLine, keepChars: KEPT_CHARS })
    this.programs.push(program)
    this.onStart(program)
    return { program, logs: stats }
  }

  /** A keep-alive agent with at most `sockets` connections, closed by closeConnections(). */
  agent (sockets: number): Agent {
    const created = keepAliveAgent(sockets)
    this.agents.push(created)
    return created
  }

  /** Closes every connection the soak holds (its agents stay usable and open new ones when asked). */
  closeConnections (): void {
    for (const agent of this.agents) agent.destroy()
  }

  async close (): Promise<void> {
    this.closeConnections()
    await Promise.all(this.programs.map(async (p) => await p.stop(CLEANUP_GRACE_MS)))
    process.removeListener('exit', this.killAll)
    await rm(this.dir, { recursive: true, force: true })
  }
}
