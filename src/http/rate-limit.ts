// The web config file's rate_limit, as the exporter-toolkit applies it (web/handler.go): one token bucket
// (golang.org/x/time/rate) over every request of every client, before authentication; a request finding it
// empty gets 429. The security headers still go on that answer (an onSend hook).
import type { FastifyInstance } from 'fastify'
import type { RateLimit } from '../config/types.js'

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

/** `currentLimit()` is read per request, so a reload applies at once (with a full bucket). */
export function registerRateLimit (app: FastifyInstance, currentLimit: () => RateLimit | undefined, now: () => number = () => performance.now()): void {
  const buckets = new WeakMap<RateLimit, TokenBucket>()
  app.addHook('onRequest', async (_request, reply) => {
    const limit = currentLimit()
    if (limit === undefined) return
    let bucket = buckets.get(limit)
    if (bucket === undefined) {
      bucket = new TokenBucket(limit, now())
      buckets.set(limit, bucket)
    }
    if (bucket.take(now())) return
    return reply.code(429).type('text/plain; charset=utf-8').send('Too Many Requests\n')
  })
}
