// The TLS names of the exporter-toolkit web configuration file are Go's (crypto/tls); Node speaks OpenSSL's.
// A name Go knows but this Node.js cannot honour (RC4, 3DES, a curve its OpenSSL lacks) is a configuration
// error, never silently dropped.
import { getCiphers } from 'node:tls'

/** Go's cipher suite names (tls.CipherSuites() and tls.InsecureCipherSuites()) and OpenSSL's for the same suite. */
const CIPHER_SUITES: Readonly<Record<string, string>> = {
  // TLS 1.0–1.2
  TLS_RSA_WITH_RC4_128_SHA: 'RC4-SHA',
  TLS_RSA_WITH_3DES_EDE_CBC_SHA: 'DES-CBC3-SHA',
  TLS_RSA_WITH_AES_128_CBC_SHA: 'AES128-SHA',
  TLS_RSA_WITH_AES_256_CBC_SHA: 'AES256-SHA',
  TLS_RSA_WITH_AES_128_CBC_SHA256: 'AES128-SHA256',
  TLS_RSA_WITH_AES_128_GCM_SHA256: 'AES128-GCM-SHA256',
  TLS_RSA_WITH_AES_256_GCM_SHA384: 'AES256-GCM-SHA384',
  TLS_ECDHE_ECDSA_WITH_RC4_128_SHA: 'ECDHE-ECDSA-RC4-SHA',
  TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA: 'ECDHE-ECDSA-AES128-SHA',
  TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA: 'ECDHE-ECDSA-AES256-SHA',
  TLS_ECDHE_RSA_WITH_RC4_128_SHA: 'ECDHE-RSA-RC4-SHA',
  TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA: 'ECDHE-RSA-DES-CBC3-SHA',
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA: 'ECDHE-RSA-AES128-SHA',
  TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA: 'ECDHE-RSA-AES256-SHA',
  TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256: 'ECDHE-ECDSA-AES128-SHA256',
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256: 'ECDHE-RSA-AES128-SHA256',
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: 'ECDHE-RSA-AES128-GCM-SHA256',
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: 'ECDHE-ECDSA-AES128-GCM-SHA256',
  TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: 'ECDHE-RSA-AES256-GCM-SHA384',
  TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: 'ECDHE-ECDSA-AES256-GCM-SHA384',
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-RSA-CHACHA20-POLY1305',
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-ECDSA-CHACHA20-POLY1305',
  // Go's older spellings of the two above.
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305: 'ECDHE-RSA-CHACHA20-POLY1305',
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305: 'ECDHE-ECDSA-CHACHA20-POLY1305',
  // TLS 1.3: Go ignores these in cipher_suites (its 1.3 suites are fixed); Node honours them.
  TLS_AES_128_GCM_SHA256: 'TLS_AES_128_GCM_SHA256',
  TLS_AES_256_GCM_SHA384: 'TLS_AES_256_GCM_SHA384',
  TLS_CHACHA20_POLY1305_SHA256: 'TLS_CHACHA20_POLY1305_SHA256',
}

/** Go's curve names (tls.CurveID) and the names Node's ecdhCurve option takes. */
const CURVES: Readonly<Record<string, string>> = {
  CurveP256: 'P-256',
  CurveP384: 'P-384',
  CurveP521: 'P-521',
  X25519: 'X25519',
  X25519MLKEM768: 'X25519MLKEM768',
}

/** Go's TLS version names; 1.0 and 1.1 are refused (insecure, and off in Node's OpenSSL). */
const VERSIONS: Readonly<Record<string, 'TLSv1.2' | 'TLSv1.3'>> = { TLS12: 'TLSv1.2', TLS13: 'TLSv1.3' }

const supportedCiphers = new Set(getCiphers())

/** The OpenSSL name of a Go cipher suite name, or why it cannot be used. */
export function cipherSuite (goName: string): { openssl: string } | { problem: string } {
  const openssl = CIPHER_SUITES[goName]
  if (openssl === undefined) return { problem: 'is not a cipher suite name of Go\'s crypto/tls' }
  if (!supportedCiphers.has(openssl.toLowerCase())) return { problem: `(${openssl}) is not offered by this Node.js (OpenSSL ${process.versions.openssl})` }
  return { openssl }
}

/** Node's name of a Go curve name, or undefined for a name Go does not have. */
export function curveName (goName: string): string | undefined {
  return CURVES[goName]
}

/** Node's name of a Go TLS version name (TLS12, TLS13), or undefined. */
export function tlsVersion (goName: string): 'TLSv1.2' | 'TLSv1.3' | undefined {
  return VERSIONS[goName]
}

export const CLIENT_AUTH_TYPES = ['NoClientCert', 'RequestClientCert', 'RequireAnyClientCert', 'VerifyClientCertIfGiven', 'RequireAndVerifyClientCert'] as const
export type ClientAuthType = typeof CLIENT_AUTH_TYPES[number]
