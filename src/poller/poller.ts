import { setMaxListeners } from 'node:events'
import type { Logger } from 'pino'
import type { BalanceClient } from '../client/balance-client.js'
import { ABORTED, type PollStatus } from '../client/status.js'
import type { AccountConfig } from '../config/types.js'
import type { AccountStates } from '../state/account-states.js'
import { logTransition } from './transitions.js'
import { nextPollDelayMs } from './backoff.js'
import { createLimiter } from './limiter.js'
import type { Scheduler } from './scheduler.js'

export interface PollerOptions {
  accounts: AccountConfig[]
  client: BalanceClient
  states: AccountStates
  logger: Logger
  now: () => number
  intervalMs: number
  scheduler: Scheduler
  /** Polls running at once, across all accounts (default 16). */
  maxInFlight?: number
}

export interface Poller {
  /** Polls every account now, then keeps polling each on its own schedule. Does not wait for the polls. */
  start: () => void
  /** Stops scheduling, aborts requests in flight and waits for the running polls to wind up. */
  stop: () => Promise<void>
}

/**
 * One polling loop per account. A loop re-arms its timer only after its poll finished, so two polls of
 * one account never overlap; loops share nothing but the abort signal, so one account's fault never
 * delays or touches another.
 */
export function createPoller (options: PollerOptions): Poller {
  const { accounts, client, states, logger, now, intervalMs, scheduler, maxInFlight = 16 } = options
  const limit = createLimiter(maxInFlight)
  const controller = new AbortController()
  // Every request in flight listens on this one signal (removed when it ends); with up to maxInFlight of
  // them Node's default of 10 would print a false "possible memory leak" warning.
  setMaxListeners(maxInFlight * 4, controller.signal)
  const cancelTimers = new Map<string, () => void>()
  const previousDelayMs = new Map<string, number>()
  const running = new Set<Promise<void>>()
  let stopped = false

  // Every account is polled at start; after that each keeps its own phase, spread evenly over the
  // interval (account i of n polls i/n of an interval later), so polls do not arrive in one herd.
  const phaseMs = new Map(accounts.map((account, i) => [account.name, Math.floor((i * intervalMs) / accounts.length)]))

  function run (account: AccountConfig): void {
    const poll = limit(async () => stopped ? intervalMs : await pollOnce(account)).then((delayMs) => {
      const phase = phaseMs.get(account.name) ?? 0
      phaseMs.delete(account.name)
      // The phase shifts the first normal wait only; a backoff wait is long enough already.
      const wait = delayMs === intervalMs ? delayMs + phase : delayMs
      if (stopped) return
      states.recordNextPoll(account.name, { atMs: now() + wait, backoff: delayMs > intervalMs })
      cancelTimers.set(account.name, scheduler(() => { run(account) }, wait))
    })
    running.add(poll)
    void poll.finally(() => running.delete(poll))
  }

  /** Polls one account and returns how long to wait before the next poll. Never throws. */
  async function pollOnce (account: AccountConfig): Promise<number> {
    const startedAt = now()
    states.pollStarted(account.name)
    let status: PollStatus | undefined
    let retryAfterMs: number | undefined
    try {
      const result = await client.fetchBalance(account, {
        budgetMs: intervalMs,
        signal: controller.signal,
        onAttempt: () => { states.requestSent(account.name) },
      })
      if (!result.ok && result.status === ABORTED) return intervalMs
      const finishedAt = now()
      retryAfterMs = result.retryAfterMs
      if (result.clockSkewSeconds !== undefined) states.recordClockSkew(account.name, result.clockSkewSeconds)
      const durationSeconds = (finishedAt - startedAt) / 1000
      const before = { ...states.get(account.name) }
      if (result.ok) {
        states.recordSuccess(account.name, result.values, finishedAt, durationSeconds)
      } else {
        status = result.status
        states.recordFailure(account.name, { status: result.status, reason: result.reason, atMs: finishedAt }, durationSeconds)
      }
      logTransition(logger, before, states.get(account.name))
    } catch (err) {
      // Not expected (the client turns every failure into a result); keep the loop alive regardless.
      logger.error({ account: account.name, err: { message: (err as Error).message } }, 'poll failed unexpectedly')
    }
    const delayMs = nextPollDelayMs(previousDelayMs.get(account.name) ?? intervalMs, status, intervalMs, retryAfterMs)
    previousDelayMs.set(account.name, delayMs)
    logger.debug({ account: account.name, status: status ?? 'ok', nextPollSeconds: delayMs / 1000 }, 'poll finished')
    return delayMs
  }

  return {
    start: () => { for (const account of accounts) run(account) },
    stop: async () => {
      stopped = true
      for (const cancel of cancelTimers.values()) cancel()
      controller.abort()
      await Promise.allSettled([...running])
    },
  }
}
