import envSchemaValidate from 'env-schema'
import { loadAccountsFile } from './accounts-file.js'
import { envSchema, SECRET_VARIABLES, type Env } from './schema.js'
import { isHttpUrl, readUtf8File, resolveSecret, type ReadFile } from './secrets.js'
import { ConfigError, type AccountConfig, type Config } from './types.js'

interface AjvError {
  instancePath: string
  keyword: string
  message?: string
  params: { allowedValues?: unknown[], type?: string, comparison?: string, limit?: number }
}

/**
 * Builds the exporter's configuration from environment variables, or throws a ConfigError listing
 * every problem at once (one line each, naming the variable, never echoing a secret).
 */
export function loadConfig (rawEnv: NodeJS.ProcessEnv, readFile: ReadFile = readUtf8File): Config {
  // Compose files and Helm charts often pass an unset variable as an empty string: treat it as unset.
  const env = Object.fromEntries(Object.entries(rawEnv).filter(([, value]) => value !== undefined && value !== ''))
  const problems: string[] = []

  let vars: Env | undefined
  try {
    vars = envSchemaValidate<Env>({ schema: structuredClone(envSchema) as object, data: env, env: false })
  } catch (err) {
    const errors = (err as { errors?: AjvError[] }).errors ?? []
    problems.push(...errors.map((e) => describeSchemaError(e, env)))
  }

  // The string variables are checked even when a number failed above, so every problem shows at once.
  const strings: StringVars = vars ?? {
    ...env,
    LAAFFIC_ACCOUNT: env.LAAFFIC_ACCOUNT ?? envSchema.properties.LAAFFIC_ACCOUNT.default,
    LAAFFIC_BASE_URL: env.LAAFFIC_BASE_URL ?? envSchema.properties.LAAFFIC_BASE_URL.default,
  }
  const accounts = strings.LAAFFIC_ACCOUNTS_FILE !== undefined
    ? accountsFromFile(strings, readFile, problems)
    : [singleAccount(strings, readFile, problems)].filter((a): a is AccountConfig => a !== undefined)

  if (!isHttpUrl(strings.LAAFFIC_BASE_URL)) {
    problems.push(`LAAFFIC_BASE_URL: must be an http(s) URL (got "${strings.LAAFFIC_BASE_URL}")`)
  }
  if (vars === undefined || problems.length > 0) throw new ConfigError(problems)
  if (problems.length > 0) throw new ConfigError(problems)

  return {
    accounts,
    pollIntervalSeconds: vars.LAAFFIC_POLL_INTERVAL,
    requestTimeoutSeconds: vars.LAAFFIC_REQUEST_TIMEOUT,
    maxStalenessSeconds: vars.LAAFFIC_MAX_STALENESS ?? Math.max(900, 3 * vars.LAAFFIC_POLL_INTERVAL),
    processMetrics: vars.LAAFFIC_PROCESS_METRICS,
    host: vars.HOST,
    port: vars.PORT,
    logLevel: vars.LOG_LEVEL,
  }
}

type StringVars = Pick<Env, 'LAAFFIC_API_KEY' | 'LAAFFIC_API_SECRET' | 'LAAFFIC_API_SECRET_FILE' | 'LAAFFIC_ACCOUNT' | 'LAAFFIC_ACCOUNTS_FILE' | 'LAAFFIC_BASE_URL'>

function singleAccount (vars: StringVars, readFile: ReadFile, problems: string[]): AccountConfig | undefined {
  if (vars.LAAFFIC_API_KEY === undefined) {
    problems.push('LAAFFIC_API_KEY is required (or set LAAFFIC_ACCOUNTS_FILE for several accounts)')
  }
  const apiSecret = resolveSecret({
    inline: vars.LAAFFIC_API_SECRET,
    file: vars.LAAFFIC_API_SECRET_FILE,
    inlineName: 'LAAFFIC_API_SECRET',
    fileName: 'LAAFFIC_API_SECRET_FILE',
  }, readFile, problems)
  if (vars.LAAFFIC_API_KEY === undefined || apiSecret === undefined) return undefined
  return { name: vars.LAAFFIC_ACCOUNT, apiKey: vars.LAAFFIC_API_KEY, apiSecret, baseUrl: vars.LAAFFIC_BASE_URL }
}

function accountsFromFile (vars: StringVars, readFile: ReadFile, problems: string[]): AccountConfig[] {
  // The single-account variables would be silently ignored next to a file: refuse the ambiguity.
  for (const name of ['LAAFFIC_API_KEY', 'LAAFFIC_API_SECRET', 'LAAFFIC_API_SECRET_FILE'] as const) {
    if (vars[name] !== undefined) problems.push(`${name} cannot be combined with LAAFFIC_ACCOUNTS_FILE: put the account in the file`)
  }
  return loadAccountsFile(vars.LAAFFIC_ACCOUNTS_FILE as string, vars.LAAFFIC_BASE_URL, readFile, problems)
}

function describeSchemaError (error: AjvError, env: Record<string, string | undefined>): string {
  const variable = error.instancePath.replace(/^\//, '')
  const got = SECRET_VARIABLES.has(variable) ? '' : ` (got "${env[variable] ?? ''}")`
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
