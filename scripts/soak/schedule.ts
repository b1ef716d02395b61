// The random fault schedule: which accounts get which fault, lose their fault or get new figures, tick
// by tick. Decisions depend only on the seed, the options and the tick number (never on timing), so a
// seed always produces the same sequence of control requests.
import { BACKOFF_STATUSES, KNOWN_API_STATUSES, type ApiStatus } from '../../src/api/status.js'
import type { Fault, FaultLimits } from '../../src/simulator/faults.js'
import type { Prng } from './prng.js'

/** A status fault with every code the exporter knows by name, and -10, one it does not. */
type StatusKind = `status ${ApiStatus}`
/** A code the exporter has no entry for (providers with the same API send it for an insufficient balance). */
const UNKNOWN_CODE: ApiStatus = '-10'
const statusOf = (kind: StatusKind): ApiStatus => kind.slice('status '.length) as ApiStatus
const PLAIN_KINDS = [
  'http 500', 'http 503', 'http 429', 'delay < timeout', 'delay > timeout',
  'hang', 'malformed', 'oversized', 'numbers', 'reset',
] as const
export type FaultKind = StatusKind | typeof PLAIN_KINDS[number]

/** Every kind of fault the schedule sets, by the name the report uses. */
export const FAULT_KINDS: readonly FaultKind[] = [...[...KNOWN_API_STATUSES, UNKNOWN_CODE].map((s): StatusKind => `status ${s}`), ...PLAIN_KINDS]

/** After these the exporter waits longer and longer before the next poll of the account (up to 15 min). */
const BACKOFF_KINDS: ReadonlySet<FaultKind> = new Set(BACKOFF_STATUSES.map((s): StatusKind => `status ${s}`))
const OTHER_KINDS: readonly FaultKind[] = FAULT_KINDS.filter((kind) => !BACKOFF_KINDS.has(kind))

export interface Figures {
  balance?: number
  gift?: number
  credit?: number
}

export interface TickPlan {
  tick: number
  /** Seconds after the start of the load at which the tick is due. */
  atSeconds: number
  set: Array<{ name: string, kind: FaultKind, fault: Fault }>
  clear: string[]
  patch: Array<{ name: string, figures: Figures }>
}

export interface ScheduleTiming {
  durationSeconds: number
  periodSeconds: number
  intervalSeconds: number
  timeoutSeconds: number
}

/**
 * How long after a backoff fault is set the exporter may still be backing off because of it. A backoff
 * fault is answered at most twice (count 1 or 2), so the waits are 2 × interval, then 4 × interval, then
 * the next poll gets a normal answer: with P the longest poll (interval + timeout + 1 s of slack), the
 * chain ends within 2P + 7 × interval, plus 2 s. The same account gets no new backoff fault before that,
 * and no account gets one in the last stretch of that length, so when the load ends no account is
 * waiting longer than an interval for its next poll, and the final round needs no 15-minute wait.
 */
export function backoffCooldownSeconds (timing: Pick<ScheduleTiming, 'intervalSeconds' | 'timeoutSeconds'>): number {
  const longestPoll = timing.intervalSeconds + timing.timeoutSeconds + 1
  return 2 * longestPoll + 7 * timing.intervalSeconds + 2
}

/** Random figures with two decimals; a balance may be negative (an account using its credit). */
export function randomFigures (prng: Prng, all: boolean): Figures {
  const figures: Figures = { balance: prng.money(-100, 10_000) }
  if (all || prng.next() < 0.25) figures.gift = prng.money(0, 500)
  if (all || prng.next() < 0.1) figures.credit = prng.next() < 0.5 ? 0 : prng.money(0, 1000)
  return figures
}

export class FaultPlanner {
  private readonly lastBackoffAt = new Map<string, number>()
  readonly cooldownSeconds: number
  /** No backoff fault is set at or after this many seconds into the load. */
  readonly backoffCutoffSeconds: number

  constructor (
    private readonly prng: Prng,
    private readonly names: readonly string[],
    private readonly timing: ScheduleTiming,
    private readonly fractions: { fault: number, patch: number },
  ) {
    this.cooldownSeconds = backoffCooldownSeconds(timing)
    this.backoffCutoffSeconds = timing.durationSeconds - this.cooldownSeconds
  }

  /** Ticks due within the duration: at 0, period, 2 × period, ... */
  get ticks (): number {
    return Math.ceil(this.timing.durationSeconds / this.timing.periodSeconds)
  }

  plan (tick: number): TickPlan {
    const atSeconds = tick * this.timing.periodSeconds
    const faulty = Math.round(this.names.length * this.fractions.fault)
    const order = this.prng.shuffled(this.names)
    const set = order.slice(0, faulty).map((name) => this.fault(name, atSeconds))
    const clear = order.slice(faulty, 2 * faulty)
    const patchCount = Math.max(1, Math.round(this.names.length * this.fractions.patch))
    const patch = this.prng.shuffled(this.names).slice(0, patchCount).map((name) => ({ name, figures: randomFigures(this.prng, false) }))
    return { tick, atSeconds, set, clear, patch }
  }

  private fault (name: string, atSeconds: number): TickPlan['set'][number] {
    let kind = this.prng.pick(FAULT_KINDS)
    if (BACKOFF_KINDS.has(kind)) {
      const last = this.lastBackoffAt.get(name)
      const allowed = atSeconds < this.backoffCutoffSeconds && (last === undefined || atSeconds - last >= this.cooldownSeconds)
      if (allowed) {
        this.lastBackoffAt.set(name, atSeconds)
        // Always applied (no probability), at most twice: the backoff chain stays short (see above).
        return { name, kind, fault: { type: 'status', status: statusOf(kind as StatusKind), count: this.prng.int(1, 2) } }
      }
      kind = this.prng.pick(OTHER_KINDS)
    }
    return { name, kind, fault: { ...this.body(kind), ...this.limits() } }
  }

  private body (kind: FaultKind): Fault {
    const { timeoutSeconds, intervalSeconds } = this.timing
    const timeoutMs = timeoutSeconds * 1000
    // A Retry-After of at most one interval: the exporter honours it for its next poll, and a longer one
    // would stretch a backoff chain beyond what backoffCooldownSeconds() allows for.
    const retryAfter = (): { retryAfter?: number } => this.prng.next() < 0.5 ? {} : { retryAfter: this.prng.int(0, Math.min(2, Math.floor(intervalSeconds))) }
    switch (kind) {
      case `status ${UNKNOWN_CODE}`: return { type: 'status', status: UNKNOWN_CODE, reason: 'insufficient balance' }
      case 'http 500': return { type: 'http', httpStatus: 500 }
      case 'http 503': return { type: 'http', httpStatus: 503, ...retryAfter() }
      case 'http 429': return { type: 'http', httpStatus: 429, ...retryAfter() }
      case 'delay < timeout': return { type: 'delay', delayMs: Math.round(timeoutMs * (0.1 + 0.5 * this.prng.next())) }
      case 'delay > timeout': return { type: 'delay', delayMs: Math.round(timeoutMs * (1.2 + 0.8 * this.prng.next())) }
      case 'hang': return { type: 'hang' }
      case 'malformed': return { type: 'malformed' }
      case 'oversized': return { type: 'oversized' }
      case 'numbers': return { type: 'numbers' }
      case 'reset': return { type: 'reset' }
      default: return { type: 'status', status: statusOf(kind) }
    }
  }

  private limits (): FaultLimits {
    const limits: FaultLimits = {}
    const probability = this.prng.pick([1, 1, 0.5, 0.25])
    if (probability < 1) limits.probability = probability
    if (this.prng.next() < 0.5) limits.count = this.prng.int(1, 5)
    return limits
  }
}

/** The poll-error statuses a fault kind can produce in the exporter (besides the ones every account starts with). */
export function statusesOf (kind: FaultKind): string[] {
  if (kind.startsWith('status ')) return [kind.slice('status '.length)]
  if (kind.startsWith('http ')) return [`http_${kind.slice('http '.length)}`]
  return []
}
