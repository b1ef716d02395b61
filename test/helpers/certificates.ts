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

/** `count` self-signed P-256 certificates for IP 127.0.0.1, made in `dir` (one openssl run each, about 20 ms). */
export function makeCertificates (dir: string, count: number): CertificatePair[] {
  return Array.from({ length: count }, (_, index) => {
    const [cert, key] = [join(dir, `made-${index}.crt`), join(dir, `made-${index}.key`)]
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2',
      '-subj', `/CN=laaffic renewal test ${index}`, '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert,
    ], { stdio: ['ignore', 'ignore', 'pipe'] })
    const pem = readFileSync(cert, 'utf8')
    return { cert: pem, key: readFileSync(key, 'utf8'), fingerprint: new X509Certificate(pem).fingerprint256 }
  })
}
