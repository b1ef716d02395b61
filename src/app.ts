import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import type { Got } from 'got'
import type { Logger } from 'pino'
import type { Registry } from 'prom-client'
import { createBalanceClient } from './client/balance-client.js'
import { accountChanges } from './config/account-changes.js'
import type { ReadFile } from './config/secrets.js'
import { ConfigError, type Config } from './config/types.js'
import { registerAuth } from './http/auth.js'
import { registerLifecycle } from './http/lifecycle.js'
import { registerRateLimit } from './http/rate-limit.js'
import { registerSecurityHeaders } from './http/security-headers.js'
import { registerRoutes } from './http/routes.js'
import { ServedTls } from './http/served-tls.js'
import { registerStatusRoutes } from './http/status-routes.js'
import { BODY_LIMIT_BYTES, DEFAULT_HTTP_LIMITS, registerErrorHandler, serverFactory, type HttpLimits } from './http/server-factory.js'
import { createMetrics } from './metrics/create-metrics.js'
import type { BuildInfo } from './metrics/exporter-metrics.js'
import { createPoller } from './poller/poller.js'
import { timerScheduler, type Scheduler } from './poller/scheduler.js'
import { FileWatcher, type FileWatcherOptions } from './reload/file-watcher.js'
import { Reloader, type ReloadResult, type ReloadTrigger } from './reload/reloader.js'
import { ReloadStatus } from './reload/reload-status.js'
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
  /** Reads the configuration again at a reload through `readFile` (the entry file: loadConfig of the same environment). */
  loadConfig?: (readFile: ReadFile) => Config
  /** Reload when a file the configuration names changes (undefined: no watch). */
  watchFiles?: Pick<FileWatcherOptions, 'debounceMs' | 'pollIntervalMs'>
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Reads the configuration again and applies it whole, or refuses it whole (SIGHUP, /-/reload, a file change). */
    reloadConfig: (trigger: ReloadTrigger) => Promise<ReloadResult>
  }
}

/**
 * Wires config → signed client → poller → per-account state → metrics → HTTP, and never listens.
 * Polling starts when the app is ready and stops (aborting requests in flight) when it closes.
 */
export function buildApp (options: AppOptions): FastifyInstance {
  const { config, logger, now = Date.now, scheduler = timerScheduler } = options
  const buildInfo = options.buildInfo ?? { version: VERSION, nodejsVersion: process.version }

  const states = new AccountStates(config.accounts)
  const reloadStatus = new ReloadStatus(now())
  const renderer = createMetrics({
    reloadStatus,
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
    maxInFlight: config.maxConcurrentPolls,
  })

  // Typed as fastify's logger interface (a pino Logger is one), so the app is a plain FastifyInstance.
  const loggerInstance: FastifyBaseLogger = logger
  const tls = new ServedTls(config.web.tls)
  const app = Fastify({
    loggerInstance,
    // Per-request lines would log every scrape; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    // request.log is the app's logger itself: a pino child per request (with its request id) cost about a
    // tenth of a scrape's CPU, for the rare line a request logs (an error, a refused login), which names its path.
    childLoggerFactory: (logger) => logger,
    serverFactory: serverFactory(tls, options.httpLimits ?? DEFAULT_HTTP_LIMITS),
    bodyLimit: BODY_LIMIT_BYTES,
    // X-Forwarded-For and friends are not believed: nothing here depends on the client's address anyway.
    trustProxy: false,
  })
  const watcher = options.watchFiles === undefined
    ? undefined
    : new FileWatcher({
      ...options.watchFiles,
      onChange: (files) => {
        logger.info({ files }, 'a configuration file changed: reloading')
        reload('file change')
      },
      onWatchError: (folder, err) => { logger.warn({ folder, err: { message: err.message } }, 'cannot watch a configuration folder: changes are noticed by polling') },
    })
  const watch = (files: readonly string[]): void => {
    watcher?.watch(files).catch((err: unknown) => { logger.warn({ err: { message: (err as Error).message } }, 'cannot watch the configuration files') })
  }
  const reloader = new Reloader({
    initial: config,
    load: options.loadConfig ?? (() => { throw new ConfigError(['this exporter was started without a way to read its configuration again']) }),
    status: reloadStatus,
    logger,
    now,
    onApplied: (next) => { watch(next.files) },
    // The running files and those the refused configuration named: creating the one it lacked applies it.
    onRefused: (files) => { watch([...new Set([...reloader.current.files, ...files])]) },
  })
  /** For the triggers that answer nobody (a file change, SIGHUP): a reload never rejects, and if it did it is logged. */
  const reload = (trigger: ReloadTrigger): void => {
    reloader.reload(trigger).catch((err: unknown) => { logger.error({ trigger, err: { message: (err as Error).message } }, 'configuration reload failed') })
  }
  app.decorate('reloadConfig', async (trigger: ReloadTrigger) => await reloader.reload(trigger))

  registerErrorHandler(app)
  // The parts a reload changes, each prepared before any commits. TLS first: its commit is the only one that
  // calls into Node (setSecureContext), so even if it failed, nothing else would have changed yet.
  reloader.register(tls.part)
  reloader.register(registerRateLimit(app, config.web.rateLimit))
  reloader.register(registerAuth(app, config.web.auth))
  reloader.register(registerSecurityHeaders(app, config.web.headers))
  reloader.register({
    name: 'accounts',
    prepare: (next, current) => {
      const rekeyed = accountChanges(current.accounts, next.accounts).credentialsChanged
      return () => {
        // Unchanged accounts keep their values and counters; new or re-keyed ones are polled at once, and a
        // re-keyed one's money is counted from its next poll on (another key may be another account).
        states.setAccounts(next.accounts)
        states.newMoneyBaseline(rekeyed)
        poller.setAccounts(next.accounts)
      }
    },
  })
  registerRoutes(app, { renderer, states, telemetryPath: config.telemetryPath })
  // The staleness limit, the poll interval and the telemetry path come from the environment: a reload cannot change them.
  registerStatusRoutes(app, {
    states, now, maxStalenessMs: config.maxStalenessSeconds * 1000, pollIntervalSeconds: config.pollIntervalSeconds, version: buildInfo.version,
    telemetryPath: config.telemetryPath,
    refusedReload: () => reloadStatus.successful ? undefined : reloadStatus.lastRefusal,
  })
  if (config.lifecycle) registerLifecycle(app, reloader)
  app.addHook('onReady', async () => {
    poller.start()
    // Awaited: what the files read at start is the reference a change is measured against.
    await watcher?.watch(config.files)
  })
  app.addHook('preClose', async () => {
    watcher?.close()
    await poller.stop()
  })
  return app
}
