// The HTTPS side of a reload. A new certificate, key, CA or TLS setting is checked and built into a secure
// context while the running one serves, and only then handed to the server for the next handshake; open
// connections keep the context they were made with.
import { createPrivateKey, X509Certificate } from 'node:crypto'
import type { Server as TlsServer } from 'node:tls'
import { createSecureContext } from 'node:tls'
import { ConfigError, type TlsSettings } from '../config/types.js'
import type { ReloadablePart } from '../reload/reloadable.js'
import { requestsClientCert, secureContextOptions } from './tls-policy.js'

export class ServedTls {
  private server?: Pick<TlsServer, 'setSecureContext'>

  constructor (private settings: TlsSettings | undefined) {}

  /** The settings serving now (the client-certificate policy reads them at every connection). */
  get current (): TlsSettings | undefined {
    return this.settings
  }

  /** The HTTPS server these settings serve (the server factory calls this once it made it). */
  serve (server: Pick<TlsServer, 'setSecureContext'>): void {
    this.server = server
  }

  /** For the Reloader; registered first, as its commit is the only one that calls into Node. */
  readonly part: ReloadablePart = {
    name: 'TLS',
    prepare: (next) => {
      const settings = next.web.tls
      const restart = restartNeeded(this.settings, settings)
      if (restart !== undefined) throw new ConfigError([restart])
      if (settings === undefined || JSON.stringify(settings) === JSON.stringify(this.settings)) return () => { this.settings = settings }
      const options = secureContextOptions(settings)
      const problem = unusable(settings, options)
      if (problem !== undefined) throw new ConfigError([`TLS: ${problem}: the running certificate serves until the new files form a pair`])
      return () => {
        // Node takes no ready-made context: it builds one again from the options just built from, which
        // cannot fail where the first did not.
        this.server?.setSecureContext(options)
        this.settings = settings
      }
    },
  }
}

/**
 * Why these settings cannot serve, or undefined. The pair is checked on its own: createSecureContext finds a
 * key of the certificate's type that does not match it ("key values mismatch"), but takes an RSA key with an
 * EC certificate (or the reverse) without a word, as OpenSSL keeps one slot per key type, and every handshake
 * then fails. The context is built too, for what only OpenSSL knows (a cipher list it cannot offer...).
 */
function unusable (settings: TlsSettings, options: ReturnType<typeof secureContextOptions>): string | undefined {
  try {
    if (!new X509Certificate(settings.cert).checkPrivateKey(createPrivateKey(settings.key))) return 'the key does not match the certificate'
  } catch (err) {
    return `the certificate or key cannot be read (${(err as Error).message})`
  }
  try {
    createSecureContext(options)
  } catch (err) {
    const message = (err as Error).message
    return /key values mismatch/i.test(message) ? 'the key does not match the certificate' : `the TLS settings cannot be used (${message})`
  }
  return undefined
}

/** Why `next` needs a restart rather than a reload, or undefined. */
function restartNeeded (now: TlsSettings | undefined, next: TlsSettings | undefined): string | undefined {
  if ((now === undefined) !== (next === undefined)) {
    return `TLS can only be switched ${next === undefined ? 'off' : 'on'} by a restart (the server is ${now === undefined ? 'HTTP' : 'HTTPS'})`
  }
  if (now !== undefined && next !== undefined && requestsClientCert(now) !== requestsClientCert(next)) {
    return `client_auth_type can only change from ${now.clientAuth} to ${next.clientAuth} by a restart (whether the server asks for a certificate is fixed at start)`
  }
  return undefined
}
