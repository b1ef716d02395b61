import { DEFAULT_SETTINGS } from '../../src/config/account-settings.js'
import type { Provider } from '../../src/config/providers.js'
import { AccountStates } from '../../src/state/account-states.js'

/** The clock the accounts below are described at: 2025-03-14 09:26:40 UTC. */
export const NOW = Date.UTC(2025, 2, 14, 9, 26, 40)
export const MAX_STALENESS_MS = 900_000
/** An account name and a reason that would run script if a value were not escaped. */
export const EVIL_NAME = '"><img src=x onerror=alert(1)>&amp;'
export const EVIL_REASON = '<script>alert("reason")</script> & more'
const S = 1000
const MIN = 60 * S

/** The accounts' currencies and providers: the rest have no currency and the default provider. */
const CURRENCY: Record<string, string> = { ok: 'USD', low: 'EUR', critical: 'USD', low_failing: 'JPY' }
const PROVIDER: Record<string, Provider> = { low: 'onbuka', failing: 'itniotech' }

/**
 * Accounts in every state the status page knows, and in two at once (low_failing, critical_failing),
 * written through the mutators the poller uses, as they are at NOW (thresholds 100 and 20).
 */
export function accountsInEveryState (): AccountStates {
  const names = ['ok', 'recovered', 'low', 'low_failing', 'critical', 'critical_failing', 'failing', 'failing_backoff', 'stale', 'pending', EVIL_NAME]
  const states = new AccountStates(names.map((name) => ({
    ...DEFAULT_SETTINGS, name, balanceWarning: 100, balanceCritical: 20, spendSpikeFloor: 10, currency: CURRENCY[name] ?? '', provider: PROVIDER[name] ?? 'laaffic',
  })))
  const success = (name: string, values: { balance: number, gift?: number, credit?: number }, agoMs: number): void => {
    states.pollStarted(name)
    states.recordSuccess(name, values, NOW - agoMs, 0.2)
    states.recordNextPoll(name, { atMs: NOW - agoMs + MIN, backoff: false })
  }
  const failure = (name: string, status: string, reason: string, agoMs: number, nextInMs = MIN - agoMs, backoff = false): void => {
    states.pollStarted(name)
    states.recordFailure(name, { status: status as `${number}`, reason, atMs: NOW - agoMs }, 0.2)
    states.recordNextPoll(name, { atMs: NOW + nextInMs, backoff })
  }

  // A balance spent, then topped up by 500 (spent 12.25 since start, one top-up 20 s ago).
  success('ok', { balance: 1032.75, gift: 50, credit: 0 }, 10 * MIN)
  success('ok', { balance: 1020.5, gift: 50, credit: 0 }, 5 * MIN)
  success('ok', { balance: 1520.5, gift: 50, credit: 0 }, 20 * S)
  failure('recovered', '-18', 'interface exception', 2 * 60 * MIN)
  success('recovered', { balance: 640, gift: 0, credit: 0 }, 5 * S)
  success('low', { balance: 1064.25 }, 3 * MIN)
  success('low', { balance: 64.25 }, 30 * S)
  success('low_failing', { balance: 50, gift: 0, credit: 0 }, 2 * MIN)
  failure('low_failing', '-18', 'interface exception', 10 * S)
  success('critical', { balance: 8.75, gift: 0, credit: 100 }, 10 * S)
  success('critical_failing', { balance: 3, gift: 1, credit: 0 }, 70 * S)
  failure('critical_failing', 'timeout', 'no answer within 10 s', 10 * S)
  success('failing', { balance: 300, gift: 20, credit: 0 }, 3 * MIN)
  failure('failing', '-18', 'interface exception', 40 * S)
  failure('failing_backoff', '-1', 'authentication error', 90 * S, 8 * MIN, true)
  success('stale', { balance: 700, gift: 5, credit: 0 }, 20 * MIN)
  failure('stale', 'network', 'ECONNREFUSED', 50 * S)
  states.pollStarted('pending')
  success(EVIL_NAME, { balance: 200 }, 15 * S)
  failure(EVIL_NAME, '-10', EVIL_REASON, 12 * S)
  return states
}
