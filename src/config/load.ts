import { resolve } from 'node:path'
import { ACCOUNT_SETTINGS, completeSettings, crossSettingProblems, SETTING_NAMES, type AccountSetting, type SettingName } from './account-settings.js'
import { loadAccountsFile, type AccountDefaults } from './accounts-file.js'
import { quote, setVariables, validateEnv } from './env.js'
import { defaultMaxStalenessSeconds, envSchema, type Env } from './schema.js'
import { readUtf8File, resolveSecret, type ReadFile } from './secrets.js'
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
  const strings: StringVars = vars ?? { ...env, LAAFFIC_ACCOUNT: env.LAAFFIC_ACCOUNT ?? envSchema.properties.LAAFFIC_ACCOUNT.default }
  const settingProblems: string[] = []
  const defaults = settingDefaults(env, settingProblems)
  const accounts = strings.LAAFFIC_ACCOUNTS_FILE !== undefined
    ? accountsFromFile(strings, defaults, readFile, problems)
    : [singleAccount(strings, defaults, readFile, problems)].filter((a): a is AccountConfig => a !== undefined)

  const web = loadWebConfig(vars ?? env, readFile, problems)
  // Every shard reads and checks the whole configuration, so a mistake fails them all alike.
  const shard = loadShard(vars ?? {}, problems)

  problems.push(...settingProblems)
  const telemetryProblem = vars === undefined ? undefined : telemetryPathProblem(vars.WEB_TELEMETRY_PATH)
  if (telemetryProblem !== undefined) problems.push(`WEB_TELEMETRY_PATH: ${telemetryProblem} (got ${quote(vars?.WEB_TELEMETRY_PATH ?? '')})`)
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

/**
 * What `--healthcheck` needs of the configuration: where the exporter listens and its web configuration
 * (TLS, to pin the certificate). Not the accounts: an accounts file mid-edit, or one whose reload the
 * running exporter refused while it goes on with the last good accounts, must not make it look unhealthy.
 */
export function loadListenConfig (rawEnv: NodeJS.ProcessEnv, readFile: ReadFile = readUtf8File): Pick<Config, 'host' | 'port' | 'web'> {
  const env = setVariables(rawEnv)
  const problems: string[] = []
  const vars = validateEnv(envSchema, env, problems)
  const web = loadWebConfig(vars ?? env, readFile, problems)
  if (vars === undefined || problems.length > 0) throw new ConfigError(problems)
  return { host: vars.HOST, port: vars.PORT, web }
}

type StringVars = Pick<Env, 'LAAFFIC_API_KEY' | 'LAAFFIC_API_SECRET' | 'LAAFFIC_API_SECRET_FILE' | 'LAAFFIC_ACCOUNT' | 'LAAFFIC_ACCOUNTS_FILE'>

/**
 * The per-account settings' variables: the single account's settings, and the defaults of the accounts in
 * the file. Each is validated on its own, so the file is checked with the good ones even when another
 * variable is wrong (that one is reported by the whole schema's validation).
 */
function settingDefaults (env: Record<string, string>, problems: string[]): AccountDefaults {
  const defaults: Record<string, unknown> = {}
  for (const name of SETTING_NAMES) {
    const { variable, schema, check }: AccountSetting = ACCOUNT_SETTINGS[name]
    const value = validateEnv({ type: 'object', properties: { [variable]: schema } }, env, [])?.[variable]
    if (value === undefined) continue
    const problem = check?.(value)
    if (problem === undefined) defaults[name] = value
    else problems.push(`${variable}: ${problem} (got ${quote(String(value))})`)
  }
  const nameOf = (setting: SettingName): string => ACCOUNT_SETTINGS[setting].variable
  for (const { setting, problem } of crossSettingProblems(completeSettings({}, defaults), nameOf)) problems.push(`${nameOf(setting)}: ${problem}`)
  return defaults
}

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
  return { name: vars.LAAFFIC_ACCOUNT, apiKey: vars.LAAFFIC_API_KEY, apiSecret, ...completeSettings({}, defaults) }
}

function accountsFromFile (vars: StringVars, defaults: AccountDefaults, readFile: ReadFile, problems: string[]): AccountConfig[] {
  // The single-account variables would be silently ignored next to a file: refuse the ambiguity.
  for (const name of ['LAAFFIC_API_KEY', 'LAAFFIC_API_SECRET', 'LAAFFIC_API_SECRET_FILE'] as const) {
    if (vars[name] !== undefined) problems.push(`${name} cannot be combined with LAAFFIC_ACCOUNTS_FILE: put the account in the file`)
  }
  return loadAccountsFile({ variable: 'LAAFFIC_ACCOUNTS_FILE', path: vars.LAAFFIC_ACCOUNTS_FILE as string }, defaults, readFile, problems)
}
