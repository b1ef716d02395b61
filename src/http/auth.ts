import { createHash, timingSafeEqual } from 'node:crypto'
import bcrypt from 'bcryptjs'
import type { FastifyInstance } from 'fastify'
import type { WebAuth } from '../config/types.js'
import type { ReloadablePart } from '../reload/reloadable.js'
import { LIVENESS_PATHS, READINESS_PATHS } from './routes.js'

/** Routes a probe must reach without credentials (orchestrators rarely carry them). */
const OPEN_ROUTES = new Set<string>([...LIVENESS_PATHS, ...READINESS_PATHS])
const REALM = 'laaffic-exporter'
/** Successful basic-auth checks remembered, so a scrape does not pay a bcrypt comparison each time. */
const CACHE_LIMIT = 256

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest()

type Check = (header: string | undefined) => Promise<boolean>
interface Compiled { auth: WebAuth, check: Check }

/**
 * Requires a bearer token or basic-auth credentials on every route but the probes' (OPEN_ROUTES), when the web
 * configuration says so. Both checks take the same time whether the user exists or not: tokens are compared
 * as fixed-length digests, and an unknown user is compared against a fake hash (exporter-toolkit does the
 * same). Returns the part a reload prepares (the new check compiled) and commits (swapped for the next request).
 */
export function registerAuth (app: FastifyInstance, initial: WebAuth | undefined): ReloadablePart {
  // Compiled now (the fake hash too) for the configuration the server starts with: the first scrape does not pay.
  let compiled = compile(initial)

  app.addHook('onRequest', async (request, reply) => {
    const running = compiled
    if (running === undefined) return
    const path = request.url.split('?')[0] ?? ''
    if (OPEN_ROUTES.has(path)) return
    if (await running.check(request.headers.authorization)) return
    const challenge = running.auth.type === 'bearer' ? `Bearer realm="${REALM}"` : `Basic realm="${REALM}", charset="UTF-8"`
    request.log.debug({ path, remoteAddress: request.ip }, 'unauthorized request')
    return reply.code(401).header('WWW-Authenticate', challenge).type('text/plain; charset=utf-8').send('unauthorized\n')
  })

  return {
    name: 'authentication',
    prepare: (next) => {
      // The same users or token keep their check, and with it the cache of verified passwords.
      const same = JSON.stringify(authOf(next.web.auth)) === JSON.stringify(authOf(compiled?.auth))
      const prepared = same ? compiled : compile(next.web.auth)
      return () => { compiled = prepared }
    },
  }
}

const authOf = (auth: WebAuth | undefined): unknown => auth?.type === 'basic' ? [...auth.users] : auth

function compile (auth: WebAuth | undefined): Compiled | undefined {
  if (auth === undefined) return undefined
  return { auth, check: auth.type === 'bearer' ? bearerCheck(auth.token) : basicCheck(auth.users) }
}

function bearerCheck (token: string): Check {
  const expected = sha256(token)
  return async (header) => {
    const given = /^Bearer (.+)$/i.exec(header ?? '')?.[1] ?? ''
    return timingSafeEqual(sha256(given), expected)
  }
}

function basicCheck (users: Map<string, string>): Check {
  // Same cost as the users' hashes (or bcrypt's default), so an unknown user takes as long as a known one.
  const cost = Number(/^\$2[aby]?\$(\d\d)\$/.exec([...users.values()][0] ?? '')?.[1] ?? 10)
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
