/**
 * True while an account's values are current enough to show as such: within `maxStalenessMs` of its last
 * success (0: forever). /metrics drops the value series past it and the status page calls the account
 * stale, so both read this one rule.
 */
export function isFresh (lastSuccessMs: number | undefined, nowMs: number, maxStalenessMs: number): boolean {
  return lastSuccessMs !== undefined && (maxStalenessMs === 0 || nowMs - lastSuccessMs <= maxStalenessMs)
}
