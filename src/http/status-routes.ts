import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { promisify } from 'node:util'
import { gzip as gzipCallback } from 'node:zlib'
import type { AccountStates } from '../state/account-states.js'
import { statusReport } from './account-view.js'
import { accountsJson } from './accounts-json.js'
import { acceptsGzip } from './encoding.js'
import { renderStatusPage, type ReloadRefusal } from './status-page.js'
import { STYLE_HASH } from './status-page-style.js'

export interface StatusRoutesOptions {
  states: AccountStates
  /** Unix time in milliseconds. */
  now: () => number
  /** LAAFFIC_MAX_STALENESS in ms (0: never stale), the same rule /metrics drops values by. */
  maxStalenessMs: number
  pollIntervalSeconds: number
  version: string
  /** The latest refused reload while the latest attempt was refused, else undefined (ReloadStatus). */
  refusedReload?: () => ReloadRefusal | undefined
  /** Where the metrics are served (WEB_TELEMETRY_PATH): the page links there. */
  telemetryPath: string
}

/**
 * The page runs no script and loads nothing: its policy allows its own inline style sheet (by hash) and
 * nothing else, and no site may frame it. The web config's http_server_config.headers replace these
 * (registerSecurityHeaders sets them when the answer is sent, after the route).
 */
export const PAGE_HEADERS = {
  'content-security-policy': `default-src 'none'; style-src ${STYLE_HASH}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  'x-content-type-options': 'nosniff',
}
const JSON_HEADERS = { 'content-security-policy': 'default-src \'none\'; frame-ancestors \'none\'', 'x-content-type-options': 'nosniff' }

const gzip = promisify(gzipCallback)

/**
 * The body gzip-compressed when the client asks (browsers do): at 10,000 accounts the page is 6 MB of HTML and
 * goes as 53 KB, compressed in about 30 ms on libuv's thread pool, not on the event loop /metrics answers on.
 */
async function sendCompressible (request: FastifyRequest, reply: FastifyReply, type: string, body: string, headers: Record<string, string>): Promise<FastifyReply> {
  void reply.headers(headers).header('cache-control', 'no-store').header('vary', 'Accept-Encoding').type(type)
  if (!acceptsGzip(request)) return reply.send(body)
  const zipped = await gzip(body)
  return reply.header('content-encoding', 'gzip').send(zipped)
}

/** The page reloads at the poll interval, kept between these so it neither flickers nor lags. */
export const REFRESH_SECONDS = { min: 10, max: 60 }

/**
 * The status page at `/` and its JSON at /api/v1/accounts, read from the account states /metrics reads
 * (nothing is cached: ages move with the clock, and 1,000 accounts render in milliseconds). Behind the
 * same authentication as /metrics (registerAuth covers every route but the probes').
 */
export function registerStatusRoutes (app: FastifyInstance, options: StatusRoutesOptions): void {
  const { states, now, maxStalenessMs, pollIntervalSeconds, version, telemetryPath, refusedReload = () => undefined } = options
  const refreshSeconds = Math.min(REFRESH_SECONDS.max, Math.max(REFRESH_SECONDS.min, Math.round(pollIntervalSeconds)))
  const report = () => statusReport(states.all(), now(), maxStalenessMs)

  app.get('/', async (request, reply) => {
    const page = renderStatusPage(report(), { version, refreshSeconds, telemetryPath, refusedReload: refusedReload() })
    return sendCompressible(request, reply, 'text/html; charset=utf-8', page, PAGE_HEADERS)
  })

  app.get('/api/v1/accounts', async (request, reply) =>
    sendCompressible(request, reply, 'application/json; charset=utf-8', JSON.stringify(accountsJson(report(), version, refusedReload())), JSON_HEADERS))
}
