/**
 * Statuses after which polling slows down: a wrong key (-1), a caller IP not on the allow list (-2)
 * and a locked user (-13) will not fix themselves within seconds, and hammering a locked or
 * misconfigured account can make things worse on the provider's side. -15 ("queried too frequently",
 * documented by providers with the same API) asks for exactly that.
 */
export const BACKOFF_STATUSES: ReadonlySet<string> = new Set(['-1', '-2', '-13', '-15'])

export const MAX_BACKOFF_FLOOR_MS = 15 * 60 * 1000

/**
 * How long to wait before the next poll of an account. After a backoff status the wait doubles from
 * the previous one, capped at max(15 min, interval); anything else (success included) resets it.
 * A Retry-After from the provider is honoured too, up to the same cap.
 */
export function nextPollDelayMs (previousDelayMs: number, status: string | undefined, intervalMs: number, retryAfterMs = 0): number {
  const capMs = Math.max(MAX_BACKOFF_FLOOR_MS, intervalMs)
  const backoffMs = status === undefined || !BACKOFF_STATUSES.has(status)
    ? intervalMs
    : Math.min(2 * Math.max(previousDelayMs, intervalMs), capMs)
  return Math.max(backoffMs, Math.min(retryAfterMs, capMs))
}
