// The command line of laaffic-exporter: no argument runs the exporter; --help and --version answer alone;
// --healthcheck asks a running exporter; the flags Go exporters take set the variables they name
// (src/cli/flags.ts). Read with node:util's parseArgs (its tokens: `--flag=value` and `--flag value`, `-hv`,
// `--`), judged here so that each mistake gets one line naming the argument.
import { parseArgs } from 'node:util'
import type { FlagSpec, GivenFlag } from './flags.js'

export const USAGE = 'usage: laaffic-exporter [--healthcheck] [FLAG...] | --help | --version'

export type Command = 'serve' | 'healthcheck' | 'help' | 'version'
export type Parsed = { command: Command, flags: GivenFlag[] } | { error: string }

/** The options that answer alone, by the name parseArgs gives them (`-h` is h). */
const ALONE: Record<string, 'help' | 'version'> = { help: 'help', h: 'help', version: 'version', v: 'version', V: 'version' }

/** An argument as typed, quoted only where the shell would need it to be read back. */
const shown = (argument: string): string => /^[\w@%+=:,./-]+$/.test(argument) ? argument : JSON.stringify(argument)

/** The variable an option such as `--poll-interval=5` was probably meant to set (PORT, LAAFFIC_POLL_INTERVAL). */
function variableFor (option: string, variables: readonly string[]): string | undefined {
  const name = option.replace(/^-+/, '').split('=')[0]?.toUpperCase().replaceAll('-', '_') ?? ''
  return variables.find((variable) => name !== '' && (variable === name || variable === `LAAFFIC_${name}`))
}

function unknownOption (raw: string, variables: readonly string[], flags: readonly FlagSpec[]): string {
  const variable = variableFor(raw, variables)
  const flag = flags.find((spec) => variable !== undefined && spec.variables.includes(variable))
  const hint = variable === undefined ? '' : ` (set ${variable} in the environment${flag === undefined ? '' : `, or ${flag.name}`})`
  return `unknown option ${shown(raw)}${hint}`
}

/** The value of a flag (`--flag=value` or `--flag value`), or what is wrong with it. */
function flagValue (spec: FlagSpec, negated: boolean, value: string | undefined, inline: boolean): string | { error: string } {
  if (spec.boolean) {
    if (negated && inline) return { error: `--no-${spec.name.slice(2)} takes no value` }
    return negated ? 'false' : inline ? value ?? '' : 'true'
  }
  if (value === undefined) return { error: `${spec.name} needs a value: ${spec.name}=VALUE or ${spec.name} VALUE` }
  // parseArgs would take the next option as the value: `--web.config.file --log.level=debug` is a slip.
  if (!inline && value.startsWith('-') && value !== '-') return { error: `${spec.name} needs a value, got the option ${shown(value)} (write ${spec.name}=${shown(value)} to mean it)` }
  return value
}

/** What the arguments (process.argv after the script) ask for; `variables` are the names the environment may set. */
export function parseArguments (args: readonly string[], flags: readonly FlagSpec[], variables: readonly string[]): Parsed {
  const byName = new Map(flags.map((spec) => [spec.name.slice(2), spec]))
  const options = Object.fromEntries(flags.map((spec) => [spec.name.slice(2), { type: spec.boolean ? 'boolean' as const : 'string' as const }]))
  const { tokens } = parseArgs({ args: [...args], options, strict: false, allowPositionals: true, tokens: true })
  let command: Command = 'serve'
  const given: GivenFlag[] = []
  for (const token of tokens) {
    if (token.kind === 'option-terminator') return { error: 'unknown option --' }
    if (token.kind === 'positional') {
      if (token.value.startsWith('-')) return { error: unknownOption(token.value, variables, flags) }
      return { error: `unexpected argument ${shown(token.value)}` }
    }
    const raw = args[token.index] ?? token.rawName
    const alone = ALONE[token.name]
    if (alone !== undefined && token.value === undefined) {
      if (args.length > 1) return { error: token.index === 0 ? `unexpected argument ${shown(args[1] ?? '')} after ${raw}` : `unexpected argument ${shown(raw)} after ${shown(args[0] ?? '')}` }
      return { command: alone, flags: [] }
    }
    const negated = token.name.startsWith('no-') && byName.get(token.name.slice(3))?.boolean === true
    const spec = byName.get(negated ? token.name.slice(3) : token.name)
    if (token.name === 'healthcheck' && token.value === undefined) {
      if (command === 'healthcheck') return { error: '--healthcheck given twice' }
      command = 'healthcheck'
    } else if (spec === undefined) {
      return { error: unknownOption(raw, variables, flags) }
    } else {
      if (given.some((flag) => flag.spec === spec)) return { error: `${spec.name} given twice` }
      const value = flagValue(spec, negated, token.value, token.inlineValue === true)
      if (typeof value !== 'string') return value
      given.push({ spec, value })
    }
  }
  return { command, flags: given }
}
