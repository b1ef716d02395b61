import { INVALID_RESPONSE, type ApiStatus, type PollStatus, type SUCCESS } from './status.js'

export { MAX_ANSWER_BYTES } from './status-table.js'

/** A good getBalance answer as the provider sends it: every figure a decimal string ("99.990000"). */
export interface BalanceAnswer {
  status: typeof SUCCESS
  reason: string
  balance: string
  gift: string
  credit: string
}

/** The same in JSON numbers, which the parser accepts too (the simulator's `numbers` fault sends it). */
export interface NumericBalanceAnswer {
  status: 0
  reason: string
  balance: number
  gift: number
  credit: number
}

/** A refused request: a non-zero code and the provider's reason (see the status table). */
export interface ErrorAnswer {
  status: ApiStatus
  reason: string
}

/** The three figures of a good getBalance answer. gift and credit are absent when the API leaves them out. */
export interface BalanceValues {
  balance: number
  gift?: number
  credit?: number
}

export type ParsedResponse =
  | { ok: true, values: BalanceValues }
  | { ok: false, status: PollStatus, reason: string }

/**
 * Turns a getBalance body into values or a failure status. Pure and total: it never throws,
 * and it only ever returns finite numbers. The provider sends every field as a string
 * ("99.990000"); JSON numbers are accepted too.
 */
export function parseBalanceResponse (body: string): ParsedResponse {
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    return invalid('body is not JSON')
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return invalid('body is not a JSON object')
  const fields = json as Record<string, unknown>

  const status = parseStatus(fields.status)
  if (status === undefined) return invalid('status is missing or not an integer')
  if (status !== 0) {
    return { ok: false, status: String(status) as ApiStatus, reason: typeof fields.reason === 'string' ? fields.reason : '' }
  }

  const balance = parseAmount(fields.balance)
  if (balance === undefined) return invalid('balance is missing or not a finite number')
  const values: BalanceValues = { balance }
  for (const key of ['gift', 'credit'] as const) {
    if (fields[key] === undefined || fields[key] === null) continue
    const amount = parseAmount(fields[key])
    if (amount === undefined) return invalid(`${key} is not a finite number`)
    values[key] = amount
  }
  return { ok: true, values }
}

/** Status codes are integers, sent as a string ("-13") by the provider or possibly as a number. */
function parseStatus (value: unknown): number | undefined {
  const text = typeof value === 'number' ? String(value) : value
  if (typeof text !== 'string' || !/^\s*-?\d{1,9}\s*$/.test(text)) return undefined
  return Number(text)
}

/** A decimal amount; rejects "", "abc", "NaN", "Infinity", "1e309" (overflows to Infinity) and hex. */
function parseAmount (value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined
  if (typeof value !== 'string' || !/^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(value)) return undefined
  const amount = Number(value)
  return Number.isFinite(amount) ? amount : undefined
}

function invalid (reason: string): ParsedResponse {
  return { ok: false, status: INVALID_RESPONSE, reason }
}
