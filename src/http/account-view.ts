import type { BalanceValues } from '../api/answer.js'
import { statusInfo } from '../api/status.js'
import type { AccountState, NextPoll, PollError } from '../state/account-states.js'
import { isFresh } from '../state/freshness.js'

/**
 * What an account needs from a person, most urgent first: the order of the status page, of
 * /api/v1/accounts and of their summary. Each account is in the first that applies.
 */
export const CONDITIONS = {
  critical: 'the balance is under the account\'s critical threshold, as LaafficBalanceCritical compares it (even when the latest poll failed)',
  stale: 'no good answer for longer than LAAFFIC_MAX_STALENESS: /metrics no longer shows the values (the page shows the last ones in grey)',
  failing: 'the latest poll failed (a balance shown is the last good one)',
  low: 'the balance is under the account\'s warning threshold, as LaafficBalanceLow compares it',
  pending: 'the first poll has not finished yet',
  ok: 'the latest poll succeeded and the balance is not under the warning threshold',
} as const

export type Condition = keyof typeof CONDITIONS
export const CONDITION_ORDER = Object.keys(CONDITIONS) as Condition[]

/** One account as the page and the JSON show it: names and figures only, never a key or a secret. */
export interface AccountView {
  readonly name: string
  readonly condition: Condition
  /** Undefined until the first poll finishes. */
  readonly up: boolean | undefined
  /** The last good answer, fresh or not (`fresh` says which). */
  readonly values: Readonly<BalanceValues> | undefined
  readonly fresh: boolean
  readonly balanceWarning: number
  readonly balanceCritical: number
  readonly lastSuccessMs: number | undefined
  /** With the status table's hint for its status. */
  readonly lastError: (PollError & { readonly hint: string }) | undefined
  readonly nextPoll: NextPoll | undefined
}

export interface StatusReport {
  readonly nowMs: number
  /** Accounts in CONDITION_ORDER, then by name. */
  readonly accounts: readonly AccountView[]
  /** How many accounts are in each condition, every condition present. */
  readonly counts: Readonly<Record<Condition, number>>
}

/**
 * A fresh balance under a threshold is compared as the alert rules compare laaffic_balance, so the page
 * says critical when LaafficBalanceCritical would fire, even if the latest poll failed (the last error
 * shows that): the money is what the exporter is for.
 */
function conditionOf (state: AccountState, fresh: boolean): Condition {
  const balance = fresh ? state.values?.balance : undefined
  if (balance !== undefined && balance < state.balanceCritical) return 'critical'
  if (state.lastSuccessMs !== undefined && !fresh) return 'stale'
  if (state.up === false) return 'failing'
  if (balance !== undefined && balance < state.balanceWarning) return 'low'
  if (state.up === undefined) return 'pending'
  return 'ok'
}

export function accountView (state: AccountState, nowMs: number, maxStalenessMs: number): AccountView {
  const fresh = isFresh(state.lastSuccessMs, nowMs, maxStalenessMs)
  return {
    name: state.name,
    condition: conditionOf(state, fresh),
    up: state.up,
    values: state.values,
    fresh,
    balanceWarning: state.balanceWarning,
    balanceCritical: state.balanceCritical,
    lastSuccessMs: state.lastSuccessMs,
    lastError: state.lastError === undefined ? undefined : { ...state.lastError, hint: statusInfo(state.lastError.status).hint },
    nextPoll: state.nextPoll,
  }
}

const RANK = new Map(CONDITION_ORDER.map((condition, i) => [condition, i]))

/** Every account's view at `nowMs`, those needing attention first, and the count in each condition. */
export function statusReport (states: readonly AccountState[], nowMs: number, maxStalenessMs: number): StatusReport {
  const accounts = states.map((state) => accountView(state, nowMs, maxStalenessMs))
  accounts.sort((a, b) => ((RANK.get(a.condition) ?? 0) - (RANK.get(b.condition) ?? 0)) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  const counts = Object.fromEntries(CONDITION_ORDER.map((condition) => [condition, 0])) as Record<Condition, number>
  for (const account of accounts) counts[account.condition]++
  return { nowMs, accounts, counts }
}
