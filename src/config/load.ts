import { resolve } from 'node:path'
import { loadAccountsFile, type AccountDefaults } from './accounts-file.js'
import { quote, setVariables, validateEnv } from './env.js'
import { defaultMaxStalenessSeconds, envSchema, type Env } from './schema.js'
import { isHttpUrl, readUtf8File, resolveSecret, type ReadFile } from './secrets.js'
import { accountsOfShard, loadShard } from './shard.js'
import { telemetryPathProblem } from './telemetry-path.js'
import { ConfigError, type AccountConfig, type Config } from './types.js'
import { loadWebConfig } from './web.js'

/**
 * Builds the exporter's configuration from environment variables, or throws a ConfigError listing
 * every problem at once (one line each, naming the variable, never echoing a secret).
 */
export function loadConfig (rawEnv: NodeJS.ProcessEnv, readFileFn: ReadFile = readUtf8File): Config {
  const env = setVariables(rawEnv)
  const problems: string[] = []
  // Every file read is remembered: a reload watches them (accounts, secrets, web config, certificates).
  const files = new Set<string>()
  const readFile: ReadFile = (path) => {
    files.add(resolve(path))
    return readFileFn(path)
  }

  const vars = validateEnv(envSchema, env, problems)

  // The string variables are checked even when a number failed above, so every problem shows at once.
  const strings: StringVars = vars ?? {
    ...env,
    LAAFFIC_ACCOUNT: env.LAAFFIC_ACCOUNT ?? envSchema.properties.LAAFFIC_ACCOUNT.default,
    LAAFFIC_BASE_URL: env.LAAFFIC_BASE_URL ?? envSchema.properties.LAAFFIC_BASE_URL.default,
  }
  const defaults: AccountDefaults = {
    baseUrl: strings.LAAFFIC_BASE_URL,
    balanceWarning: vars?.LAAFFIC_BALANCE_WARNING ?? envSchema.properties.LAAFFIC_BALANCE_WARNING.default,
    balanceCritical: vars?.LAAFFIC_BALANCE_CRITICAL ?? envSchema.properties.LAAFFIC_BALANCE_CRITICAL.default,
    spendSpikeFloor: vars?.LAAFFIC_SPEND_SPIKE_FLOOR ?? envSchema.properties.LAAFFIC_SPEND_SPIKE_FLOOR.default,
  }
  if (defaults.balanceCritical > defaults.balanceWarning) {
    problems.push(`LAAFFIC_BALANCE_CRITICAL: must not be above LAAFFIC_BALANCE_WARNING (got ${defaults.balanceCritical} > ${defaults.balanceWarning})`)
  }
  const accounts = strings.LAAFFIC_ACCOUNTS_FILE !== undefined
    ? accountsFromFile(strings, defaults, readFile, problems)
    : [singleAccount(strings, defaults, readFile, problems)].filter((a): a is AccountConfig => a !== undefined)

  const web = loadWebConfig(vars ?? env, readFile, problems)
  // Every shard reads and checks the whole configuration, so a mistake fails them all alike.
  const shard = loadShard(vars ?? {}, problems)

  const telemetryProblem = vars === undefined ? undefined : telemetryPathProblem(vars.WEB_TELEMETRY_PATH)
  if (telemetryProblem !== undefined) problems.push(`WEB_TELEMETRY_PATH: ${telemetryProblem} (got ${quote(vars?.WEB_TELEMETRY_PATH ?? '')})`)
  if (!isHttpUrl(strings.LAAFFIC_BASE_URL)) {
    problems.push(`LAAFFIC_BASE_URL: must be an http(s) URL (got ${quote(strings.LAAFFIC_BASE_URL)})`)
  }
  if (vars === undefined || problems.length > 0) throw new ConfigError(problems)

  return {
    accounts: accountsOfShard(accounts, shard),
    shard,
    web,
    pollIntervalSeconds: vars.LAAFFIC_POLL_INTERVAL,
    requestTimeoutSeconds: vars.LAAFFIC_REQUEST_TIMEOUT,
    maxConcurrentPolls: vars.LAAFFIC_MAX_CONCURRENT_POLLS,
    maxStalenessSeconds: vars.LAAFFIC_MAX_STALENESS ?? defaultMaxStalenessSeconds(vars.LAAFFIC_POLL_INTERVAL),
    lifecycle: vars.WEB_ENABLE_LIFECYCLE,
    files: [...files],
    processMetrics: vars.LAAFFIC_PROCESS_METRICS,
    host: vars.HOST,
    port: vars.PORT,
    telemetryPath: vars.WEB_TELEMETRY_PATH,
    logLevel: vars.LOG_LEVEL,
    logFormat: vars.LOG_FORMAT,
  }
}

type StringVars = Pick<Env, 'LAAFFIC_API_KEY' | 'LAAFFIC_API_SECRET' | 'LAAFFIC_API_SECRET_FILE' | 'LAAFFIC_ACCOUNT' | 'LAAFFIC_ACCOUNTS_FILE' | 'LAAFFIC_BASE_URL'>

function singleAccount (vars: StringVars, defaults: AccountDefaults, readFile: ReadFile, problems: string[]): AccountConfig | undefined {
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
  return { ...defaults, name: vars.LAAFFIC_ACCOUNT, apiKey: vars.LAAFFIC_API_KEY, apiSecret }
}

function accountsFromFile (vars: StringVars, defaults: AccountDefaults, readFile: ReadFile, problems: string[]): AccountConfig[] {
  // The single-account variables would be silently ignored next to a file: refuse the ambiguity.
  for (const name of ['LAAFFIC_API_KEY', 'LAAFFIC_API_SECRET', 'LAAFFIC_API_SECRET_FILE'] as const) {
    if (vars[name] !== undefined) problems.push(`${name} cannot be combined with LAAFFIC_ACCOUNTS_FILE: put the account in the file`)
  }
  return loadAccountsFile({ variable: 'LAAFFIC_ACCOUNTS_FILE', path: vars.LAAFFIC_ACCOUNTS_FILE as string }, defaults, readFile, problems)
}
