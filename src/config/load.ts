import envSchemaValidate from 'env-schema'
import { loadAccountsFile } from './accounts-file.js'
import { envSchema, SECRET_VARIABLES, type Env } from './schema.js'
import { isHttpUrl, readUtf8File, resolveSecret, type ReadFile } from './secrets.js'
import { ConfigError, type AccountConfig, type Config } from './types.js'

interface AjvError {
  instancePath: string
  message?: string
  params: { allowedValues?: unknown[] }
}

/**
 * Builds the exporter's configuration from environment variables, or throws a ConfigError listing
 * every problem at once (one line each, naming the variable, never echoing a secret).
 */
export function loadConfig (rawEnv: NodeJS.ProcessEnv, readFile: ReadFile = readUtf8File): Config {
  // Compose files and Helm charts often pass an unset variable as an empty string: treat it as unset.
  const env = Object.fromEntries(Object.entries(rawEnv).filter(([, value]) => value !== undefined && value !== ''))
  const problems: string[] = []

  let vars: Env
  try {
    vars = envSchemaValidate<Env>({ schema: structuredClone(envSchema) as object, data: env, env: false })
  } catch (err) {
    const errors = (err as { errors?: AjvError[] }).errors ?? []
    throw new ConfigError(errors.map((e) => describeSchemaError(e, env)))
  }

  const accounts = vars.LAAFFIC_ACCOUNTS_FILE !== undefined
    ? accountsFromFile(vars, readFile, problems)
    : [singleAccount(vars, readFile, problems)].filter((a): a is AccountConfig => a !== undefined)

  if (!isHttpUrl(vars.LAAFFIC_BASE_URL)) {
    problems.push(`LAAFFIC_BASE_URL: must be an http(s) URL (got "${vars.LAAFFIC_BASE_URL}")`)
  }
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

function singleAccount (vars: Env, readFile: ReadFile, problems: string[]): AccountConfig | undefined {
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

function accountsFromFile (vars: Env, readFile: ReadFile, problems: string[]): AccountConfig[] {
  // The single-account variables would be silently ignored next to a file: refuse the ambiguity.
  for (const name of ['LAAFFIC_API_KEY', 'LAAFFIC_API_SECRET', 'LAAFFIC_API_SECRET_FILE'] as const) {
    if (vars[name] !== undefined) problems.push(`${name} cannot be combined with LAAFFIC_ACCOUNTS_FILE: put the account in the file`)
  }
  return loadAccountsFile(vars.LAAFFIC_ACCOUNTS_FILE as string, vars.LAAFFIC_BASE_URL, readFile, problems)
}

function describeSchemaError (error: AjvError, env: Record<string, string | undefined>): string {
  const variable = error.instancePath.replace(/^\//, '')
  const allowed = error.params.allowedValues !== undefined ? `: ${error.params.allowedValues.join(', ')}` : ''
  const got = SECRET_VARIABLES.has(variable) ? '' : ` (got "${env[variable] ?? ''}")`
  return `${variable}: ${error.message ?? 'is invalid'}${allowed}${got}`
}
