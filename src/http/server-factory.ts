import { createServer as createHttpServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { TLSSocket } from 'node:tls'
import type { FastifyInstance } from 'fastify'
import type { ServedTls } from './served-tls.js'
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
 * set on it. The TLS settings are read at every connection (the client-certificate policy follows a reload);
 * a new certificate reaches the server through `tls`, which a reload commits.
 */
export function serverFactory (tls: ServedTls, limits: HttpLimits) {
  return (handler: Handler): Server => {
    const settings = tls.current
    const options = {
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: limits.checkIntervalMs,
    }
    let server: Server
    if (settings === undefined) {
      server = createHttpServer(options, handler)
    } else {
      const https = createHttpsServer({ ...options, ...secureContextOptions(settings), requestCert: requestsClientCert(settings), rejectUnauthorized: false }, handler)
      https.on('secureConnection', (socket: TLSSocket) => {
        const current = tls.current
        const why = current === undefined ? undefined : refusal(socket, current)
        if (why !== undefined) socket.destroy()
      })
      tls.serve(https)
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
