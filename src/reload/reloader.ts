import { createHash } from 'node:crypto'
import type { Logger } from 'pino'
import { readUtf8File, type ReadFile } from '../config/secrets.js'
import { ConfigError, type Config } from '../config/types.js'
import { summarizeChange } from './change-summary.js'
import type { Commit, ReloadablePart } from './reloadable.js'
import type { ReloadStatus } from './reload-status.js'

export type ReloadTrigger = 'SIGHUP' | 'HTTP' | 'file change'
export type ReloadResult = { ok: true } | { ok: false, problems: string[] }

export interface ReloaderOptions {
  /** The configuration the exporter started with. */
  initial: Config
  /** Reads the configuration again (the same environment, the files re-read through `readFile`). Throws a ConfigError. */
  load: (readFile: ReadFile) => Config
  status: ReloadStatus
  logger: Logger
  now: () => number
  /** After a reload was applied (the file watcher takes the new list of files). */
  onApplied?: (config: Config) => void
  /**
   * After a reload was refused, with every file it tried to read (a missing one too): the file watcher adds
   * them, so creating the file the refused configuration lacked applies it without a signal.
   */
  onRefused?: (files: string[]) => void
}

/**
 * Applies a new configuration whole or not at all, one reload at a time, as Prometheus does. First every
 * registered part prepares what the new configuration needs (anything that can fail fails here, with the
 * running configuration untouched); only when all have, each commits, which only swaps what was built. Any
 * failure, an unexpected one too, is a refused reload: logged once with its problems (never a secret), and
 * the running configuration goes on. A reload never throws, so no trigger can bring the process down.
 */
export class Reloader {
  private queue: Promise<unknown> = Promise.resolve()
  private readonly parts: ReloadablePart[] = []
  private running: Config
  /** What the last refusal read and said, until a reload applies: the same refusal is logged at error once. */
  private lastRefusal?: string

  constructor (private readonly options: ReloaderOptions) {
    this.running = options.initial
  }

  /** The configuration running now. */
  get current (): Config {
    return this.running
  }

  /** Parts commit in the order they were registered. */
  register (part: ReloadablePart): void {
    this.parts.push(part)
  }

  async reload (trigger: ReloadTrigger): Promise<ReloadResult> {
    const result = this.queue.then(() => this.reloadNow(trigger))
    this.queue = result.catch(() => {})
    return await result
  }

  private reloadNow (trigger: ReloadTrigger): ReloadResult {
    const { status, logger, now } = this.options
    const reads = recordingReads()
    let next: Config
    let commits: Commit[]
    let summary: ReturnType<typeof summarizeChange>
    try {
      next = this.options.load(reads.readFile)
      commits = this.parts.map((part) => prepare(part, next, this.running))
      summary = summarizeChange(this.running, next)
    } catch (err) {
      return this.refuse(trigger, err instanceof ConfigError ? err.problems : [`unexpected error while reading the configuration: ${describe(err)}`], reads)
    }
    try {
      for (const commit of commits) commit()
    } catch (err) {
      // A commit only swaps references, so this is a bug; said as it is, and still not fatal.
      return this.refuse(trigger, [`unexpected error while applying (the parts before it are applied): ${describe(err)}`], reads)
    }
    this.running = next
    this.lastRefusal = undefined
    status.record(true, now())
    logger.info({ trigger, ...summary }, 'configuration reloaded')
    try {
      this.options.onApplied?.(next)
    } catch (err) {
      logger.warn({ err: { message: describe(err) } }, 'after the reload: the list of files to watch could not be updated')
    }
    return { ok: true }
  }

  private refuse (trigger: ReloadTrigger, problems: string[], reads: { seen: string[], paths: string[] }): ReloadResult {
    const { status, logger, now } = this.options
    status.record(false, now(), problems.length)
    // A file change and the SIGHUP a script sends after it read the same bad files: one error line is enough.
    const refusal = createHash('sha256').update(JSON.stringify([reads.seen, problems])).digest('hex')
    if (refusal === this.lastRefusal) {
      logger.debug({ trigger }, 'configuration reload refused again: same files, same problems as the refusal logged before')
    } else {
      logger.error({ trigger, problems }, 'configuration reload refused: the running configuration stays')
    }
    this.lastRefusal = refusal
    try {
      this.options.onRefused?.(reads.paths)
    } catch (err) {
      logger.warn({ err: { message: describe(err) } }, 'after the refusal: the list of files to watch could not be updated')
    }
    return { ok: false, problems }
  }
}

/** The part's prepare; an unexpected exception becomes a problem naming the part. */
function prepare (part: ReloadablePart, next: Config, current: Config): Commit {
  try {
    return part.prepare(next, current)
  } catch (err) {
    if (err instanceof ConfigError) throw err
    throw new ConfigError([`${part.name}: unexpected error while preparing: ${describe(err)}`])
  }
}

/** An error's class and the first line of its message (Node's and OpenSSL's messages name no key or secret). */
function describe (err: unknown): string {
  if (!(err instanceof Error)) return 'a non-Error was thrown'
  const code = (err as NodeJS.ErrnoException).code
  return `${err.name}${code === undefined ? '' : ` ${code}`}: ${err.message.split('\n')[0]?.slice(0, 200) ?? ''}`
}

/** A readFile that remembers what each file read (a digest, or the error code), in order, and their paths. */
function recordingReads (): { readFile: ReadFile, seen: string[], paths: string[] } {
  const seen: string[] = []
  const paths: string[] = []
  const readFile: ReadFile = (path) => {
    paths.push(path)
    try {
      const text = readUtf8File(path)
      seen.push(`${path}:${createHash('sha256').update(text).digest('hex')}`)
      return text
    } catch (err) {
      seen.push(`${path}:error:${(err as NodeJS.ErrnoException).code ?? 'unknown'}`)
      throw err
    }
  }
  return { readFile, seen, paths }
}
