import type { FastifyInstance } from 'fastify'
import type { ReloadablePart } from '../reload/reloadable.js'

/**
 * The web config file's http_server_config.headers on every answer. Returns the part a reload commits: the
 * new headers apply from the next answer.
 */
export function registerSecurityHeaders (app: FastifyInstance, initial: Record<string, string> | undefined): ReloadablePart {
  let headers = initial
  app.addHook('onSend', async (_request, reply, payload) => {
    const current = headers
    if (current !== undefined) for (const name in current) void reply.header(name, current[name])
    return payload
  })
  return {
    name: 'headers',
    prepare: (next) => {
      const prepared = next.web.headers
      return () => { headers = prepared }
    },
  }
}
