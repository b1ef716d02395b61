import { accountChanges, type AccountChanges } from '../config/account-changes.js'
import type { Config, WebConfig } from '../config/types.js'

/** What a reload changed, for its log line (names only: never a key or secret). */
export interface ReloadSummary extends AccountChanges {
  /** A new certificate, key, CA or TLS setting, for the next handshake. */
  tlsRenewed: boolean
  auth: 'unchanged' | 'changed'
}

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b)
const authOf = (web: WebConfig): unknown => web.auth === undefined ? undefined : web.auth.type === 'bearer' ? web.auth : [...web.auth.users]

/** The whole summary of going from `current` to `next`; the per-account part compares every setting of the table. */
export function summarizeChange (current: Config, next: Config): ReloadSummary {
  return {
    ...accountChanges(current.accounts, next.accounts),
    tlsRenewed: !sameJson(current.web.tls, next.web.tls),
    auth: sameJson(authOf(current.web), authOf(next.web)) ? 'unchanged' : 'changed',
  }
}
