// The command line of laaffic-exporter: no argument runs the exporter, or one of --help and --version. The
// configuration is the environment, never a flag: an option that looks like a variable says which one.

export const USAGE = 'usage: laaffic-exporter [--help | --version]'

export type Parsed = { command: 'serve' | 'help' | 'version' } | { error: string }

const COMMANDS: Record<string, 'help' | 'version'> = { '--help': 'help', '-h': 'help', '--version': 'version', '-V': 'version' }

/** An argument as typed, quoted only where the shell would need it to be read back. */
const shown = (argument: string): string => /^[\w@%+=:,./-]+$/.test(argument) ? argument : JSON.stringify(argument)

/** The variable an option such as `--poll-interval=5` was probably meant to set (PORT, LAAFFIC_POLL_INTERVAL). */
function variableFor (option: string, variables: readonly string[]): string | undefined {
  const name = option.replace(/^-+/, '').split('=')[0]?.toUpperCase().replaceAll('-', '_') ?? ''
  return variables.find((variable) => name !== '' && (variable === name || variable === `LAAFFIC_${name}`))
}

/** What the arguments (process.argv after the script) ask for; `variables` are the names the environment may set. */
export function parseArguments (args: readonly string[], variables: readonly string[]): Parsed {
  const [first, second] = args
  if (first === undefined) return { command: 'serve' }
  const command = COMMANDS[first]
  if (command === undefined) {
    if (!first.startsWith('-')) return { error: `unexpected argument ${shown(first)}` }
    const variable = variableFor(first, variables)
    const hint = variable === undefined ? '' : ` (the configuration is the environment: set ${variable})`
    return { error: `unknown option ${shown(first)}${hint}` }
  }
  if (second !== undefined) return { error: `unexpected argument ${shown(second)} after ${first}` }
  return { command }
}
