import envSchemaValidate from 'env-schema'
import { SECRET_VARIABLES } from './schema.js'

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
export function validateEnv<T> (schema: object, env: Record<string, string>, problems: string[]): T | undefined {
  try {
    const vars = envSchemaValidate<T>({ schema: structuredClone(schema), data: env, env: false })
    // Ajv turns "Infinity" or "1e400" into a number and then skips minimum and maximum for it.
    const infinite = Object.entries(vars as Record<string, unknown>)
      .filter(([, value]) => typeof value === 'number' && !Number.isFinite(value))
      .map(([variable]) => `${variable}: must be a finite number (got ${quote(env[variable] ?? '')})`)
    problems.push(...infinite)
    return infinite.length === 0 ? vars : undefined
  } catch (err) {
    const errors = (err as { errors?: AjvError[] }).errors
    if (errors === undefined) throw err
    problems.push(...errors.map((e) => describeSchemaError(e, env)))
    return undefined
  }
}

function describeSchemaError (error: AjvError, env: Record<string, string | undefined>): string {
  const variable = error.instancePath.replace(/^\//, '')
  const got = SECRET_VARIABLES.has(variable) ? '' : ` (got ${quote(env[variable] ?? '')})`
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
