import type { BalanceAnswer, NumericBalanceAnswer } from '../api/answer.js'

/** Where spending is taken from first. The provider does not document it; both are plausible. */
export type DrainOrder = 'gift-first' | 'balance-first'

export interface TopUp {
  everySeconds: number
  amount: number
}

export interface SimulatedAccount {
  name: string
  apiKey: string
  apiSecret: string
  balance: number
  gift: number
  credit: number
  /** Money spent per hour (SMS sent), taken from gift and balance in `drainOrder`. */
  spendPerHour: number
  drainOrder: DrainOrder
  topUp?: TopUp
  /** Unix ms up to which spending and top-ups have been applied. */
  updatedAtMs: number
  nextTopUpAtMs?: number
}

/**
 * Moves an account's money forward to `nowMs`: spending at `spendPerHour`, and a top-up each
 * `topUp.everySeconds`. Spending stops when the account is out of money: balance may go down to
 * -credit (the credit limit), never further.
 */
export function advance (account: SimulatedAccount, nowMs: number): void {
  while (account.updatedAtMs < nowMs) {
    const until = account.nextTopUpAtMs !== undefined && account.nextTopUpAtMs <= nowMs ? account.nextTopUpAtMs : nowMs
    spend(account, (account.spendPerHour * (until - account.updatedAtMs)) / 3_600_000)
    account.updatedAtMs = until
    if (account.topUp !== undefined && until === account.nextTopUpAtMs) {
      account.balance += account.topUp.amount
      // Never a step below 1 ms, which at today's timestamps would not move the time at all.
      account.nextTopUpAtMs += Math.max(1, account.topUp.everySeconds * 1000)
    }
  }
}

function spend (account: SimulatedAccount, amount: number): void {
  let left = amount
  const take = (available: number): number => {
    const taken = Math.max(0, Math.min(available, left))
    left -= taken
    return taken
  }
  if (account.drainOrder === 'gift-first') {
    account.gift -= take(account.gift)
    account.balance -= take(account.balance + account.credit)
  } else {
    account.balance -= take(account.balance)
    account.gift -= take(account.gift)
    account.balance -= take(account.balance + account.credit)
  }
}

/** The getBalance answer for an account, formatted like the provider's sample (every value a string). */
export function balanceAnswer (account: SimulatedAccount, asNumbers = false): BalanceAnswer | NumericBalanceAnswer {
  const balance = round(account.balance, 6)
  const gift = round(account.gift, 5)
  if (asNumbers) return { status: 0, reason: 'success', balance, gift, credit: account.credit }
  return { status: '0', reason: 'success', balance: balance.toFixed(6), gift: gift.toFixed(5), credit: String(account.credit) }
}

const round = (value: number, decimals: number): number => Number(value.toFixed(decimals))
