import t from 'tap'
import { join } from 'node:path'
import { loadConfig } from '../../src/config/load.js'
import { ConfigError } from '../../src/config/types.js'
import { CANARY_SECRET } from '../helpers/api.js'

const KEY_AND_SECRET = { LAAFFIC_API_KEY: 'key1', LAAFFIC_API_SECRET: CANARY_SECRET }
/** The settings an account gets when nothing sets them. */
const DEFAULTS = { provider: 'laaffic', baseUrl: 'https://api.laaffic.com/v3', currency: '', balanceWarning: 100, balanceCritical: 20, spendSpikeFloor: 10 }

/** A readFile over an in-memory folder; a missing path fails like the real one. */
function files (contents: Record<string, string>) {
  return (path: string): string => {
    const content = contents[path]
    if (content === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' })
    return content
  }
}

function problemsOf (env: Record<string, string>, readFile = files({})): string[] {
  try {
    loadConfig(env, readFile)
  } catch (err) {
    if (err instanceof ConfigError) return err.problems
    throw err
  }
  throw new Error('expected a ConfigError')
}

t.test('defaults for a single account', async (t) => {
  t.same(loadConfig(KEY_AND_SECRET), {
    accounts: [{ name: 'default', apiKey: 'key1', apiSecret: CANARY_SECRET, ...DEFAULTS }],
    web: { headers: {} },
    shard: { index: 0, total: 1 },
    pollIntervalSeconds: 60,
    requestTimeoutSeconds: 10,
    maxConcurrentPolls: 16,
    maxStalenessSeconds: 900,
    processMetrics: true,
    lifecycle: false,
    files: [],
    host: '0.0.0.0',
    port: 9866,
    telemetryPath: '/metrics',
    logLevel: 'info',
    logFormat: 'json',
  })
})

t.test('every variable is read and coerced', async (t) => {
  t.same(loadConfig({
    ...KEY_AND_SECRET,
    LAAFFIC_ACCOUNT: 'marketing',
    LAAFFIC_BASE_URL: 'http://127.0.0.1:9867/v3',
    LAAFFIC_POLL_INTERVAL: '600',
    LAAFFIC_REQUEST_TIMEOUT: '2.5',
    LAAFFIC_MAX_CONCURRENT_POLLS: '40',
    LAAFFIC_PROCESS_METRICS: 'false',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'debug',
    LOG_FORMAT: 'logfmt',
    WEB_TELEMETRY_PATH: '/probe/metrics',
    LAAFFIC_BALANCE_WARNING: '500',
    LAAFFIC_BALANCE_CRITICAL: '50.5',
    WEB_ENABLE_LIFECYCLE: 'true',
    LAAFFIC_SPEND_SPIKE_FLOOR: '2.5',
    LAAFFIC_PROVIDER: 'onbuka',
    LAAFFIC_CURRENCY: 'EUR',
  }), {
    accounts: [{ name: 'marketing', apiKey: 'key1', apiSecret: CANARY_SECRET, provider: 'onbuka', baseUrl: 'http://127.0.0.1:9867/v3', currency: 'EUR', balanceWarning: 500, balanceCritical: 50.5, spendSpikeFloor: 2.5 }],
    web: { headers: {} },
    shard: { index: 0, total: 1 },
    pollIntervalSeconds: 600,
    requestTimeoutSeconds: 2.5,
    maxConcurrentPolls: 40,
    maxStalenessSeconds: 1800,
    processMetrics: false,
    lifecycle: true,
    files: [],
    host: '127.0.0.1',
    port: 0,
    telemetryPath: '/probe/metrics',
    logLevel: 'debug',
    logFormat: 'logfmt',
  }, 'staleness defaults to max(900, 3 × interval)')
  t.equal(loadConfig({ ...KEY_AND_SECRET, LAAFFIC_MAX_STALENESS: '0' }).maxStalenessSeconds, 0, '0 keeps values forever')
  t.equal(loadConfig({ ...KEY_AND_SECRET, LAAFFIC_POLL_INTERVAL: '' }).pollIntervalSeconds, 60, 'empty means unset')
})

t.test('bad values: one exact line per problem, naming the variable', async (t) => {
  const table: Array<[Record<string, string>, string[]]> = [
    [{}, [
      'LAAFFIC_API_KEY is required (or set LAAFFIC_ACCOUNTS_FILE for several accounts)',
      'LAAFFIC_API_SECRET or LAAFFIC_API_SECRET_FILE is required',
    ]],
    [{ LAAFFIC_API_KEY: 'k' }, ['LAAFFIC_API_SECRET or LAAFFIC_API_SECRET_FILE is required']],
    [{ ...KEY_AND_SECRET, LAAFFIC_POLL_INTERVAL: 'abc' }, ['LAAFFIC_POLL_INTERVAL: must be a number (got "abc")']],
    [{ ...KEY_AND_SECRET, LAAFFIC_POLL_INTERVAL: '0.5' }, ['LAAFFIC_POLL_INTERVAL: must be >= 1 (got "0.5")']],
    [{ ...KEY_AND_SECRET, LAAFFIC_REQUEST_TIMEOUT: '0' }, ['LAAFFIC_REQUEST_TIMEOUT: must be > 0 (got "0")']],
    [{ ...KEY_AND_SECRET, LAAFFIC_POLL_INTERVAL: 'Infinity' }, ['LAAFFIC_POLL_INTERVAL: must be a finite number (got "Infinity")']],
    [{ ...KEY_AND_SECRET, LAAFFIC_REQUEST_TIMEOUT: '1e400' }, ['LAAFFIC_REQUEST_TIMEOUT: must be a finite number (got "1e400")']],
    [{ ...KEY_AND_SECRET, LAAFFIC_POLL_INTERVAL: '3000000' }, ['LAAFFIC_POLL_INTERVAL: must be <= 86400 (got "3000000")']],
    [{ ...KEY_AND_SECRET, PORT: '80\n81' }, ['PORT: must be a whole number (got "80\\n81")']],
    [{ ...KEY_AND_SECRET, LAAFFIC_MAX_STALENESS: '-1' }, ['LAAFFIC_MAX_STALENESS: must be >= 0 (got "-1")']],
    [{ ...KEY_AND_SECRET, LAAFFIC_MAX_CONCURRENT_POLLS: '0' }, ['LAAFFIC_MAX_CONCURRENT_POLLS: must be >= 1 (got "0")']],
    [{ ...KEY_AND_SECRET, LAAFFIC_MAX_CONCURRENT_POLLS: '2.5' }, ['LAAFFIC_MAX_CONCURRENT_POLLS: must be a whole number (got "2.5")']],
    [{ ...KEY_AND_SECRET, LAAFFIC_MAX_CONCURRENT_POLLS: '1000' }, ['LAAFFIC_MAX_CONCURRENT_POLLS: must be <= 256 (got "1000")']],
    [{ ...KEY_AND_SECRET, LAAFFIC_PROCESS_METRICS: 'maybe' }, ['LAAFFIC_PROCESS_METRICS: must be true or false (got "maybe")']],
    [{ ...KEY_AND_SECRET, PORT: '70000' }, ['PORT: must be <= 65535 (got "70000")']],
    [{ ...KEY_AND_SECRET, PORT: 'http' }, ['PORT: must be a whole number (got "http")']],
    [{ ...KEY_AND_SECRET, LOG_LEVEL: 'loud' }, ['LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent (got "loud")']],
    [{ ...KEY_AND_SECRET, LOG_FORMAT: 'text' }, ['LOG_FORMAT: must be one of json, logfmt (got "text")']],
    [{ ...KEY_AND_SECRET, WEB_TELEMETRY_PATH: 'metrics' }, ['WEB_TELEMETRY_PATH: must be a path starting with / (letters, digits and . _ ~ - / only) (got "metrics")']],
    [{ ...KEY_AND_SECRET, WEB_TELEMETRY_PATH: '/metrics/:id' }, ['WEB_TELEMETRY_PATH: must be a path starting with / (letters, digits and . _ ~ - / only) (got "/metrics/:id")']],
    [{ ...KEY_AND_SECRET, WEB_TELEMETRY_PATH: '/healthz' }, ['WEB_TELEMETRY_PATH: is another route of the exporter (got "/healthz")']],
    [{ ...KEY_AND_SECRET, WEB_TELEMETRY_PATH: '/' }, ['WEB_TELEMETRY_PATH: is another route of the exporter (got "/")']],
    [{ ...KEY_AND_SECRET, LAAFFIC_BASE_URL: 'ftp://example.com' }, ['LAAFFIC_BASE_URL: must be an http(s) URL (got "ftp://example.com")']],
    [{ ...KEY_AND_SECRET, LAAFFIC_BASE_URL: 'api.laaffic.com' }, ['LAAFFIC_BASE_URL: must be an http(s) URL (got "api.laaffic.com")']],
    [{ ...KEY_AND_SECRET, LAAFFIC_BALANCE_WARNING: 'low' }, ['LAAFFIC_BALANCE_WARNING: must be a number (got "low")']],
    [{ ...KEY_AND_SECRET, LAAFFIC_BALANCE_CRITICAL: '150' }, ['LAAFFIC_BALANCE_CRITICAL: must not be above LAAFFIC_BALANCE_WARNING (got 150 > 100)']],
    [{ ...KEY_AND_SECRET, LAAFFIC_BALANCE_WARNING: '10', LAAFFIC_BALANCE_CRITICAL: '20' }, ['LAAFFIC_BALANCE_CRITICAL: must not be above LAAFFIC_BALANCE_WARNING (got 20 > 10)']],
    [{ ...KEY_AND_SECRET, LAAFFIC_SPEND_SPIKE_FLOOR: '-1' }, ['LAAFFIC_SPEND_SPIKE_FLOOR: must be >= 0 (got "-1")']],
    [{ LAAFFIC_POLL_INTERVAL: 'x', PORT: '-1', LAAFFIC_BASE_URL: 'nope' }, [
      'LAAFFIC_POLL_INTERVAL: must be a number (got "x")',
      'PORT: must be >= 0 (got "-1")',
      'LAAFFIC_API_KEY is required (or set LAAFFIC_ACCOUNTS_FILE for several accounts)',
      'LAAFFIC_API_SECRET or LAAFFIC_API_SECRET_FILE is required',
      'LAAFFIC_BASE_URL: must be an http(s) URL (got "nope")',
    ]],
  ]
  for (const [env, expected] of table) t.same(problemsOf(env), expected, JSON.stringify(env).replace(CANARY_SECRET, 'SECRET'))
})

t.test('the secret from a file: trailing newline trimmed, both set is an error', async (t) => {
  const readFile = files({ '/run/secrets/laaffic': `${CANARY_SECRET}\n`, '/empty': '\n' })
  const config = loadConfig({ LAAFFIC_API_KEY: 'k', LAAFFIC_API_SECRET_FILE: '/run/secrets/laaffic' }, readFile)
  t.equal(config.accounts[0]?.apiSecret, CANARY_SECRET)
  t.same(problemsOf({ LAAFFIC_API_KEY: 'k', LAAFFIC_API_SECRET: 'x', LAAFFIC_API_SECRET_FILE: '/run/secrets/laaffic' }, readFile),
    ['LAAFFIC_API_SECRET and LAAFFIC_API_SECRET_FILE are both set: set only one'])
  t.same(problemsOf({ LAAFFIC_API_KEY: 'k', LAAFFIC_API_SECRET_FILE: '/missing' }, readFile),
    ['LAAFFIC_API_SECRET_FILE: cannot read "/missing" (ENOENT)'])
  t.same(problemsOf({ LAAFFIC_API_KEY: 'k', LAAFFIC_API_SECRET_FILE: '/empty' }, readFile),
    ['LAAFFIC_API_SECRET_FILE: "/empty" is empty'])
})

t.test('an accounts file in YAML or JSON', async (t) => {
  const yaml = `accounts:
  - name: otp
    apiKey: key-otp
    apiSecret: ${CANARY_SECRET}
  - name: marketing
    apiKey: "12345678"
    apiSecretFile: marketing.secret
    baseUrl: http://127.0.0.1:9867/v3
    balanceWarning: 1000
    balanceCritical: 250
    spendSpikeFloor: 40
`
  const readFile = files({ '/etc/laaffic/accounts.yml': yaml, '/etc/laaffic/marketing.secret': 'm-secret\r\n' })
  const config = loadConfig({ LAAFFIC_ACCOUNTS_FILE: '/etc/laaffic/accounts.yml' }, readFile)
  t.same(config.accounts, [
    { name: 'otp', apiKey: 'key-otp', apiSecret: CANARY_SECRET, ...DEFAULTS },
    { name: 'marketing', apiKey: '12345678', apiSecret: 'm-secret', ...DEFAULTS, baseUrl: 'http://127.0.0.1:9867/v3', balanceWarning: 1000, balanceCritical: 250, spendSpikeFloor: 40 },
  ], 'apiSecretFile is relative to the accounts file; LAAFFIC_BASE_URL, the thresholds and the floor are defaults')

  const json = JSON.stringify({ accounts: [{ name: 'a', apiKey: 'k', apiSecret: 's' }] })
  t.same(loadConfig({ LAAFFIC_ACCOUNTS_FILE: '/a.json' }, files({ '/a.json': json })).accounts,
    [{ name: 'a', apiKey: 'k', apiSecret: 's', ...DEFAULTS }])
})

t.test('a real accounts file on disk', async (t) => {
  const dir = t.testdir({
    'accounts.yaml': 'accounts:\n  - {name: one, apiKey: k1, apiSecretFile: one.secret}\n',
    'one.secret': 'from-disk\n',
  })
  t.same(loadConfig({ LAAFFIC_ACCOUNTS_FILE: join(dir, 'accounts.yaml') }).accounts,
    [{ name: 'one', apiKey: 'k1', apiSecret: 'from-disk', ...DEFAULTS }])
})

t.test('accounts file problems name the file and the entry', async (t) => {
  const F = '/a.yml'
  const table: Array<[string | undefined, string[], Record<string, string>?]> = [
    [undefined, ['LAAFFIC_ACCOUNTS_FILE: cannot read "/a.yml" (ENOENT)']],
    ['accounts: [', ['LAAFFIC_ACCOUNTS_FILE: "/a.yml" is not valid YAML or JSON: line 1, column 11: the [ or { that starts here is never closed, or a line inside it is not indented enough']],
    ['accounts:\n  - name: a\n    apiKey: "k\n    apiSecret: s\n', [
      'LAAFFIC_ACCOUNTS_FILE: "/a.yml" is not valid YAML or JSON: line 3, column 13: the quoted value that starts here is never closed (its closing quote is missing)',
    ]],
    ['accounts: []', ['LAAFFIC_ACCOUNTS_FILE: "/a.yml" must hold a non-empty list under "accounts"']],
    ['other: 1', ['LAAFFIC_ACCOUNTS_FILE: "/a.yml" must hold a non-empty list under "accounts"']],
    ['accounts: [oops]', ['LAAFFIC_ACCOUNTS_FILE: account 1 must be a mapping with name, apiKey and apiSecret or apiSecretFile']],
    ['accounts: [{apiSecret: s}]', [
      'LAAFFIC_ACCOUNTS_FILE: account 1: name is required',
      'LAAFFIC_ACCOUNTS_FILE: account 1: apiKey is required',
    ]],
    ['accounts: [{name: a, apiKey: 12345678, apiSecret: s}]', [
      'LAAFFIC_ACCOUNTS_FILE: account "a": apiKey must be a non-empty string (quote it: YAML read it as a number)',
    ]],
    ['accounts: [{name: a, apiKey: k}]', ['LAAFFIC_ACCOUNTS_FILE: account "a": apiSecret or apiSecretFile is required']],
    ['accounts: [{name: a, apiKey: k, apiSecret: s, apiSecretFile: f}]', [
      'LAAFFIC_ACCOUNTS_FILE: account "a": apiSecret and apiSecretFile are both set: set only one',
    ]],
    ['accounts: [{name: a, apiKey: k, apiSecret: s, baseUrl: "ftp://x"}]', ['LAAFFIC_ACCOUNTS_FILE: account "a": baseUrl must be an http(s) URL (got "ftp://x")']],
    ['accounts: [{name: a, apiKey: k, apiSecret: s, secret: s}]', ['LAAFFIC_ACCOUNTS_FILE: account "a": unknown field "secret"']],
    // A missing space makes `apiSecret:value` one key: its name is not echoed, since it holds the secret.
    ['accounts: [{name: a, apiKey: k, apiSecret:hunter2}]', [
      'LAAFFIC_ACCOUNTS_FILE: account "a": unknown field (not shown)',
      'LAAFFIC_ACCOUNTS_FILE: account "a": apiSecret or apiSecretFile is required',
    ]],
    // The parser's message would quote the source line: a sentence of this exporter's own is shown instead.
    ['accounts:\n  - {name: a, apiKey: k, apiSecret: *hunter2}', ['LAAFFIC_ACCOUNTS_FILE: "/a.yml" is not valid YAML or JSON: an *alias names no &anchor defined before it (or aliases nest too deeply)']],
    ['accounts: [{name: a, apiKey: k, apiSecret: s, balanceWarning: "100"}]', ['LAAFFIC_ACCOUNTS_FILE: account "a": balanceWarning must be a number']],
    ['accounts: [{name: a, apiKey: k, apiSecret: s, balanceCritical: 500}]', [
      'LAAFFIC_ACCOUNTS_FILE: account "a": balanceCritical must not be above balanceWarning (got 500 > 100)',
    ]],
    ['accounts: [{name: a, apiKey: k, apiSecret: s, spendSpikeFloor: -1}]', ['LAAFFIC_ACCOUNTS_FILE: account "a": spendSpikeFloor must be >= 0 (got -1)']],
    ['accounts: [{name: a, apiKey: k, apiSecret: s, spendSpikeFloor: ten}]', ['LAAFFIC_ACCOUNTS_FILE: account "a": spendSpikeFloor must be a number']],
    ['accounts: [{name: a, apiKey: k, apiSecret: s}, {name: a, apiKey: k2, apiSecret: s2}]', [
      'LAAFFIC_ACCOUNTS_FILE: account 2 ("a"): name "a" is also used by account 1; names must be unique',
    ]],
    ['accounts: [{name: a, apiKey: k, apiSecret: s}]', [
      'LAAFFIC_API_KEY cannot be combined with LAAFFIC_ACCOUNTS_FILE: put the account in the file',
    ], { LAAFFIC_API_KEY: 'k' }],
  ]
  for (const [content, expected, extra] of table) {
    const readFile = files(content === undefined ? {} : { [F]: content })
    t.same(problemsOf({ LAAFFIC_ACCOUNTS_FILE: F, ...extra }, readFile), expected, content ?? 'missing file')
  }
})

t.test('no problem line ever contains the secret', async (t) => {
  const envs: Array<Record<string, string>> = [
    { LAAFFIC_API_SECRET: CANARY_SECRET },
    { ...KEY_AND_SECRET, LAAFFIC_API_SECRET_FILE: '/x' },
    { ...KEY_AND_SECRET, PORT: 'x', LAAFFIC_BASE_URL: 'x', LOG_LEVEL: 'x' },
    { LAAFFIC_ACCOUNTS_FILE: '/bad.yml' },
    { LAAFFIC_ACCOUNTS_FILE: '/dup.yml' },
  ]
  const readFile = files({
    '/bad.yml': `accounts:\n  - name: a\n    apiKey: k\n    apiSecret: ${CANARY_SECRET}\n   bad: indent: here`,
    '/dup.yml': `accounts: [{name: a, apiKey: k, apiSecret: ${CANARY_SECRET}}, {name: a, apiKey: k, apiSecret: ${CANARY_SECRET}}]`,
  })
  for (const env of envs) {
    const problems = problemsOf(env, readFile)
    t.ok(problems.length > 0)
    t.notMatch(problems.join('\n'), CANARY_SECRET)
  }
})
