import type { Logger } from 'pino'
import { ConfigError, type Config } from '../config/types.js'
import type { ReloadStatus } from './reload-status.js'
import type { RunningConfig } from './running-config.js'

export type ReloadTrigger = 'SIGHUP' | 'HTTP' | 'file change'
export type ReloadResult = { ok: true } | { ok: false, problems: string[] }

export interface ReloaderOptions {
  /** Reads the configuration again: the same environment, the files re-read. Throws a ConfigError. */
  load: () => Config
  running: RunningConfig
  status: ReloadStatus
  logger: Logger
  now: () => number
  /** After a reload was applied (the file watcher takes the new list of files). */
  onApplied?: (config: Config) => void
}

/**
 * Applies a new configuration whole or not at all, one reload at a time, as Prometheus does: a bad one is
 * refused and logged with its problems (which never hold a secret), and the running one continues.
 */
export class Reloader {
  private queue: Promise<unknown> = Promise.resolve()

  constructor (private readonly options: ReloaderOptions) {}

  async reload (trigger: ReloadTrigger): Promise<ReloadResult> {
    const result = this.queue.then(() => this.reloadNow(trigger))
    this.queue = result.catch(() => {})
    return await result
  }

  private reloadNow (trigger: ReloadTrigger): ReloadResult {
    const { load, running, status, logger, now } = this.options
    let next: Config
    try {
      next = load()
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err
      return this.refuse(trigger, err.problems)
    }
    const restart = running.restartNeeded(next)
    if (restart.length > 0) return this.refuse(trigger, restart)
    const summary = running.apply(next)
    status.record(true, now())
    logger.info({ trigger, ...summary }, 'configuration reloaded')
    this.options.onApplied?.(next)
    return { ok: true }
  }

  private refuse (trigger: ReloadTrigger, problems: string[]): ReloadResult {
    this.options.status.record(false, this.options.now(), problems.length)
    this.options.logger.error({ trigger, problems }, 'configuration reload refused: the running configuration stays')
    return { ok: false, problems }
  }
}
