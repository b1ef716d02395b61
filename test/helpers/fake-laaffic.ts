import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AccountConfig } from '../../src/config/types.js'
import { expectedSign } from './api.js'
import { startStubServer, type StubServer } from './stub-server.js'

/** What the fake API does next for an account: answer a body, or handle the request itself (hang, reset). */
export type FakeReply = { status?: number, body: string, headers?: Record<string, string> } | ((req: IncomingMessage, res: ServerResponse) => void)

export interface SeenRequest { apiKey: string, timestamp: string, sign: string, signatureValid: boolean }

export interface FakeLaaffic extends StubServer {
  /** Queue replies for an account; when the queue is empty the last reply repeats. */
  reply: (account: AccountConfig, ...replies: FakeReply[]) => void
  seen: SeenRequest[]
}

/**
 * A loopback stand-in of getBalance for tests: checks the signature like the provider (answering -1
 * when it is wrong) and then answers what the test queued for that account.
 */
export async function startFakeLaaffic (accounts: AccountConfig[]): Promise<FakeLaaffic> {
  const queues = new Map<string, FakeReply[]>()
  const seen: SeenRequest[] = []
  const server = await startStubServer((req, res) => {
    const apiKey = String(req.headers['api-key'] ?? '')
    const timestamp = String(req.headers.timestamp ?? '')
    const sign = String(req.headers.sign ?? '')
    const owner = accounts.find((a) => a.apiKey === apiKey)
    const signatureValid = owner !== undefined && sign.toLowerCase() === expectedSign(apiKey, owner.apiSecret, timestamp)
    seen.push({ apiKey, timestamp, sign, signatureValid })
    if (!signatureValid || req.url !== '/v3/getBalance') {
      res.end(JSON.stringify({ status: '-1', reason: 'authentication error' }))
      return
    }
    const queue = queues.get(apiKey) ?? []
    const next = queue.length > 1 ? queue.shift() : queue[0]
    if (next === undefined) return res.destroy()
    if (typeof next === 'function') return next(req, res)
    res.writeHead(next.status ?? 200, { 'content-type': 'application/json', ...next.headers }).end(next.body)
  })
  return {
    ...server,
    seen,
    reply: (account, ...replies) => { queues.set(account.apiKey, replies) },
  }
}

/** A reply that never comes (the request hangs until the client gives up or the server closes). */
export const hang: FakeReply = () => {}
