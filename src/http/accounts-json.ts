import type { PollStatus } from '../api/status.js'
import { CONDITION_ORDER, type AccountView, type Condition, type StatusReport } from './account-view.js'

const iso = (ms: number | undefined): string | null => ms === undefined ? null : new Date(ms).toISOString()

/** One account in /api/v1/accounts. Absent values are null, so every account has every field. */
export interface AccountJson {
  name: string
  state: Condition
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
}

export interface AccountsJson {
  version: string
  /** The time the states were read at; every other time is from the same clock (RFC 3339, UTC). */
  time: string
  /** The number of accounts in each state, most urgent first, and their total. */
  summary: Record<Condition | 'total', number>
  /** In the page's order: those needing attention first, then by name. */
  accounts: AccountJson[]
}

function accountJson (account: AccountView): AccountJson {
  const { lastError } = account
  return {
    name: account.name,
    state: account.condition,
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
  }
}

/** /api/v1/accounts: what the status page shows, for scripts. Names and figures only: no key, no secret. */
export function accountsJson (report: StatusReport, version: string): AccountsJson {
  return {
    version,
    time: new Date(report.nowMs).toISOString(),
    summary: { total: report.accounts.length, ...Object.fromEntries(CONDITION_ORDER.map((c) => [c, report.counts[c]])) } as AccountsJson['summary'],
    accounts: report.accounts.map(accountJson),
  }
}
