import type { FastifyInstance } from 'fastify'
import type { MetricsRenderer } from '../metrics/renderer.js'
import type { AccountStates } from '../state/account-states.js'
import { acceptsGzip } from './encoding.js'

export interface RoutesOptions {
  renderer: MetricsRenderer
  states: AccountStates
  /** Where the metrics are served (WEB_TELEMETRY_PATH). */
  telemetryPath: string
}

/** The liveness paths (ours and Prometheus') and the readiness ones: probes reach them without credentials. */
export const LIVENESS_PATHS = ['/healthz', '/-/healthy'] as const
export const READINESS_PATHS = ['/readyz', '/-/ready'] as const

/** The exporter's HTTP surface. Every route answers from memory: none waits for the Laaffic API. */
export function registerRoutes (app: FastifyInstance, { renderer, states, telemetryPath }: RoutesOptions): void {
  app.get(telemetryPath, async (request, reply) => {
    // Prometheus always asks for gzip: ~1 MB of text at 1,000 accounts goes as ~60 KB.
    // The body first: an error on the way must not leave a gzip header on the error answer.
    const gzip = acceptsGzip(request)
    const body = gzip ? await renderer.renderGzip() : await renderer.render()
    void reply.type(renderer.contentType).header('vary', 'Accept-Encoding')
    if (Buffer.isBuffer(body)) return reply.header('content-encoding', 'gzip').send(body)
    // Set here: fastify counts a Buffer's bytes itself, not those of the stream a large body goes out as.
    return reply.header('content-length', body.byteLength).send(body.payload())
  })

  for (const path of LIVENESS_PATHS) app.get(path, async (_request, reply) => reply.type('text/plain; charset=utf-8').send('ok\n'))

  // Ready once every account has an answer (good or bad), so a rollout does not pass before the first poll.
  for (const path of READINESS_PATHS) {
    app.get(path, async (_request, reply) => {
      const pending = states.all().filter((state) => state.up === undefined).map((state) => state.name)
      return pending.length === 0
        ? reply.type('text/plain; charset=utf-8').send('ready\n')
        : reply.code(503).type('text/plain; charset=utf-8').send(`waiting for the first poll of: ${pending.join(', ')}\n`)
    })
  }
}
