import type { Logger } from 'pino'
import { statusInfo } from '../api/status.js'
import type { AccountState } from '../state/account-states.js'

/**
 * Logs an account's change of state once, not every poll: the first answer, a recovery, a new failure
 * or a change of failure status. Only names, statuses, reasons and what the status table adds (hint, evidence)
 * are logged: never the request.
 */
export function logTransition (logger: Logger, before: Readonly<AccountState>, after: Readonly<AccountState>): void {
  if (after.up === true && before.up !== true) {
    logger.info({ account: after.name, balance: after.values?.balance }, before.up === false ? 'account recovered' : 'account is up')
    return
  }
  const error = after.lastError
  if (after.up === false && error !== undefined && (before.up !== false || before.lastError?.status !== error.status)) {
    const { hint, evidence = [] } = statusInfo(error.status)
    // What the status table says explains this status (the clock skew for -16), where the state knows it.
    const facts = Object.fromEntries(evidence.flatMap((field) => after[field] === undefined ? [] : [[field, after[field]]]))
    logger.warn({ account: after.name, status: error.status, reason: error.reason, hint, ...facts }, 'account failing')
  }
}
