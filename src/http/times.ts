// How the status page writes times: an age a person reads at a glance, the exact time on hover.

const SECOND = 1000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/** 42 s, 5 min, 3 h, 2 d: the largest unit that fits, rounded down. */
function span (ms: number): string {
  if (ms < MINUTE) return `${Math.floor(ms / SECOND)} s`
  if (ms < HOUR) return `${Math.floor(ms / MINUTE)} min`
  if (ms < 2 * DAY) return `${Math.floor(ms / HOUR)} h`
  return `${Math.floor(ms / DAY)} d`
}

/** "just now", "2 min ago" for a past time; "in 8 min" for a future one; "now" within a second ahead. */
export function relativeTime (atMs: number, nowMs: number): string {
  const ms = nowMs - atMs
  if (ms >= 0) return ms < SECOND ? 'just now' : `${span(ms)} ago`
  return -ms < SECOND ? 'now' : `in ${span(-ms)}`
}

/** `2025-01-31 14:05:09 UTC`: the exact time, to the second (of Unix ms, or of an ISO string already made). */
export function utcTime (time: number | string): string {
  const iso = typeof time === 'string' ? time : new Date(time).toISOString()
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`
}
