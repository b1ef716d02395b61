// A program's environment variables are declared once, as an env-schema (JSON schema) object with a
// description per variable. The TypeScript type of the validated environment is derived from it, so the two
// cannot drift, and a declaration the type cannot follow (a typo in `type`, a default of the wrong type, a
// missing description) does not compile. A ~20-line helper rather than json-schema-to-ts: the schemas are
// flat, and the helper also constrains what a declaration may say.

/** What every variable says about itself, for --help and the README's configuration table. */
interface Documented {
  /** What it does, in Markdown as the README shows it; the range and allowed values are added from the schema. */
  description: string
  /** A default the loader computes (e.g. from another variable), in words; the schema then has no `default`. */
  defaultText?: string
  /** Its value is never echoed back in an error. */
  secret?: boolean
  /**
   * The command-line flag that sets it too, named as Go exporters name theirs (`--log.level`); given, the flag
   * wins. Two variables may share one (HOST and PORT: `--web.listen-address`).
   */
  flag?: `--${string}`
}

export interface StringVariable extends Documented { type: 'string', default?: string, enum?: readonly string[], minLength?: number }
export interface NumberVariable extends Documented {
  type: 'number' | 'integer'
  default?: number
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
}
export interface BooleanVariable extends Documented { type: 'boolean', default?: boolean }
export type VariableSchema = StringVariable | NumberVariable | BooleanVariable

export interface EnvSchema<P extends Record<string, VariableSchema> = Record<string, VariableSchema>> {
  type: 'object'
  properties: P
}

/** The schema of these variables; `const` keeps each literal (an enum's values, whether a default is there). */
export function defineEnv<const P extends Record<string, VariableSchema>> (properties: P): EnvSchema<P> {
  return { type: 'object', properties }
}

/** The type of a variable's value, as its schema declares it. */
export type ValueOf<V> =
  V extends { enum: ReadonlyArray<infer E> } ? E
    : V extends { type: 'string' } ? string
      : V extends { type: 'number' | 'integer' } ? number
        : V extends { type: 'boolean' } ? boolean
          : never

type DefaultedNames<P> = { [K in keyof P]: P[K] extends { default: unknown } ? K : never }[keyof P]

/** The environment env-schema returns: every variable with a default is there, the others may be missing. */
export type EnvOf<S extends EnvSchema> = Flat<
  { [K in DefaultedNames<S['properties']>]: ValueOf<S['properties'][K]> } &
  { [K in Exclude<keyof S['properties'], DefaultedNames<S['properties']>>]?: ValueOf<S['properties'][K]> }
>

type Flat<T> = { [K in keyof T]: T[K] }
