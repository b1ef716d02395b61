// The laaffic-exporter command (dist/laaffic-exporter.js). Its configuration is the environment; the only
// arguments are --help and --version, answered without loading the server's code or reading the environment
// (in the bundle, server.js and what it imports are initialised only when this file imports it).
import { parseArguments, USAGE } from './cli/args.js'
import { reportCrashesMapped } from './cli/crash.js'
import { helpText } from './cli/help.js'
import { ensureNodeFlags } from './cli/node-flags.js'
import { envSchema } from './config/schema.js'
import { VERSION } from './version.js'

const parsed = parseArguments(process.argv.slice(2), Object.keys(envSchema.properties))

if ('error' in parsed) {
  process.stderr.write(`laaffic-exporter: ${parsed.error}\n${USAGE}\n`)
  process.exitCode = 2
} else if (parsed.command === 'help') {
  process.stdout.write(helpText())
} else if (parsed.command === 'version') {
  process.stdout.write(`laaffic-exporter ${VERSION}\n`)
} else {
  // Started as `node dist/laaffic-exporter.js` (no shebang): the same process again, with the V8 settings.
  ensureNodeFlags()
  reportCrashesMapped(import.meta.url)
  const { main } = await import('./server.js')
  await main()
}
