import t from 'tap'
import { parseArguments } from '../../src/cli/args.js'

const VARIABLES = ['LAAFFIC_POLL_INTERVAL', 'PORT', 'LOG_LEVEL']

t.test('no argument serves; --help, -h, --version and -V alone answer', async (t) => {
  const cases: Array<[string[], unknown]> = [
    [[], { command: 'serve' }],
    [['--help'], { command: 'help' }],
    [['-h'], { command: 'help' }],
    [['--version'], { command: 'version' }],
    [['-V'], { command: 'version' }],
  ]
  for (const [args, expected] of cases) t.same(parseArguments(args, VARIABLES), expected, args.join(' ') || '(none)')
})

t.test('anything else is an error naming the first argument that does not fit', async (t) => {
  const cases: Array<[string[], string]> = [
    [['--bogus'], 'unknown option --bogus'],
    [['-v'], 'unknown option -v'],
    [['--help=yes'], 'unknown option --help=yes'],
    [['--'], 'unknown option --'],
    [['serve'], 'unexpected argument serve'],
    [[''], 'unexpected argument ""'],
    [['two words'], 'unexpected argument "two words"'],
    [['--help', 'extra'], 'unexpected argument extra after --help'],
    [['--version', '--help'], 'unexpected argument --help after --version'],
    [['--bogus', '--help'], 'unknown option --bogus'],
  ]
  for (const [args, error] of cases) t.same(parseArguments(args, VARIABLES), { error }, JSON.stringify(args))
})

t.test('an option spelled like a variable names the variable to set instead', async (t) => {
  const cases: Array<[string, string]> = [
    ['--port', 'PORT'],
    ['--port=9866', 'PORT'],
    ['--log-level', 'LOG_LEVEL'],
    ['--poll-interval=30', 'LAAFFIC_POLL_INTERVAL'],
    ['--LAAFFIC_POLL_INTERVAL', 'LAAFFIC_POLL_INTERVAL'],
  ]
  for (const [option, variable] of cases) {
    t.same(parseArguments([option], VARIABLES), { error: `unknown option ${option} (the configuration is the environment: set ${variable})` }, option)
  }
  t.same(parseArguments(['--interval'], VARIABLES), { error: 'unknown option --interval' }, 'no guess from a part of a name')
  t.same(parseArguments(['-'], VARIABLES), { error: 'unknown option -' }, 'no guess from nothing')
})
