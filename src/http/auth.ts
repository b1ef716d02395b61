import { createHash, timingSafeEqual } from 'node:crypto'
import bcrypt from 'bcryptjs'
import type { FastifyInstance } from 'fastify'
import type { WebAuth } from '../config/types.js'
import { LIVENESS_PATHS, READINESS_PATHS } from './routes.js'

/** Routes a probe must reach without credentials (orchestrators rarely carry them). */
const OPEN_ROUTES = new Set<string>([...LIVENESS_PATHS, ...READINESS_PATHS])
const REALM = 'laaffic-exporter'
/** Successful basic-auth checks remembered, so a scrape does not pay a bcrypt comparison each time. */
const CACHE_LIMIT = 256

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest()

/**
 * Requires a bearer token or basic-auth credentials on every route but the probes' (OPEN_ROUTES), when
 * `currentAuth()` (read at every request, so a reload takes effect at once) says so. Both checks take the
 * same time whether the user exists or not: tokens are compared as fixed-length digests, and an unknown user
 * is compared against a fake hash (exporter-toolkit does the same).
 */
export function registerAuth (app: FastifyInstance, currentAuth: () => WebAuth | undefined): void {
  // One check (with its cache of verified passwords) per configuration of users or token.
  const checks = new WeakMap<WebAuth, (header: string | undefined) => Promise<boolean>>()
  const checkOf = (auth: WebAuth): (header: string | undefined) => Promise<boolean> => {
    let check = checks.get(auth)
    if (check === undefined) {
      check = auth.type === 'bearer' ? bearerCheck(auth.token) : basicCheck(auth.users)
      checks.set(auth, check)
    }
    return check
  }

  app.addHook('onRequest', async (request, reply) => {
    const auth = currentAuth()
    if (auth === undefined) return
    const path = request.url.split('?')[0] ?? ''
    if (OPEN_ROUTES.has(path)) return
    if (await checkOf(auth)(request.headers.authorization)) return
    const challenge = auth.type === 'bearer' ? `Bearer realm="${REALM}"` : `Basic realm="${REALM}", charset="UTF-8"`
    request.log.debug({ path, remoteAddress: request.ip }, 'unauthorized request')
    return reply.code(401).header('WWW-Authenticate', challenge).type('text/plain; charset=utf-8').send('unauthorized\n')
  })
}

function bearerCheck (token: string): (header: string | undefined) => Promise<boolean> {
  const expected = sha256(token)
  return async (header) => {
    const given = /^Bearer (.+)$/i.exec(header ?? '')?.[1] ?? ''
    return timingSafeEqual(sha256(given), expected)
  }
}

function basicCheck (users: Map<string, string>): (header: string | undefined) => Promise<boolean> {
  // Same cost as the users' hashes (or bcrypt's default), so an unknown user takes as long as a known one.
  const cost = Number([...users.values()][0]?.slice(4, 6) ?? 10)
  const fakeHash = bcrypt.hashSync('laaffic-exporter: no such user', cost)
  const verified = new Set<string>()
  return async (header) => {
    const encoded = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header ?? '')?.[1]
    if (encoded === undefined) return false
    const decoded = Buffer.from(encoded, 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    if (colon < 0) return false
    const user = decoded.slice(0, colon)
    const password = decoded.slice(colon + 1)
    const hash = users.get(user)
    const cacheKey = sha256(`${user}\0${password}\0${hash ?? ''}`).toString('hex')
    if (hash !== undefined && verified.has(cacheKey)) return true
    const matches = await bcrypt.compare(password, hash ?? fakeHash)
    if (!matches || hash === undefined) return false
    if (verified.size >= CACHE_LIMIT) verified.clear()
    verified.add(cacheKey)
    return true
  }
}
