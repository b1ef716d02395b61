import type { AccountConfig, Config, WebConfig } from '../config/types.js'

/** What a reload changed, for its log line (names only: never a key or secret). */
export interface ReloadSummary extends AccountChanges {
  /** A new certificate, key, CA or TLS setting, for the next handshake. */
  tlsRenewed: boolean
  auth: 'unchanged' | 'changed'
}

export interface AccountChanges {
  added: string[]
  removed: string[]
  /** Key, secret or URL changed: polled again at once. */
  credentialsChanged: string[]
  thresholdsChanged: string[]
}

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b)
const authOf = (web: WebConfig): unknown => web.auth === undefined ? undefined : web.auth.type === 'bearer' ? web.auth : [...web.auth.users]

/** The whole summary of going from `current` to `next`. */
export function summarizeChange (current: Config, next: Config): ReloadSummary {
  return {
    ...accountChanges(current.accounts, next.accounts),
    tlsRenewed: !sameJson(current.web.tls, next.web.tls),
    auth: sameJson(authOf(current.web), authOf(next.web)) ? 'unchanged' : 'changed',
  }
}

/** The per-account part of the summary (the one place that lists which settings count as what). */
export function accountChanges (current: readonly AccountConfig[], next: readonly AccountConfig[]): AccountChanges {
  const before = new Map(current.map((account) => [account.name, account]))
  const names = new Set(next.map((account) => account.name))
  const changed = (fields: (a: AccountConfig) => unknown[]): string[] =>
    next.filter((a) => { const b = before.get(a.name); return b !== undefined && !sameJson(fields(a), fields(b)) }).map((a) => a.name)
  return {
    added: next.filter((a) => !before.has(a.name)).map((a) => a.name),
    removed: [...before.keys()].filter((name) => !names.has(name)),
    credentialsChanged: changed((a) => [a.apiKey, a.apiSecret, a.baseUrl]),
    thresholdsChanged: changed((a) => [a.balanceWarning, a.balanceCritical]),
  }
}
