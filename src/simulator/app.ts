import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import { PROVIDERS } from '../config/providers.js'
import type { AccountConfig } from '../config/types.js'
import type { DrainOrder, SimulatedAccount, TopUp } from './account-model.js'
import { registerControlRoutes } from './control-routes.js'
import type { Fault } from './faults.js'
import { getBalanceHandler } from './get-balance.js'
import { RequestLog } from './request-log.js'

/** An account to simulate: its credentials, and optionally its starting figures, spending and fault. */
export interface SimulatorAccount extends Pick<AccountConfig, 'name' | 'apiKey' | 'apiSecret'> {
  balance?: number
  gift?: number
  credit?: number
  spendPerHour?: number
  drainOrder?: DrainOrder
  topUp?: TopUp
  fault?: Fault
}

export interface SimulatorOptions {
  accounts: SimulatorAccount[]
  logger: Logger
  now?: () => number
  random?: () => number
  /** Accepted distance between Timestamp and the simulator's clock (the provider: half an hour). */
  timestampWindowSeconds?: number
  /** Spending of accounts that do not set their own, per hour. */
  defaultSpendPerHour?: number
}

/** `/v3/getBalance` and `/sms/getBalance`: the path of each provider's base URL, with the client's `/getBalance`. */
export const GET_BALANCE_PATHS = [...new Set(Object.values(PROVIDERS).map(({ baseUrl }) => `${new URL(baseUrl).pathname}/getBalance`))]

/** A stand-in of Laaffic's getBalance API with a control API; never listens by itself. */
export function buildSimulator (options: SimulatorOptions): FastifyInstance {
  const { logger, random = Math.random, timestampWindowSeconds = 1800, defaultSpendPerHour = 0 } = options
  // The simulated provider's clock: the given one plus an offset the control API can set, to play a
  // provider whose clock differs from the exporter's.
  const clock = { offsetMs: 0 }
  const now = (): number => (options.now ?? Date.now)() + clock.offsetMs
  const startedAt = now()
  const accounts = new Map<string, SimulatedAccount>()
  const faults = new Map<string, Fault>()
  for (const a of options.accounts) {
    accounts.set(a.name, {
      name: a.name,
      apiKey: a.apiKey,
      apiSecret: a.apiSecret,
      balance: a.balance ?? 100,
      gift: a.gift ?? 50,
      credit: a.credit ?? 0,
      spendPerHour: a.spendPerHour ?? defaultSpendPerHour,
      drainOrder: a.drainOrder ?? 'gift-first',
      updatedAtMs: startedAt,
      ...(a.topUp !== undefined && { topUp: a.topUp, nextTopUpAtMs: startedAt + a.topUp.everySeconds * 1000 }),
    })
    if (a.fault !== undefined) faults.set(a.name, a.fault)
  }
  const log = new RequestLog()

  // Typed as fastify's logger interface (a pino Logger is one), so the app is a plain FastifyInstance.
  const loggerInstance: FastifyBaseLogger = logger
  const app = Fastify({
    loggerInstance,
    logController: new LogController({ disableRequestLogging: true }),
    // A hanging fault holds its connection open: closing must not wait for it.
    forceCloseConnections: true,
    // fastify's default removeAdditional strips fields while trying each oneOf branch of the fault
    // schema (a status fault would lose its status): reject unknown fields instead. No coercion
    // either: {"balance": null} or {"httpStatus": "503"} is a mistake to report, not to guess at.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false } },
  })
  // Laaffic and Onbuka serve getBalance under /v3, Itniotech under /sms: one handler answers every path a provider's base URL gives.
  const getBalance = getBalanceHandler({ accounts, faults, log, now, random, timestampWindowSeconds })
  for (const path of GET_BALANCE_PATHS) app.get(path, getBalance)
  registerControlRoutes(app, { accounts, faults, log, now, clock })
  return app
}
