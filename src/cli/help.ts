// `laaffic-exporter --help`: the flags and every variable with its default and range, from the env schema (the
// README's configuration table comes from the same facts), so neither can drift from what the loader accepts.
// Within 80 columns, words never broken.
import type { EnvSchema } from '../config/define-env.js'
import { listVariables, type VariableFacts } from '../config/list-variables.js'
import { USAGE } from './args.js'
import { flagSpecs, type FlagSpec } from './flags.js'

/** Columns of a terminal the help fits without wrapping. */
export const WIDTH = 80
const INDENT = '      '

/** A Markdown link in plain text: a heading of the README (where the descriptions are shown) or an address. */
function linkText (text: string, href: string): string {
  if (href.startsWith('#')) return `${text} in README.md`
  return text === href ? text : `${text} (${href})`
}

/** Prose Markdown (no code span in it) as plain text: links and emphasis keep only their words. */
const plainProse = (prose: string): string => prose
  .replace(/\[([^\]]*)\]\(([^)]*)\)/g, (_all, text: string, href: string) => linkText(text, href))
  .replace(/(\*\*|\*)(\S(?:.*?\S)?)\1/g, '$2')

/** Markdown as plain text: `code` keeps its characters as they are (`process_*` is no emphasis), prose loses its markup. */
export function plain (markdown: string): string {
  return markdown.split(/(`+)(.*?)\1/).map((part, i) => {
    // split() with two groups gives prose, ticks, code, prose, ticks, code, ...
    if (i % 3 === 1) return ''
    return i % 3 === 2 ? part : plainProse(part)
  }).join('')
}

/** The words of `text` in lines of at most `width` columns (a longer word gets a line of its own), each indented. */
export function wrap (text: string, indent: string, continuation = indent, width = WIDTH): string[] {
  const lines: string[] = []
  let line = indent
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    const start = lines.length === 0 ? indent : continuation
    if (line !== start && line.length + 1 + word.length > width) {
      lines.push(line)
      line = continuation + word
    } else {
      line += line === start ? word : ` ${word}`
    }
  }
  lines.push(line)
  return lines
}

/** An option and what it does in two columns; the description wraps under itself. */
function optionLines (usage: string, description: string, width: number, column = 24): string[] {
  const pad = ' '.repeat(column)
  const [first = '', ...rest] = wrap(description, pad, pad, width)
  // The usage in the first line's margin when it fits there with a space to spare, else on a line of its own.
  return usage.length + 3 <= column
    ? [`  ${usage.padEnd(column - 2)}${first.trimStart()}`, ...rest]
    : [`  ${usage}`, first, ...rest]
}

/** "a, b or c" */
const oneOf = (values: readonly string[]): string => values.join(', ').replace(/, ([^,]*)$/, ' or $1')

/** How a flag is written: a boolean one alone or negated, `--web.listen-address` with its two parts. */
const flagUsage = (spec: FlagSpec): string =>
  spec.boolean ? `--[no-]${spec.name.slice(2)}` : `${spec.name} ${spec.variables.length > 1 ? '[HOST]:PORT' : 'VALUE'}`

/** The name (and flag) and default on one line, then what it does, its allowed values and its range: the README table's facts. */
function variableLines (variable: VariableFacts, width: number): string[] {
  const fallback = variable.default ?? variable.defaultText
  const values = variable.values === undefined ? '' : `: ${oneOf(variable.values)}`
  const range = variable.range === undefined ? '' : ` (${variable.range})`
  const flag = variable.flag === undefined ? '' : `, ${variable.flag}`
  return [
    ...wrap(`${variable.name}${flag}${fallback === undefined ? '' : ` (default: ${fallback})`}`, '  ', INDENT, width),
    ...wrap(`${plain(variable.description)}${values}${range}`, INDENT, INDENT, width),
  ]
}

/** The text of `laaffic-exporter --help`, its lines within `width` columns. */
export function helpText (schema: EnvSchema, width = WIDTH): string {
  const paragraph = (text: string): string[] => wrap(text, '', '', width)
  return [
    ...paragraph('laaffic-exporter: a Prometheus exporter for the prepaid balance of Laaffic SMS accounts.'),
    '',
    USAGE,
    '',
    ...optionLines('-h, --help', 'print this help', width),
    ...optionLines('-v, -V, --version', 'print the version', width),
    ...optionLines('--healthcheck', 'ask the exporter this configuration describes for /healthz (over HTTPS when it ' +
      'serves TLS) and exit 0 when it answers 200, 1 otherwise: the image\'s HEALTHCHECK (docs/docker.md)', width),
    '',
    ...paragraph('Flags, as Go exporters name them (--flag=VALUE or --flag VALUE); each sets the variable beside it ' +
      'and wins over it:'),
    '',
    ...flagSpecs(schema).flatMap((spec) => optionLines(flagUsage(spec), `sets ${spec.variables.join(' and ')}`, width, 36)),
    '',
    ...paragraph('Otherwise it polls the Laaffic API and serves the metrics (/metrics, or WEB_TELEMETRY_PATH), / (a status ' +
      'page), /healthz and /readyz (also as /-/healthy and /-/ready) on HOST:PORT. Its configuration is in these ' +
      'environment variables (an empty one counts as unset); a bad or missing value stops it with exit code 1 and ' +
      'one line per problem on stderr. A bad argument or flag value exits 2.'),
    '',
    ...listVariables(schema).flatMap((variable) => variableLines(variable, width)),
    '',
    ...paragraph('More in README.md: the accounts file, the metrics, the alerts, securing the endpoint.'),
    '',
  ].join('\n')
}
