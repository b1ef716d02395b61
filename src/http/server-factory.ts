import { createServer as createHttpServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { TLSSocket } from 'node:tls'
import type { FastifyInstance } from 'fastify'
import type { TlsSettings } from '../config/types.js'
import { refusal, requestsClientCert, secureContextOptions } from './tls-policy.js'

/** How long the server waits for a slow or idle client before cutting it off. */
export interface HttpLimits {
  /** The whole request (headers and body) must arrive within this. */
  requestTimeoutMs: number
  /** A connection that sends nothing for this long is closed. */
  idleTimeoutMs: number
  /** An idle keep-alive connection between two scrapes is kept this long. */
  keepAliveTimeoutMs: number
  /** How often Node looks for requests past requestTimeoutMs (its default, 30 s, would let them linger). */
  checkIntervalMs: number
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  requestTimeoutMs: 10_000,
  idleTimeoutMs: 30_000,
  keepAliveTimeoutMs: 20_000,
  checkIntervalMs: 1000,
}

/** A request body is never needed: every route is a GET. */
export const BODY_LIMIT_BYTES = 1024

type Handler = (req: IncomingMessage, res: ServerResponse) => void

/**
 * The Node server under fastify: plain HTTP, or HTTPS when a certificate is configured, with the limits above
 * set on it. `currentTls` is read at every connection (the client-certificate policy follows a reload);
 * a new certificate reaches the server through setSecureContext.
 */
export function serverFactory (tls: TlsSettings | undefined, limits: HttpLimits, currentTls: () => TlsSettings | undefined = () => tls) {
  return (handler: Handler): Server => {
    const options = {
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: limits.checkIntervalMs,
    }
    let server: Server
    if (tls === undefined) {
      server = createHttpServer(options, handler)
    } else {
      const https = createHttpsServer({ ...options, ...secureContextOptions(tls), requestCert: requestsClientCert(tls), rejectUnauthorized: false }, handler)
      https.on('secureConnection', (socket: TLSSocket) => {
        const settings = currentTls()
        const why = settings === undefined ? undefined : refusal(socket, settings)
        if (why !== undefined) socket.destroy()
      })
      server = https
    }
    server.setTimeout(limits.idleTimeoutMs, (socket) => { socket.destroy() })
    return server
  }
}

/** Error answers carry a status and a generic text: no stack, no internals (those go to the log). */
export function registerErrorHandler (app: FastifyInstance): void {
  app.setErrorHandler((error: { statusCode?: number, message: string }, request, reply) => {
    const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500
    if (status >= 500) request.log.error({ err: { message: error.message }, path: request.url }, 'request failed')
    return reply.code(status).type('text/plain; charset=utf-8').send(`${STATUS_CODES[status] ?? 'Error'}\n`)
  })
}
