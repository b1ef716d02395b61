import { Counter, Gauge, type Registry } from 'prom-client'
import type { AccountState, AccountStates } from '../state/account-states.js'
import { STATUSES_STARTING_AT_ZERO } from '../client/status.js'
import { METRIC } from './names.js'

/** What the poller reports as it works; the counters behind it live here. */
export interface PollCounters {
  poll: (account: string) => void
  request: (account: string) => void
  error: (account: string, status: string) => void
}

export interface AccountMetricsOptions {
  registry: Registry
  states: AccountStates
  now: () => number
  /** Value series are dropped this long after the last success; 0 keeps them forever. */
  maxStalenessMs: number
}

/**
 * Registers the per-account families. Gauges are filled from the state at scrape time (collect), so
 * a scrape never waits for the API and staleness is judged against the clock of the scrape.
 */
export function registerAccountMetrics (options: AccountMetricsOptions): PollCounters & { changesAtMs: () => number } {
  const { registry, states, now, maxStalenessMs } = options
  const isFresh = (state: Readonly<AccountState>): boolean =>
    state.lastSuccessMs !== undefined && (maxStalenessMs === 0 || now() - state.lastSuccessMs <= maxStalenessMs)

  const gaugeFromState = (name: string, help: string, read: (state: Readonly<AccountState>) => number | undefined): void => {
    new Gauge({
      name,
      help,
      labelNames: ['account'],
      registers: [registry],
      collect () {
        this.reset()
        for (const state of states.all()) {
          const value = read(state)
          if (value !== undefined) this.set({ account: state.name }, value)
        }
      },
    })
  }

  gaugeFromState(METRIC.balance, 'Account balance from the last good getBalance answer.',
    (s) => isFresh(s) ? s.values?.balance : undefined)
  gaugeFromState(METRIC.giftBalance, 'Gift (bonus) balance from the last good getBalance answer.',
    (s) => isFresh(s) ? s.values?.gift : undefined)
  gaugeFromState(METRIC.creditLimit, 'Credit limit from the last good getBalance answer.',
    (s) => isFresh(s) ? s.values?.credit : undefined)
  gaugeFromState(METRIC.up, '1 if the latest poll of the account succeeded, else 0.',
    (s) => s.up === undefined ? undefined : Number(s.up))
  gaugeFromState(METRIC.lastSuccess, 'Unix time of the last successful poll.',
    (s) => s.lastSuccessMs === undefined ? undefined : s.lastSuccessMs / 1000)
  gaugeFromState(METRIC.pollDuration, 'Duration of the latest poll, retries included.',
    (s) => s.lastPollDurationSeconds)
  gaugeFromState(METRIC.clockSkew, 'The Laaffic API\'s clock (its Date header) minus the local clock, from the latest answer; whole-second resolution.',
    (s) => s.clockSkewSeconds)

  const polls = new Counter({ name: METRIC.polls, help: 'Polls of the getBalance API made.', labelNames: ['account'], registers: [registry] })
  const requests = new Counter({ name: METRIC.apiRequests, help: 'HTTP requests sent to the getBalance API, retries included.', labelNames: ['account'], registers: [registry] })
  const errors = new Counter({
    name: METRIC.pollErrors,
    help: 'Failed polls by cause: the API status code, or timeout, network, http_<code>, invalid_response.',
    labelNames: ['account', 'status'],
    registers: [registry],
  })
  for (const { name: account } of states.all()) {
    polls.inc({ account }, 0)
    requests.inc({ account }, 0)
    for (const status of STATUSES_STARTING_AT_ZERO) errors.inc({ account, status }, 0)
  }

  return {
    poll: (account) => { polls.inc({ account }); states.touch() },
    request: (account) => { requests.inc({ account }); states.touch() },
    error: (account, status) => { errors.inc({ account, status }); states.touch() },
    // The next moment a value series goes stale by the clock alone (no poll involved).
    changesAtMs: () => maxStalenessMs === 0
      ? Infinity
      : Math.min(...states.all().filter(isFresh).map((s) => (s.lastSuccessMs ?? 0) + maxStalenessMs + 1), Infinity),
  }
}
