// `laaffic-exporter --help`: every variable with its default and range, from the env schema (the README's
// configuration table comes from the same facts), so neither can drift from what the loader accepts.
import { listVariables, type VariableFacts } from '../config/list-variables.js'
import { envSchema } from '../config/schema.js'
import { USAGE } from './args.js'

/** Columns of a terminal the help fits without wrapping. */
export const WIDTH = 100
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

/** "a, b or c" */
const oneOf = (values: readonly string[]): string => values.join(', ').replace(/, ([^,]*)$/, ' or $1')

/** The name and default on one line, then what it does, its allowed values and its range: the README table's facts. */
function variableLines (variable: VariableFacts): string[] {
  const fallback = variable.default ?? variable.defaultText
  const values = variable.values === undefined ? '' : `: ${oneOf(variable.values)}`
  const range = variable.range === undefined ? '' : ` (${variable.range})`
  return [
    ...wrap(`${variable.name}${fallback === undefined ? '' : ` (default: ${fallback})`}`, '  ', INDENT),
    ...wrap(`${plain(variable.description)}${values}${range}`, INDENT),
  ]
}

/** The text of `laaffic-exporter --help`. */
export function helpText (): string {
  return [
    'laaffic-exporter: a Prometheus exporter for the prepaid balance of Laaffic SMS accounts.',
    '',
    USAGE,
    '',
    '  -h, --help      print this help',
    '  -V, --version   print the version',
    '',
    ...wrap('Without an argument it polls the Laaffic API and serves /metrics, / (a status page), /healthz and ' +
      '/readyz on HOST:PORT. Its configuration is in these environment variables (an empty one counts as unset); ' +
      'a bad or missing value stops it with exit code 1 and one line per problem on stderr.', ''),
    '',
    ...listVariables(envSchema).flatMap(variableLines),
    '',
    'More in README.md: the accounts file, the metrics, the alerts, securing the endpoint.',
    '',
  ].join('\n')
}
