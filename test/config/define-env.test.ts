// The type checks here run in `npm run typecheck` (a wrong derivation or a lost constraint fails it);
// the tap assertions check what validateEnv does at run time with the same declarations.
import t from 'tap'
import { defineEnv, type EnvOf } from '../../src/config/define-env.js'
import { validateEnv } from '../../src/config/env.js'
import type { Env } from '../../src/config/schema.js'
import type { LogLevel } from '../../src/config/types.js'

/** True only when A and B are the same type (not merely assignable one way). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false

/** A few of the exporter's variables, one of each kind: optional string, defaulted number, enum, boolean. */
type SomeOfEnv = Pick<Env, 'LAAFFIC_API_KEY' | 'LAAFFIC_POLL_INTERVAL' | 'LAAFFIC_MAX_STALENESS' | 'LOG_LEVEL' | 'LAAFFIC_PROCESS_METRICS' | 'PORT'>

const example = defineEnv({
  NAME: { type: 'string', default: 'x', description: 'a string with a default' },
  MODE: { type: 'string', enum: ['fast', 'slow'], default: 'fast', description: 'one of two' },
  COUNT: { type: 'integer', minimum: 1, description: 'optional whole number' },
  ON: { type: 'boolean', default: true, description: 'a switch' },
  TOKEN: { type: 'integer', secret: true, defaultText: 'computed', description: 'a secret' },
})

t.test('the type of the environment is derived from the schema', async (t) => {
  const exporter: Equal<SomeOfEnv, {
    LAAFFIC_API_KEY?: string
    LAAFFIC_POLL_INTERVAL: number
    LAAFFIC_MAX_STALENESS?: number
    LOG_LEVEL: LogLevel
    LAAFFIC_PROCESS_METRICS: boolean
    PORT: number
  }> = true
  const small: Equal<EnvOf<typeof example>, { NAME: string, MODE: 'fast' | 'slow', ON: boolean, COUNT?: number, TOKEN?: number }> = true
  t.same([exporter, small], [true, true], 'checked by npm run typecheck')
})

t.test('a declaration the type cannot follow does not compile', async (t) => {
  const wrong = defineEnv({
    // @ts-expect-error a typo in the type
    TYPO: { type: 'nubmer', description: 'x' },
    // @ts-expect-error a default of the wrong type
    DEFAULT: { type: 'number', default: '60', description: 'x' },
    // @ts-expect-error no description
    UNDESCRIBED: { type: 'string' },
    // @ts-expect-error a numeric bound on a string
    BOUND: { type: 'string', minimum: 1, description: 'x' },
  })
  t.equal(Object.keys(wrong.properties).length, 4)
})

t.test('validateEnv applies defaults and coerces, and passes the doc-only keywords by Ajv', async (t) => {
  const problems: string[] = []
  t.same(validateEnv(example, { COUNT: '3', TOKEN: '7' }, problems), { NAME: 'x', MODE: 'fast', COUNT: 3, ON: true, TOKEN: 7 })
  t.same(problems, [])
})

t.test('a variable declared secret is named in an error, its value never shown', async (t) => {
  const problems: string[] = []
  t.equal(validateEnv(example, { COUNT: '0', TOKEN: 'CANARY', MODE: 'medium' }, problems), undefined)
  t.same(problems, [
    'MODE: must be one of fast, slow (got "medium")',
    'COUNT: must be >= 1 (got "0")',
    'TOKEN: must be a whole number',
  ])
})
