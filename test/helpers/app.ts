import type { Test } from 'tap'
import { buildApp } from '../../src/app.js'
import type { Config } from '../../src/config/types.js'
import { testConfig } from './config.js'
import { captureLogs } from './logs.js'
import { ManualScheduler } from './manual-scheduler.js'
import { waitFor } from './wait.js'

export const TEST_BUILD_INFO = { version: '1.2.3-test', nodejsVersion: 'v20.0.0-test' }

/** buildApp with captured logs, a test-driven scheduler and fast retries; closed in teardown. */
export async function buildTestApp (t: Test, config: Partial<Config>, now: () => number = Date.now) {
  const logs = captureLogs('debug')
  const scheduler = new ManualScheduler()
  const app = buildApp({
    config: testConfig(config),
    logger: logs.logger,
    now,
    scheduler: scheduler.schedule,
    retryBaseDelayMs: 5,
    buildInfo: TEST_BUILD_INFO,
  })
  t.teardown(async () => { await app.close() })
  await app.ready()
  const scrape = async (): Promise<string> => {
    const response = await app.inject('/metrics')
    if (response.statusCode !== 200) throw new Error(`/metrics answered ${response.statusCode}`)
    return response.body
  }
  /** Runs the next scheduled polls and waits until every account has been scheduled again. */
  const pollAgain = async (): Promise<void> => {
    const count = scheduler.runAll()
    await waitFor(() => scheduler.pending.length === count, 'the next polls to finish')
  }
  const firstPolls = async (): Promise<void> => {
    await waitFor(() => scheduler.pending.length === (config.accounts?.length ?? 1), 'the first polls to finish')
  }
  return { app, logs, scheduler, scrape, pollAgain, firstPolls }
}

/** The value of one sample in exposition text, or undefined when the series is absent. */
export function sample (text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `))
  return line === undefined ? undefined : Number(line.slice(series.length + 1))
}
