import type { BalanceValues } from '../api/answer.js'
import { statusInfo } from '../api/status.js'
import type { Provider } from '../config/providers.js'
import type { AccountState, NextPoll, PollError } from '../state/account-states.js'
import { isFresh } from '../state/freshness.js'
import type { Topup } from '../state/money-flow.js'

/**
 * What an account needs from a person, most urgent first: the order of the status page, of
 * /api/v1/accounts and of their summary. An account can be in several (low and failing); its state is the
 * first that applies, and the others are shown beside it.
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
  /** The most urgent condition the account is in: its state. */
  readonly condition: Condition
  /** Every condition it is in, most urgent first (`condition` is the first). */
  readonly conditions: readonly Condition[]
  /** `laaffic`, `onbuka`, `itniotech`: whose API the account is polled at. */
  readonly provider: Provider
  /** ISO 4217 code of every amount, '' when not configured. */
  readonly currency: string
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
  /** Money moved since this process' first good poll of the account (undefined before it). */
  readonly spentTotal: number | undefined
  readonly toppedUpTotal: number | undefined
  readonly topupsTotal: number | undefined
  readonly lastTopup: Topup | undefined
}

export interface StatusReport {
  readonly nowMs: number
  /** Accounts in CONDITION_ORDER, then by name. */
  readonly accounts: readonly AccountView[]
  /** How many accounts are in each condition (an account in two counts in both), every condition present. */
  readonly counts: Readonly<Record<Condition, number>>
}

/**
 * A fresh balance under a threshold is compared as the alert rules compare laaffic_balance, so the page
 * says critical when LaafficBalanceCritical would fire, even if the latest poll failed (that shows beside
 * it): the money is what the exporter is for. A critical balance is not also low: critical says more.
 */
function conditionsOf (state: AccountState, fresh: boolean): Condition[] {
  const balance = fresh ? state.values?.balance : undefined
  const found: Condition[] = []
  if (balance !== undefined && balance < state.balanceCritical) found.push('critical')
  if (state.lastSuccessMs !== undefined && !fresh) found.push('stale')
  if (state.up === false) found.push('failing')
  if (balance !== undefined && balance >= state.balanceCritical && balance < state.balanceWarning) found.push('low')
  if (state.up === undefined) found.push('pending')
  if (found.length === 0) found.push('ok')
  return found
}

export function accountView (state: AccountState, nowMs: number, maxStalenessMs: number): AccountView {
  const fresh = isFresh(state.lastSuccessMs, nowMs, maxStalenessMs)
  const conditions = conditionsOf(state, fresh)
  return {
    name: state.name,
    condition: conditions[0] ?? 'ok',
    conditions,
    provider: state.provider,
    currency: state.currency,
    up: state.up,
    values: state.values,
    fresh,
    balanceWarning: state.balanceWarning,
    balanceCritical: state.balanceCritical,
    lastSuccessMs: state.lastSuccessMs,
    lastError: state.lastError === undefined ? undefined : { ...state.lastError, hint: statusInfo(state.lastError.status).hint },
    nextPoll: state.nextPoll,
    spentTotal: state.spentTotal,
    toppedUpTotal: state.toppedUpTotal,
    topupsTotal: state.topupsTotal,
    lastTopup: state.lastTopup,
  }
}

const RANK = new Map(CONDITION_ORDER.map((condition, i) => [condition, i]))

/** Every account's view at `nowMs`, those needing attention first, and the count in each condition. */
export function statusReport (states: readonly AccountState[], nowMs: number, maxStalenessMs: number): StatusReport {
  const accounts = states.map((state) => accountView(state, nowMs, maxStalenessMs))
  accounts.sort((a, b) => ((RANK.get(a.condition) ?? 0) - (RANK.get(b.condition) ?? 0)) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  const counts = Object.fromEntries(CONDITION_ORDER.map((condition) => [condition, 0])) as Record<Condition, number>
  for (const account of accounts) for (const condition of account.conditions) counts[condition]++
  return { nowMs, accounts, counts }
}
