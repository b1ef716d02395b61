// The laaffic-exporter command. Its configuration is the environment (see --help); the only arguments are
// --help and --version, answered without loading the server's code.
import { VERSION } from './version.js'

const USAGE = 'usage: laaffic-exporter [--help | --version]   (configuration: environment variables, see --help)'
const [argument, ...rest] = process.argv.slice(2)

if (argument === undefined) {
  const { main } = await import('./server.js')
  await main()
} else if (rest.length === 0 && (argument === '--help' || argument === '-h')) {
  const { helpText } = await import('./cli/help.js')
  process.stdout.write(helpText())
} else if (rest.length === 0 && (argument === '--version' || argument === '-V')) {
  process.stdout.write(`laaffic-exporter ${VERSION}\n`)
} else {
  process.stderr.write(`laaffic-exporter: unknown argument ${JSON.stringify(rest.length === 0 ? argument : [argument, ...rest].join(' '))}\n${USAGE}\n`)
  process.exitCode = 2
}
