import { dirname, resolve } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { ACCOUNT_SETTINGS, completeSettings, crossSettingProblems, SETTING_NAMES, type AccountConfig, type AccountSetting, type AccountSettingValues } from './account-settings.js'
import { quote } from './env.js'
import { readConfigFile, resolveSecret, type ReadFile } from './secrets.js'

const KNOWN_FIELDS = new Set<string>(['name', 'apiKey', 'apiSecret', 'apiSecretFile', ...SETTING_NAMES])

/** What an account in the file gets for the settings it leaves out (the variables' values). */
export type AccountDefaults = Partial<AccountSettingValues>

/** The accounts file, and the variable that named it (each problem leads with it). */
export interface AccountsFileSource {
  variable: string
  path: string
}

/**
 * Reads `accounts: [{name, apiKey, apiSecret | apiSecretFile, ...settings}]` (the settings of
 * account-settings.ts) from a YAML or JSON file (YAML is a superset of JSON, so one parser reads both).
 * Relative `apiSecretFile` paths are resolved against the accounts file's folder. Problems are appended to
 * `problems`, each naming the variable and the entry: by its name, or by its position counted from 1.
 */
export function loadAccountsFile (
  { variable, path }: AccountsFileSource,
  defaults: AccountDefaults,
  readFile: ReadFile,
  problems: string[],
): AccountConfig[] {
  const text = readConfigFile(path, variable, readFile, problems)
  if (text === undefined) return []
  let document: unknown
  try {
    // logLevel 'error': the yaml library would print warnings (an unknown !tag, with its source line and
    // so maybe a secret) on stderr.
    document = parseYaml(text, { logLevel: 'error' })
  } catch (err) {
    // Only where, never the message: it quotes the source, which may be a secret.
    const { code, linePos } = err as { code?: string, linePos?: Array<{ line: number, col: number }> }
    const at = linePos?.[0] === undefined ? '' : ` at line ${linePos[0].line}, column ${linePos[0].col}`
    problems.push(`${variable}: ${quote(path)} is not valid YAML or JSON (${code ?? 'parse error'}${at})`)
    return []
  }
  const list = (document as { accounts?: unknown } | null)?.accounts
  if (!Array.isArray(list) || list.length === 0) {
    problems.push(`${variable}: ${quote(path)} must hold a non-empty list under "accounts"`)
    return []
  }

  const names = list.map(nameOf)
  const firstIndex = new Map<string, number>()
  const defaultsFail = new Set(crossSettingProblems(completeSettings({}, defaults), (s) => s).map((p) => p.setting))
  const accounts: AccountConfig[] = []
  list.forEach((entry: unknown, index) => {
    const name = names[index]
    // People count from 1; a name used twice does not say which entry, so those are numbered too.
    const unique = name !== undefined && names.indexOf(name) === names.lastIndexOf(name)
    const where = `${variable}: account ${unique ? quote(name) : `${index + 1}${name === undefined ? '' : ` (${quote(name)})`}`}`
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      problems.push(`${where} must be a mapping with name, apiKey and apiSecret or apiSecretFile`)
      return
    }
    const fields = entry as Record<string, unknown>
    const found: string[] = []
    for (const key of Object.keys(fields)) {
      // A field name is echoed only when it looks like one: `apiSecret:s3cret` (no space) is a key to YAML.
      if (!KNOWN_FIELDS.has(key)) found.push(`unknown field ${/^[A-Za-z_][A-Za-z0-9_]{0,40}$/.test(key) ? quote(key) : '(not shown)'}`)
    }
    requireString(fields, 'name', found)
    const apiKey = requireString(fields, 'apiKey', found)
    const secretFile = optionalString(fields, 'apiSecretFile', found)
    const apiSecret = resolveSecret({
      inline: optionalString(fields, 'apiSecret', found),
      file: secretFile === undefined ? undefined : resolve(dirname(path), secretFile),
      inlineName: 'apiSecret',
      fileName: 'apiSecretFile',
    }, readFile, found)
    const own = readSettings(fields, found)
    const settings = completeSettings(own, defaults)
    for (const { setting, problem } of crossSettingProblems(settings, (s) => s)) {
      // A rule the variables alone break is reported once, for them, unless this entry sets the setting itself.
      if (setting in own || !defaultsFail.has(setting)) found.push(`${setting} ${problem}`)
    }
    if (name !== undefined && firstIndex.has(name)) {
      found.push(`name ${quote(name)} is also used by account ${(firstIndex.get(name) ?? 0) + 1}; names must be unique`)
    } else if (name !== undefined) firstIndex.set(name, index)
    problems.push(...found.map((problem) => `${where}: ${problem}`))
    if (found.length === 0 && name !== undefined && apiKey !== undefined && apiSecret !== undefined) {
      accounts.push({ name, apiKey, apiSecret, ...settings })
    }
  })
  return accounts
}

/** The entry's name when it has a usable one (a non-empty string). */
function nameOf (entry: unknown): string | undefined {
  const name = (entry as { name?: unknown } | null)?.name
  return typeof name === 'string' && name.trim() !== '' ? name : undefined
}

/** The settings the entry sets, each checked against its schema like its variable; a bad one is left out. */
function readSettings (fields: Record<string, unknown>, found: string[]): Partial<AccountSettingValues> {
  const own: Record<string, string | number> = {}
  for (const name of SETTING_NAMES) {
    const { schema, check }: AccountSetting = ACCOUNT_SETTINGS[name]
    const value = schema.type === 'string' ? optionalString(fields, name, found) : optionalNumber(fields, name, found)
    if (value === undefined) continue
    const problem = schemaProblem(schema, value) ?? check?.(value)
    if (problem === undefined) own[name] = value
    else found.push(`${name} ${problem} (got ${typeof value === 'string' ? quote(value) : value})`)
  }
  return own
}

/** The env schema's rules (enum, range) applied to a field, in the words the variables' errors use. */
function schemaProblem (schema: AccountSetting['schema'], value: string | number): string | undefined {
  if (schema.type === 'string') return schema.enum !== undefined && !schema.enum.includes(String(value)) ? `must be one of ${schema.enum.join(', ')}` : undefined
  if (typeof value !== 'number') return undefined
  if (schema.type === 'integer' && !Number.isInteger(value)) return 'must be a whole number'
  if (schema.minimum !== undefined && value < schema.minimum) return `must be >= ${schema.minimum}`
  if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) return `must be > ${schema.exclusiveMinimum}`
  if (schema.maximum !== undefined && value > schema.maximum) return `must be <= ${schema.maximum}`
  return undefined
}

function requireString (fields: Record<string, unknown>, key: string, found: string[]): string | undefined {
  const value = optionalString(fields, key, found)
  if (value === undefined && !(key in fields)) found.push(`${key} is required`)
  return value
}

function optionalString (fields: Record<string, unknown>, key: string, found: string[]): string | undefined {
  const value = fields[key]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string' || value.trim() === '') {
    const hint = typeof value === 'number' ? ' (quote it: YAML read it as a number)' : ''
    found.push(`${key} must be a non-empty string${hint}`)
    return undefined
  }
  return value
}

function optionalNumber (fields: Record<string, unknown>, key: string, found: string[]): number | undefined {
  const value = fields[key]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    found.push(`${key} must be a number`)
    return undefined
  }
  return value
}
