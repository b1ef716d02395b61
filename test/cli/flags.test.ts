import t from 'tap'
import { flagSettings, flagSpecs, type GivenFlag } from '../../src/cli/flags.js'
import { envSchema } from '../../src/config/schema.js'

const FLAGS = flagSpecs(envSchema)
const given = (pairs: Array<[string, string]>): GivenFlag[] => pairs.map(([name, value]) => {
  const spec = FLAGS.find((flag) => flag.name === name)
  if (spec === undefined) throw new Error(`no flag ${name}`)
  return { spec, value }
})
const settings = (pairs: Array<[string, string]>) => flagSettings(given(pairs), envSchema)

t.test('each flag sets its variable; --web.listen-address sets HOST and PORT as Go reads [HOST]:PORT', async (t) => {
  const cases: Array<[Array<[string, string]>, Record<string, string>]> = [
    [[['--web.listen-address', ':9100']], { HOST: '0.0.0.0', PORT: '9100' }],
    [[['--web.listen-address', '127.0.0.1:9100']], { HOST: '127.0.0.1', PORT: '9100' }],
    [[['--web.listen-address', '[::1]:9100']], { HOST: '::1', PORT: '9100' }],
    [[['--web.listen-address', '[::]:0']], { HOST: '::', PORT: '0' }],
    [[['--web.listen-address', 'localhost:9100']], { HOST: 'localhost', PORT: '9100' }],
    [[['--web.config.file', '/etc/laaffic/web.yml']], { WEB_CONFIG_FILE: '/etc/laaffic/web.yml' }],
    [[['--web.config.file', '']], { WEB_CONFIG_FILE: '' }],
    [[['--web.enable-lifecycle', 'true'], ['--log.level', 'debug'], ['--log.format', 'logfmt']], { WEB_ENABLE_LIFECYCLE: 'true', LOG_LEVEL: 'debug', LOG_FORMAT: 'logfmt' }],
    [[['--web.telemetry-path', '/probe/metrics']], { WEB_TELEMETRY_PATH: '/probe/metrics' }],
  ]
  for (const [pairs, env] of cases) t.same(settings(pairs), { env, problems: [] }, JSON.stringify(pairs))
})

t.test('a bad value is refused by the schema that checks the variable, naming the flag', async (t) => {
  const cases: Array<[Array<[string, string]>, string[]]> = [
    [[['--log.level', 'loud']], ['--log.level: must be one of fatal, error, warn, info, debug, trace, silent (got "loud")']],
    [[['--log.format', 'text']], ['--log.format: must be one of json, logfmt (got "text")']],
    [[['--web.enable-lifecycle', 'maybe']], ['--web.enable-lifecycle: must be true or false (got "maybe")']],
    [[['--web.listen-address', '9100']], ['--web.listen-address: must be [HOST]:PORT, such as :9866 or 127.0.0.1:9866 (got "9100")']],
    [[['--web.listen-address', '::1:9100']], ['--web.listen-address: must be [HOST]:PORT, such as :9866 or 127.0.0.1:9866 (got "::1:9100")']],
    [[['--web.listen-address', '127.0.0.1:']], ['--web.listen-address: must be [HOST]:PORT, such as :9866 or 127.0.0.1:9866 (got "127.0.0.1:")']],
    [[['--web.listen-address', ':70000']], ['--web.listen-address (PORT): must be <= 65535 (got "70000")']],
    [[['--web.listen-address', ':http']], ['--web.listen-address (PORT): must be a whole number (got "http")']],
    [[['--web.telemetry-path', 'metrics']], ['--web.telemetry-path: must be a path starting with / (letters, digits and . _ ~ - / only) (got "metrics")']],
    [[['--web.telemetry-path', '/readyz']], ['--web.telemetry-path: is another route of the exporter (got "/readyz")']],
    [[['--log.level', 'loud'], ['--web.listen-address', ':-1']], [
      '--web.listen-address (PORT): must be >= 0 (got "-1")',
      '--log.level: must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
    ]],
  ]
  for (const [pairs, problems] of cases) t.same(settings(pairs).problems, problems, JSON.stringify(pairs))
})
