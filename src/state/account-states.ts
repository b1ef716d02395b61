import type { BalanceValues } from '../client/parse-response.js'
import type { PollStatus } from '../client/status.js'

export interface PollError {
  status: PollStatus
  reason: string
  atMs: number
}

/** What the exporter knows about one account: the last good answer and how the latest poll went. */
export interface AccountState {
  readonly name: string
  /** Undefined until the first poll finishes. */
  up?: boolean
  values?: BalanceValues
  lastSuccessMs?: number
  lastPollDurationSeconds?: number
  lastError?: PollError
  /** The provider's clock minus ours, from the Date header of the latest answer that had one. */
  clockSkewSeconds?: number
}

/**
 * The per-account cache the poller writes and the metrics and pages read. A failure keeps the last
 * good values (staleness is decided by the reader); one account's record never touches another's.
 */
export class AccountStates {
  private readonly states = new Map<string, AccountState>()
  private changes = 0

  constructor (names: string[]) {
    for (const name of names) this.states.set(name, { name })
  }

  /** Grows with every change, so readers can tell whether what they rendered is still current. */
  get version (): number {
    return this.changes
  }

  /** Marks a change that is not a record below (a counter the metrics show moved). */
  touch (): void {
    this.changes++
  }

  recordSuccess (name: string, values: BalanceValues, atMs: number, durationSeconds: number): void {
    const state = this.require(name)
    this.changes++
    state.up = true
    state.values = values
    state.lastSuccessMs = atMs
    state.lastPollDurationSeconds = durationSeconds
  }

  recordFailure (name: string, error: PollError, durationSeconds: number): void {
    const state = this.require(name)
    this.changes++
    state.up = false
    state.lastError = error
    state.lastPollDurationSeconds = durationSeconds
  }

  recordClockSkew (name: string, seconds: number): void {
    this.require(name).clockSkewSeconds = seconds
    this.changes++
  }

  get (name: string): Readonly<AccountState> {
    return this.require(name)
  }

  all (): Array<Readonly<AccountState>> {
    return [...this.states.values()]
  }

  /** True once every account has finished its first poll, whatever the outcome. */
  allPolled (): boolean {
    return this.all().every((state) => state.up !== undefined)
  }

  private require (name: string): AccountState {
    const state = this.states.get(name)
    if (state === undefined) throw new Error(`unknown account ${name}`)
    return state
  }
}
