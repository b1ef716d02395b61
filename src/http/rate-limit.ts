// The web config file's rate_limit, as the exporter-toolkit applies it (web/handler.go): one token bucket
// (golang.org/x/time/rate) over every request of every client, before authentication; a request finding it
// empty gets 429. The security headers still go on that answer (an onSend hook).
import type { FastifyInstance } from 'fastify'
import type { RateLimit } from '../config/types.js'
import type { ReloadablePart } from '../reload/reloadable.js'

/** `burst` tokens at most, refilled at one per intervalMs; starts full, as rate.NewLimiter does. */
export class TokenBucket {
  private tokens: number
  private last: number

  constructor (private readonly limit: RateLimit, now: number) {
    this.tokens = limit.burst
    this.last = now
  }

  take (now: number): boolean {
    this.tokens = Math.min(this.limit.burst, this.tokens + (now - this.last) / this.limit.intervalMs)
    this.last = now
    if (this.tokens < 1) return false
    this.tokens -= 1
    return true
  }
}

/** Returns the part a reload commits: a new limit applies from the next request, with a full bucket. */
export function registerRateLimit (app: FastifyInstance, initial: RateLimit | undefined, now: () => number = () => performance.now()): ReloadablePart {
  let current = initial
  let bucket = initial === undefined ? undefined : new TokenBucket(initial, now())
  app.addHook('onRequest', async (_request, reply) => {
    if (bucket === undefined || bucket.take(now())) return
    return reply.code(429).type('text/plain; charset=utf-8').send('Too Many Requests\n')
  })
  return {
    name: 'rate limit',
    prepare: (next) => {
      const limit = next.web.rateLimit
      // The same limit keeps its bucket (and what it has used); another starts full, as rate.NewLimiter does.
      if (JSON.stringify(limit) === JSON.stringify(current)) return () => {}
      return () => {
        current = limit
        bucket = limit === undefined ? undefined : new TokenBucket(limit, now())
      }
    },
  }
}
