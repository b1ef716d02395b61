import type { FastifyInstance } from 'fastify'

/** The web config file's http_server_config.headers on every answer; read per answer, so a reload applies at once. */
export function registerSecurityHeaders (app: FastifyInstance, currentHeaders: () => Record<string, string> | undefined): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    const headers = currentHeaders()
    if (headers !== undefined) for (const name in headers) void reply.header(name, headers[name])
    return payload
  })
}
