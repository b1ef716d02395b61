import type { Config } from '../../src/config/types.js'
import { account } from './api.js'

export function testConfig (overrides: Partial<Config> = {}): Config {
  return {
    accounts: [account('main')],
    web: {},
    pollIntervalSeconds: 60,
    requestTimeoutSeconds: 1,
    maxStalenessSeconds: 900,
    processMetrics: false,
    host: '127.0.0.1',
    port: 0,
    logLevel: 'debug',
    ...overrides,
  }
}
