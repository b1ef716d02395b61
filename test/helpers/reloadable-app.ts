// An app built in process whose reload reads what the test puts in `next` (a configuration, problems to
// refuse with, or an error to throw), with captured logs, a test-driven scheduler and a clock the test moves.
import type { Test } from 'tap'
import { buildApp } from '../../src/app.js'
import { ConfigError, type Config } from '../../src/config/types.js'
import { captureLogs } from './logs.js'
import { ManualScheduler } from './manual-scheduler.js'

export interface NextLoad { config: Config, problems?: string[], error?: Error }

/** An app whose reload reads `next.config` (or throws `next.error`, or a ConfigError of `next.problems`). */
export async function reloadable (t: Test, config: Config) {
  const next: NextLoad = { config }
  const logs = captureLogs('debug')
  const scheduler = new ManualScheduler()
  let clock = 1_700_000_000_000
  const app = buildApp({
    config,
    logger: logs.logger,
    now: () => clock,
    scheduler: scheduler.schedule,
    retryBaseDelayMs: 5,
    loadConfig: () => {
      if (next.error !== undefined) throw next.error
      if (next.problems !== undefined) throw new ConfigError(next.problems)
      return next.config
    },
  })
  t.teardown(() => app.close())
  const scrape = async (): Promise<string> => (await app.inject('/metrics')).body
  return { app, next, logs, scheduler, scrape, tick: (ms: number) => { clock += ms } }
}

