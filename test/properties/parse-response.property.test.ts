import t from 'tap'
import fc from 'fast-check'
import { deepStrictEqual } from 'node:assert/strict'
import { parseBalanceResponse, type ParsedResponse } from '../../src/api/answer.js'
import { INVALID_RESPONSE, type ApiStatus } from '../../src/api/status.js'
import { amountLikeValue, anyValue, statusLikeValue } from '../helpers/arbitraries.js'

// Properties of parseBalanceResponse(body). A failing fc.assert throws with the seed, the path and the
// shrunk counterexample, and tap shows that message: replay with fc.assert(..., { seed, path }).

/** What every answer must look like, whatever the body: the shape the poller and the metrics rely on. */
function assertWellFormed (result: ParsedResponse): void {
  if (result.ok) {
    const keys = Object.keys(result).sort()
    deepStrictEqual(keys, ['ok', 'values'])
    const { balance, gift, credit, ...rest } = result.values
    deepStrictEqual(rest, {}, 'no other figure than balance, gift and credit')
    if (typeof balance !== 'number' || !Number.isFinite(balance)) throw new Error(`balance is not finite: ${String(balance)}`)
    for (const [name, value] of [['gift', gift], ['credit', credit]] as const) {
      if (name in result.values && (typeof value !== 'number' || !Number.isFinite(value))) {
        throw new Error(`${name} is present but not finite: ${String(value)}`)
      }
    }
    return
  }
  deepStrictEqual(Object.keys(result).sort(), ['ok', 'reason', 'status'])
  if (typeof result.status !== 'string' || (result.status as string) === '') throw new Error('status is not a non-empty string')
  if (typeof result.reason !== 'string') throw new Error('reason is not a string')
  // The status becomes a label value: either invalid_response or the API's non-zero integer code.
  if (result.status !== INVALID_RESPONSE && !/^-?[1-9]\d*$/.test(result.status)) {
    throw new Error(`status ${JSON.stringify(result.status)} is neither invalid_response nor a non-zero integer`)
  }
}

function parse (body: string): ParsedResponse {
  const result = parseBalanceResponse(body)
  assertWellFormed(result)
  return result
}

t.test('any string: never throws, always a well-formed answer', async (t) => {
  const bodies = fc.oneof(
    fc.string(),
    fc.string({ unit: 'binary', maxLength: 200 }), // any code point, lone surrogates included
    fc.string({ unit: 'grapheme', maxLength: 100 }),
    fc.string({ unit: fc.constantFrom('{', '}', '[', ']', '"', ':', ',', '0', '-', 'e', '.', ' ', 's', 'status', 'balance', 'null') }),
  )
  fc.assert(fc.property(bodies, (body) => { parse(body) }), { numRuns: 2000 })
  t.pass('2000 runs')
})

t.test('any JSON text: never throws, always a well-formed answer', async (t) => {
  const bodies = fc.oneof(
    fc.json(),
    fc.jsonValue().map((value) => JSON.stringify(value)),
    fc.anything({ withBoxedValues: true, withNullPrototype: true, withObjectString: true, withDate: true, withMap: true, withSet: true })
      .map((value) => JSON.stringify(value) as string | undefined)
      .filter((text): text is string => typeof text === 'string'),
  )
  fc.assert(fc.property(bodies, (body) => { parse(body) }), { numRuns: 2000 })
  t.pass('2000 runs')
})

// An independent reading of the README ("JSON with status 0 and a finite balance; gift and credit finite
// when present; anything else counts as invalid_response"), written differently from the implementation.

/** parseStatus accepts at most 9 digits ("-?\d{1,9}"): a 10-digit code is invalid_response by design. */
const MAX_STATUS_DIGITS = 9

/** The integer a status means, or undefined. JSON numbers must be integers; strings are decimal digits. */
function statusMeaning (value: unknown): number | undefined {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || Math.abs(value) >= 10 ** MAX_STATUS_DIGITS) return undefined
    return value === 0 ? 0 : value // -0 means 0
  }
  if (typeof value !== 'string') return undefined
  const text = value.trim() // the same white space as \s
  const digits = text.startsWith('-') ? text.slice(1) : text
  if (digits.length > MAX_STATUS_DIGITS || !/^[0-9]+$/.test(digits)) return undefined // ASCII digits only
  const number = Number(text)
  return number === 0 ? 0 : number
}

/** The finite number an amount means, or undefined. Strings: what Number() reads as a decimal literal. */
function amountMeaning (value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined
  if (typeof value !== 'string') return undefined
  const text = value.trim()
  if (text === '' || /^[-+]?0[xob]/i.test(text)) return undefined // Number('') is 0; hex, octal, binary are not amounts
  const number = Number(text)
  return Number.isFinite(number) ? number : undefined
}

function expected (fields: Record<string, unknown>): ParsedResponse {
  const invalid = { ok: false as const, status: INVALID_RESPONSE }
  const status = statusMeaning(fields.status)
  if (status === undefined) return { ...invalid, reason: 'status is missing or not an integer' }
  if (status !== 0) return { ok: false, status: String(status) as ApiStatus, reason: typeof fields.reason === 'string' ? fields.reason : '' }
  const balance = amountMeaning(fields.balance)
  if (balance === undefined) return { ...invalid, reason: 'balance is missing or not a finite number' }
  const values: { balance: number, gift?: number, credit?: number } = { balance }
  for (const key of ['gift', 'credit'] as const) {
    if (fields[key] === undefined || fields[key] === null) continue
    const amount = amountMeaning(fields[key])
    if (amount === undefined) return { ...invalid, reason: `${key} is not a finite number` }
    values[key] = amount
  }
  return { ok: true, values }
}

t.test('answers {status, balance, gift, credit}: ok exactly when status means 0 and the amounts are finite', async (t) => {
  const answer = fc.record({
    status: statusLikeValue,
    reason: fc.oneof(fc.string(), anyValue),
    balance: amountLikeValue,
    gift: amountLikeValue,
    credit: amountLikeValue,
  }, { requiredKeys: ['status'] })
  fc.assert(fc.property(answer, (fields) => {
    const body = JSON.stringify(fields)
    // Compare with what the parser saw: JSON has no undefined, NaN or -0 (they become absent, null and 0).
    deepStrictEqual(parse(body), expected(JSON.parse(body) as Record<string, unknown>))
  }), { numRuns: 3000 })
  t.pass('3000 runs')
})

t.test('number literals JSON.stringify cannot write: 1e400, -0, 30 digits, exponents', async (t) => {
  const literal = fc.oneof(
    fc.constantFrom('1e400', '-1e400', '1E309', '1e-400', '-0', '-0.0', '0e0', '1.5E+3', '-2e-3', '123456789012345678901234567890'),
    fc.tuple(fc.integer({ min: -999, max: 999 }), fc.integer({ min: -400, max: 400 })).map(([m, e]) => `${m}e${e}`),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => Object.is(d, -0) ? '-0' : String(d)),
  )
  const fieldLiteral = fc.oneof(literal, amountLikeValue.map((v) => (JSON.stringify(v) as string | undefined) ?? 'null'))
  fc.assert(fc.property(
    fc.oneof(literal, fc.constantFrom('"0"', '0', '"-0"', '" 0 "')),
    fieldLiteral, fc.option(fieldLiteral), fc.option(fieldLiteral),
    (status, balance, gift, credit) => {
      const body = `{"status":${status},"balance":${balance}${gift === null ? '' : `,"gift":${gift}`}${credit === null ? '' : `,"credit":${credit}`}}`
      deepStrictEqual(parse(body), expected(JSON.parse(body) as Record<string, unknown>), body)
    },
  ), { numRuns: 2000 })
  t.pass('2000 runs')
})

t.test('status codes: every integer status of up to 9 digits is reported as its decimal string', async (t) => {
  const code = fc.integer({ min: -(10 ** MAX_STATUS_DIGITS) + 1, max: 10 ** MAX_STATUS_DIGITS - 1 }).filter((n) => n !== 0)
  const spelling = fc.constantFrom('number', 'string', 'padded', 'zeros')
  fc.assert(fc.property(code, spelling, fc.string(), (n, how, reason) => {
    const digits = String(Math.abs(n))
    const zeros = '0'.repeat(MAX_STATUS_DIGITS - digits.length)
    const status = {
      number: n,
      string: String(n),
      padded: ` ${String(n)}\n`,
      zeros: `${n < 0 ? '-' : ''}${zeros}${digits}`,
    }[how]
    deepStrictEqual(parse(JSON.stringify({ status, reason, balance: '1' })), { ok: false, status: String(n), reason })
  }), { numRuns: 2000 })
  // And one digit more is refused, however it is written (a label value must stay a short integer).
  for (const status of [1234567890, '1234567890', '-1234567890', '0000000001']) {
    t.has(parse(JSON.stringify({ status, balance: '1' })), { ok: false, status: INVALID_RESPONSE }, String(status))
  }
})

t.test('every spelling of status 0 with a good balance is a good answer', async (t) => {
  const zero = fc.constantFrom(0, -0, '0', '-0', '00', ' 0', '0 ', '\t0\n', '000000000', '-000000000')
  fc.assert(fc.property(zero, fc.double({ noNaN: true, noDefaultInfinity: true }), (status, balance) => {
    const result = parse(JSON.stringify({ status, balance }))
    if (!result.ok || result.values.balance !== balance) throw new Error(`not read as ${balance}: ${JSON.stringify(result)}`)
  }), { numRuns: 1000 })
  t.pass('1000 runs')
})

t.test('model: a finite double d, as the provider writes it or as a JSON number, reads back as d', async (t) => {
  fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (d) => {
    const asString = parse(JSON.stringify({ status: '0', reason: 'success', balance: String(d), gift: String(d), credit: String(d) }))
    // String(-0) is "0", so the string form of -0 reads back as +0: only === holds there.
    const fromString = Number(String(d))
    deepStrictEqual(asString, { ok: true, values: { balance: fromString, gift: fromString, credit: fromString } })
    if (asString.values.balance !== d) throw new Error(`"${String(d)}" read as ${asString.values.balance}`)

    // A JSON number literal, -0 included (JSON.stringify would write it as 0).
    const literal = Object.is(d, -0) ? '-0' : String(d)
    const asNumber = parse(`{"status":0,"balance":${literal},"gift":${literal},"credit":${literal}}`)
    if (!asNumber.ok) throw new Error(`${literal} refused: ${asNumber.reason}`)
    for (const value of [asNumber.values.balance, asNumber.values.gift, asNumber.values.credit]) {
      // Exactly d; for zero either sign will do (today -0 stays -0, and prom-client prints it as 0 either way).
      if (d === 0 ? value !== 0 : !Object.is(value, d)) throw new Error(`${literal} read as ${String(value)}`)
    }
  }), { numRuns: 2000 })
  const tiny = parse('{"status":"0","balance":"1e-400"}')
  t.same(tiny, { ok: true, values: { balance: 0 } }, '"1e-400" is finite: it underflows to 0 and is accepted')
})

t.test('decimal strings a provider could send read as Number() reads them', async (t) => {
  const decimal = fc.tuple(
    fc.constantFrom('', '-', '+'),
    fc.oneof(fc.nat().map(String), fc.bigInt({ min: 0n, max: 10n ** 40n }).map(String)),
    fc.option(fc.nat().map(String)),
    fc.option(fc.integer({ min: -500, max: 500 })),
    fc.constantFrom('', ' ', '\t', '\n', '\u00a0'),
  ).map(([sign, int, frac, exp, pad]) => `${pad}${sign}${int}${frac === null ? '' : `.${frac}`}${exp === null ? '' : `e${exp}`}${pad}`)
  fc.assert(fc.property(decimal, (text) => {
    const number = Number(text)
    const result = parse(JSON.stringify({ status: '0', balance: text }))
    if (Number.isFinite(number)) deepStrictEqual(result, { ok: true, values: { balance: number } }, text)
    else deepStrictEqual(result, { ok: false, status: INVALID_RESPONSE, reason: 'balance is missing or not a finite number' }, text)
  }), { numRuns: 2000 })
  t.pass('2000 runs')
})
