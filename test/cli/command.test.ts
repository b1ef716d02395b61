// The built command (dist/laaffic-exporter.js, as `npm start` and the installed package run it) at the
// process level: exactly what it writes on stdout and stderr, and its exit code.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { runProgram } from '../../scripts/lib/program.js'
import type { VariableSchema } from '../../src/config/define-env.js'
import { envSchema } from '../../src/config/schema.js'
import { SERVER_JS } from '../helpers/exporter-process.js'

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
const USAGE = 'usage: laaffic-exporter [--healthcheck] [FLAG...] | --help | --version'
/** --help and --version answer in about 0.2 s here; the server would not answer at all (it keeps running). */
const QUICK_MS = 3000
/** Killed after this: a command that started serving never ends by itself. */
const KILL_MS = 10_000

/** Runs the command to its end with only `env` (plus PATH): its output, exit and duration. */
async function run (args: string[], env: Record<string, string> = {}): Promise<{ code: number | null, signal: string | null, stdout: string, stderr: string, ms: number }> {
  const started = Date.now()
  const result = await runProgram({ command: SERVER_JS, args, env, timeoutMs: KILL_MS })
  return { ...result, ms: Date.now() - started }
}

const help = await run(['--help'])
const lines = help.stdout.split('\n')

/** The lines of one variable in the help: its name line and the indented lines after it. */
function block (name: string): string[] {
  const start = lines.findIndex((line) => line === `  ${name}` || line.startsWith(`  ${name} `) || line.startsWith(`  ${name}, `))
  if (start === -1) return []
  const end = lines.findIndex((line, i) => i > start && !line.startsWith('      '))
  return lines.slice(start, end)
}

t.test('--help exits 0, on stdout only', async (t) => {
  t.same({ code: help.code, signal: help.signal, stderr: help.stderr }, { code: 0, signal: null, stderr: '' })
  t.ok(help.stdout.endsWith('.\n'), 'ends with a full line')
})

t.test('--help lists every variable of the schema, in its order, with its default, range and values', async (t) => {
  const listed = lines.flatMap((line) => /^ {2}([A-Z][A-Z0-9_]+)(?:,| |$)/.exec(line)?.[1] ?? [])
  t.same(listed, Object.keys(envSchema.properties), 'the variables, as the schema declares them')
  const variables: Record<string, VariableSchema> = envSchema.properties
  for (const [name, variable] of Object.entries(variables)) {
    const [first = '', ...rest] = block(name)
    const fallback = variable.default === undefined ? variable.defaultText : String(variable.default)
    const flag = variable.flag === undefined ? '' : `, ${variable.flag}`
    t.equal(first, `  ${name}${flag}${fallback === undefined ? '' : ` (default: ${fallback})`}`, `${name}: its name, flag and default`)
    t.ok(rest.length > 0, `${name}: described`)
    const described = rest.join(' ')
    if (variable.type === 'number' || variable.type === 'integer') {
      for (const bound of [variable.minimum, variable.maximum, variable.exclusiveMinimum]) {
        if (bound !== undefined) t.match(described, new RegExp(`\\b${bound}\\b`), `${name}: its bound ${bound}`)
      }
    }
    if (variable.type === 'string') {
      for (const value of variable.enum ?? []) t.match(described, new RegExp(`\\b${value}\\b`), `${name}: its value ${value}`)
    }
  }
})

t.test('--help: a few lines exactly', async (t) => {
  t.same(lines.slice(0, 7), [
    'laaffic-exporter: a Prometheus exporter for the prepaid balance of Laaffic SMS',
    'accounts.',
    '',
    USAGE,
    '',
    '  -h, --help            print this help',
    '  -v, -V, --version     print the version',
  ])
  const flags = lines.slice(lines.findIndex((line) => line.startsWith('Flags')))
  t.same(flags.slice(flags.indexOf('') + 1, flags.indexOf('', flags.indexOf('') + 1)), [
    '  --web.config.file VALUE           sets WEB_CONFIG_FILE',
    '  --[no-]web.enable-lifecycle       sets WEB_ENABLE_LIFECYCLE',
    '  --web.telemetry-path VALUE        sets WEB_TELEMETRY_PATH',
    '  --web.listen-address [HOST]:PORT  sets HOST and PORT',
    '  --log.level VALUE                 sets LOG_LEVEL',
    '  --log.format VALUE                sets LOG_FORMAT',
  ], 'every flag of the schema, with the variables it sets')
  t.same(block('LAAFFIC_API_KEY'), ['  LAAFFIC_API_KEY', '      API key of the single account (required unless LAAFFIC_ACCOUNTS_FILE)'])
  t.same(block('LAAFFIC_POLL_INTERVAL'), ['  LAAFFIC_POLL_INTERVAL (default: 60)', '      seconds between polls of an account (1 to 86400)'])
  t.same(block('LAAFFIC_REQUEST_TIMEOUT'), ['  LAAFFIC_REQUEST_TIMEOUT (default: 10)', '      seconds for one HTTP attempt (more than 0, at most 600)'])
  t.same(block('LAAFFIC_MAX_STALENESS'), [
    '  LAAFFIC_MAX_STALENESS (default: max(900, 3 × interval))',
    '      seconds after the last success at which the value series are dropped; 0',
    '      keeps them forever (0 to 31536000)',
  ])
  t.same(block('LAAFFIC_PROCESS_METRICS'), ['  LAAFFIC_PROCESS_METRICS (default: true)', "      false turns off prom-client's process_* and nodejs_* metrics"])
  t.same(block('METRICS_BEARER_TOKEN'), [
    '  METRICS_BEARER_TOKEN',
    '      require Authorization: Bearer <token> on every route but the probes',
    '      (/healthz, /readyz, /-/healthy, /-/ready; see Securing the endpoint in',
    '      README.md)',
  ])
  t.same(block('LOG_LEVEL'), ['  LOG_LEVEL, --log.level (default: info)', '      pino level: fatal, error, warn, info, debug, trace or silent'])
})

t.test('--help is plain text within 80 columns', async (t) => {
  t.notMatch(help.stdout, /`/, 'no code span')
  t.notMatch(help.stdout, /\]\(/, 'no link')
  t.notMatch(help.stdout, /\*\*|<!--/, 'no other Markdown')
  t.same(lines.filter((line) => line.length > 80), [], 'no line over 80 columns (characters, not bytes)')
})

t.test('-h is --help', async (t) => {
  const { code, signal, stdout, stderr } = await run(['-h'])
  t.same({ code, signal, stdout, stderr }, { code: 0, signal: null, stdout: help.stdout, stderr: '' }, 'the same output and exit')
})

t.test('--version, -v and -V print the version of package.json', async (t) => {
  for (const flag of ['--version', '-v', '-V']) {
    const { code, signal, stdout, stderr } = await run([flag])
    t.same({ code, signal, stdout, stderr }, { code: 0, signal: null, stdout: `laaffic-exporter ${version}\n`, stderr: '' }, flag)
  }
})

t.test('an unknown option, an extra argument or a bad flag value exits 2 with the usage line on stderr, nothing on stdout', async (t) => {
  const cases: Array<[string[], string]> = [
    [['--bogus'], 'unknown option --bogus'],
    [['--port=9000'], 'unknown option --port=9000 (set PORT in the environment, or --web.listen-address)'],
    [['--poll-interval', '30'], 'unknown option --poll-interval (set LAAFFIC_POLL_INTERVAL in the environment)'],
    [['--web.listen-address'], '--web.listen-address needs a value: --web.listen-address=VALUE or --web.listen-address VALUE'],
    [['--log.level=loud'], '--log.level: must be one of fatal, error, warn, info, debug, trace, silent (got "loud")'],
    [['--web.listen-address', '9866'], '--web.listen-address: must be [HOST]:PORT, such as :9866 or 127.0.0.1:9866 (got "9866")'],
    [['--web.listen-address=:99999'], '--web.listen-address (PORT): must be <= 65535 (got "99999")'],
    [['--web.telemetry-path=/healthz'], '--web.telemetry-path: is another route of the exporter (got "/healthz")'],
    [['serve'], 'unexpected argument serve'],
    [[''], 'unexpected argument ""'],
    [['--help', 'extra'], 'unexpected argument extra after --help'],
    [['--version', '--help'], 'unexpected argument --help after --version'],
  ]
  for (const [args, problem] of cases) {
    const { code, signal, stdout, stderr } = await run(args)
    t.same({ code, signal, stdout, stderr }, { code: 2, signal: null, stdout: '', stderr: `laaffic-exporter: ${problem}\n${USAGE}\n` }, JSON.stringify(args))
  }
})

t.test('--help and --version neither read the environment nor start the server, and answer quickly', async (t) => {
  const broken = { PORT: 'eighty', LAAFFIC_POLL_INTERVAL: '0', LOG_LEVEL: 'loud' }
  const served = await run([], broken)
  t.equal(served.code, 1, 'without an argument, this environment stops the exporter (exit 1)')
  t.match(served.stderr, /^laaffic-exporter: config error: PORT\b/m, '... naming PORT')

  // A good environment: without an argument the exporter would start polling and serving, and never end.
  const good = { LAAFFIC_API_KEY: 'key', LAAFFIC_API_SECRET: 'secret', LAAFFIC_BASE_URL: 'http://127.0.0.1:9/v3', HOST: '127.0.0.1', PORT: '0' }
  const expected = { '--help': help.stdout, '--version': `laaffic-exporter ${version}\n` }
  for (const [name, env] of Object.entries({ broken, good })) {
    for (const [flag, stdout] of Object.entries(expected)) {
      const result = await run([flag], env)
      t.same({ code: result.code, signal: result.signal, stdout: result.stdout, stderr: result.stderr }, { code: 0, signal: null, stdout, stderr: '' }, `${flag} with the ${name} environment`)
      t.ok(result.ms < QUICK_MS, `${flag} with the ${name} environment answered in ${result.ms} ms (under ${QUICK_MS})`)
    }
  }
})

t.test('the built exporter is ASCII: V8 keeps its source at one byte per character, not two', async (t) => {
  const source = readFileSync(SERVER_JS, 'utf8')
  const outside = [...new Set(source.match(/[\u0080-\u{10ffff}]/gu) ?? [])]
  t.same(outside, [], 'no character outside ASCII (scripts/build.mjs escapes those esbuild leaves)')
  t.ok(source.includes('\\u2212'), 'text with such a character is written escaped, and says the same at run time')
})
