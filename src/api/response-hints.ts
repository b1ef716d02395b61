import type { IncomingHttpHeaders } from 'node:http'

export interface ResponseHints {
  /** The provider's clock minus ours, in seconds to a tenth, from its Date header (whole seconds, so good to about 0.5 s). */
  clockSkewSeconds?: number
  /** How long the provider asked us to wait (Retry-After), in milliseconds. */
  retryAfterMs?: number
}

/**
 * What a response's headers tell beyond the body: the provider's clock (so a -16 "Timestamp rejected"
 * comes with its cause) and Retry-After (so the exporter slows down when asked). `receivedAtMs` is the
 * local time the response arrived.
 */
export function responseHints (headers: IncomingHttpHeaders, receivedAtMs: number): ResponseHints {
  const hints: ResponseHints = {}
  const date = headers.date === undefined ? NaN : Date.parse(headers.date)
  // Date is truncated to the second: the provider's time is somewhere in [date, date + 1 s).
  if (Number.isFinite(date)) hints.clockSkewSeconds = Math.round((date + 500 - receivedAtMs) / 100) / 10

  const retryAfter = headers['retry-after']
  if (retryAfter !== undefined && retryAfter.trim() !== '') {
    const ms = /^\s*\d+\s*$/.test(retryAfter) ? Number(retryAfter) * 1000 : Date.parse(retryAfter) - receivedAtMs
    if (Number.isFinite(ms) && ms > 0) hints.retryAfterMs = ms
  }
  return hints
}
