import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import type { Got } from 'got'
import type { Logger } from 'pino'
import type { Registry } from 'prom-client'
import { createBalanceClient } from './client/balance-client.js'
import type { Config } from './config/types.js'
import { registerAuth } from './http/auth.js'
import { registerRoutes } from './http/routes.js'
import { BODY_LIMIT_BYTES, DEFAULT_HTTP_LIMITS, registerErrorHandler, serverFactory, type HttpLimits } from './http/server-factory.js'
import { createMetrics } from './metrics/create-metrics.js'
import type { BuildInfo } from './metrics/exporter-metrics.js'
import { createPoller } from './poller/poller.js'
import { timerScheduler, type Scheduler } from './poller/scheduler.js'
import { AccountStates } from './state/account-states.js'
import { VERSION } from './version.js'

export interface AppOptions {
  config: Config
  logger: Logger
  /** Unix time in milliseconds. */
  now?: () => number
  /** The registry of the exporter's prom-client families (build info); a test passes one with a failing metric. */
  registry?: Registry
  /** The got instance the API client extends. */
  http?: Got
  scheduler?: Scheduler
  buildInfo?: BuildInfo
  /** First retry delay of the API client (tests shorten it). */
  retryBaseDelayMs?: number
  /** Timeouts for slow or idle HTTP clients (tests shorten them). */
  httpLimits?: HttpLimits
}

/**
 * Wires config → signed client → poller → per-account state → metrics → HTTP, and never listens.
 * Polling starts when the app is ready and stops (aborting requests in flight) when it closes.
 */
export function buildApp (options: AppOptions): FastifyInstance {
  const { config, logger, now = Date.now, scheduler = timerScheduler } = options
  const buildInfo = options.buildInfo ?? { version: VERSION, nodejsVersion: process.version }

  const states = new AccountStates(config.accounts)
  const renderer = createMetrics({
    states,
    now,
    maxStalenessMs: config.maxStalenessSeconds * 1000,
    buildInfo,
    shard: config.shard,
    processMetrics: config.processMetrics,
    ...(options.registry !== undefined && { registry: options.registry }),
  })

  const client = createBalanceClient({
    now,
    requestTimeoutMs: config.requestTimeoutSeconds * 1000,
    userAgent: `laaffic-exporter/${buildInfo.version}`,
    ...(options.http !== undefined && { http: options.http }),
    ...(options.retryBaseDelayMs !== undefined && { retryBaseDelayMs: options.retryBaseDelayMs }),
  })
  const poller = createPoller({
    accounts: config.accounts, client, states, logger, now, scheduler, intervalMs: config.pollIntervalSeconds * 1000,
  })

  // Typed as fastify's logger interface (a pino Logger is one), so the app is a plain FastifyInstance.
  const loggerInstance: FastifyBaseLogger = logger
  const app = Fastify({
    loggerInstance,
    // Per-request lines would log every scrape; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    // request.log is the app's logger itself: a pino child per request (with its request id) cost about a
    // tenth of a scrape's CPU, for the rare line a request logs (an error, a refused login), which names its path.
    childLoggerFactory: (logger) => logger,
    serverFactory: serverFactory(config.web.tls, options.httpLimits ?? DEFAULT_HTTP_LIMITS),
    bodyLimit: BODY_LIMIT_BYTES,
    // X-Forwarded-For and friends are not believed: nothing here depends on the client's address anyway.
    trustProxy: false,
  })
  registerErrorHandler(app)
  if (config.web.auth !== undefined) registerAuth(app, config.web.auth)
  registerRoutes(app, { renderer, states, version: buildInfo.version })
  app.addHook('onReady', (done) => { poller.start(); done() })
  app.addHook('preClose', async () => { await poller.stop() })
  return app
}
