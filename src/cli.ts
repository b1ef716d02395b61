// The laaffic-exporter command (dist/laaffic-exporter.js). Its configuration is the environment, and the flags
// Go exporters take set the same variables. --help and --version are answered without loading the server's
// code or reading the environment (in the bundle, server.js and what it imports are initialised only when
// this file imports it).
import { parseArguments, USAGE } from './cli/args.js'
import { containerFlags, withOwnFlags } from './cli/container-flags.js'
import { reportCrashesMapped } from './cli/crash.js'
import { flagSettings, flagSpecs } from './cli/flags.js'
import { helpText } from './cli/help.js'
import { ensureNodeFlags } from './cli/node-flags.js'
import { envSchema } from './config/schema.js'
import { VERSION } from './version.js'

const parsed = parseArguments(process.argv.slice(2), flagSpecs(envSchema), Object.keys(envSchema.properties))

/** A mistake on the command line: exit 2, the usage line after it. */
function usageError (problems: readonly string[]): void {
  process.stderr.write(`${problems.map((problem) => `laaffic-exporter: ${problem}\n`).join('')}${USAGE}\n`)
  process.exitCode = 2
}

if ('error' in parsed) {
  usageError([parsed.error])
} else if (parsed.command === 'help') {
  process.stdout.write(helpText(envSchema))
} else if (parsed.command === 'version') {
  process.stdout.write(`laaffic-exporter ${VERSION}\n`)
} else {
  // The healthcheck asks the exporter where PID 1 serves, in a container started with flags (container-flags.ts).
  const flags = parsed.command === 'healthcheck' ? withOwnFlags(containerFlags(flagSpecs(envSchema), Object.keys(envSchema.properties)), parsed.flags) : parsed.flags
  const { env, problems } = flagSettings(flags, envSchema)
  if (problems.length > 0) {
    usageError(problems)
  } else {
    // The flags win over the variables. Written into process.env because everything that reads the
    // configuration reads it there, a reload too (it must keep what the flags said).
    Object.assign(process.env, env)
    reportCrashesMapped(import.meta.url)
    if (parsed.command === 'healthcheck') {
      const { healthcheck } = await import('./cli/healthcheck.js')
      process.exitCode = await healthcheck(process.env)
    } else {
      // Started as `node dist/laaffic-exporter.js` (no shebang): the same process again, with the V8 settings.
      ensureNodeFlags()
      const { main } = await import('./server.js')
      await main()
    }
  }
}
