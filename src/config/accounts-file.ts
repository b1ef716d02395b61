import { dirname, resolve } from 'node:path'
import { quote } from './env.js'
import { isHttpUrl, readConfigFile, resolveSecret, type ReadFile } from './secrets.js'
import type { AccountConfig } from './types.js'
import { parseYamlDocument, plainValue } from './yaml.js'

const KNOWN_FIELDS = new Set(['name', 'apiKey', 'apiSecret', 'apiSecretFile', 'baseUrl', 'balanceWarning', 'balanceCritical', 'spendSpikeFloor'])

/** What an account in the file gets for the fields it leaves out (from the environment). */
export interface AccountDefaults {
  baseUrl: string
  balanceWarning: number
  balanceCritical: number
  spendSpikeFloor: number
}

/** The accounts file, and the variable that named it (each problem leads with it). */
export interface AccountsFileSource {
  variable: string
  path: string
}

/**
 * Reads `accounts: [{name, apiKey, apiSecret | apiSecretFile, baseUrl?, balanceWarning?, balanceCritical?, spendSpikeFloor?}]`
 * from a YAML or JSON file
 * (YAML is a superset of JSON, so one parser reads both). Relative `apiSecretFile` paths are resolved
 * against the accounts file's folder. Problems are appended to `problems`, prefixed with the variable.
 */
export function loadAccountsFile (
  { variable, path }: AccountsFileSource,
  defaults: AccountDefaults,
  readFile: ReadFile,
  problems: string[],
): AccountConfig[] {
  const text = readConfigFile(path, variable, readFile, problems)
  if (text === undefined) return []
  const parsed = parseYamlDocument(text)
  const read = 'document' in parsed ? plainValue(parsed.document) : parsed
  if ('problem' in read) {
    problems.push(`${variable}: ${quote(path)} is not valid YAML or JSON: ${read.problem}`)
    return []
  }
  const document = read.value
  const list = (document as { accounts?: unknown } | null)?.accounts
  if (!Array.isArray(list) || list.length === 0) {
    problems.push(`${variable}: ${quote(path)} must hold a non-empty list under "accounts"`)
    return []
  }

  const accounts: AccountConfig[] = []
  const seen = new Set<string>()
  list.forEach((entry: unknown, index) => {
    const where = `${variable}: accounts[${index}]`
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      problems.push(`${where} must be a mapping with name, apiKey and apiSecret or apiSecretFile`)
      return
    }
    const fields = entry as Record<string, unknown>
    const before = problems.length
    for (const key of Object.keys(fields)) {
      // A field name is echoed only when it looks like one: `apiSecret:s3cret` (no space) is a key to YAML.
      if (!KNOWN_FIELDS.has(key)) problems.push(`${where}: unknown field ${/^[A-Za-z_][A-Za-z0-9_]{0,40}$/.test(key) ? quote(key) : '(not shown)'}`)
    }
    const name = requireString(fields, 'name', where, problems)
    const apiKey = requireString(fields, 'apiKey', where, problems)
    const secretFile = optionalString(fields, 'apiSecretFile', where, problems)
    const apiSecret = resolveSecret({
      inline: optionalString(fields, 'apiSecret', where, problems),
      file: secretFile === undefined ? undefined : resolve(dirname(path), secretFile),
      inlineName: `${where}.apiSecret`,
      fileName: `${where}.apiSecretFile`,
    }, readFile, problems)
    const baseUrl = optionalString(fields, 'baseUrl', where, problems) ?? defaults.baseUrl
    if (!isHttpUrl(baseUrl)) problems.push(`${where}.baseUrl: must be an http(s) URL (got ${quote(baseUrl)})`)
    const balanceWarning = optionalNumber(fields, 'balanceWarning', where, problems) ?? defaults.balanceWarning
    const balanceCritical = optionalNumber(fields, 'balanceCritical', where, problems) ?? defaults.balanceCritical
    if (balanceCritical > balanceWarning) {
      problems.push(`${where}: balanceCritical must not be above balanceWarning (got ${balanceCritical} > ${balanceWarning})`)
    }
    const spendSpikeFloor = optionalNumber(fields, 'spendSpikeFloor', where, problems) ?? defaults.spendSpikeFloor
    if (spendSpikeFloor < 0) problems.push(`${where}.spendSpikeFloor must be >= 0 (got ${spendSpikeFloor})`)
    if (name !== undefined) {
      if (seen.has(name)) problems.push(`${where}.name: ${quote(name)} is used by another account; names must be unique`)
      seen.add(name)
    }
    if (problems.length === before && name !== undefined && apiKey !== undefined && apiSecret !== undefined) {
      accounts.push({ name, apiKey, apiSecret, baseUrl, balanceWarning, balanceCritical, spendSpikeFloor })
    }
  })
  return accounts
}

function requireString (fields: Record<string, unknown>, key: string, where: string, problems: string[]): string | undefined {
  const value = optionalString(fields, key, where, problems)
  if (value === undefined && !(key in fields)) problems.push(`${where}.${key} is required`)
  return value
}

function optionalString (fields: Record<string, unknown>, key: string, where: string, problems: string[]): string | undefined {
  const value = fields[key]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string' || value.trim() === '') {
    const hint = typeof value === 'number' ? ' (quote it: YAML read it as a number)' : ''
    problems.push(`${where}.${key} must be a non-empty string${hint}`)
    return undefined
  }
  return value
}

function optionalNumber (fields: Record<string, unknown>, key: string, where: string, problems: string[]): number | undefined {
  const value = fields[key]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    problems.push(`${where}.${key} must be a number`)
    return undefined
  }
  return value
}

