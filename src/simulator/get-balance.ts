import { createHash } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { advance, balanceAnswer, type SimulatedAccount } from './account-model.js'
import { drawFault, providerReason, type Fault } from './faults.js'
import type { RequestLog } from './request-log.js'

export interface GetBalanceContext {
  accounts: Map<string, SimulatedAccount>
  faults: Map<string, Fault>
  log: RequestLog
  now: () => number
  random: () => number
  timestampWindowSeconds: number
}

const JSON_TYPE = 'application/json;charset=UTF-8'
const header = (request: FastifyRequest, name: string): string => {
  const value = request.headers[name]
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '')
}

/**
 * GET /v3/getBalance (and /sms/getBalance) as the provider documents it: -1 for an unknown key or a wrong Sign (md5 of
 * key + secret + Timestamp, compared case-insensitively), -16 for a Timestamp outside the window,
 * otherwise the account's figures as strings. A fault set for the account replaces or bends the answer.
 */
export function getBalanceHandler (context: GetBalanceContext) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const nowMs = context.now()
    const apiKey = header(request, 'api-key')
    const timestamp = header(request, 'timestamp')
    const sign = header(request, 'sign')
    const account = [...context.accounts.values()].find((a) => a.apiKey === apiKey)
    const signatureValid = account !== undefined && /^\d+$/.test(timestamp) &&
      sign.toLowerCase() === createHash('md5').update(apiKey + account.apiSecret + timestamp).digest('hex')
    const skew = /^-?\d+$/.test(timestamp) ? Math.round(nowMs / 1000 - Number(timestamp)) : null

    // The provider's clock, as a real server sends it (the exporter derives laaffic_clock_skew_seconds).
    void reply.header('Date', new Date(nowMs).toUTCString())
    const record = (answer: string): void => {
      context.log.add({
        time: new Date(nowMs).toISOString(),
        account: account?.name ?? null,
        headers: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, String(v)])),
        signatureValid,
        timestampSkewSeconds: skew,
        answer,
      })
    }
    const answerStatus = async (status: string, reason = providerReason(status)): Promise<void> => {
      record(status)
      await reply.type(JSON_TYPE).send({ status, reason })
    }

    if (account === undefined) return answerStatus('-1')
    const { applies, remaining } = drawFault(context.faults.get(account.name), context.random)
    if (remaining === undefined) context.faults.delete(account.name)
    else context.faults.set(account.name, remaining)

    if (applies !== undefined && applies.type !== 'delay' && applies.type !== 'numbers') {
      record(`fault:${applies.type}`)
      switch (applies.type) {
        case 'status': return reply.type(JSON_TYPE).send({ status: applies.status, reason: applies.reason ?? providerReason(applies.status) })
        case 'http':
          if (applies.retryAfter !== undefined) void reply.header('Retry-After', String(applies.retryAfter))
          return reply.code(applies.httpStatus).type('text/plain').send(applies.body ?? `HTTP ${applies.httpStatus}`)
        case 'malformed': return reply.type(JSON_TYPE).send('{"status":"0","reason":"success","balance":"99.9')
        case 'oversized': return reply.type(JSON_TYPE).send(JSON.stringify({ ...balanceAnswer(account), padding: 'x'.repeat(100 * 1024) }))
        case 'hang': reply.hijack(); return
        case 'reset': reply.hijack(); request.raw.socket.destroy(); return
      }
    }
    if (applies?.type === 'delay') await new Promise((resolve) => setTimeout(resolve, applies.delayMs))

    if (!signatureValid) return answerStatus('-1')
    if (skew === null || Math.abs(skew) > context.timestampWindowSeconds) return answerStatus('-16')
    advance(account, nowMs)
    record('0')
    await reply.type(JSON_TYPE).send(balanceAnswer(account, applies?.type === 'numbers'))
  }
}
