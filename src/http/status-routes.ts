import type { FastifyInstance } from 'fastify'
import type { AccountStates } from '../state/account-states.js'
import { statusReport } from './account-view.js'
import { accountsJson } from './accounts-json.js'
import { renderStatusPage } from './status-page.js'

export interface StatusRoutesOptions {
  states: AccountStates
  /** Unix time in milliseconds. */
  now: () => number
  /** LAAFFIC_MAX_STALENESS in ms (0: never stale), the same rule /metrics drops values by. */
  maxStalenessMs: number
  pollIntervalSeconds: number
  version: string
}

/** The page reloads at the poll interval, kept between these so it neither flickers nor lags. */
export const REFRESH_SECONDS = { min: 10, max: 60 }

/**
 * The status page at `/` and its JSON at /api/v1/accounts, read from the account states /metrics reads
 * (nothing is cached: ages move with the clock, and 1,000 accounts render in milliseconds). Behind the
 * same authentication as /metrics (registerAuth covers every route but /healthz and /readyz).
 */
export function registerStatusRoutes (app: FastifyInstance, options: StatusRoutesOptions): void {
  const { states, now, maxStalenessMs, pollIntervalSeconds, version } = options
  const refreshSeconds = Math.min(REFRESH_SECONDS.max, Math.max(REFRESH_SECONDS.min, Math.round(pollIntervalSeconds)))
  const report = () => statusReport(states.all(), now(), maxStalenessMs)

  app.get('/', async (_request, reply) => reply
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(renderStatusPage(report(), { version, refreshSeconds })))

  app.get('/api/v1/accounts', async (_request, reply) => reply
    .header('cache-control', 'no-store')
    .type('application/json; charset=utf-8')
    .send(JSON.stringify(accountsJson(report(), version))))
}
