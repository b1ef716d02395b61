import type { FastifyInstance } from 'fastify'
import type { Reloader } from '../reload/reloader.js'

/**
 * POST (or PUT) /-/reload, as Prometheus serves it with --web.enable-lifecycle: the configuration is read
 * again; 200 when it was applied, 500 with the problems (which never hold a secret) when it was refused.
 */
export function registerLifecycle (app: FastifyInstance, reloader: Reloader): void {
  const reload = async (_request: unknown, reply: import('fastify').FastifyReply): Promise<unknown> => {
    const result = await reloader.reload('HTTP')
    const text = result.ok ? 'OK\n' : `failed to reload config:\n${result.problems.join('\n')}\n`
    return await reply.code(result.ok ? 200 : 500).type('text/plain; charset=utf-8').send(text)
  }
  app.post('/-/reload', reload)
  app.put('/-/reload', reload)
  app.get('/-/reload', async (_request, reply) =>
    await reply.code(405).header('Allow', 'POST, PUT').type('text/plain; charset=utf-8').send('Only POST or PUT requests allowed\n'))
}
