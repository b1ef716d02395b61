import envSchemaValidate from 'env-schema'
import type { EnvOf, EnvSchema, VariableSchema } from './define-env.js'

interface AjvError {
  instancePath: string
  keyword: string
  message?: string
  params: { allowedValues?: unknown[], type?: string, comparison?: string, limit?: number }
}

/**
 * The variables that are set. Compose files and Helm charts pass an unset variable as "": that (or only
 * blanks) counts as unset.
 */
export function setVariables (env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1].trim() !== ''))
}

/**
 * A value shown in an error: quoted and escaped (a newline or a terminal control character in it cannot
 * break the one-line-per-problem output), and cut short.
 */
export function quote (value: string): string {
  const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value
  return JSON.stringify(shown).replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`)
}

/**
 * Validates and coerces variables with env-schema (Ajv, all errors at once), applying defaults.
 * Each problem becomes one line naming the variable; undefined is returned when there was any.
 */
export function validateEnv<S extends EnvSchema> (schema: S, env: Record<string, string>, problems: string[]): EnvOf<S> | undefined {
  try {
    const vars = envSchemaValidate<EnvOf<S>>({ schema: ajvSchema(schema), data: env, env: false })
    // Ajv turns "Infinity" or "1e400" into a number and then skips minimum and maximum for it.
    const infinite = Object.entries(vars as Record<string, unknown>)
      .filter(([, value]) => typeof value === 'number' && !Number.isFinite(value))
      .map(([variable]) => `${variable}: must be a finite number (got ${quote(env[variable] ?? '')})`)
    problems.push(...infinite)
    return infinite.length === 0 ? vars : undefined
  } catch (err) {
    const errors = (err as { errors?: AjvError[] }).errors
    if (errors === undefined) throw err
    problems.push(...errors.map((e) => describeSchemaError(e, schema, env)))
    return undefined
  }
}

/** Keywords only the docs and the error messages read: Ajv's strict mode refuses unknown keywords. */
const NOT_FOR_AJV = new Set(['defaultText', 'secret', 'flag'])

/** A fresh copy (env-schema writes into the schema it is given) without the keywords Ajv does not know. */
function ajvSchema ({ type, properties }: EnvSchema): object {
  const rule = (variable: VariableSchema): object => Object.fromEntries(Object.entries(variable).filter(([keyword]) => !NOT_FOR_AJV.has(keyword)))
  return { type, properties: Object.fromEntries(Object.entries(properties).map(([name, variable]) => [name, rule(variable)])) }
}

function describeSchemaError (error: AjvError, schema: EnvSchema, env: Record<string, string | undefined>): string {
  const variable = error.instancePath.replace(/^\//, '')
  const got = schema.properties[variable]?.secret === true ? '' : ` (got ${quote(env[variable] ?? '')})`
  return `${variable}: ${schemaMessage(error)}${got}`
}

function schemaMessage ({ keyword, params, message }: AjvError): string {
  if (keyword === 'type') {
    return { number: 'must be a number', integer: 'must be a whole number', boolean: 'must be true or false' }[params.type ?? ''] ??
      `must be a ${params.type ?? 'valid value'}`
  }
  if (keyword === 'enum') return `must be one of ${(params.allowedValues ?? []).join(', ')}`
  if (params.comparison !== undefined) return `must be ${params.comparison} ${params.limit}`
  return message ?? 'is invalid'
}
