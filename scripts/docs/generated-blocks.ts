// Parts of the documentation that are derived from the code: each sits between
// `<!-- generated:NAME -->` and `<!-- /generated:NAME -->` and is rewritten by `npm run docs`;
// test/docs/generated-blocks.test.ts fails when a committed copy differs from what the code says.
import { STATUS_TABLE, type StatusInfo } from '../../src/api/status.js'
import { ACCOUNT_SETTINGS, SETTING_NAMES, type AccountSetting, type SettingName } from '../../src/config/account-settings.js'
import { listVariables, rangeOf, type VariableFacts } from '../../src/config/list-variables.js'
import { CONDITIONS, CONDITION_ORDER } from '../../src/http/account-view.js'
import type { EnvSchema } from '../../src/config/define-env.js'
import { envSchema } from '../../src/config/schema.js'
import { simulatorEnvSchema } from '../../src/simulator/config.js'
import { flagsTable } from '../soak/options.js'

/** A Markdown table row; a `|` inside a cell is escaped. */
const tableRow = (cells: string[]): string => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`

const code = (text: string): string => text.replace(/[a-z_]+<code>|-?\d+|timeout|network|invalid_response|other/, (s) => `\`${s}\``)

function statusRow (info: StatusInfo): string {
  const status = info.status === 'other' ? 'any other code' : code(info.status)
  return tableRow([status, info.source === 'api' ? 'API' : 'exporter', info.meaning, info.backoff ? 'yes' : 'no', info.startsAtZero ? 'yes' : 'no', info.hint])
}

/** The status table of docs/metrics.md, from src/api/status-table.ts. */
export function statusTable (): string {
  return [
    '| status | from | meaning | backs off | counter starts at 0 | hint in the log |',
    '|---|---|---|---|---|---|',
    ...STATUS_TABLE.map(statusRow),
  ].join('\n')
}

/** "`a`, `b` or `c`" */
const oneOf = (values: readonly string[]): string =>
  values.map((v) => `\`${v}\``).join(', ').replace(/, ([^,]*)$/, ' or $1')

function variableRow (variable: VariableFacts): string {
  const fallback = variable.default === undefined ? variable.defaultText ?? '—' : `\`${variable.default}\``
  const values = variable.values === undefined ? '' : `: ${oneOf(variable.values)}`
  const range = variable.range === undefined ? '' : ` (${variable.range})`
  return tableRow([`\`${variable.name}\``, fallback, `${variable.description}${values}${range}`])
}

/** A table of a program's variables, from its env schema. */
function variablesTable (schema: EnvSchema): string {
  return ['| variable | default | meaning |', '|---|---|---|', ...listVariables(schema).map(variableRow)].join('\n')
}

/** The configuration table of the README, from the env schema (src/config/schema.ts). */
export const configTable = (): string => variablesTable(envSchema)

/** README-relative Markdown links, for a document in docs/. */
const fromDocs = (markdown: string): string => markdown.replace(/\]\(docs\//g, '](').replace(/\]\(#/g, '](../README.md#')

/** The per-account settings of docs/accounts.md, from their table (src/config/account-settings.ts). */
export function accountSettingsTable (): string {
  const row = (name: SettingName): string => {
    const { variable, schema, reload, exports }: AccountSetting = ACCOUNT_SETTINGS[name]
    const fallback = schema.default === undefined ? schema.defaultText ?? 'none' : `\`${schema.default}\``
    const values = schema.type === 'string' ? (schema.enum === undefined ? '' : `: ${oneOf(schema.enum)}`) : (rangeOf(schema) === undefined ? '' : ` (${rangeOf(schema)})`)
    const type = schema.type === 'string' ? 'text' : 'number'
    const onReload = reload === 'repoll' ? 'polled again at once (`credentialsChanged`)' : 'applied in place (`settingsChanged`)'
    const exported = exports === undefined ? '—' : 'gauge' in exports ? `\`${exports.gauge}\`` : `\`${exports.infoLabel}\` label of \`laaffic_account_info\``
    return tableRow([`\`${name}\``, type, `\`${variable}\`, else ${fallback}`, onReload, exported, fromDocs(`${schema.description}${values}`)])
  }
  return [
    '| field | type | default | on reload | exported as | meaning |',
    '|---|---|---|---|---|---|',
    ...SETTING_NAMES.map(row),
  ].join('\n')
}

/** The status page's states, most urgent first, from src/http/account-view.ts. */
export const statusStates = (): string =>
  ['| state | when (the first that applies) |', '|---|---|', ...CONDITION_ORDER.map((c) => tableRow([`\`${c}\``, CONDITIONS[c]]))].join('\n')

export const GENERATED_BLOCKS: Record<string, () => string> = {
  'status-table': statusTable,
  'config-table': configTable,
  'soak-flags': flagsTable,
  'simulator-config-table': () => variablesTable(simulatorEnvSchema),
  'status-page-states': statusStates,
  'account-settings': accountSettingsTable,
}

const blockPattern = (name: string): RegExp =>
  new RegExp(`(<!-- generated:${name} -->\\n)([\\s\\S]*?)(<!-- /generated:${name} -->)`)

/** The block's current text in `document`, or undefined when the markers are missing. */
export function readBlock (document: string, name: string): string | undefined {
  return blockPattern(name).exec(document)?.[2]?.replace(/\n$/, '')
}

/** `document` with the block's text replaced; throws when the markers are missing. */
export function writeBlock (document: string, name: string, text: string): string {
  if (readBlock(document, name) === undefined) throw new Error(`no <!-- generated:${name} --> block`)
  return document.replace(blockPattern(name), (_all, open: string, _old: string, close: string) => `${open}${text}\n${close}`)
}
