import { statusInfo, type PollStatus } from '../api/status.js'

export const MAX_BACKOFF_FLOOR_MS = 15 * 60 * 1000

/**
 * How long to wait before the next poll of an account. After a status the status table marks `backoff`
 * the wait doubles from the previous one, capped at max(15 min, interval); anything else (success
 * included) resets it. A Retry-After from the provider is honoured too, up to the same cap.
 */
export function nextPollDelayMs (previousDelayMs: number, status: PollStatus | undefined, intervalMs: number, retryAfterMs = 0): number {
  const capMs = Math.max(MAX_BACKOFF_FLOOR_MS, intervalMs)
  const backoffMs = status === undefined || !statusInfo(status).backoff
    ? intervalMs
    : Math.min(2 * Math.max(previousDelayMs, intervalMs), capMs)
  return Math.max(backoffMs, Math.min(retryAfterMs, capMs))
}
