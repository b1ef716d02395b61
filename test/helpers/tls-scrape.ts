// One GET over a new TLS connection (no keep-alive, so every request makes a handshake and sees the
// certificate serving now), verified against the given certificates.
import { request } from 'node:https'
import { TLSSocket } from 'node:tls'

export interface TlsAnswer {
  status: number
  body: string
  /** The server certificate's SHA-256 fingerprint, as X509Certificate.fingerprint256 writes it. */
  fingerprint: string
}

export async function getOverTls (port: number, trusted: string[], path = '/metrics', timeoutMs = 5000): Promise<TlsAnswer> {
  return await new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, ca: trusted, timeout: timeoutMs }, (res) => {
      const fingerprint = res.socket instanceof TLSSocket ? res.socket.getPeerCertificate().fingerprint256 : 'not a TLS socket'
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => { body += chunk })
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, body, fingerprint }) })
      res.on('error', reject)
    })
    req.on('timeout', () => { req.destroy(new Error(`no answer from ${path} within ${timeoutMs} ms`)) })
    req.on('error', reject)
    req.end()
  })
}
