import type { FastifyInstance } from 'fastify'
import { advance, type SimulatedAccount } from './account-model.js'
import { faultSchema, type Fault } from './faults.js'
import type { RequestLog } from './request-log.js'

export interface ControlContext {
  accounts: Map<string, SimulatedAccount>
  faults: Map<string, Fault>
  log: RequestLog
  now: () => number
  /** Offset of the simulated provider's clock from the real one. */
  clock: { offsetMs: number }
}

interface AccountPatch {
  balance?: number
  gift?: number
  credit?: number
  spendPerHour?: number
  drainOrder?: SimulatedAccount['drainOrder']
  topUp?: SimulatedAccount['topUp'] | null
}

const accountPatchSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    balance: { type: 'number' },
    gift: { type: 'number', minimum: 0 },
    credit: { type: 'number', minimum: 0 },
    spendPerHour: { type: 'number', minimum: 0 },
    drainOrder: { enum: ['gift-first', 'balance-first'] },
    topUp: {
      oneOf: [
        { type: 'null' },
        {
          type: 'object',
          additionalProperties: false,
          required: ['everySeconds', 'amount'],
          // At least a second apart: tinier steps would make advance() loop (almost) forever.
          properties: { everySeconds: { type: 'number', minimum: 1 }, amount: { type: 'number', exclusiveMinimum: 0 } },
        },
      ],
    },
  },
}

const nameParams = { type: 'object', required: ['name'], properties: { name: { type: 'string' } } }

/** The account as the control API shows it: figures, spending and fault, never the secret. */
function view (account: SimulatedAccount, fault: Fault | undefined): Record<string, unknown> {
  const { name, apiKey, balance, gift, credit, spendPerHour, drainOrder, topUp } = account
  const round = (value: number): number => Number(value.toFixed(6))
  return { name, apiKey, balance: round(balance), gift: round(gift), credit, spendPerHour, drainOrder, topUp: topUp ?? null, fault: fault ?? null }
}

/** `/__sim/...`: a JSON API for tests and people to steer the simulated accounts. */
export function registerControlRoutes (app: FastifyInstance, context: ControlContext): void {
  const { accounts, faults, log, now, clock } = context
  const find = (name: string): SimulatedAccount | undefined => {
    const account = accounts.get(name)
    if (account !== undefined) advance(account, now())
    return account
  }

  app.get('/__sim/accounts', async () => [...accounts.keys()].map((name) => view(find(name) as SimulatedAccount, faults.get(name))))

  app.get<{ Params: { name: string } }>('/__sim/accounts/:name', { schema: { params: nameParams } }, async (request, reply) => {
    const account = find(request.params.name)
    return account === undefined ? reply.code(404).send({ error: 'no such account' }) : view(account, faults.get(account.name))
  })

  app.patch<{ Params: { name: string }, Body: AccountPatch }>('/__sim/accounts/:name',
    { schema: { params: nameParams, body: accountPatchSchema } }, async (request, reply) => {
      const account = find(request.params.name)
      if (account === undefined) return reply.code(404).send({ error: 'no such account' })
      const { topUp, ...figures } = request.body
      Object.assign(account, figures)
      if (topUp === null) {
        delete account.topUp
        delete account.nextTopUpAtMs
      } else if (topUp !== undefined) {
        account.topUp = topUp
        account.nextTopUpAtMs = now() + topUp.everySeconds * 1000
      }
      request.log.info({ account: account.name, change: request.body }, 'account changed')
      return view(account, faults.get(account.name))
    })

  app.put<{ Params: { name: string }, Body: Fault }>('/__sim/accounts/:name/fault',
    { schema: { params: nameParams, body: faultSchema } }, async (request, reply) => {
      if (!accounts.has(request.params.name)) return reply.code(404).send({ error: 'no such account' })
      faults.set(request.params.name, request.body)
      request.log.info({ account: request.params.name, fault: request.body }, 'fault set')
      return { fault: request.body }
    })

  app.delete<{ Params: { name: string } }>('/__sim/accounts/:name/fault', { schema: { params: nameParams } }, async (request, reply) => {
    if (!accounts.has(request.params.name)) return reply.code(404).send({ error: 'no such account' })
    faults.delete(request.params.name)
    request.log.info({ account: request.params.name }, 'fault cleared')
    return reply.code(204).send()
  })

  app.get('/__sim/clock', async () => ({ offsetSeconds: clock.offsetMs / 1000, now: new Date(now()).toISOString() }))

  app.put<{ Body: { offsetSeconds: number } }>('/__sim/clock', {
    schema: {
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['offsetSeconds'],
        properties: { offsetSeconds: { type: 'number', minimum: -31_536_000, maximum: 31_536_000 } },
      },
    },
  }, async (request) => {
    // Spending and top-ups due before the jump are applied at the old time first.
    for (const account of accounts.values()) advance(account, now())
    clock.offsetMs = request.body.offsetSeconds * 1000
    for (const account of accounts.values()) account.updatedAtMs = Math.max(account.updatedAtMs, now())
    request.log.info({ offsetSeconds: request.body.offsetSeconds }, 'clock offset set')
    return { offsetSeconds: request.body.offsetSeconds, now: new Date(now()).toISOString() }
  })

  app.get<{ Querystring: { account?: string } }>('/__sim/requests', async (request) => log.list(request.query.account))

  app.delete('/__sim/requests', async (_request, reply) => {
    log.clear()
    return reply.code(204).send()
  })
}
