// Server certificates made at test time with openssl (self-signed, for 127.0.0.1), for tests that renew one:
// each a pair of PEM texts and the fingerprint a client sees in getPeerCertificate().fingerprint256.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { X509Certificate } from 'node:crypto'

export interface CertificatePair {
  cert: string
  key: string
  fingerprint: string
}

const KEY_OPTIONS = { ec: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'], rsa: ['-newkey', 'rsa:2048'] }

/** Self-signed certificates for IP 127.0.0.1 with keys of the given kinds, made in `dir` (one openssl run each). */
export function makeCertificates (dir: string, kinds: Array<keyof typeof KEY_OPTIONS>): CertificatePair[] {
  return kinds.map((kind, index) => {
    const [cert, key] = [join(dir, `made-${index}.crt`), join(dir, `made-${index}.key`)]
    execFileSync('openssl', [
      'req', '-x509', ...KEY_OPTIONS[kind], '-nodes', '-days', '2',
      '-subj', `/CN=laaffic renewal test ${index}`, '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert,
    ], { stdio: ['ignore', 'ignore', 'pipe'] })
    const pem = readFileSync(cert, 'utf8')
    return { cert: pem, key: readFileSync(key, 'utf8'), fingerprint: new X509Certificate(pem).fingerprint256 }
  })
}
