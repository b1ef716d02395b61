import { setMaxListeners } from 'node:events'
import type { Logger } from 'pino'
import type { BalanceClient } from '../client/balance-client.js'
import type { PollStatus } from '../api/status.js'
import { ABORTED } from '../client/classify-error.js'
import { sameRequest } from '../config/account-changes.js'
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
  /**
   * The accounts of a reloaded configuration: a new one is polled at once, a removed one is no longer polled
   * (a poll in flight is not recorded), one whose key, secret or URL changed is polled again at once (after
   * the poll in flight, if any, which is not recorded either) with its backoff forgotten. The others keep their schedule.
   */
  setAccounts: (accounts: AccountConfig[]) => void
  /** Stops scheduling, aborts requests in flight and waits for the running polls to wind up. */
  stop: () => Promise<void>
}

/** One account's loop: what it polls with, and where it is. */
interface Loop {
  account: AccountConfig
  /** Removed from the configuration: nothing more is recorded or scheduled. */
  removed: boolean
  inFlight: boolean
  /** Poll again as soon as the poll in flight ends (its credentials changed meanwhile). */
  again: boolean
  cancelTimer?: () => void
  previousDelayMs?: number
  /** Shifts the first normal wait, spreading the accounts over the interval. */
  phaseMs: number
}

/**
 * One polling loop per account. A loop re-arms its timer only after its poll finished, so two polls of
 * one account never overlap; loops share nothing but the abort signal, so one account's fault never
 * delays or touches another.
 */
export function createPoller (options: PollerOptions): Poller {
  const { client, states, logger, now, intervalMs, scheduler, maxInFlight = 16 } = options
  const limit = createLimiter(maxInFlight)
  const controller = new AbortController()
  // Every request in flight listens on this one signal (removed when it ends); with up to maxInFlight of
  // them Node's default of 10 would print a false "possible memory leak" warning.
  setMaxListeners(maxInFlight * 4, controller.signal)
  const loops = new Map<string, Loop>()
  const running = new Set<Promise<void>>()
  let started = false
  let stopped = false

  // Every account is polled at start; after that each keeps its own phase, spread evenly over the
  // interval (account i of n polls i/n of an interval later), so polls do not arrive in one herd.
  options.accounts.forEach((account, i) => {
    loops.set(account.name, { account, removed: false, inFlight: false, again: false, phaseMs: Math.floor((i * intervalMs) / options.accounts.length) })
  })

  function run (loop: Loop): void {
    loop.cancelTimer?.()
    loop.cancelTimer = undefined
    loop.inFlight = true
    const poll = limit(async () => stopped || loop.removed ? intervalMs : await pollOnce(loop)).then((delayMs) => {
      loop.inFlight = false
      if (stopped || loop.removed) return
      if (loop.again) {
        loop.again = false
        run(loop)
        return
      }
      // The phase shifts the first normal wait only; a backoff wait is long enough already.
      const wait = delayMs === intervalMs ? delayMs + loop.phaseMs : delayMs
      loop.phaseMs = 0
      states.recordNextPoll(loop.account.name, { atMs: now() + wait, backoff: delayMs > intervalMs })
      loop.cancelTimer = scheduler(() => { run(loop) }, wait)
    })
    running.add(poll)
    void poll.finally(() => running.delete(poll))
  }

  /** Polls one account and returns how long to wait before the next poll. Never throws. */
  async function pollOnce (loop: Loop): Promise<number> {
    const { account } = loop
    const record = (write: () => void): void => { if (!loop.removed) write() }
    const startedAt = now()
    record(() => { states.pollStarted(account.name) })
    let status: PollStatus | undefined
    let retryAfterMs: number | undefined
    try {
      const result = await client.fetchBalance(account, {
        budgetMs: intervalMs,
        signal: controller.signal,
        onAttempt: () => { record(() => { states.requestSent(account.name) }) },
      })
      // A reload replaced the key, secret or URL meanwhile: the answer is for the old ones (maybe another
      // account's balance), so it is not recorded; the poll with the new ones follows at once (loop.again).
      if ((!result.ok && result.status === ABORTED) || loop.removed || !sameRequest(account, loop.account)) return intervalMs
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
    const delayMs = nextPollDelayMs(loop.previousDelayMs ?? intervalMs, status, intervalMs, retryAfterMs)
    loop.previousDelayMs = delayMs
    logger.debug({ account: account.name, status: status ?? 'ok', nextPollSeconds: delayMs / 1000 }, 'poll finished')
    return delayMs
  }

  function setAccounts (accounts: AccountConfig[]): void {
    const next = new Map(accounts.map((account) => [account.name, account]))
    for (const [name, loop] of loops) {
      if (next.has(name)) continue
      loop.removed = true
      loop.cancelTimer?.()
      loops.delete(name)
    }
    for (const account of accounts) {
      const loop = loops.get(account.name)
      if (loop === undefined) {
        const added: Loop = { account, removed: false, inFlight: false, again: false, phaseMs: 0 }
        loops.set(account.name, added)
        if (started && !stopped) run(added)
        continue
      }
      const changed = !sameRequest(loop.account, account)
      loop.account = account
      if (!changed) continue
      // A rotated key or secret: find out now whether it works, not after a backoff of up to 15 minutes.
      loop.previousDelayMs = undefined
      if (loop.inFlight) loop.again = true
      else if (started && !stopped) run(loop)
    }
  }

  return {
    start: () => {
      started = true
      for (const loop of loops.values()) run(loop)
    },
    setAccounts,
    stop: async () => {
      stopped = true
      for (const loop of loops.values()) loop.cancelTimer?.()
      controller.abort()
      await Promise.allSettled([...running])
    },
  }
}
