import t from 'tap'
import { parseArguments } from '../../src/cli/args.js'
import { flagSpecs, type FlagSpec } from '../../src/cli/flags.js'
import { envSchema } from '../../src/config/schema.js'

const VARIABLES = ['LAAFFIC_POLL_INTERVAL', 'PORT', 'LOG_LEVEL']
const FLAGS = flagSpecs(envSchema)
const parse = (args: string[]) => parseArguments(args, FLAGS, VARIABLES)
const spec = (name: string): FlagSpec => {
  const found = FLAGS.find((flag) => flag.name === name)
  if (found === undefined) throw new Error(`no flag ${name}`)
  return found
}

t.test('the flags come from the schema, one per name, with the variables they set', async (t) => {
  t.same(FLAGS, [
    { name: '--web.config.file', variables: ['WEB_CONFIG_FILE'], boolean: false },
    { name: '--web.enable-lifecycle', variables: ['WEB_ENABLE_LIFECYCLE'], boolean: true },
    { name: '--web.telemetry-path', variables: ['WEB_TELEMETRY_PATH'], boolean: false },
    { name: '--web.listen-address', variables: ['HOST', 'PORT'], boolean: false },
    { name: '--log.level', variables: ['LOG_LEVEL'], boolean: false },
    { name: '--log.format', variables: ['LOG_FORMAT'], boolean: false },
  ])
})

t.test('no argument serves; --help, -h, --version, -v and -V alone answer', async (t) => {
  const cases: Array<[string[], unknown]> = [
    [[], { command: 'serve', flags: [] }],
    [['--help'], { command: 'help', flags: [] }],
    [['-h'], { command: 'help', flags: [] }],
    [['--version'], { command: 'version', flags: [] }],
    [['-v'], { command: 'version', flags: [] }],
    [['-V'], { command: 'version', flags: [] }],
    [['--healthcheck'], { command: 'healthcheck', flags: [] }],
  ]
  for (const [args, expected] of cases) t.same(parse(args), expected, args.join(' ') || '(none)')
})

t.test('flags as --flag=value and --flag value; booleans alone, negated or =true/false', async (t) => {
  const cases: Array<[string[], Array<[string, string]>]> = [
    [['--web.listen-address=:9100'], [['--web.listen-address', ':9100']]],
    [['--web.listen-address', ':9100'], [['--web.listen-address', ':9100']]],
    [['--log.level', 'debug', '--log.format=logfmt'], [['--log.level', 'debug'], ['--log.format', 'logfmt']]],
    [['--web.config.file='], [['--web.config.file', '']]],
    [['--web.config.file', ''], [['--web.config.file', '']]],
    [['--web.telemetry-path=/probe'], [['--web.telemetry-path', '/probe']]],
    [['--web.enable-lifecycle'], [['--web.enable-lifecycle', 'true']]],
    [['--no-web.enable-lifecycle'], [['--web.enable-lifecycle', 'false']]],
    [['--web.enable-lifecycle=false'], [['--web.enable-lifecycle', 'false']]],
    [['--web.enable-lifecycle=maybe'], [['--web.enable-lifecycle', 'maybe']]],
  ]
  for (const [args, flags] of cases) {
    t.same(parse(args), { command: 'serve', flags: flags.map(([name, value]) => ({ spec: spec(name), value })) }, JSON.stringify(args))
  }
  t.same(parse(['--healthcheck', '--web.listen-address', '127.0.0.1:9100']), { command: 'healthcheck', flags: [{ spec: spec('--web.listen-address'), value: '127.0.0.1:9100' }] }, 'with --healthcheck')
  t.same(parse(['--web.listen-address=:1', '--healthcheck']), { command: 'healthcheck', flags: [{ spec: spec('--web.listen-address'), value: ':1' }] }, 'in any order')
})

t.test('anything else is an error naming the first argument that does not fit', async (t) => {
  const cases: Array<[string[], string]> = [
    [['--bogus'], 'unknown option --bogus'],
    [['-x'], 'unknown option -x'],
    [['--help=yes'], 'unknown option --help=yes'],
    [['--healthcheck=yes'], 'unknown option --healthcheck=yes'],
    [['--'], 'unknown option --'],
    [['-'], 'unknown option -'],
    [['serve'], 'unexpected argument serve'],
    [[''], 'unexpected argument ""'],
    [['two words'], 'unexpected argument "two words"'],
    [['--log.level', 'debug', 'extra'], 'unexpected argument extra'],
    [['--help', 'extra'], 'unexpected argument extra after --help'],
    [['--version', '--help'], 'unexpected argument --help after --version'],
    [['--log.level=info', '--help'], 'unexpected argument --help after --log.level=info'],
    [['--bogus', '--help'], 'unknown option --bogus'],
    [['--log.level'], '--log.level needs a value: --log.level=VALUE or --log.level VALUE'],
    [['--log.level', '--log.format=json'], '--log.level needs a value, got the option --log.format=json (write --log.level=--log.format=json to mean it)'],
    [['--log.level=info', '--log.level=debug'], '--log.level given twice'],
    [['--web.enable-lifecycle', '--no-web.enable-lifecycle'], '--web.enable-lifecycle given twice'],
    [['--no-web.enable-lifecycle=true'], '--no-web.enable-lifecycle takes no value'],
    [['--no-log.level'], 'unknown option --no-log.level'],
    [['--healthcheck', '--healthcheck'], '--healthcheck given twice'],
  ]
  for (const [args, error] of cases) t.same(parse(args), { error }, JSON.stringify(args))
})

t.test('an option spelled like a variable names the variable to set, and its flag when it has one', async (t) => {
  const cases: Array<[string, string]> = [
    ['--port', 'PORT in the environment, or --web.listen-address'],
    ['--port=9866', 'PORT in the environment, or --web.listen-address'],
    ['--log-level', 'LOG_LEVEL in the environment, or --log.level'],
    ['--poll-interval=30', 'LAAFFIC_POLL_INTERVAL in the environment'],
    ['--LAAFFIC_POLL_INTERVAL', 'LAAFFIC_POLL_INTERVAL in the environment'],
  ]
  for (const [option, hint] of cases) t.same(parse([option]), { error: `unknown option ${option} (set ${hint})` }, option)
  t.same(parse(['--interval']), { error: 'unknown option --interval' }, 'no guess from a part of a name')
})
