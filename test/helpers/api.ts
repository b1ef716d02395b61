import { createHash } from 'node:crypto'
import { DEFAULT_SETTINGS } from '../../src/config/account-settings.js'
import type { AccountConfig } from '../../src/config/types.js'

export const BASE_URL = 'https://api.laaffic.test/v3'
export const CANARY_SECRET = 'CANARY-s3cr3t-7f1d2e'

export function account (name = 'main', overrides: Partial<AccountConfig> = {}): AccountConfig {
  // The table's defaults (thresholds 100 and 20, floor 10, provider laaffic, no currency), at a test URL.
  return { name, apiKey: `key-${name}`, apiSecret: `${CANARY_SECRET}-${name}`, ...DEFAULT_SETTINGS, baseUrl: BASE_URL, ...overrides }
}

export function okBody (balance = '99.990000', gift = '50.00000', credit = '0'): string {
  return JSON.stringify({ status: '0', reason: 'success', balance, gift, credit })
}

export function statusBody (status: string, reason = 'error'): string {
  return JSON.stringify({ status, reason })
}

/** What the provider checks: md5(apiKey + apiSecret + Timestamp), lowercase hex. */
export function expectedSign (apiKey: string, apiSecret: string, timestamp: string): string {
  return createHash('md5').update(apiKey + apiSecret + timestamp).digest('hex')
}

/** A clock that moves forward by `stepMs` on every read, so each signature gets its own Timestamp. */
export function steppingClock (startMs: number, stepMs: number): () => number {
  let current = startMs
  return () => {
    const value = current
    current += stepMs
    return value
  }
}
