import type { Logger } from 'pino'
import type { AccountState } from '../state/account-states.js'

/** Extra words for statuses whose cause is known, so the person on call knows where to look. */
const HINTS: Record<string, string> = {
  '-1': 'authentication failed: check the API key and secret',
  '-2': 'this host\'s IP address is not on the account\'s allow list',
  '-13': 'the account is locked: contact Laaffic',
  '-15': 'queried too frequently: polling slows down',
  '-16': 'Timestamp rejected: the host clock is probably off (check NTP); Laaffic accepts about ±30 minutes',
  '-18': 'Laaffic reported an interface error on its side',
}

/**
 * Logs an account's change of state once, not every poll: the first answer, a recovery, a new failure
 * or a change of failure status. Only names, statuses and reasons are logged: never the request.
 */
export function logTransition (logger: Logger, before: Readonly<AccountState>, after: Readonly<AccountState>): void {
  if (after.up === true && before.up !== true) {
    logger.info({ account: after.name, balance: after.values?.balance }, before.up === false ? 'account recovered' : 'account is up')
    return
  }
  const error = after.lastError
  if (after.up === false && error !== undefined && (before.up !== false || before.lastError?.status !== error.status)) {
    const hint = HINTS[error.status]
    const skew = error.status === '-16' && after.clockSkewSeconds !== undefined ? { clockSkewSeconds: after.clockSkewSeconds } : {}
    logger.warn({ account: after.name, status: error.status, reason: error.reason, ...(hint !== undefined && { hint }), ...skew }, 'account failing')
  }
}
