// One GET over TLS, verified against the given certificates: by default over a new connection (no
// keep-alive), so every request makes a handshake and sees the certificate serving now; or through an
// agent that keeps its connection open, to see that a reload leaves an open connection alone.
import { request, type Agent } from 'node:https'
import { TLSSocket } from 'node:tls'

export interface TlsAnswer {
  status: number
  body: string
  /** The server certificate's SHA-256 fingerprint, as X509Certificate.fingerprint256 writes it. */
  fingerprint: string
  /** The request went over a connection the agent had kept open. */
  reused: boolean
}

export interface TlsGetOptions {
  path?: string
  /** A keep-alive agent (its own `ca` then applies); default: a new connection, closed after the answer. */
  agent?: Agent
  timeoutMs?: number
}

export async function getOverTls (port: number, trusted: string[], options: TlsGetOptions = {}): Promise<TlsAnswer> {
  const { path = '/metrics', agent, timeoutMs = 5000 } = options
  return await new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: agent ?? false, ca: trusted, timeout: timeoutMs }, (res) => {
      const fingerprint = res.socket instanceof TLSSocket ? res.socket.getPeerCertificate().fingerprint256 : 'not a TLS socket'
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => { body += chunk })
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, body, fingerprint, reused: req.reusedSocket }) })
      res.on('error', reject)
    })
    req.on('timeout', () => { req.destroy(new Error(`no answer from ${path} within ${timeoutMs} ms`)) })
    req.on('error', reject)
    req.end()
  })
}
