import type { ApiStatus } from '../api/status.js'

/**
 * What the simulated API does instead of (or before) answering normally, per account.
 * `probability` (default 1) makes it intermittent; `count` ends it after that many requests.
 */
export type Fault =
  | { type: 'status', status: ApiStatus, reason?: string } & FaultLimits
  | { type: 'http', httpStatus: number, retryAfter?: number, body?: string } & FaultLimits
  | { type: 'delay', delayMs: number } & FaultLimits
  | { type: 'hang' } & FaultLimits
  | { type: 'malformed' } & FaultLimits
  | { type: 'oversized' } & FaultLimits
  | { type: 'numbers' } & FaultLimits
  | { type: 'reset' } & FaultLimits

export interface FaultLimits {
  probability?: number
  count?: number
}

const limits = {
  probability: { type: 'number', minimum: 0, maximum: 1 },
  count: { type: 'integer', minimum: 1 },
}

const variant = (type: string, properties: Record<string, object> = {}, required: string[] = []): object => ({
  type: 'object',
  additionalProperties: false,
  required: ['type', ...required],
  properties: { type: { const: type }, ...properties, ...limits },
})

/** JSON schema of a fault, for the control API. */
export const faultSchema = {
  oneOf: [
    variant('status', { status: { type: 'string', pattern: '^-?\\d{1,9}$' }, reason: { type: 'string' } }, ['status']),
    variant('http', {
      httpStatus: { type: 'integer', minimum: 100, maximum: 599 },
      retryAfter: { type: 'integer', minimum: 0 },
      body: { type: 'string' },
    }, ['httpStatus']),
    variant('delay', { delayMs: { type: 'integer', minimum: 0, maximum: 600_000 } }, ['delayMs']),
    variant('hang'),
    variant('malformed'),
    variant('oversized'),
    variant('numbers'),
    variant('reset'),
  ],
}

/**
 * Decides whether a fault applies to this request, counting it down. Returns the fault that applies,
 * or undefined for a normal answer; `random` is injected so tests decide the dice.
 */
export function drawFault (fault: Fault | undefined, random: () => number): { applies?: Fault, remaining?: Fault } {
  if (fault === undefined) return {}
  if (random() >= (fault.probability ?? 1)) return { remaining: fault }
  if (fault.count === undefined) return { applies: fault, remaining: fault }
  return { applies: fault, ...(fault.count > 1 && { remaining: { ...fault, count: fault.count - 1 } }) }
}
