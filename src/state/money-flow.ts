import type { BalanceValues } from '../api/answer.js'

/** A gain of balance + gift between two good polls. */
export interface Topup {
  /** When the poll that saw it finished, Unix ms. */
  readonly atMs: number
  readonly amount: number
}

/** The money counters of one account; all undefined until its first good poll in this process. */
export interface MoneyCounters {
  spentTotal?: number
  toppedUpTotal?: number
  topupsTotal?: number
  lastTopup?: Topup
}

/**
 * Money is counted in millionths, whole numbers: the API sends amounts with up to six decimals
 * ("99.990000", "50.00000"), so every amount it sends is a whole number of them and sums of whole
 * numbers are exact where sums of decimals in floating point are not (0.1 + 0.2 is 0.30000000000000004).
 * A total divided back by a million prints as the decimal it is. Exact up to 9 billion of the currency.
 */
const UNITS_PER_AMOUNT = 1_000_000

const toUnits = (amount: number): number => Math.round(amount * UNITS_PER_AMOUNT)
const fromUnits = (units: number): number => units / UNITS_PER_AMOUNT
const add = (total: number, units: number): number => fromUnits(toUnits(total) + units)

/** What an account can spend from: credit is a limit, not money, and never counts. */
const spendable = (values: BalanceValues): number => toUnits(values.balance) + toUnits(values.gift ?? 0)

/**
 * Counts what balance + gift lost (spent) or gained (a top-up) since the last good poll. `before` is the
 * last good answer (a failed poll between them changes nothing: the spend behind it shows on the next good
 * one). The first good poll since the start starts the counters at 0 and counts nothing; so does a poll whose
 * `before` is undefined (a new baseline), which keeps the totals.
 * Spend and a top-up between the same two polls net out: only their sum is seen.
 */
export function countMoneyMoved (counters: MoneyCounters, before: BalanceValues | undefined, after: BalanceValues, atMs: number): void {
  if (counters.spentTotal === undefined) {
    counters.spentTotal = counters.toppedUpTotal = counters.topupsTotal = 0
    return
  }
  // A new baseline (the account's key or URL changed: maybe another account): counted from the next poll on.
  if (before === undefined) return
  const change = spendable(after) - spendable(before)
  if (change < 0) {
    counters.spentTotal = add(counters.spentTotal, -change)
  } else if (change > 0) {
    counters.toppedUpTotal = add(counters.toppedUpTotal ?? 0, change)
    counters.topupsTotal = (counters.topupsTotal ?? 0) + 1
    counters.lastTopup = { atMs, amount: fromUnits(change) }
  }
}
