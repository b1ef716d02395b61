// `laaffic-exporter --healthcheck`: the container's HEALTHCHECK (distroless has no curl). It reads where the
// exporter listens and its web configuration as the exporter does (the same environment, flags included; not
// the accounts, see loadListenConfig) and asks the exporter's own address for /healthz: over HTTPS when TLS
// is on, whether from TLS_CERT_FILE or WEB_CONFIG_FILE. /healthz needs no credentials, so basic auth and
// bearer tokens do not matter. The server's certificate is checked by pinning: it must be the configured
// certificate (a loopback address matches no name in it, and the configured certificate is what proves the
// answer comes from this exporter).
import { X509Certificate } from 'node:crypto'
import { get as httpGet, type ClientRequest, type IncomingMessage } from 'node:http'
import { get as httpsGet } from 'node:https'
import { TLSSocket } from 'node:tls'
import { loadListenConfig } from '../config/load.js'
import { ConfigError, type TlsSettings } from '../config/types.js'

/** Within Docker's HEALTHCHECK --timeout (5 s), with room to start Node.js. */
const TIMEOUT_MS = 3000
const PATH = '/healthz'

/** The address to ask: the loopback when the exporter listens on every interface (0.0.0.0 or ::, dual-stack). */
const probeHost = (host: string): string => ['0.0.0.0', '::'].includes(host) ? '127.0.0.1' : host

/** Client certificates the server demands: the check presents none (docs/docker.md). */
const demandsClientCert = (tls: TlsSettings): boolean => tls.clientAuth === 'RequireAnyClientCert' || tls.clientAuth === 'RequireAndVerifyClientCert'

type Verdict = { healthy: boolean, says: string }
type ListenConfig = ReturnType<typeof loadListenConfig>

/**
 * With client certificates required, the exporter takes the connection and then ends it for want of one: a
 * reset after the handshake (TLS 1.3, once the pinned certificate was seen), during it (TLS 1.2), or a TLS
 * alert (Node's own refusal). That proves it runs and serves its TLS configuration; a stopped exporter
 * refuses the connection itself (ECONNREFUSED), a hung one lets the check time out.
 */
function refusedForCertificate (err: NodeJS.ErrnoException, tls: TlsSettings | undefined): boolean {
  if (tls === undefined || !demandsClientCert(tls)) return false
  return err.code === 'ECONNRESET' || err.code === 'EPROTO' || err.code?.startsWith('ERR_SSL_') === true
}

/** Asks /healthz once; its verdict in words. */
async function ask (config: ListenConfig): Promise<Verdict> {
  const { tls } = config.web
  const host = probeHost(config.host)
  const url = `${tls === undefined ? 'http' : 'https'}://${host.includes(':') ? `[${host}]` : host}:${config.port}${PATH}`
  const pinned = tls === undefined ? undefined : new X509Certificate(tls.cert).fingerprint256
  return await new Promise((resolve) => {
    const options = { host, port: config.port, path: PATH, agent: false, timeout: TIMEOUT_MS }
    const onAnswer = (res: IncomingMessage): void => {
      res.resume()
      resolve({ healthy: res.statusCode === 200, says: `${url} answered ${String(res.statusCode)}` })
    }
    // Pinning replaces the chain check: rejectUnauthorized is off only so that the pin can decide.
    const req: ClientRequest = tls === undefined ? httpGet(options, onAnswer) : httpsGet({ ...options, rejectUnauthorized: false }, onAnswer)
    req.on('socket', (socket) => {
      if (pinned === undefined || !(socket instanceof TLSSocket)) return
      socket.once('secureConnect', () => {
        if (socket.getPeerX509Certificate()?.fingerprint256 !== pinned) req.destroy(new Error('the server showed another certificate than the configured one'))
      })
    })
    req.on('timeout', () => { req.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)) })
    req.on('error', (err: NodeJS.ErrnoException) => {
      resolve(refusedForCertificate(err, tls)
        ? { healthy: true, says: `${url} refused a client without a certificate, as configured: the exporter is up` }
        : { healthy: false, says: `${url}: ${err.message}` })
    })
  })
}

/** Exit code of the check: 0 healthy, 1 not (Docker's meanings), with one line saying why. */
export async function healthcheck (env: NodeJS.ProcessEnv): Promise<number> {
  let config: ListenConfig
  try {
    config = loadListenConfig(env)
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    for (const problem of err.problems) process.stderr.write(`laaffic-exporter --healthcheck: config error: ${problem}\n`)
    return 1
  }
  const { healthy, says } = await ask(config)
  if (healthy) process.stdout.write(`healthy: ${says}\n`)
  else process.stderr.write(`unhealthy: ${says}\n`)
  return healthy ? 0 : 1
}
