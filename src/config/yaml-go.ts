// The exporter-toolkit reads its file with Go's yaml.v2 into typed fields, and that decides what a file means:
// a scalar read into a string field is its text whatever it looks like (`X-XSS-Protection: 1` is "1", `yes` is
// "yes"); a bool field takes YAML 1.1's true/false/yes/no/on/off; null is the empty value. This module reads a
// parsed document the same way, and its field readers also take the plain values the shorthand variables build.
import { isAlias, isMap, isScalar, isSeq, type Document } from 'yaml'

/** A scalar of the file: its source text (for string fields) and its YAML 1.1 value (for bool and int fields). */
export class GoScalar {
  constructor (readonly text: string, readonly value: unknown) {}
}
export type GoValue = GoScalar | string | boolean | number | null | undefined | GoValue[] | { [key: string]: GoValue }
export type GoMapping = Record<string, GoValue>

/** The document as GoValues: mappings with string keys, lists, scalars. */
export function goValues (document: Document): { value: GoValue } | { problem: string } {
  try {
    return { value: convert(document.contents, document, 0) }
  } catch (err) {
    return { problem: (err as Error).message }
  }
}

function convert (node: unknown, document: Document, depth: number): GoValue {
  if (depth > 50) throw new Error('aliases nest too deeply')
  if (node === null || node === undefined) return null
  if (isAlias(node)) {
    const target = node.resolve(document)
    if (target === undefined) throw new Error('an *alias names no &anchor defined before it')
    return convert(target, document, depth + 1)
  }
  // `source` is the scalar's text as written (quotes and escapes resolved), which is what Go puts in a string.
  if (isScalar(node)) return node.value === null ? null : new GoScalar(node.source ?? JSON.stringify(node.value), node.value)
  if (isSeq(node)) return node.items.map((item) => convert(item, document, depth + 1))
  if (isMap(node)) {
    const mapping: GoMapping = {}
    for (const pair of node.items) {
      const key = convert(pair.key, document, depth + 1)
      if (!(key instanceof GoScalar)) throw new Error('a mapping key is not a plain value')
      mapping[key.text] = convert(pair.value, document, depth + 1)
    }
    return mapping
  }
  throw new Error('the document holds a node of an unknown kind')
}

const isMapping = (value: GoValue): value is GoMapping =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof GoScalar)

/** A mapping (null: empty); anything else is a problem. Unknown keys are problems naming the key, as Go's UnmarshalStrict. */
export function goMapping (value: GoValue, at: string, known: readonly string[] | undefined, problems: string[]): GoMapping {
  if (value === null || value === undefined) return {}
  if (!isMapping(value)) {
    problems.push(`${at} must be a mapping`)
    return {}
  }
  if (known !== undefined) for (const key of Object.keys(value)) if (!known.includes(key)) problems.push(`${at}: unknown key ${shownKey(key)}`)
  return value
}

/** A string field: the scalar's text; null and absent are "". */
export function goString (value: GoValue, at: string, problems: string[]): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value
  if (value instanceof GoScalar) return value.text
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  problems.push(`${at} must be a single value, not a ${Array.isArray(value) ? 'list' : 'mapping'}`)
  return ''
}

/** A bool field: YAML 1.1's booleans only (a quoted "true" is a string to Go, and refused). */
export function goBool (value: GoValue, at: string, fallback: boolean, problems: string[]): boolean {
  if (value === null || value === undefined) return fallback
  if (typeof value === 'boolean') return value
  if (value instanceof GoScalar && typeof value.value === 'boolean') return value.value
  problems.push(`${at} must be true or false`)
  return fallback
}

/** An int field: a whole number. */
export function goInt (value: GoValue, at: string, problems: string[]): number {
  if (value === null || value === undefined) return 0
  const number = value instanceof GoScalar ? value.value : value
  if (typeof number === 'number' && Number.isSafeInteger(number)) return number
  problems.push(`${at} must be a whole number`)
  return 0
}

const DURATION_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 }

/** A time.Duration field, in milliseconds: Go's duration text ("1s", "1h30m", "250ms"), or a whole number of nanoseconds. */
export function goDurationMs (value: GoValue, at: string, problems: string[]): number {
  if (value === null || value === undefined) return 0
  if (value instanceof GoScalar && typeof value.value === 'number' && Number.isSafeInteger(value.value)) return value.value / 1e6
  const text = goString(value, at, problems)
  const body = text.replace(/^[-+]/, '')
  const sign = text.startsWith('-') ? -1 : 1
  if (body === '0') return 0
  const parts = [...body.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/gy)]
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== body) {
    problems.push(`${at} must be a duration such as 1s, 500ms or 1h30m`)
    return 0
  }
  return sign * parts.reduce((sum, part) => sum + Number(part[1]) * (DURATION_UNITS[part[2] ?? ''] ?? 0), 0)
}

/** A list of strings; null and absent are undefined (Go's nil slice), [] stays []. */
export function goStrings (value: GoValue, at: string, problems: string[]): string[] | undefined {
  if (value === null || value === undefined) return undefined
  if (!Array.isArray(value)) {
    problems.push(`${at} must be a list`)
    return undefined
  }
  return value.map((item) => goString(item, at, problems))
}

/** A key shown in an error only when it looks like one (a mistyped `key:value` can hold a secret). */
export const shownKey = (key: string): string => /^[A-Za-z][A-Za-z0-9_-]{0,40}$/.test(key) ? `"${key}"` : '(not shown)'
