/**
 * Statuses after which polling slows down: a wrong key (-1), a caller IP not on the allow list (-2)
 * and a locked user (-13) will not fix themselves within seconds, and hammering a locked or
 * misconfigured account can make things worse on the provider's side.
 */
export const BACKOFF_STATUSES: ReadonlySet<string> = new Set(['-1', '-2', '-13'])

export const MAX_BACKOFF_FLOOR_MS = 15 * 60 * 1000

/**
 * How long to wait before the next poll of an account. After a backoff status the wait doubles from
 * the previous one, capped at max(15 min, interval); anything else (success included) resets it.
 */
export function nextPollDelayMs (previousDelayMs: number, status: string | undefined, intervalMs: number): number {
  if (status === undefined || !BACKOFF_STATUSES.has(status)) return intervalMs
  return Math.min(2 * Math.max(previousDelayMs, intervalMs), Math.max(MAX_BACKOFF_FLOOR_MS, intervalMs))
}
