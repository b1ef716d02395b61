import type { Server as HttpsServer } from 'node:https'
import { accountChanges, type AccountChanges } from '../config/account-changes.js'
import type { Config, WebConfig } from '../config/types.js'
import { requestsClientCert, secureContextOptions } from '../http/tls-policy.js'
import type { Poller } from '../poller/poller.js'
import type { AccountStates } from '../state/account-states.js'

/** What a reload changed, for its log line (names only: never a key or secret). */
export interface ReloadSummary extends AccountChanges {
  /** A new certificate, key, CA or TLS setting, for the next handshake. */
  tlsRenewed: boolean
  auth: 'unchanged' | 'changed'
}

export interface RunningConfigParts {
  states: AccountStates
  poller: Poller
  /** The listening server (undefined until it listens; the secure context is set at creation then). */
  server: () => unknown
}

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b)
const authOf = (web: WebConfig): unknown => web.auth === undefined ? undefined : web.auth.type === 'bearer' ? web.auth : [...web.auth.users]

/**
 * The configuration the exporter runs with, and how a new one is applied: accounts reconciled in the state
 * and the poller (unchanged accounts keep their values and counters), the new certificate set for the next
 * handshake (open connections go on), authentication and headers switched for the next request.
 */
export class RunningConfig {
  constructor (public current: Config, private readonly parts: RunningConfigParts) {}

  /** What in `next` only a restart can apply; empty when a reload can. */
  restartNeeded (next: Config): string[] {
    const [now, then] = [this.current.web.tls, next.web.tls]
    if ((now === undefined) !== (then === undefined)) {
      return [`TLS can only be switched ${then === undefined ? 'off' : 'on'} by a restart (the server is ${now === undefined ? 'HTTP' : 'HTTPS'})`]
    }
    if (now !== undefined && then !== undefined && requestsClientCert(now) !== requestsClientCert(then)) {
      return [`client_auth_type can only change from ${now.clientAuth} to ${then.clientAuth} by a restart (whether the server asks for a certificate is fixed at start)`]
    }
    return []
  }

  apply (next: Config): ReloadSummary {
    const summary: ReloadSummary = {
      ...accountChanges(this.current.accounts, next.accounts),
      tlsRenewed: !sameJson(this.current.web.tls, next.web.tls),
      auth: sameJson(authOf(this.current.web), authOf(next.web)) ? 'unchanged' : 'changed',
    }
    this.parts.states.setAccounts(next.accounts)
    this.parts.poller.setAccounts(next.accounts)
    const server = this.parts.server() as Partial<HttpsServer> | undefined
    if (summary.tlsRenewed && next.web.tls !== undefined && typeof server?.setSecureContext === 'function') {
      server.setSecureContext(secureContextOptions(next.web.tls))
    }
    this.current = next
    return summary
  }
}
