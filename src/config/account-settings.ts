// Every per-account setting, declared once: its field in the accounts file, the variable that sets it for the
// single account and is the default of the accounts in the file, its type, range and default, what a reload
// does when it changes and what exports it. The accounts-file parser, the loader's defaults, the reload's
// change summary, the account state, the exported gauges and labels, the start line and the docs read this
// table: adding a setting is a row here (and its metric name, when it exports a gauge of its own).
import { METRIC } from '../metrics/names.js'
import type { NumberVariable, StringVariable, ValueOf } from './define-env.js'
import { PROVIDER_NAMES, PROVIDERS, type Provider } from './providers.js'
import { isHttpUrl } from './secrets.js'

export interface AccountSetting {
  /** The variable giving the single account's value, and the default of the accounts in the file. */
  variable: string
  /** Type, range or allowed values, default and description: the variable and the file's field are checked alike. */
  schema: StringVariable | NumberVariable
  /** A check beyond the schema: what is wrong with the value (it follows the setting's name), or undefined. */
  check?: (value: string | number) => string | undefined
  /** The value when neither the file nor the variable gives one and the schema has no default (settings above are resolved). */
  otherwise?: (account: Readonly<Record<string, unknown>>) => string | number
  /** What a reload that changes it does: `repoll` polls the account again at once (what is asked changed), `update` applies it in place. */
  reload: 'repoll' | 'update'
  /**
   * A gauge of its own per account (its help text gets where it is set), or a label of laaffic_account_info.
   * Both are read from the account state, which holds the `update` settings only.
   */
  exports?: { gauge: string, help: string } | { infoLabel: string }
}

const defineAccountSettings = <const T extends Record<string, AccountSetting>>(settings: T): T => settings

/** The ISO 4217 codes in use, from ICU (Node's Intl); a Node built without ICU data has none: the pattern alone decides there. */
function knownCurrencies (): ReadonlySet<string> | undefined {
  try {
    return new Set(Intl.supportedValuesOf('currency'))
  } catch {
    return undefined
  }
}
const CURRENCIES = knownCurrencies()
const isCurrencyCode = (code: string): boolean => /^[A-Z]{3}$/.test(code) && (CURRENCIES?.has(code) ?? true)

/** Resolved in this order (baseUrl's default reads provider); gauges and labels are exported in this order. */
export const ACCOUNT_SETTINGS = defineAccountSettings({
  provider: {
    variable: 'LAAFFIC_PROVIDER',
    schema: { type: 'string', enum: PROVIDER_NAMES, default: 'laaffic', description: 'platform, which sets the default base URL (see [docs/providers.md](docs/providers.md))' },
    reload: 'update',
    exports: { infoLabel: 'provider' },
  },
  baseUrl: {
    variable: 'LAAFFIC_BASE_URL',
    schema: { type: 'string', defaultText: 'the provider\'s', description: 'API base URL (http or https)' },
    check: (value) => isHttpUrl(String(value)) ? undefined : 'must be an http(s) URL',
    otherwise: (account) => PROVIDERS[account.provider as Provider].baseUrl,
    reload: 'repoll',
  },
  currency: {
    variable: 'LAAFFIC_CURRENCY',
    schema: { type: 'string', description: 'ISO 4217 code of the account\'s currency (`EUR`)' },
    check: (value) => isCurrencyCode(String(value)) ? undefined : 'must be an ISO 4217 currency code such as USD or EUR',
    otherwise: () => '',
    reload: 'update',
    exports: { infoLabel: 'currency' },
  },
  balanceWarning: {
    variable: 'LAAFFIC_BALANCE_WARNING',
    schema: { type: 'number', default: 100, description: 'balance under which `LaafficBalanceLow` fires' },
    reload: 'update',
    exports: { gauge: METRIC.balanceWarningThreshold, help: 'Balance under which the LaafficBalanceLow alert fires' },
  },
  balanceCritical: {
    variable: 'LAAFFIC_BALANCE_CRITICAL',
    schema: { type: 'number', default: 20, description: 'balance under which `LaafficBalanceCritical` fires; not above the warning' },
    reload: 'update',
    exports: { gauge: METRIC.balanceCriticalThreshold, help: 'Balance under which the LaafficBalanceCritical alert fires' },
  },
  spendSpikeFloor: {
    variable: 'LAAFFIC_SPEND_SPIKE_FLOOR',
    schema: { type: 'number', minimum: 0, default: 10, description: 'spend per hour under which `LaafficSpendSpike` never fires' },
    reload: 'update',
    exports: { gauge: METRIC.spendSpikeFloor, help: 'Spend per hour under which the LaafficSpendSpike alert never fires' },
  },
})

type Settings = typeof ACCOUNT_SETTINGS
export type SettingName = keyof Settings
type Flat<T> = { [K in keyof T]: T[K] }

/** An account's settings, every one resolved. */
export type AccountSettingValues = { [K in SettingName]: ValueOf<Settings[K]['schema']> }

/** One account of the configuration: who it is, how to sign for it, and its settings (from the table above). */
export type AccountConfig = Flat<{
  /** Value of the `account` label. */
  name: string
  apiKey: string
  apiSecret: string
} & AccountSettingValues>

export const SETTING_NAMES = Object.keys(ACCOUNT_SETTINGS) as SettingName[]

/** The settings a reload changes in place (the account state holds them; pages and metrics read them there). */
export type InPlaceSettingName = { [K in SettingName]: Settings[K]['reload'] extends 'update' ? K : never }[SettingName]
export const IN_PLACE_SETTINGS = SETTING_NAMES.filter((name): name is InPlaceSettingName => ACCOUNT_SETTINGS[name].reload === 'update')

/** The fields of an account whose change makes its next poll a different request (polled again at once). */
export const REQUEST_FIELDS = ['apiKey', 'apiSecret', ...SETTING_NAMES.filter((name) => ACCOUNT_SETTINGS[name].reload === 'repoll')] as const

/** The settings as the table's defaults give them (tests and benchmarks build accounts from these). */
export const DEFAULT_SETTINGS: AccountSettingValues = completeSettings({}, {})

/**
 * An account's settings: what it sets itself, else its variable's value, else the schema's default, else
 * what `otherwise` derives from the settings resolved before it.
 */
export function completeSettings (own: Partial<AccountSettingValues>, defaults: Partial<AccountSettingValues>): AccountSettingValues {
  const values: Record<string, unknown> = {}
  for (const name of SETTING_NAMES) {
    const setting: AccountSetting = ACCOUNT_SETTINGS[name]
    values[name] = own[name] ?? defaults[name] ?? setting.schema.default ?? setting.otherwise?.(values)
  }
  return values as AccountSettingValues
}

/** Rules between settings: each names the setting at fault; `nameOf` names another as the source does (variable or field). */
const RULES: Array<(a: AccountSettingValues, nameOf: (s: SettingName) => string) => { setting: SettingName, problem: string } | undefined> = [
  (a, nameOf) => a.balanceCritical > a.balanceWarning
    ? { setting: 'balanceCritical', problem: `must not be above ${nameOf('balanceWarning')} (got ${a.balanceCritical} > ${a.balanceWarning})` }
    : undefined,
]

/** What the rules between settings find wrong in `values`. */
export function crossSettingProblems (values: AccountSettingValues, nameOf: (s: SettingName) => string): Array<{ setting: SettingName, problem: string }> {
  return RULES.map((rule) => rule(values, nameOf)).filter((p) => p !== undefined)
}

type VariablesOf<T> = { [K in keyof T as T[K] extends { variable: infer V extends string } ? V : never]: T[K] extends { schema: infer S } ? S : never }

/** The settings' variables, for the exporter's env schema (its README table and --help list them with the others). */
export const ACCOUNT_VARIABLES = Object.fromEntries(SETTING_NAMES.map((name) => [ACCOUNT_SETTINGS[name].variable, ACCOUNT_SETTINGS[name].schema])) as VariablesOf<Settings>
