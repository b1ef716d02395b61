import type { EnvSchema, NumberVariable } from './define-env.js'

/** One variable as --help and the README's configuration table show it, read from its schema. */
export interface VariableFacts {
  name: string
  /** Markdown, as the README shows it. */
  description: string
  /** The schema's default as written in the environment ("60", "true"); undefined when it has none. */
  default: string | undefined
  /** A default the loader computes, in words (e.g. "max(900, 3 × interval)"). */
  defaultText: string | undefined
  /** Numeric bounds in words: "1 to 86400", "more than 0, at most 600", "at least 0". */
  range: string | undefined
  /** The allowed values, for an enum. */
  values: readonly string[] | undefined
  secret: boolean
  /** The command-line flag that sets it too (`--log.level`). */
  flag: string | undefined
}

/** Every variable of a schema, in declaration order. */
export function listVariables (schema: EnvSchema): VariableFacts[] {
  return Object.entries(schema.properties).map(([name, variable]) => ({
    name,
    description: variable.description,
    default: variable.default === undefined ? undefined : String(variable.default),
    defaultText: variable.defaultText,
    range: variable.type === 'number' || variable.type === 'integer' ? rangeOf(variable) : undefined,
    values: variable.type === 'string' ? variable.enum : undefined,
    secret: variable.secret === true,
    flag: variable.flag,
  }))
}

/** Numeric bounds in words, or undefined when there are none. */
export function rangeOf ({ minimum, maximum, exclusiveMinimum }: NumberVariable): string | undefined {
  if (minimum !== undefined && maximum !== undefined) return `${minimum} to ${maximum}`
  const low = minimum !== undefined ? `at least ${minimum}` : exclusiveMinimum !== undefined ? `more than ${exclusiveMinimum}` : undefined
  const high = maximum === undefined ? undefined : `at most ${maximum}`
  return low !== undefined && high !== undefined ? `${low}, ${high}` : low ?? high
}
