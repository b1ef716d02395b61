// The type checks here run in `npm run typecheck` (a wrong derivation or a lost constraint fails it);
// the tap assertions check what validateEnv does at run time with the same declarations.
import t from 'tap'
import { defineEnv, type EnvOf } from '../../src/config/define-env.js'
import { validateEnv } from '../../src/config/env.js'
import type { Env } from '../../src/config/schema.js'
import type { LogLevel } from '../../src/config/types.js'

/** True only when A and B are the same type (not merely assignable one way). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false

/** The Env interface as it was written by hand before it was derived from the schema. */
interface HandWrittenEnv {
  LAAFFIC_API_KEY?: string
  LAAFFIC_API_SECRET?: string
  LAAFFIC_API_SECRET_FILE?: string
  LAAFFIC_ACCOUNT: string
  LAAFFIC_ACCOUNTS_FILE?: string
  LAAFFIC_BASE_URL: string
  LAAFFIC_POLL_INTERVAL: number
  LAAFFIC_REQUEST_TIMEOUT: number
  LAAFFIC_MAX_STALENESS?: number
  LAAFFIC_BALANCE_WARNING: number
  LAAFFIC_BALANCE_CRITICAL: number
  LAAFFIC_PROCESS_METRICS: boolean
  METRICS_BEARER_TOKEN?: string
  METRICS_BEARER_TOKEN_FILE?: string
  METRICS_BASIC_AUTH_USERS_FILE?: string
  TLS_CERT_FILE?: string
  TLS_KEY_FILE?: string
  HOST: string
  PORT: number
  LOG_LEVEL: LogLevel
}

const example = defineEnv({
  NAME: { type: 'string', default: 'x', description: 'a string with a default' },
  MODE: { type: 'string', enum: ['fast', 'slow'], default: 'fast', description: 'one of two' },
  COUNT: { type: 'integer', minimum: 1, description: 'optional whole number' },
  ON: { type: 'boolean', default: true, description: 'a switch' },
  TOKEN: { type: 'integer', secret: true, defaultText: 'computed', description: 'a secret' },
})

t.test('the type of the environment is derived from the schema', async (t) => {
  const exporter: Equal<Env, HandWrittenEnv> = true
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
