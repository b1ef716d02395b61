import { loadConfig } from '../../src/config/load.js'
import type { Config } from '../../src/config/types.js'
import { account } from './api.js'

/**
 * The configuration loadConfig gives with the schema's defaults (so a new variable needs no edit here),
 * with what tests need instead: a fake account, short timeouts, no process metrics (their values vary from
 * run to run), an ephemeral loopback port and debug logs.
 */
export function testConfig (overrides: Partial<Config> = {}): Config {
  return {
    ...loadConfig({ LAAFFIC_API_KEY: 'unused', LAAFFIC_API_SECRET: 'unused' }),
    accounts: [account('main')],
    requestTimeoutSeconds: 1,
    processMetrics: false,
    host: '127.0.0.1',
    port: 0,
    telemetryPath: '/metrics',
    logLevel: 'debug',
    logFormat: 'json',
    ...overrides,
  }
}
