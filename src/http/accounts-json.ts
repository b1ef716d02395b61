import type { PollStatus } from '../api/status.js'
import type { Provider } from '../config/providers.js'
import { CONDITION_ORDER, type AccountView, type Condition, type StatusReport } from './account-view.js'
import type { ReloadRefusal } from './status-page.js'

const iso = (ms: number | undefined): string | null => ms === undefined ? null : new Date(ms).toISOString()

/** One account in /api/v1/accounts. Absent values are null, so every account has every field. */
export interface AccountJson {
  name: string
  /** The most urgent condition the account is in. */
  state: Condition
  /** Every condition it is in, most urgent first: `["critical", "failing"]`. */
  conditions: Condition[]
  provider: Provider
  /** ISO 4217 code of every amount below; '' when not configured. */
  currency: string
  /** The latest poll succeeded; null until the first poll finishes. */
  up: boolean | null
  /** From the last good answer, as the API gave them (null when it left one out); stale when `state` says so. */
  balance: number | null
  gift: number | null
  credit: number | null
  balanceWarning: number
  balanceCritical: number
  lastSuccess: string | null
  lastError: { status: PollStatus, reason: string, hint: string, time: string } | null
  /** When the next poll is due; `backoff` when that is later than the poll interval. */
  nextPoll: string | null
  backoff: boolean
  /** What balance + gift lost since this process' first good poll of the account; null before it. */
  spentSinceStart: number | null
  /** What they gained, and how many times; null before the first good poll. */
  toppedUpSinceStart: number | null
  topupsSinceStart: number | null
  /** The latest gain seen since the start, or null. */
  lastTopup: { amount: number, time: string } | null
}

/** Set while the latest configuration reload was refused: when, and how many problems (their text is in the log). */
export type ReloadJson = { refused: false } | { refused: true, time: string, problems: number }

export interface AccountsJson {
  version: string
  /** The time the states were read at; every other time is from the same clock (RFC 3339, UTC). */
  time: string
  /** The number of accounts in each condition (one in two counts in both), most urgent first, and their total. */
  summary: Record<Condition | 'total', number>
  reload: ReloadJson
  /** In the page's order: those needing attention first, then by name. */
  accounts: AccountJson[]
}

function accountJson (account: AccountView): AccountJson {
  const { lastError } = account
  return {
    name: account.name,
    state: account.condition,
    conditions: [...account.conditions],
    provider: account.provider,
    currency: account.currency,
    up: account.up ?? null,
    balance: account.values?.balance ?? null,
    gift: account.values?.gift ?? null,
    credit: account.values?.credit ?? null,
    balanceWarning: account.balanceWarning,
    balanceCritical: account.balanceCritical,
    lastSuccess: iso(account.lastSuccessMs),
    lastError: lastError === undefined
      ? null
      : { status: lastError.status, reason: lastError.reason, hint: lastError.hint, time: new Date(lastError.atMs).toISOString() },
    nextPoll: iso(account.nextPoll?.atMs),
    backoff: account.nextPoll?.backoff ?? false,
    spentSinceStart: account.spentTotal ?? null,
    toppedUpSinceStart: account.toppedUpTotal ?? null,
    topupsSinceStart: account.topupsTotal ?? null,
    lastTopup: account.lastTopup === undefined ? null : { amount: account.lastTopup.amount, time: new Date(account.lastTopup.atMs).toISOString() },
  }
}

/** /api/v1/accounts: what the status page shows, for scripts. Names and figures only: no key, no secret. */
export function accountsJson (report: StatusReport, version: string, refusedReload?: ReloadRefusal): AccountsJson {
  return {
    version,
    time: new Date(report.nowMs).toISOString(),
    summary: { total: report.accounts.length, ...Object.fromEntries(CONDITION_ORDER.map((c) => [c, report.counts[c]])) } as AccountsJson['summary'],
    reload: refusedReload === undefined
      ? { refused: false }
      : { refused: true, time: new Date(refusedReload.atMs).toISOString(), problems: refusedReload.problems },
    accounts: report.accounts.map(accountJson),
  }
}
