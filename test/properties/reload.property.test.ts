import t from 'tap'
import fc from 'fast-check'
import assert from 'node:assert/strict'
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config/load.js'
import { sample } from '../helpers/app.js'
import { makeCertificates, type CertificatePair } from '../helpers/certificates.js'
import { captureLogs } from '../helpers/logs.js'
import { ManualScheduler } from '../helpers/manual-scheduler.js'
import { getOverTls } from '../helpers/tls-scrape.js'

// Reload under random sequences of what happens to files: good accounts files written in place or renamed
// over, bad ones, half-written ones, files deleted, certificates and keys written in either order (one with
// an RSA key beside EC ones). An app in process with real files, its file watcher and a real HTTPS socket
// scraped all along; after each change a reload as SIGHUP does. Whatever the sequence: no reload throws, no
// scrape fails, each reload applies exactly when the files form a good configuration, the exporter serves
// the last good one (its accounts and its certificate), and each distinct refused content is logged once.

const NAMES = ['a', 'b', 'c']
const RUNS = 20
type File = 'accounts' | 'cert' | 'key'
interface Accounts { names: string[], warning: number }
type Step =
  | { kind: 'accounts', accounts: Accounts, rename: boolean }
  /** The JSON form cut short: any strict prefix of it is refused (an unclosed flow mapping, or empty). */
  | { kind: 'half', accounts: Accounts, cut: number }
  | { kind: 'bad', content: string, rename: boolean }
  | { kind: 'delete', file: File }
  | { kind: 'cert' | 'key', pair: number, rename: boolean }

const accountsArb: fc.Arbitrary<Accounts> = fc.record({
  names: fc.subarray(NAMES, { minLength: 1 }),
  warning: fc.integer({ min: 1, max: 1000 }),
})
const BAD = [
  'accounts:\n  - name: a\n    apiKey: key-a\n    colour: red\n',
  'accounts: []\n',
  'accounts:\n  - name: a\n   apiKey: [\n',
  '',
  '\u0000\u00ff not yaml at all: [',
]
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('accounts' as const), accounts: accountsArb, rename: fc.boolean() }),
  fc.record({ kind: fc.constant('half' as const), accounts: accountsArb, cut: fc.double({ min: 0, max: 0.999, noNaN: true }) }),
  fc.record({ kind: fc.constant('bad' as const), content: fc.constantFrom(...BAD), rename: fc.boolean() }),
  fc.record({ kind: fc.constant('delete' as const), file: fc.constantFrom<File>('accounts', 'cert', 'key') }),
  fc.record({ kind: fc.constantFrom('cert' as const, 'key' as const), pair: fc.nat({ max: 2 }), rename: fc.boolean() }),
)

const accountsObject = (a: Accounts): unknown => ({
  accounts: a.names.map((name) => ({ name, apiKey: `key-${name}`, apiSecret: `secret-${name}`, balanceWarning: a.warning, balanceCritical: 0 })),
})

/** What the files hold, as the test knows it: the accounts file's text and whether it is good, which pair's cert and key. */
interface Files { accountsText?: string, accounts?: Accounts, cert?: number, key?: number }
const goodConfiguration = (f: Files): { accounts: Accounts, pair: number } | undefined =>
  f.accounts !== undefined && f.cert !== undefined && f.cert === f.key ? { accounts: f.accounts, pair: f.cert } : undefined

t.test('random file changes while scraping: never a failed scrape, always the last good configuration', async (t) => {
  const base = t.testdir({})
  const pairs = makeCertificates(base, ['ec', 'ec', 'rsa'])
  const pair = (index: number): CertificatePair => pairs[index] as CertificatePair
  const trusted = pairs.map((p) => p.cert)
  let scrapes = 0

  await fc.assert(fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
    const dir = mkdtempSync(join(base, 'run-'))
    const paths: Record<File, string> = { accounts: join(dir, 'accounts.yml'), cert: join(dir, 'tls.crt'), key: join(dir, 'tls.key') }
    const write = (file: File, content: string, rename: boolean): void => {
      if (!rename) return writeFileSync(paths[file], content)
      writeFileSync(`${paths[file]}.new`, content)
      renameSync(`${paths[file]}.new`, paths[file])
    }
    const files: Files = { accounts: { names: ['a'], warning: 100 }, cert: 0, key: 0 }
    files.accountsText = stringify(accountsObject(files.accounts as Accounts))
    write('accounts', files.accountsText, false)
    write('cert', pair(0).cert, false)
    write('key', pair(0).key, false)
    const env = {
      LAAFFIC_ACCOUNTS_FILE: paths.accounts, TLS_CERT_FILE: paths.cert, TLS_KEY_FILE: paths.key,
      LAAFFIC_BASE_URL: 'http://127.0.0.1:9/v3', LAAFFIC_POLL_INTERVAL: '600',
    }
    const logs = captureLogs('debug')
    const app = buildApp({
      config: loadConfig(env),
      logger: logs.logger,
      scheduler: new ManualScheduler().schedule,
      loadConfig: (readFile) => loadConfig(env, readFile),
      watchFiles: { debounceMs: 5, pollIntervalMs: 200 },
    })
    const failures: string[] = []
    const scraping = { on: true }
    try {
      await app.listen({ host: '127.0.0.1', port: 0 })
      const { port } = app.server.address() as AddressInfo
      const loop = (async () => {
        while (scraping.on) {
          const answer = await getOverTls(port, trusted).catch((err: unknown) => ({ status: 0, body: (err as Error).message }))
          scrapes++
          if (answer.status !== 200) failures.push(`${answer.status} ${answer.body.slice(0, 200)}`)
        }
      })()

      let running = goodConfiguration(files) as NonNullable<ReturnType<typeof goodConfiguration>>
      let lastRefused: string | undefined
      let refusalsLogged = 0
      for (const s of steps) {
        if (s.kind === 'accounts') {
          files.accountsText = stringify(accountsObject(s.accounts))
          files.accounts = s.accounts
          write('accounts', files.accountsText, s.rename)
        } else if (s.kind === 'half') {
          const whole = JSON.stringify(accountsObject(s.accounts))
          files.accountsText = whole.slice(0, Math.floor(s.cut * whole.length))
          files.accounts = undefined
          write('accounts', files.accountsText, false)
        } else if (s.kind === 'bad') {
          files.accountsText = s.content
          files.accounts = undefined
          write('accounts', s.content, s.rename)
        } else if (s.kind === 'delete') {
          rmSync(paths[s.file], { force: true })
          if (s.file === 'accounts') [files.accountsText, files.accounts] = [undefined, undefined]
          else files[s.file] = undefined
        } else {
          write(s.kind, pair(s.pair)[s.kind], s.rename)
          files[s.kind] = s.pair
        }
        const good = goodConfiguration(files)
        const result = await app.reloadConfig('SIGHUP')
        assert.equal(result.ok, good !== undefined, `after ${JSON.stringify(s)}: ${JSON.stringify(result)}`)
        if (good !== undefined) {
          running = good
          lastRefused = undefined
        } else {
          const content = JSON.stringify([files.accountsText, files.cert, files.key])
          if (content !== lastRefused) refusalsLogged++
          lastRefused = content
        }
        const answer = await getOverTls(port, trusted)
        assert.equal(answer.status, 200)
        assert.equal(answer.fingerprint, pair(running.pair).fingerprint, 'the last good certificate serves')
        const thresholds = NAMES.map((name) => sample(answer.body, `laaffic_balance_warning_threshold{account="${name}"}`))
        assert.deepEqual(thresholds, NAMES.map((name) => running.accounts.names.includes(name) ? running.accounts.warning : undefined), 'the last good accounts')
        assert.equal(sample(answer.body, 'laaffic_config_last_reload_successful'), good === undefined ? 0 : 1)
      }
      scraping.on = false
      await loop
      assert.deepEqual(failures, [], 'every scrape answered 200')
      const refused = logs.records.filter((r) => r.level === 50 && r.msg === 'configuration reload refused: the running configuration stays')
      assert.equal(refused.length, refusalsLogged, 'one error line per distinct refused content')
    } finally {
      scraping.on = false
      await app.close()
    }
  }), { numRuns: RUNS })
  t.ok(scrapes > RUNS, `${scrapes} scrapes during ${RUNS} sequences`)
})
