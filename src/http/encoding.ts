import { negotiate } from '@fastify/accept-negotiator'
import type { FastifyRequest } from 'fastify'

const ENCODINGS = ['gzip', 'identity']

/**
 * Whether the client asked for gzip (Prometheus always does, and so does every browser); `gzip;q=0`, `br`
 * alone or no header get the plain body.
 */
export function acceptsGzip (request: FastifyRequest): boolean {
  return negotiate(request.headers['accept-encoding'] ?? '', ENCODINGS) === 'gzip'
}
