import t from 'tap'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { account, CANARY_SECRET, okBody } from '../helpers/api.js'
import { logRecord, startExporter } from '../helpers/exporter-process.js'
import type { Program } from '../../scripts/lib/program.js'
import { startFakeLaaffic } from '../helpers/fake-laaffic.js'
import { waitFor } from '../helpers/wait.js'
import { makeCanary } from '../helpers/arbitraries.js'

// The built exporter (npm test builds first; run `npm run build` before running this file alone) started with
// odd values for its variables, as a user would see it: exit code, stderr, stdout. The cases start at once
// and run side by side; each subtest then checks its own.

const CANARY = makeCanary()
/** How long a start, an exit or a first poll may take on a loaded machine (a deadline, not a sleep). */
const DEADLINE_MS = 20_000
const PREFIX = 'laaffic-exporter: config error: '
/** A key, the canary secret and an API address nothing listens on (port 9, discard): the rest of a valid config. */
const VALID = { LAAFFIC_API_KEY: 'key-1', LAAFFIC_API_SECRET: CANARY, LAAFFIC_BASE_URL: 'http://127.0.0.1:9/v3' }

type Expectation =
  /** Exit 1 before starting, with config error lines, one naming `variable`. */
  | { kind: 'refused', variable: string }
  /** The configuration is valid: it starts, listens, and exits 0 on SIGTERM with nothing on stderr. */
  | { kind: 'runs' }
  /** Valid configuration, but the address cannot be listened on: exit 1 with the 'cannot listen' log line. */
  | { kind: 'cannot-listen' }
  /** Either refused naming `variable`, or it runs (as 'runs'). */
  | { kind: 'refused-or-runs', variable: string }
  /** Either refused naming `variable`, or it runs (as 'runs') and polls once (against a fake API) before the interval. */
  | { kind: 'refused-or-polls-once', variable: string }

interface Case { name: string, env: Record<string, string>, expect: Expectation }

const dir = t.testdir({
  // A secret that begins with a YAML indicator, written without quotes.
  'alias.yml': `accounts:\n  - name: otp\n    apiKey: "bDqJFiq9"\n    apiSecret: *${CANARY}\n`,
  // A YAML tag the parser does not know (Ansible's !vault, Home Assistant's !secret...): a plain value follows.
  'tag.yml': `accounts:\n  - name: otp\n    apiKey: "bDqJFiq9"\n    apiSecret: !vault ${CANARY}\n    baseUrl: http://127.0.0.1:9/v3\n`,
})

const cases: Case[] = [
  { name: 'PORT of 20 digits', env: { ...VALID, PORT: '99999999999999999999' }, expect: { kind: 'refused', variable: 'PORT' } },
  { name: 'PORT -0 is port 0 (any free port)', env: { ...VALID, PORT: '-0' }, expect: { kind: 'runs' } },
  { name: 'PORT with a newline in it', env: { ...VALID, PORT: '80\n81' }, expect: { kind: 'refused', variable: 'PORT' } },
  { name: 'LAAFFIC_POLL_INTERVAL Infinity', env: { ...VALID, LAAFFIC_POLL_INTERVAL: 'Infinity' }, expect: { kind: 'refused', variable: 'LAAFFIC_POLL_INTERVAL' } },
  { name: 'LAAFFIC_POLL_INTERVAL 1e400', env: { ...VALID, LAAFFIC_POLL_INTERVAL: '1e400' }, expect: { kind: 'refused', variable: 'LAAFFIC_POLL_INTERVAL' } },
  {
    name: 'LAAFFIC_POLL_INTERVAL of 3,000,000 s (past what a Node timer holds)',
    env: { LAAFFIC_POLL_INTERVAL: '3000000' },
    expect: { kind: 'refused-or-polls-once', variable: 'LAAFFIC_POLL_INTERVAL' },
  },
  { name: 'LAAFFIC_REQUEST_TIMEOUT Infinity', env: { ...VALID, LAAFFIC_REQUEST_TIMEOUT: 'Infinity' }, expect: { kind: 'refused', variable: 'LAAFFIC_REQUEST_TIMEOUT' } },
  { name: 'LOG_LEVEL INFO (upper case)', env: { ...VALID, LOG_LEVEL: 'INFO' }, expect: { kind: 'refused', variable: 'LOG_LEVEL' } },
  { name: 'LAAFFIC_BASE_URL javascript:', env: { ...VALID, LAAFFIC_BASE_URL: 'javascript:alert(1)' }, expect: { kind: 'refused', variable: 'LAAFFIC_BASE_URL' } },
  { name: 'LAAFFIC_ACCOUNTS_FILE /dev/null', env: { LAAFFIC_ACCOUNTS_FILE: '/dev/null' }, expect: { kind: 'refused', variable: 'LAAFFIC_ACCOUNTS_FILE' } },
  {
    name: 'LAAFFIC_ACCOUNTS_FILE /proc/self/environ (which holds the secret)',
    env: { LAAFFIC_ACCOUNTS_FILE: '/proc/self/environ', LAAFFIC_API_SECRET: CANARY },
    expect: { kind: 'refused', variable: 'LAAFFIC_ACCOUNTS_FILE' },
  },
  {
    name: 'an accounts file with an unquoted secret starting with *',
    env: { LAAFFIC_ACCOUNTS_FILE: join(dir, 'alias.yml') },
    expect: { kind: 'refused', variable: 'LAAFFIC_ACCOUNTS_FILE' },
  },
  {
    name: 'an accounts file with an unknown YAML tag before the secret',
    env: { LAAFFIC_ACCOUNTS_FILE: join(dir, 'tag.yml') },
    expect: { kind: 'refused-or-runs', variable: 'LAAFFIC_ACCOUNTS_FILE' },
  },
  {
    name: 'LAAFFIC_API_SECRET_FILE is a directory',
    env: { LAAFFIC_API_KEY: 'key-1', LAAFFIC_API_SECRET_FILE: '/' },
    expect: { kind: 'refused', variable: 'LAAFFIC_API_SECRET_FILE' },
  },
  { name: 'LAAFFIC_ACCOUNT of 5000 characters', env: { ...VALID, LAAFFIC_ACCOUNT: 'a'.repeat(5000) }, expect: { kind: 'runs' } },
  { name: 'a secret with a newline in it', env: { ...VALID, LAAFFIC_API_SECRET: `${CANARY}\nsecond line` }, expect: { kind: 'runs' } },
  { name: 'HOST that is not a host', env: { ...VALID, HOST: 'not a host' }, expect: { kind: 'cannot-listen' } },
]

interface Observed {
  exporter: Program
  code: number | null
  signal: NodeJS.Signals | null
  /** It accepted its configuration (the start line) where it should have refused it. */
  startedWhenRefusalExpected: boolean
  /** For refused-or-polls-once: API requests seen once the first poll was done and a scrape answered. */
  requests?: number
}

const hasStarted = (exporter: Program): boolean => exporter.stdout().includes('"msg":"starting laaffic-exporter"')

/** Runs one case to its end: the process has exited (killed if it had to be) when this resolves. */
async function observe ({ env, expect }: Case): Promise<Observed> {
  const main = account('main')
  const api = expect.kind === 'refused-or-polls-once' ? await startFakeLaaffic([main]) : undefined
  api?.reply(main, { body: okBody() })
  const exporter = startExporter(api === undefined ? env : { ...env, LAAFFIC_API_KEY: main.apiKey, LAAFFIC_API_SECRET: main.apiSecret, LAAFFIC_BASE_URL: api.baseUrl })
  let ended = false
  void exporter.exited.then(() => { ended = true })
  const running = (): boolean => !ended
  const result = async (extra: Partial<Observed> = {}): Promise<Observed> => {
    const { code, signal } = await exporter.exited
    await api?.close()
    return { exporter, code, signal, startedWhenRefusalExpected: false, ...extra }
  }
  try {
    await waitFor(() => !running() || hasStarted(exporter), 'the exporter to exit or start', DEADLINE_MS)
    if (!running()) return await result()
    if (expect.kind === 'refused') {
      exporter.child.kill('SIGKILL')
      return await result({ startedWhenRefusalExpected: true })
    }
    if (expect.kind === 'cannot-listen') {
      await waitFor(() => !running() || exporter.stdout().includes('Server listening at'), 'the exporter to exit or listen', DEADLINE_MS)
      if (running()) exporter.child.kill('SIGTERM')
      return await result()
    }
    const url = await exporter.url()
    let requests: number | undefined
    if (api !== undefined) {
      await waitFor(() => exporter.stdout().includes('"msg":"account is up"'), 'the first poll', DEADLINE_MS)
      await (await fetch(`${url}/metrics`)).text() // a round trip: time enough for a 1 ms timer to fire
      requests = api.seen.length
    }
    exporter.child.kill('SIGTERM')
    return await result(requests === undefined ? {} : { requests })
  } catch (err) {
    exporter.child.kill('SIGKILL')
    await result()
    throw err
  }
}

/** Side by side, but no more at once than the machine runs well (each start costs ~0.3 s of CPU). */
let free = Math.max(2, availableParallelism() * 2)
const waiting: Array<() => void> = []
async function limited<T> (task: () => Promise<T>): Promise<T> {
  if (free > 0) free--
  else await new Promise<void>((resolve) => waiting.push(resolve)) // a finished task hands its slot over
  try {
    return await task()
  } finally {
    const next = waiting.shift()
    if (next === undefined) free++
    else next()
  }
}

// Start every case now; the subtests below wait for their own.
const runs = cases.map((c) => {
  const observed = limited(async () => observe(c))
  observed.catch(() => {}) // reported by the subtest that awaits it
  return { c, observed }
})

for (const { c, observed } of runs) {
  t.test(c.name, async (t) => {
    const { exporter, code, signal, startedWhenRefusalExpected, requests } = await observed
    const stdout = exporter.stdout()
    const stderr = exporter.stderr()
    const lines = stderr.split('\n').filter((line) => line !== '')

    const leaking = (secret: string): string[] => `${stdout}\n${stderr}`.split('\n').filter((line) => line.includes(secret))
    t.same(leaking(CANARY), [], 'the secret appears neither on stdout nor on stderr')
    t.same(leaking(CANARY_SECRET), [], 'nor the fake API account\'s secret')
    t.same(lines.filter((line) => !line.startsWith(PREFIX)), [], `every stderr line starts with "${PREFIX}"`)
    t.notMatch(stderr, /^\s+at |node:internal|^\w*(Error|Warning)\b|\(node:\d+\)/m, 'no stack trace, no Node warning on stderr')

    const expect = c.expect
    const mayRefuse = expect.kind === 'refused-or-runs' || expect.kind === 'refused-or-polls-once'
    if (expect.kind === 'refused' || (mayRefuse && code === 1)) {
      t.notOk(startedWhenRefusalExpected, 'refused its configuration instead of starting')
      t.equal(code, 1, 'exit code 1')
      t.ok(lines.some((line) => line.includes(expect.variable)), `a line names ${expect.variable}`)
      t.equal(stdout, '', 'nothing on stdout: it stopped before logging')
    } else if (expect.kind === 'cannot-listen') {
      t.equal(code, 1, 'exit code 1')
      t.match(exporter.records().find((r) => String(r.msg).startsWith('cannot listen: ')), { level: 60, msg: /\bHOST\b/ }, 'the cannot listen log line, naming HOST')
      t.equal(stderr, '', 'nothing on stderr')
    } else {
      t.same({ code, signal }, { code: 0, signal: null }, 'exit code 0 after SIGTERM')
      t.equal(stderr, '', 'nothing on stderr')
      t.ok(exporter.records().some((r) => r.msg === 'shutting down'), 'shut down on SIGTERM')
      if (expect.kind === 'refused-or-polls-once') t.equal(requests, 1, 'one poll, the next one an interval later')
    }
  })
}

t.test('the 5000-character account name is the account label as given', async (t) => {
  const run = runs.find((r) => r.c.name === 'LAAFFIC_ACCOUNT of 5000 characters')
  const { exporter } = await run!.observed
  const start = await logRecord(exporter, (r) => r.msg === 'starting laaffic-exporter', 'starting')
  t.match(start, { config: { accounts: [{ name: 'a'.repeat(5000) }] } })
})
