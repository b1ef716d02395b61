// The TLS names of the exporter-toolkit web configuration file are Go's (crypto/tls); Node speaks OpenSSL's.
// The toolkit accepts exactly the names below (web/tls_config.go: tls.CipherSuites(), its curve and version
// maps, its client_auth_type switch); anything else is refused, as it refuses it. A name it accepts that this
// Node.js cannot honour is a configuration error naming it, never silently dropped.
import { getCiphers } from 'node:tls'

/** Go's tls.CipherSuites() (the toolkit refuses the InsecureCipherSuites() names) and OpenSSL's name for each. */
const CIPHER_SUITES: Readonly<Record<string, string>> = {
  TLS_RSA_WITH_AES_128_CBC_SHA: 'AES128-SHA',
  TLS_RSA_WITH_AES_256_CBC_SHA: 'AES256-SHA',
  TLS_RSA_WITH_AES_128_GCM_SHA256: 'AES128-GCM-SHA256',
  TLS_RSA_WITH_AES_256_GCM_SHA384: 'AES256-GCM-SHA384',
  TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA: 'ECDHE-ECDSA-AES128-SHA',
  TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA: 'ECDHE-ECDSA-AES256-SHA',
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA: 'ECDHE-RSA-AES128-SHA',
  TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA: 'ECDHE-RSA-AES256-SHA',
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: 'ECDHE-RSA-AES128-GCM-SHA256',
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: 'ECDHE-ECDSA-AES128-GCM-SHA256',
  TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: 'ECDHE-RSA-AES256-GCM-SHA384',
  TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: 'ECDHE-ECDSA-AES256-GCM-SHA384',
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-RSA-CHACHA20-POLY1305',
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-ECDSA-CHACHA20-POLY1305',
}
/** TLS 1.3 suites: Go accepts the names and ignores them (its 1.3 suites are not configurable); so does this exporter. */
const TLS13_SUITES = new Set(['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'])
/** With cipher_suites set below TLS 1.3 and http2 on, Go's HTTP server refuses to start without one of these. */
export const HTTP2_REQUIRED_SUITES = ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256']

/** Go's curve names (the toolkit's curve map) and the names Node's ecdhCurve option takes. */
const CURVES: Readonly<Record<string, string>> = {
  CurveP256: 'P-256',
  CurveP384: 'P-384',
  CurveP521: 'P-521',
  X25519: 'X25519',
  X25519MLKEM768: 'X25519MLKEM768',
}

export type TlsVersion = 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3'
/** Go's TLS version names (the toolkit's map) and Node's; in order, so versions compare by index. */
const VERSIONS: Readonly<Record<string, TlsVersion>> = { TLS10: 'TLSv1', TLS11: 'TLSv1.1', TLS12: 'TLSv1.2', TLS13: 'TLSv1.3' }
export const versionRank = (version: TlsVersion): number => Object.values(VERSIONS).indexOf(version)

const supportedCiphers = new Set(getCiphers())

/** OpenSSL's name of a Go cipher suite name ('' for a TLS 1.3 suite: ignored), or why it cannot be used. */
export function cipherSuite (goName: string): { openssl: string } | { problem: string } {
  if (TLS13_SUITES.has(goName)) return { openssl: '' }
  const openssl = CIPHER_SUITES[goName]
  if (openssl === undefined) return { problem: 'is not a cipher suite the exporter-toolkit accepts (Go\'s tls.CipherSuites())' }
  if (!supportedCiphers.has(openssl.toLowerCase())) return { problem: `(${openssl}) is not offered by this Node.js (OpenSSL ${process.versions.openssl})` }
  return { openssl }
}

/** Node's name of a Go curve name, or undefined for a name the toolkit does not accept. */
export function curveName (goName: string): string | undefined {
  return CURVES[goName]
}

/** Node's name of a Go TLS version name (TLS10 … TLS13), or undefined. */
export function tlsVersion (goName: string): TlsVersion | undefined {
  return VERSIONS[goName]
}

export const CLIENT_AUTH_TYPES = ['NoClientCert', 'RequestClientCert', 'RequireAnyClientCert', 'VerifyClientCertIfGiven', 'RequireAndVerifyClientCert'] as const
/** How the HTTPS server treats client certificates (the exporter-toolkit's client_auth_type, Go's names). */
export type ClientAuthType = typeof CLIENT_AUTH_TYPES[number]

/** The policy a client_auth_type names: "" is NoClientCert and RequireClientCert is kept by the toolkit for old files. */
export function clientAuthType (goName: string): ClientAuthType | undefined {
  if (goName === '') return 'NoClientCert'
  if (goName === 'RequireClientCert') return 'RequireAnyClientCert'
  return CLIENT_AUTH_TYPES.find((name) => name === goName)
}
