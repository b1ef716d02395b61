// The flags Go exporters take (`--web.listen-address`, `--log.level`, ...), read from the env schema: a flag is
// another way to set the variable that declares it (`flag:` in src/config/schema.ts), and wins over it. Its
// value is checked by the same schema, and a problem names the flag.
import type { EnvSchema } from '../config/define-env.js'
import { quote, validateEnv } from '../config/env.js'
import { telemetryPathProblem } from '../config/telemetry-path.js'

export interface FlagSpec {
  /** As typed: `--log.level`. */
  name: string
  /** The variables it sets, in schema order (HOST and PORT for --web.listen-address). */
  variables: string[]
  /** Given alone it means true; `--no-NAME` means false. */
  boolean: boolean
}

/** A flag as given on the command line: its spec and its value ("true"/"false" for a boolean one). */
export interface GivenFlag { spec: FlagSpec, value: string }

/** Every flag the schema declares, in the order of its first variable. */
export function flagSpecs (schema: EnvSchema): FlagSpec[] {
  const specs = new Map<string, FlagSpec>()
  for (const [variable, declared] of Object.entries(schema.properties)) {
    if (declared.flag === undefined) continue
    const spec = specs.get(declared.flag) ?? { name: declared.flag, variables: [], boolean: declared.type === 'boolean' }
    spec.variables.push(variable)
    specs.set(declared.flag, spec)
  }
  return [...specs.values()]
}

/**
 * `[HOST]:PORT` as Go's net.Listen reads it (`:9866`, `127.0.0.1:9866`, `[::1]:9866`) into HOST and PORT; an
 * empty host is HOST's default (all interfaces).
 */
function listenAddress (value: string, [hostVariable = 'HOST', portVariable = 'PORT']: string[], defaultHost: string): Record<string, string> | string {
  const match = /^(?:\[([^\]]*)\]|([^[\]:]*)):([^:]+)$/.exec(value)
  if (match === null) return `must be [HOST]:PORT, such as :9866 or 127.0.0.1:9866 (got ${quote(value)})`
  const host = match[1] ?? match[2] ?? ''
  return { [hostVariable]: host === '' ? defaultHost : host, [portVariable]: match[3] ?? '' }
}

/**
 * The variables the given flags set, checked as the environment would be (with WEB_TELEMETRY_PATH's own
 * rule); every problem names the flag, and the variable when the flag sets two.
 */
export function flagSettings (given: readonly GivenFlag[], schema: EnvSchema): { env: Record<string, string>, problems: string[] } {
  const env: Record<string, string> = {}
  const problems: string[] = []
  const flagOf = new Map<string, string>()
  for (const { spec, value } of given) {
    const [variable = ''] = spec.variables
    const hostDefault = schema.properties[variable]?.default
    const settings = spec.variables.length === 1 ? { [variable]: value } : listenAddress(value, spec.variables, String(hostDefault ?? ''))
    if (typeof settings === 'string') {
      problems.push(`${spec.name}: ${settings}`)
      continue
    }
    for (const [name, setting] of Object.entries(settings)) {
      env[name] = setting
      flagOf.set(name, spec.variables.length === 1 ? spec.name : `${spec.name} (${name})`)
    }
  }
  // Only the flags' variables: the others take their defaults, so every problem here is a flag's.
  const checked: string[] = []
  validateEnv(schema, Object.fromEntries(Object.entries(env).filter(([, value]) => value.trim() !== '')), checked)
  const telemetryPath = env.WEB_TELEMETRY_PATH
  const pathProblem = telemetryPath === undefined || telemetryPath === '' ? undefined : telemetryPathProblem(telemetryPath)
  if (pathProblem !== undefined && telemetryPath !== undefined) checked.push(`WEB_TELEMETRY_PATH: ${pathProblem} (got ${quote(telemetryPath)})`)
  for (const problem of checked) {
    const variable = /^(\w+): /.exec(problem)?.[1] ?? ''
    problems.push(`${flagOf.get(variable) ?? variable}: ${problem.slice(variable.length + 2)}`)
  }
  return { env, problems }
}
