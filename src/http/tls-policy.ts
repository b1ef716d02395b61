// The HTTPS side of the web configuration: Node's secure-context options from TlsSettings, and the client
// certificate policy (exporter-toolkit's client_auth_type and client_allowed_sans) applied to each connection.
// The server always asks for a certificate when the policy needs one and leaves the verdict to this check, so
// a reload can change the CA, the allowed SANs and the policy between the four asking kinds.
import type { TLSSocket } from 'node:tls'
import type { TlsSettings } from '../config/types.js'

// Built by the config loader too (a key that does not match is refused there), so one function for both.
export { secureContextOptions } from '../config/web-tls.js'

/** Whether the server asks clients for a certificate at all: fixed for the life of the server. */
export const requestsClientCert = (tls: TlsSettings): boolean => tls.clientAuth !== 'NoClientCert'

/** Why a connection is refused under the policy, or undefined when it may proceed. */
export function refusal (socket: Pick<TLSSocket, 'authorized' | 'authorizationError' | 'getPeerCertificate'>, tls: TlsSettings): string | undefined {
  const peer = socket.getPeerCertificate()
  // Node answers {} (not null) when the client sent no certificate.
  const presented = Object.keys(peer).length > 0
  const verified = presented && socket.authorized
  switch (tls.clientAuth) {
    case 'NoClientCert':
    case 'RequestClientCert':
      return undefined
    case 'RequireAnyClientCert':
      if (!presented) return 'no client certificate'
      break
    case 'VerifyClientCertIfGiven':
      if (presented && !verified) return `client certificate not verified (${String(socket.authorizationError)})`
      return undefined
    case 'RequireAndVerifyClientCert':
      if (!presented) return 'no client certificate'
      if (!verified) return `client certificate not verified (${String(socket.authorizationError)})`
      break
  }
  const allowed = tls.clientAllowedSans
  if (allowed === undefined) return undefined
  return subjectAltNames(peer.subjectaltname).some((san) => allowed.includes(san)) ? undefined : 'no allowed Subject Alternative Name'
}

/** The values of a certificate's subjectaltname ("DNS:a, IP Address:1.2.3.4, URI:x, email:y"). */
function subjectAltNames (text: string | undefined): string[] {
  return (text ?? '').split(', ').map((entry) => entry.slice(entry.indexOf(':') + 1)).filter((value) => value !== '')
}
