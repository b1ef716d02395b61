import t from 'tap'
import fc from 'fast-check'
import { deepStrictEqual } from 'node:assert/strict'
import { stringify as toYaml } from 'yaml'
import { loadConfig } from '../../src/config/load.js'
import { PROVIDERS, type Provider } from '../../src/config/providers.js'
import { envSchema } from '../../src/config/schema.js'
import { ConfigError, type Config } from '../../src/config/types.js'
import type { ReadFile } from '../../src/config/secrets.js'
import { hugeString, makeCanary, numberLikeString, oddString, pathString, urlString, whitespace } from '../helpers/arbitraries.js'

// loadConfig(env, readFile) against fuzzed environments and files. The variables come from
// envSchema.properties at run time, so variables added to the schema are fuzzed too.

interface SchemaProperty {
  type?: string
  enum?: readonly unknown[]
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  minLength?: number
  default?: unknown
}

const SCHEMA = envSchema.properties as unknown as Record<string, SchemaProperty>
const VARIABLES = Object.keys(SCHEMA)
const ACCOUNTS_FILE = 'LAAFFIC_ACCOUNTS_FILE'
/** The names a problem line may lead with: every variable, and the accounts file's entries. */
const NAMES = [...new Set([...VARIABLES, ACCOUNTS_FILE])]
const UNKNOWN_NAMES = [
  'LAAFFIC_API_SECRETS', 'laaffic_api_key', 'LAAFFIC_POLL_INTERVAL_SECONDS', 'LAAFFIC_ACCOUNTS', 'PORT ', ' HOST', 'NODE_OPTIONS', 'PATH',
  '__proto__', 'constructor', 'toString', 'hasOwnProperty', '',
]
/** Secret variables: the declared ones, and any new one named like a secret (its _FILE twin holds a path). */
const SECRET_VARIABLES = new Set(Object.entries(envSchema.properties).filter(([, v]) => 'secret' in v && v.secret).map(([name]) => name))
const isSecretVariable = (name: string): boolean =>
  SECRET_VARIABLES.has(name) || (/SECRET|TOKEN|PASSWORD|PASSWD|CREDENTIAL/.test(name) && !name.endsWith('_FILE'))

const CANARY = makeCanary()

// ---------------------------------------------------------------------------------------------- arbitraries

/** A secret: the canary, sometimes with characters that YAML, shells or terminals treat specially around it. */
const secretValue = fc.oneof(
  { weight: 3, arbitrary: fc.constant(CANARY) },
  {
    weight: 2,
    arbitrary: fc.tuple(
      fc.constantFrom('', ' ', '*', '&', '!', '%', '@', '`', '|', '>', '#', '{', '[', '"', "'", '- ', '? ', ': ', ',', '~', '\\', '$', '\t'),
      fc.constantFrom('', ' ', '\n', ' #x', ': x', '"', '\\n', '}', ']', '\u00e9', '\u0000'),
    ).map(([before, after]) => `${before}${CANARY}${after}`),
  },
)

/** Numbers at and past the edges of every numeric variable, read from its schema. */
function edgeNumbers (property: SchemaProperty): fc.Arbitrary<string> {
  const bounds = [property.minimum, property.maximum, property.exclusiveMinimum].filter((b): b is number => b !== undefined)
  return fc.constantFrom(
    'Infinity', '-Infinity', '1e400', '-1e400', '1e308', '9'.repeat(400), 'NaN', '-0', '0x10', ' 5 ', '2147483.648', '2147484', '0.5', '1e-400',
    ...bounds.flatMap((b) => [String(b), String(b + 1), String(b - 1), String(b + 1e-9), String(b - 1e-9)]),
  )
}

/** A value the schema would take for this variable (so that some configurations are valid). */
function plausibleValue (name: string, property: SchemaProperty): fc.Arbitrary<string> {
  if (isSecretVariable(name)) return secretValue
  if (property.enum !== undefined) return fc.constantFrom(...property.enum.map(String))
  if (property.type === 'boolean') return fc.constantFrom('true', 'false')
  if (property.type === 'integer' || property.type === 'number') {
    const min = property.minimum ?? (property.exclusiveMinimum === undefined ? -1000 : property.exclusiveMinimum + 0.001)
    const max = Math.min(property.maximum ?? 100_000, 100_000)
    const integers = fc.integer({ min: Math.ceil(min), max: Math.floor(max) }).map(String)
    return property.type === 'integer' ? integers : fc.oneof(integers, fc.double({ min, max, noNaN: true }).map(String))
  }
  if (name.endsWith('_FILE')) return fc.constantFrom('/run/secrets/laaffic', '/etc/laaffic/accounts.yml', 'relative/file', '/etc/laaffic/tls.pem')
  if (name.includes('URL')) return fc.constantFrom('http://127.0.0.1:9/v3', 'https://api.laaffic.com/v3', 'HTTPS://API.LAAFFIC.COM/v3/')
  return fc.oneof(fc.constantFrom('127.0.0.1', 'localhost', '::', 'otp', 'default'), fc.string({ minLength: 1, maxLength: 12 }))
}

/** Any value for a variable: plausible, at the edges, or just odd. Secret variables always carry the canary. */
function valueFor (name: string): fc.Arbitrary<string> {
  const property = SCHEMA[name]
  if (property === undefined) return oddString
  if (isSecretVariable(name)) return secretValue
  const numeric = property.type === 'integer' || property.type === 'number'
  return fc.oneof(
    { weight: 3, arbitrary: plausibleValue(name, property) },
    { weight: numeric ? 2 : 0, arbitrary: edgeNumbers(property) },
    { weight: 2, arbitrary: oddString },
  )
}

const setting: fc.Arbitrary<[string, string]> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...VARIABLES) },
  { weight: 1, arbitrary: fc.constantFrom(...UNKNOWN_NAMES) },
).chain((name) => valueFor(name).map((value): [string, string] => [name, value]))

const ACCOUNTS_PATH = '/etc/laaffic/accounts.yml'
/** Variables naming a file, other than the accounts file and the single account's secret file. */
const OTHER_FILE_VARIABLES = VARIABLES.filter((name) => name.endsWith('_FILE') && name !== ACCOUNTS_FILE && name !== 'LAAFFIC_API_SECRET_FILE')
const goodKey = fc.constantFrom('bDqJFiq9', 'x7Yq2LpA', 'key-1')

/** Where the accounts come from before the fuzzed settings are applied on top. */
const baseEnv: fc.Arbitrary<Record<string, string>> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ LAAFFIC_API_KEY: goodKey, LAAFFIC_API_SECRET: secretValue }) },
  { weight: 1, arbitrary: fc.record({ LAAFFIC_API_KEY: goodKey, LAAFFIC_API_SECRET_FILE: fc.constant('/run/secrets/laaffic') }) },
  { weight: 3, arbitrary: fc.constant({ [ACCOUNTS_FILE]: ACCOUNTS_PATH }) },
  { weight: 1, arbitrary: fc.constant({}) },
  {
    // A valid account plus some of the other files the schema knows (TLS, auth...), each at its own path.
    weight: 2,
    arbitrary: fc.tuple(goodKey, secretValue, fc.subarray(OTHER_FILE_VARIABLES)).map(([key, secret, names]) => ({
      LAAFFIC_API_KEY: key,
      LAAFFIC_API_SECRET: secret,
      ...Object.fromEntries(names.map((name) => [name, `/etc/laaffic/${name.toLowerCase()}`])),
    })),
  },
)

type FileOutcome = { content: string } | { errorCode: string | undefined }

const secretFile = fc.constantFrom('', '\n', '\r\n', '\n\n').map((end): FileOutcome => ({ content: `${CANARY}${end}` }))
const fileOutcome: fc.Arbitrary<FileOutcome> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom('ENOENT', 'EACCES', 'EISDIR', 'ELOOP', 'ENAMETOOLONG', 'EMFILE', undefined).map((errorCode): FileOutcome => ({ errorCode })) },
  { weight: 3, arbitrary: secretFile },
  { weight: 1, arbitrary: fc.constantFrom('', '\n', '\r\n', ' \n', '\n\n', '\u0000\u0001\u00ff\ufffd', '\ufeff').map((content): FileOutcome => ({ content })) },
  { weight: 1, arbitrary: fc.oneof(oddString, hugeString, fc.string({ unit: 'binary' })).map((content): FileOutcome => ({ content })) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
      `-----BEGIN PRIVATE KEY-----\n${CANARY}\n-----END PRIVATE KEY-----\n`,
      `-----BEGIN RSA PRIVATE KEY-----\n${CANARY}\n-----END RSA PRIVATE KEY-----\n`,
      `alice:$2b$10$${'a'.repeat(53)}\n`,
      `alice:$2b$10$${'a'.repeat(53)}\nalice:$2y$12$${'B'.repeat(53)}\n# comment\n\nbob:plain\n`,
    ).map((content): FileOutcome => ({ content })),
  },
)

const goodName = fc.constantFrom('otp', 'marketing', 'a') // few, so that names repeat
const goodUrl = fc.constantFrom('http://127.0.0.1:9/v3', 'https://api.laaffic.com/v3')
const anyScalar = fc.oneof(oddString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null))

/** An entry of the accounts file: mostly well formed, sometimes anything at all. */
const accountEntry: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.tuple(
      fc.record({ name: goodName, apiKey: goodKey }),
      fc.oneof(fc.record({ apiSecret: secretValue }), fc.record({ apiSecretFile: fc.constantFrom('otp.secret', '/run/secrets/x', '../x') })),
      fc.record({ baseUrl: goodUrl, balanceWarning: fc.integer({ min: 100, max: 10_000 }), balanceCritical: fc.integer({ min: 0, max: 100 }) }, { requiredKeys: [] }),
    ).map(([identity, secret, extra]) => ({ ...identity, ...secret, ...extra })),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      name: fc.oneof(goodName, anyScalar),
      apiKey: fc.oneof(goodKey, anyScalar),
      apiSecret: fc.oneof(secretValue, fc.constantFrom('', '   ', null, 12345)),
      apiSecretFile: fc.oneof(pathString, fc.integer()),
      baseUrl: fc.oneof(goodUrl, urlString, fc.integer()),
      balanceWarning: fc.oneof(fc.integer(), fc.double(), numberLikeString),
      balanceCritical: fc.oneof(fc.integer(), fc.double(), numberLikeString),
      secret: fc.constant('unknown field'),
    }, { requiredKeys: [] }),
  },
  { weight: 1, arbitrary: anyScalar },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 12 }), anyScalar, { maxKeys: 3 }) },
)

const accountsDocument: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.array(accountEntry, { minLength: 1, maxLength: 4 }).map((accounts) => ({ accounts })) },
  { weight: 1, arbitrary: fc.constantFrom({ accounts: [] }, { accounts: 'otp' }, { accounts: { name: 'a' } }, [], null, 'accounts', { other: 1 }, 42) },
)

/** An accounts file written by a serialiser (so the secret is quoted as YAML or JSON needs). */
const accountsFileContent: fc.Arbitrary<FileOutcome> = fc.tuple(accountsDocument, fc.constantFrom('yaml', 'yaml-flow', 'json'))
  .map(([document, format]): FileOutcome => ({
    content: format === 'json'
      ? JSON.stringify(document)
      : toYaml(document, format === 'yaml-flow' ? { collectionStyle: 'flow' } : {}),
  }))

interface Scenario {
  env: Record<string, string>
  /** What reading any path gives; the accounts file's own path is served from accountsFile. */
  files: (path: string) => FileOutcome
  accountsFile: FileOutcome
}

const scenario: fc.Arbitrary<Scenario> = fc.record({
  env: fc.tuple(baseEnv, fc.array(setting, { maxLength: 4 }))
    .map(([base, settings]) => Object.fromEntries([...Object.entries(base), ...settings])),
  files: fc.func(fileOutcome),
  accountsFile: fc.oneof({ weight: 4, arbitrary: accountsFileContent }, { weight: 1, arbitrary: fileOutcome }),
})

function readFileOf ({ env, files, accountsFile }: Scenario): ReadFile {
  return (path) => {
    const outcome = path === env[ACCOUNTS_FILE] ? accountsFile : files(path)
    if ('content' in outcome) return outcome.content
    throw Object.assign(new Error(`${outcome.errorCode ?? 'EIO'}: cannot open '${path}'`), outcome.errorCode === undefined ? {} : { code: outcome.errorCode })
  }
}

// --------------------------------------------------------------------------------------------------- runner

interface Outcome {
  config?: Config
  problems?: string[]
  /** Anything loadConfig wrote on its own: process warnings, console output, stderr. */
  output: string[]
}

/** Runs loadConfig, capturing what it writes and failing on anything thrown that is not a ConfigError. */
function load (env: Record<string, string>, readFile: ReadFile): Outcome {
  const output: string[] = []
  const capture = (...args: unknown[]): boolean => {
    output.push(args.map((a) => a instanceof Error ? `${a.name}: ${a.message}` : String(a)).join(' '))
    return true
  }
  const restore = [
    replace(process, 'emitWarning', capture),
    replace(console, 'warn', capture),
    replace(console, 'error', capture),
    replace(process.stderr, 'write', (chunk: unknown) => capture(chunk)),
  ]
  try {
    return { config: loadConfig(env, readFile), output }
  } catch (err) {
    if (!(err instanceof ConfigError)) {
      throw new Error(`threw ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)} instead of a ConfigError`, { cause: err })
    }
    return { problems: err.problems, output }
  } finally {
    for (const undo of restore) undo()
  }
}

/** Puts `value` in place of obj[key] (own or inherited); the returned function puts back what was there. */
function replace (obj: object, key: string, value: unknown): () => void {
  const own = Object.getOwnPropertyDescriptor(obj, key)
  Object.defineProperty(obj, key, { value, configurable: true, writable: true })
  return () => {
    if (own === undefined) Reflect.deleteProperty(obj, key)
    else Object.defineProperty(obj, key, own)
  }
}

const run = (s: Scenario): Outcome => load(s.env, readFileOf(s))

/** Does the line name a variable outside the values it quotes ("got ..." and names in quotes)? */
function namesVariable (line: string): boolean {
  const unquoted = line.replace(/"[^"]*"/g, '""')
  return NAMES.some((name) => new RegExp(`(?<![A-Za-z0-9_])${name}(?![A-Za-z0-9_])`).test(unquoted))
}

const RUNS = 300

// ------------------------------------------------------------------------------------------------ properties

t.test('loadConfig returns a Config or throws a ConfigError listing problems that name a variable', async (t) => {
  let loaded = 0
  let refused = 0
  fc.assert(fc.property(scenario, (s) => {
    const { config, problems } = run(s)
    if (config !== undefined) {
      loaded++
      return
    }
    refused++
    if (!Array.isArray(problems) || problems.length === 0) throw new Error('a ConfigError without problems')
    for (const problem of problems) {
      if (typeof problem !== 'string' || problem.trim() === '') throw new Error(`a problem that is not a line: ${JSON.stringify(problem)}`)
      if (!namesVariable(problem)) throw new Error(`names no variable: ${problem}`)
    }
  }), { numRuns: RUNS })
  // The property means something only if both branches were taken.
  t.ok(loaded > RUNS / 20, `${loaded} configurations loaded`)
  t.ok(refused > RUNS / 20, `${refused} configurations refused`)
})

const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value)

function checkConfig (config: Config, env: Record<string, string>, readFile: ReadFile): void {
  // Empty or blank counts as unset.
  const set = (name: string): string | undefined => env[name]?.trim() === '' ? undefined : env[name]
  const fail = (what: string): never => { throw new Error(`${what}; config: ${JSON.stringify(config)}`) }

  if (config.accounts.length === 0) fail('no account')
  const names = config.accounts.map((a) => a.name)
  if (new Set(names).size !== names.length) fail(`account names repeat: ${names.join(', ')}`)
  for (const account of config.accounts) {
    for (const field of ['name', 'apiKey', 'apiSecret'] as const) {
      if (typeof account[field] !== 'string' || account[field] === '') fail(`account ${field} empty`)
    }
    const protocol = new URL(account.baseUrl).protocol
    if (protocol !== 'http:' && protocol !== 'https:') fail(`baseUrl ${account.baseUrl}`)
    if (!finite(account.balanceWarning) || !finite(account.balanceCritical)) fail('a threshold is not a finite number')
    if (account.balanceCritical > account.balanceWarning) fail('critical above warning')
  }
  // The accounts file refuses .inf and .nan thresholds; the variables must not let them in either (an infinite
  // interval or timeout reaches setTimeout, which runs it after 1 ms: the exporter then polls nonstop).
  for (const field of ['pollIntervalSeconds', 'requestTimeoutSeconds', 'maxStalenessSeconds'] as const) {
    if (!finite(config[field])) fail(`${field} is ${String(config[field])}`)
  }
  if (config.pollIntervalSeconds < 1) fail('poll interval under 1 s')
  if (config.requestTimeoutSeconds <= 0) fail('request timeout not positive')
  if (config.maxStalenessSeconds < 0) fail('negative staleness')
  if (!Number.isInteger(config.port) || config.port < 0 || config.port > 65535) fail(`port ${config.port}`)
  if (typeof config.host !== 'string' || config.host === '') fail('empty host')
  if (!(SCHEMA.LOG_LEVEL?.enum ?? []).includes(config.logLevel)) fail(`log level ${config.logLevel}`)
  if (typeof config.processMetrics !== 'boolean') fail('processMetrics not a boolean')

  // Model: each variable, when set, is what the config holds; when unset, its schema default.
  const model: Array<[string, unknown]> = [
    ['LAAFFIC_POLL_INTERVAL', config.pollIntervalSeconds],
    ['LAAFFIC_REQUEST_TIMEOUT', config.requestTimeoutSeconds],
    ['PORT', config.port],
    ['HOST', config.host],
    ['LOG_LEVEL', config.logLevel],
    ['LAAFFIC_PROCESS_METRICS', config.processMetrics],
  ]
  for (const [name, actual] of model) {
    const property = SCHEMA[name]
    if (property === undefined) continue
    const text = set(name)
    const wanted = text === undefined
      ? property.default
      : property.type === 'boolean' ? text === 'true' : property.type === 'number' || property.type === 'integer' ? Number(text) : text
    if (!Object.is(actual, wanted) && !(actual === 0 && wanted === 0)) fail(`${name}=${JSON.stringify(text)} gave ${String(actual)}, not ${String(wanted)}`)
  }
  const staleness = set('LAAFFIC_MAX_STALENESS')
  const wantedStaleness = staleness === undefined ? Math.max(900, 3 * config.pollIntervalSeconds) : Number(staleness)
  if (config.maxStalenessSeconds !== wantedStaleness) fail(`staleness ${config.maxStalenessSeconds}, not ${wantedStaleness}`)

  if (set(ACCOUNTS_FILE) === undefined) {
    const [account] = config.accounts
    const inline = set('LAAFFIC_API_SECRET')
    const secretFile = set('LAAFFIC_API_SECRET_FILE')
    const secret = inline ?? (secretFile === undefined ? undefined : readFile(secretFile).replace(/[\r\n]+$/, ''))
    const wanted = {
      name: set('LAAFFIC_ACCOUNT') ?? 'default',
      apiKey: set('LAAFFIC_API_KEY'),
      apiSecret: secret,
      baseUrl: set('LAAFFIC_BASE_URL') ?? PROVIDERS[(set('LAAFFIC_PROVIDER') ?? 'laaffic') as Provider].baseUrl,
    }
    if (config.accounts.length !== 1 || account === undefined) fail('one account expected from the variables')
    for (const [field, value] of Object.entries(wanted)) {
      if (account?.[field as keyof typeof account] !== value) fail(`account ${field} is not ${JSON.stringify(value)}`)
    }
  }
}

t.test('a Config that loads holds what the variables say, in ranges the exporter can run with', async (t) => {
  let loaded = 0
  fc.assert(fc.property(scenario, (s) => {
    const { config } = run(s)
    if (config === undefined) return
    loaded++
    checkConfig(config, s.env, readFileOf(s))
  }), { numRuns: RUNS })
  t.ok(loaded > RUNS / 20, `${loaded} configurations loaded and checked`)
})

t.test('every problem is a single line', async (t) => {
  fc.assert(fc.property(scenario, (s) => {
    for (const problem of run(s).problems ?? []) {
      if (/[\r\n]/.test(problem)) throw new Error(`a problem spans lines: ${JSON.stringify(problem)}`)
    }
  }), { numRuns: RUNS })
  t.pass(`${RUNS} runs`)
})

t.test('no problem line and no output of loadConfig holds a secret (variables, secret files, serialised accounts files)', async (t) => {
  let secrets = 0
  fc.assert(fc.property(scenario, (s) => {
    const { problems = [], output } = run(s)
    if (Object.values(s.env).some((v) => v.includes(CANARY))) secrets++
    for (const line of [...problems, ...output]) {
      if (line.includes(CANARY)) throw new Error(`a secret leaked: ${JSON.stringify(line)}`)
    }
  }), { numRuns: RUNS })
  t.ok(secrets > RUNS / 4, `${secrets} runs had a secret in a variable`)
})

// A hand-written accounts file, where a secret is written as a plain YAML scalar, as in the README's example
// (`apiSecret: "..."` quoted, but people do not always quote). The secret may begin with any character.
const YAML_INDICATORS = ['', '*', '&', '!', '!!', '!<', '%', '@', '`', '|', '>', '#', '{', '[', '"', "'", '- ', '? ', ': ', ',', '~', '=', '\\']

const handWrittenFile = fc.tuple(
  fc.constantFrom(...YAML_INDICATORS),
  fc.constantFrom('', 'x', ' tail', ':x'),
  fc.constantFrom(': ', ':'), // the space after the colon, forgotten
  fc.constantFrom('block', 'flow', 'bare'),
).map(([before, after, colon, style]) => {
  const secret = `${before}${CANARY}${after}`
  if (style === 'block') return `accounts:\n  - name: otp\n    apiKey: "bDqJFiq9"\n    apiSecret${colon}${secret}\n`
  if (style === 'flow') return `accounts: [{name: otp, apiKey: "bDqJFiq9", apiSecret${colon}${secret}}]\n`
  return `${secret}\n` // LAAFFIC_ACCOUNTS_FILE pointed at the secret file by mistake
})

t.test('a secret written as a plain YAML scalar never reaches a problem line or stderr', async (t) => {
  fc.assert(fc.property(handWrittenFile, (content) => {
    const { problems = [], output } = load({ [ACCOUNTS_FILE]: ACCOUNTS_PATH }, (path) => {
      if (path === ACCOUNTS_PATH) return content
      throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' })
    })
    for (const line of [...problems, ...output]) {
      if (line.includes(CANARY)) throw new Error(`the secret leaked: ${JSON.stringify(line)}`)
    }
  }), { numRuns: 300 })
  t.pass('300 runs')
})

t.test('loadConfig writes nothing itself: every problem goes into the ConfigError', async (t) => {
  const yamlish = fc.oneof(
    fc.constantFrom('!vault x', '!!binary aGk=', '%YAML 1.1\n---\na: 1', '%TAG ! tag:x,2000:\n---\n!a b', 'a: !!float x', 'a: &x 1\nb: *x', 'a: 1\na: 2'),
    fc.string({ unit: fc.constantFrom('!', '%', '&', '*', 'a', ':', ' ', '\n', '-', '[', ']', '{', '}', '#', '<', '>', '|'), maxLength: 30 }),
  )
  fc.assert(fc.property(fc.oneof(yamlish, oddString), (content) => {
    const { output } = load({ [ACCOUNTS_FILE]: ACCOUNTS_PATH }, () => content)
    if (output.length > 0) throw new Error(`wrote to stderr: ${JSON.stringify(output)}`)
  }), { numRuns: 500 })
  t.pass('500 runs')
})

t.test('an empty or blank variable counts as unset', async (t) => {
  // Compose files and Helm charts pass an unset variable as "": the outcome must be the same as without it.
  fc.assert(fc.property(scenario, fc.constantFrom(...VARIABLES), fc.constantFrom('', ' ', '\t', ' \n '), (s, name, blank) => {
    const unset = Object.fromEntries(Object.entries(s.env).filter(([key]) => key !== name))
    const empty = { ...unset, [name]: blank }
    const strip = ({ config, problems }: Outcome): unknown => ({ config, problems })
    deepStrictEqual(strip(load(empty, readFileOf({ ...s, env: empty }))), strip(load(unset, readFileOf({ ...s, env: unset }))))
  }), { numRuns: RUNS })
  t.pass(`${RUNS} runs`)
})

t.test('the canary and the edge values are what the arbitraries claim', async (t) => {
  // Guards the generators: the canary must not occur in anything but secrets.
  t.notOk(fc.sample(oddString, 2000).some((v) => v.includes(CANARY)), 'odd strings never hold the canary')
  t.ok(fc.sample(whitespace, 50).every((v) => v.trim() === ''), 'whitespace is white space to trim()')
  t.ok(VARIABLES.length >= 15, `${VARIABLES.length} variables fuzzed: ${VARIABLES.join(', ')}`)
})
