import { IN_PLACE_SETTINGS, REQUEST_FIELDS, type AccountConfig } from './account-settings.js'

/** What a new list of accounts changes, by account name (names only: never a key or secret). */
export interface AccountChanges {
  added: string[]
  removed: string[]
  /** Key, secret or what decides the URL changed: polled again at once. */
  credentialsChanged: string[]
  /** A setting applied in place (thresholds, currency, provider): exported from the next scrape. */
  settingsChanged: string[]
}

/** True when the two would send the same request (same key, secret and URL): no new poll needed. */
export const sameRequest = (a: AccountConfig, b: AccountConfig): boolean => REQUEST_FIELDS.every((field) => a[field] === b[field])

const sameSettings = (a: AccountConfig, b: AccountConfig): boolean => IN_PLACE_SETTINGS.every((name) => a[name] === b[name])

/** The change summary of a reload, from the accounts before and after; every setting of the table is compared. */
export function accountChanges (before: readonly AccountConfig[], after: readonly AccountConfig[]): AccountChanges {
  const old = new Map(before.map((account) => [account.name, account]))
  const names = new Set(after.map((account) => account.name))
  const kept = after.flatMap((account) => {
    const previous = old.get(account.name)
    return previous === undefined ? [] : [[previous, account] as const]
  })
  return {
    added: after.filter((account) => !old.has(account.name)).map((account) => account.name),
    removed: [...old.keys()].filter((name) => !names.has(name)),
    credentialsChanged: kept.filter(([a, b]) => !sameRequest(a, b)).map(([, b]) => b.name),
    settingsChanged: kept.filter(([a, b]) => !sameSettings(a, b)).map(([, b]) => b.name),
  }
}
