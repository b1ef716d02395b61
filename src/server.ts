// Running the exporter (src/cli.ts calls main): the only file that reads process.env, listens and handles signals.
import { buildApp } from './app.js'
import { describeConfig } from './config/describe.js'
import { loadConfig } from './config/load.js'
import { ConfigError, type Config } from './config/types.js'
import { listenProblem } from './http/listen-problem.js'
import { createLogger, logDestination } from './logger.js'
import { VERSION } from './version.js'

/** SIGTERM must end the process within 2 s (Kubernetes, Docker and systemd wait no longer by habit). */
const SHUTDOWN_DEADLINE_MS = 1500
/**
 * Reload within a quarter of a second of a file change (events of one write coalesce), and read the files
 * every 10 s in case the file system sends no events (some network and overlay file systems).
 */
const WATCH = { debounceMs: 250, pollIntervalMs: 10_000 }

function readConfig (): Config {
  try {
    return loadConfig(process.env)
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    for (const problem of err.problems) process.stderr.write(`laaffic-exporter: config error: ${problem}\n`)
    process.exit(1)
  }
}

export async function main (): Promise<void> {
  const config = readConfig()
  const logger = createLogger(config.logLevel, logDestination(config.logFormat))
  logger.info({ version: VERSION, config: describeConfig(config) }, 'starting laaffic-exporter')
  if (config.accounts.length === 0) {
    logger.warn({ shard: config.shard }, 'no account hashes to this shard: it exports none (more shards than accounts?)')
  }
  // A reload reads the same environment (it cannot change while the process runs) and the files again.
  const app = buildApp({ config, logger, loadConfig: (readFile) => loadConfig(process.env, readFile), watchFiles: WATCH })

  let stopping = false
  const shutdown = (signal: string): void => {
    if (stopping) return
    stopping = true
    logger.info({ signal }, 'shutting down')
    setTimeout(() => {
      logger.warn('shutdown took too long; exiting anyway')
      process.exit(0)
    }, SHUTDOWN_DEADLINE_MS).unref()
    app.close().then(() => { process.exit(0) }, (err: unknown) => {
      logger.error({ err: { message: (err as Error).message } }, 'error while closing')
      process.exit(0)
    })
  }
  process.once('SIGTERM', () => { shutdown('SIGTERM') })
  process.once('SIGINT', () => { shutdown('SIGINT') })
  process.on('SIGHUP', () => {
    // A reload refuses rather than throws; should it ever reject, that is logged, never fatal.
    app.reloadConfig('SIGHUP').catch((err: unknown) => { logger.error({ err: { message: (err as Error).message } }, 'configuration reload failed') })
  })

  // fastify names the address http:// whatever the server it was given speaks.
  const scheme = config.web.tls === undefined ? 'http' : 'https'
  try {
    await app.listen({ host: config.host, port: config.port, listenTextResolver: (address) => `Server listening at ${address.replace(/^https?:/, `${scheme}:`)}` })
  } catch (err) {
    logger.fatal({ err: { code: (err as NodeJS.ErrnoException).code, message: (err as Error).message }, host: config.host, port: config.port }, `cannot listen: ${listenProblem(err, config.host, config.port)}`)
    process.exit(1)
  }
}

