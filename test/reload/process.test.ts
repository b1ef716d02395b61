// Reload of the built exporter as a process: a Kubernetes-style symlink swap of the accounts file, a bad
// file, SIGHUP and POST /-/reload. The accounts file is mounted as Kubernetes mounts a Secret:
// accounts.yml -> ..data/accounts.yml, ..data -> ..2026_12_01_00_00_0N (swapped by a rename).
import t from 'tap'
import { mkdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { stringify } from 'yaml'
import type { Program } from '../../scripts/lib/program.js'
import { sample } from '../helpers/app.js'
import { logRecord, startExporter, startSimulator } from '../helpers/exporter-process.js'
import { holdsWithin, staysTrue, waitFor } from '../helpers/wait.js'

const ACCOUNTS = ['a', 'b', 'c'].map((name) => ({ name, apiKey: `key-${name}`, apiSecret: `secret-${name}` }))

/** A folder laid out like a mounted Secret, and a way to publish a new version of its file atomically. */
function secretMount (dir: string) {
  let version = 0
  const publish = (content: string): void => {
    version++
    const folder = `..2026_12_01_00_00_0${version}`
    mkdirSync(join(dir, folder))
    writeFileSync(join(dir, folder, 'accounts.yml'), content)
    symlinkSync(folder, join(dir, '..data_tmp'))
    renameSync(join(dir, '..data_tmp'), join(dir, '..data'))
  }
  return { publish, file: join(dir, 'accounts.yml'), init: () => { symlinkSync(join('..data', 'accounts.yml'), join(dir, 'accounts.yml')) } }
}

const scrape = async (url: string): Promise<string> => await (await fetch(`${url}/metrics`)).text()
const reloads = (exporter: Program, trigger: string): Array<Record<string, unknown>> =>
  exporter.records().filter((r) => r.msg === 'configuration reloaded' && r.trigger === trigger)
/** The refusals logged at error (a refusal of the same files again is logged at debug only). */
const refusals = (exporter: Program): Array<Record<string, unknown>> =>
  exporter.records().filter((r) => r.level === 50 && typeof r.msg === 'string' && r.msg.startsWith('configuration reload refused'))
/** Long enough for a late duplicate to show: the watcher reloads 250 ms after the last event of a change. */
const LATE_MS = 1500

t.test('a symlink swap, a bad file, SIGHUP and POST /-/reload', async (t) => {
  const dir = t.testdir({ 'simulator.yml': stringify({ accounts: ACCOUNTS }), mount: {} })
  const simulator = startSimulator({ SIMULATOR_ACCOUNTS_FILE: join(dir, 'simulator.yml'), LOG_LEVEL: 'warn' })
  t.teardown(async () => await simulator.stop())
  const simulatorUrl = await simulator.url()
  const mount = secretMount(join(dir, 'mount'))
  const accountsFile = (names: string[]): string => stringify({ accounts: ACCOUNTS.filter((a) => names.includes(a.name)) })
  mount.publish(accountsFile(['a', 'b']))
  mount.init()

  const exporter = startExporter({
    LAAFFIC_ACCOUNTS_FILE: mount.file, LAAFFIC_BASE_URL: `${simulatorUrl}/v3`, LAAFFIC_POLL_INTERVAL: '600', WEB_ENABLE_LIFECYCLE: 'true',
    // Debug shows a repeated refusal, which is not logged at error again.
    LOG_LEVEL: 'debug',
  })
  t.teardown(async () => await exporter.stop())
  const url = await exporter.url()
  await waitFor(async () => (await fetch(`${url}/readyz`)).ok, 'the first polls')
  const start = sample(await scrape(url), 'laaffic_config_last_reload_success_timestamp_seconds') ?? 0

  // 1. Kubernetes updates the Secret: the new account is polled within 5 s, the others keep their counters.
  mount.publish(accountsFile(['a', 'b', 'c']))
  t.ok(await holdsWithin(async () => sample(await scrape(url), 'laaffic_up{account="c"}') === 1, 5000), 'the added account is polled within 5 s of the swap')
  const afterSwap = await scrape(url)
  t.equal(sample(afterSwap, 'laaffic_polls_total{account="a"}'), 1, 'a kept its counter (not reset, not polled again)')
  await logRecord(exporter, (r) => r.msg === 'configuration reloaded' && r.trigger === 'file change', 'the swap reloaded')
  t.ok(await staysTrue(() => reloads(exporter, 'file change').length === 1, LATE_MS), 'one reload for the swap, and no late second one')

  // 2. A bad file is refused whole; the running accounts go on.
  mount.publish('accounts:\n  - name: a\n    apiKey: key-a\n    colour: red\n')
  await waitFor(async () => sample(await scrape(url), 'laaffic_config_last_reload_successful') === 0, 'the bad file refused', 5000)
  const refused = await logRecord(exporter, (r) => typeof r.msg === 'string' && r.msg.includes('reload refused'), 'reload refused')
  t.same(refused.problems, [
    'LAAFFIC_ACCOUNTS_FILE: account "a": unknown field "colour"',
    'LAAFFIC_ACCOUNTS_FILE: account "a": apiSecret or apiSecretFile is required',
  ])
  t.equal(refused.trigger, 'file change')
  t.equal(sample(await scrape(url), 'laaffic_up{account="c"}'), 1, 'c is still exported')

  // 3. SIGHUP re-reads the files: still bad, still refused, not logged at error a second time; then fixed
  // (without c), and c's series go.
  exporter.child.kill('SIGHUP')
  await logRecord(exporter, (r) => r.level === 20 && r.msg === 'configuration reload refused again: same files, same problems as the refusal logged before' && r.trigger === 'SIGHUP', 'SIGHUP read the bad file again')
  t.equal(sample(await scrape(url), 'laaffic_config_last_reload_successful'), 0, 'still refused')
  t.ok(await staysTrue(() => refusals(exporter).length === 1, LATE_MS), 'one error line for one bad file, though read twice')
  mount.publish(accountsFile(['a', 'b']))
  await waitFor(async () => sample(await scrape(url), 'laaffic_config_last_reload_successful') === 1, 'the fixed file applied', 5000)
  const fixed = await scrape(url)
  t.notMatch(fixed, /account="c"/, 'the removed account has no series left')
  t.ok((sample(fixed, 'laaffic_config_last_reload_success_timestamp_seconds') ?? 0) > start, 'the success time moved on')
  exporter.child.kill('SIGHUP')
  await waitFor(() => reloads(exporter, 'SIGHUP').length === 1, 'SIGHUP with nothing changed: a good reload')
  t.ok(await staysTrue(() => reloads(exporter, 'SIGHUP').length === 1, LATE_MS), 'one reload for one SIGHUP')

  // 4. POST /-/reload (WEB_ENABLE_LIFECYCLE=true): 200 when applied; GET is not allowed.
  const post = await fetch(`${url}/-/reload`, { method: 'POST' })
  t.same([post.status, await post.text()], [200, 'OK\n'])
  await logRecord(exporter, (r) => r.msg === 'configuration reloaded' && r.trigger === 'HTTP', 'the POST reloaded')
  t.ok(await staysTrue(() => reloads(exporter, 'HTTP').length === 1, LATE_MS), 'one reload for the POST')
  t.equal((await fetch(`${url}/-/reload`)).status, 405)
  mount.publish('accounts: []\n')
  await waitFor(async () => sample(await scrape(url), 'laaffic_config_last_reload_successful') === 0, 'an empty list refused', 5000)
  const failed = await fetch(`${url}/-/reload`, { method: 'POST' })
  t.equal(failed.status, 500)
  t.match(await failed.text(), /^failed to reload config:\nLAAFFIC_ACCOUNTS_FILE: ".+" must hold a non-empty list under "accounts"\n$/)
  t.same(refusals(exporter).map((r) => r.trigger), ['file change', 'file change'], 'a second bad content is logged; the POST that read it again answers 500 without a second line')
  t.equal(exporter.stderr(), '', 'nothing on stderr')
})

t.test('without WEB_ENABLE_LIFECYCLE there is no /-/reload', async (t) => {
  const exporter = startExporter({ LAAFFIC_API_KEY: 'k', LAAFFIC_API_SECRET: 's', LAAFFIC_BASE_URL: 'http://127.0.0.1:9/v3' })
  t.teardown(async () => await exporter.stop())
  const url = await exporter.url()
  t.equal((await fetch(`${url}/-/reload`, { method: 'POST' })).status, 404)
})

t.test('a refused configuration that lacked a file applies once the file is written, without a signal', async (t) => {
  const dir = t.testdir({ 'simulator.yml': stringify({ accounts: ACCOUNTS }), 'accounts.yml': stringify({ accounts: [ACCOUNTS[0]] }) })
  const simulator = startSimulator({ SIMULATOR_ACCOUNTS_FILE: join(dir, 'simulator.yml'), LOG_LEVEL: 'warn' })
  t.teardown(async () => await simulator.stop())
  const exporter = startExporter({ LAAFFIC_ACCOUNTS_FILE: join(dir, 'accounts.yml'), LAAFFIC_BASE_URL: `${await simulator.url()}/v3`, LAAFFIC_POLL_INTERVAL: '600' })
  t.teardown(async () => await exporter.stop())
  const url = await exporter.url()
  await waitFor(async () => (await fetch(`${url}/readyz`)).ok, 'the first poll')

  // The operator names a secret file before writing it (files edited in any order): refused, for now.
  const b = ACCOUNTS[1] as { name: string, apiKey: string, apiSecret: string }
  writeFileSync(join(dir, 'accounts.yml'), stringify({ accounts: [ACCOUNTS[0], { name: b.name, apiKey: b.apiKey, apiSecretFile: 'b.secret' }] }))
  await waitFor(() => refusals(exporter).length === 1, 'the refusal: b.secret is missing', 10_000)
  t.match(String((refusals(exporter)[0]?.problems as string[] | undefined)?.join(' ')), /account "b": apiSecretFile: cannot read .*\(ENOENT\)/)

  // Then writes it: the watcher, now watching the file the refused configuration named, applies it.
  writeFileSync(join(dir, 'b.secret'), `${b.apiSecret}\n`)
  await waitFor(() => reloads(exporter, 'file change').length === 1, 'the reload the new file brings', 10_000)
  await waitFor(async () => sample(await scrape(url), 'laaffic_up{account="b"}') === 1, 'b polled with the secret from the file')
  t.equal(sample(await scrape(url), 'laaffic_config_last_reload_successful'), 1)
  t.equal(exporter.child.exitCode, null, 'no restart, no signal')
})
