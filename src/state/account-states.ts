import type { BalanceValues } from '../client/parse-response.js'
import { STATUSES_STARTING_AT_ZERO, type PollStatus } from '../client/status.js'
import { IN_PLACE_SETTINGS, type InPlaceSettingName } from '../config/account-settings.js'
import type { AccountConfig } from '../config/types.js'
import { countMoneyMoved, type Topup } from './money-flow.js'

export interface PollError {
  readonly status: PollStatus
  readonly reason: string
  readonly atMs: number
}

/** When an account's next poll is due, as the poller scheduled it. */
export interface NextPoll {
  readonly atMs: number
  /** True when the wait is longer than the poll interval: a status that backs off, or the provider's Retry-After. */
  readonly backoff: boolean
}

/** What of an account's configuration may be shown (metrics, pages): its name and the settings a reload changes in place, never its key or secret. */
export type AccountSettings = Pick<AccountConfig, 'name' | InPlaceSettingName>

/** What the exporter knows about one account: its settings, the last good answer, how polling goes. */
export interface AccountState extends Readonly<AccountSettings> {
  /** Moves with every change of this account (readers cache per account on it). */
  readonly version: number
  /** Undefined until the first poll finishes. */
  readonly up?: boolean
  readonly values?: Readonly<BalanceValues>
  readonly lastSuccessMs?: number
  readonly lastPollDurationSeconds?: number
  readonly lastError?: PollError
  /** The provider's clock minus ours, from the Date header of the latest answer that had one. */
  readonly clockSkewSeconds?: number
  /** Polls started. */
  readonly polls: number
  /** HTTP requests sent, retries included. */
  readonly apiRequests: number
  /** Failed polls by status; the statuses the status table starts at 0 are there from the start. */
  readonly errors: ReadonlyMap<PollStatus, number>
  /** Undefined until the first poll finishes. */
  readonly nextPoll?: NextPoll
  /**
   * Money moved, from consecutive good polls (src/state/money-flow.ts): what balance + gift lost, what
   * they gained and how many times. Undefined until the first good poll since the start, 0 from it.
   */
  readonly spentTotal?: number
  readonly toppedUpTotal?: number
  readonly topupsTotal?: number
  /** The latest gain seen; undefined until one is. */
  readonly lastTopup?: Topup
}

type Writable<T> = { -readonly [K in keyof T]: T[K] }
type AccountRecord = Writable<Omit<AccountState, 'errors'>> & { errors: Map<PollStatus, number> }

/** The settings a reload can change in place (from the table of per-account settings). */
const SETTINGS = IN_PLACE_SETTINGS

/** Only the settings the state holds: an AccountConfig passed in must not bring its key and secret along. */
const settingsOf = (account: AccountSettings): AccountSettings =>
  Object.fromEntries([['name', account.name], ...SETTINGS.map((key) => [key, account[key]])]) as AccountSettings

function newRecord (settings: AccountSettings): AccountRecord {
  const errors = new Map(STATUSES_STARTING_AT_ZERO.map((status) => [status, 0]))
  return { ...settingsOf(settings), version: 0, polls: 0, apiRequests: 0, errors }
}

/**
 * The one place per-account data lives: the poller writes it, metrics and pages read it. Every change
 * goes through `update`, which moves `version`, so a cache keyed on the version cannot miss one. A
 * failure keeps the last good values (staleness is decided by the reader); one account's record never
 * touches another's.
 */
export class AccountStates {
  private readonly records = new Map<string, AccountRecord>()
  private changes = 0

  constructor (accounts: readonly AccountSettings[]) {
    for (const settings of accounts) this.records.set(settings.name, newRecord(settings))
  }

  /** Grows with every change, so readers can tell whether what they rendered is still current. */
  get version (): number {
    return this.changes
  }

  pollStarted (name: string): void {
    this.update(name, (record) => { record.polls++ })
  }

  requestSent (name: string): void {
    this.update(name, (record) => { record.apiRequests++ })
  }

  recordSuccess (name: string, values: BalanceValues, atMs: number, durationSeconds: number): void {
    this.update(name, (record) => {
      countMoneyMoved(record, record.values, values, atMs)
      record.up = true
      record.values = { ...values }
      record.lastSuccessMs = atMs
      record.lastPollDurationSeconds = durationSeconds
    })
  }

  recordFailure (name: string, error: PollError, durationSeconds: number): void {
    this.update(name, (record) => {
      record.up = false
      record.lastError = { ...error }
      record.lastPollDurationSeconds = durationSeconds
      record.errors.set(error.status, (record.errors.get(error.status) ?? 0) + 1)
    })
  }

  recordClockSkew (name: string, seconds: number): void {
    this.update(name, (record) => { record.clockSkewSeconds = seconds })
  }

  /**
   * The accounts of a reloaded configuration: a new one starts empty, a removed one is dropped (its series
   * go with it), the others keep their values and counters and take their new settings.
   */
  setAccounts (accounts: readonly AccountSettings[]): void {
    const names = new Set(accounts.map((a) => a.name))
    for (const name of [...this.records.keys()]) {
      if (names.has(name)) continue
      this.records.delete(name)
      this.changes++
    }
    for (const settings of accounts) {
      const record = this.records.get(settings.name)
      if (record === undefined) {
        this.records.set(settings.name, newRecord(settings))
        this.changes++
      } else if (SETTINGS.some((key) => record[key] !== settings[key])) {
        this.update(settings.name, (r) => { Object.assign(r, settingsOf(settings)) })
      }
    }
  }

  recordNextPoll (name: string, next: NextPoll): void {
    this.update(name, (record) => { record.nextPoll = { ...next } })
  }

  get (name: string): AccountState {
    return this.require(name)
  }

  all (): AccountState[] {
    return [...this.records.values()]
  }

  /** True once every account has finished its first poll, whatever the outcome. */
  allPolled (): boolean {
    return this.all().every((state) => state.up !== undefined)
  }

  /** The only writer of a record (setAccounts adds and drops them): a change and the versions move together. */
  private update (name: string, change: (record: AccountRecord) => void): void {
    const record = this.require(name)
    change(record)
    record.version++
    this.changes++
  }

  private require (name: string): AccountRecord {
    const record = this.records.get(name)
    if (record === undefined) throw new Error(`unknown account ${name}`)
    return record
  }
}
