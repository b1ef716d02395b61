// End to end: the built exporter and the built simulator as child processes, talking over loopback HTTP only.
import t from 'tap'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { SimulatorControl } from '../../scripts/lib/simulator-control.js'
import type { Fault } from '../../src/simulator/faults.js'
import type { ReceivedRequest } from '../../src/simulator/request-log.js'
import { sample } from '../helpers/app.js'
import { logRecord, startExporter, startSimulator } from '../helpers/exporter-process.js'
import type { Program } from '../../scripts/lib/program.js'
import { holdsWithin, waitFor } from '../helpers/wait.js'

const SECRET_PREFIX = 'e2e-CANARY-'
const NAMES = ['steady', 'drain', 'locked', 'ip', 'clock', 'provider', 'server_error', 'slow', 'malformed', 'oversized',
  'reset', 'numbers', 'unknown_code', 'solo'] as const
type Name = typeof NAMES[number]
const ACCOUNTS = NAMES.map((name) => ({ name, apiKey: `key-${name}`, apiSecret: `${SECRET_PREFIX}${name}` }))

const dir = t.testdir({})
/** An accounts file for the simulator or an exporter, holding the named accounts. */
function accountsFile (file: string, names: readonly Name[]): string {
  const path = join(dir, file)
  writeFileSync(path, stringify({ accounts: ACCOUNTS.filter((a) => names.includes(a.name)) }))
  return path
}
const allAccounts = accountsFile('all.yml', NAMES)

const simulator = startSimulator({ SIMULATOR_ACCOUNTS_FILE: allAccounts })
t.teardown(() => { simulator.child.kill('SIGKILL') })
const sim = await simulator.url()
const control = new SimulatorControl(sim)
t.teardown(() => { control.close() })
const requestsOf = async (name?: Name): Promise<ReceivedRequest[]> => await control.requests(name)

// Figures every account starts with; `drain` spends 10 per second; `locked` is locked from its first poll.
for (const { name } of ACCOUNTS) await control.patchAccount(name, { balance: 100, gift: 50, credit: 0, spendPerHour: 0 })
await control.patchAccount('drain', { spendPerHour: 36_000, balance: 1_000_000, gift: 0 })
await control.setFault('locked', { type: 'status', status: '-13' })

const exporters: Program[] = []
function exporter (env: Record<string, string>): Program {
  const started = startExporter({ LAAFFIC_BASE_URL: `${sim}/v3`, ...env })
  exporters.push(started)
  t.teardown(() => { started.child.kill('SIGKILL') })
  return started
}
// `solo` is left to the second exporter below. At debug level each poll logs the wait it chose for the next.
const main = exporter({
  LAAFFIC_ACCOUNTS_FILE: accountsFile('main.yml', NAMES.filter((n) => n !== 'solo')), LAAFFIC_POLL_INTERVAL: '1', LAAFFIC_REQUEST_TIMEOUT: '1', LOG_LEVEL: 'debug',
})
const url = await main.url()
const scrape = async (): Promise<string> => await (await fetch(`${url}/metrics`)).text()
const value = async (series: string): Promise<number | undefined> => sample(await scrape(), series)

t.test('the values reach /metrics', async (t) => {
  await waitFor(async () => (await fetch(`${url}/readyz`)).status === 200, 'every account polled once')
  const text = await scrape()
  t.equal(sample(text, 'laaffic_balance{account="steady"}'), 100)
  t.equal(sample(text, 'laaffic_gift_balance{account="steady"}'), 50)
  t.equal(sample(text, 'laaffic_credit_limit{account="steady"}'), 0)
  t.equal(sample(text, 'laaffic_up{account="steady"}'), 1)
  t.ok((sample(text, 'laaffic_last_success_timestamp_seconds{account="steady"}') ?? 0) > Date.now() / 1000 - 60)
})

t.test('each fault shows in laaffic_up and laaffic_poll_errors_total, and the last good balance stays', async (t) => {
  const faults: Array<[Name, Fault, string]> = [
    ['ip', { type: 'status', status: '-2' }, '-2'],
    ['clock', { type: 'status', status: '-16' }, '-16'],
    ['provider', { type: 'status', status: '-18' }, '-18'],
    ['unknown_code', { type: 'status', status: '-10', reason: 'insufficient balance' }, '-10'],
    ['server_error', { type: 'http', httpStatus: 500 }, 'http_500'],
    ['slow', { type: 'delay', delayMs: 3000 }, 'timeout'],
    ['malformed', { type: 'malformed' }, 'invalid_response'],
    ['oversized', { type: 'oversized' }, 'invalid_response'],
    ['reset', { type: 'reset' }, 'network'],
  ]
  for (const [name] of faults) {
    await waitFor(async () => await value(`laaffic_up{account="${name}"}`) === 1, `${name} up before its fault`)
  }
  for (const [name, fault] of faults) await control.setFault(name, fault)
  for (const [name, , status] of faults) {
    await waitFor(async () => (await value(`laaffic_poll_errors_total{account="${name}",status="${status}"}`) ?? 0) >= 1,
      `${name}: ${status} counted`)
    const text = await scrape()
    t.equal(sample(text, `laaffic_up{account="${name}"}`), 0, `${name}: up 0`)
    t.equal(sample(text, `laaffic_balance{account="${name}"}`), 100, `${name}: last good balance kept`)
  }
  // A network failure names where it went (host and port), never more of the request.
  const reset = await logRecord(main, (r) => r.msg === 'account failing' && r.account === 'reset', 'reset failing')
  t.match(reset, { status: 'network', reason: new RegExp(`^E[A-Z]+ ${new URL(sim).host.replace(/\./g, '\\.')}$`) })
  await control.setFault('numbers', { type: 'numbers' })
  await waitFor(async () => (await requestsOf('numbers')).some((r) => r.answer === '0'), 'a JSON-numbers answer')
  const text = await scrape()
  t.equal(sample(text, 'laaffic_up{account="numbers"}'), 1, 'JSON numbers are a good answer')
  t.equal(sample(text, 'laaffic_balance{account="numbers"}'), 100)
  t.equal(sample(text, 'laaffic_up{account="steady"}'), 1, 'the healthy account never noticed')
})

t.test('an account whose balance drains is seen draining', async (t) => {
  const first = await value('laaffic_balance{account="drain"}') ?? 0
  await waitFor(async () => (await value('laaffic_balance{account="drain"}') ?? Infinity) <= first - 10,
    'the balance to drop by at least 10')
  t.pass(`dropped from ${first} to ${await value('laaffic_balance{account="drain"}')}`)
})

t.test('after -13 the account is polled at 2 s, then 4 s', async (t) => {
  await waitFor(async () => (await requestsOf('locked')).length >= 3, 'three polls of the locked account', 15_000)
  // The waits the exporter chose, from its own log: exact however loaded the machine is (the gaps the
  // simulator sees stretch under load, so they only bound the waits from below).
  const waits = main.records().filter((r) => r.msg === 'poll finished' && r.account === 'locked').map((r) => [r.status, r.nextPollSeconds])
  t.same(waits.slice(0, 2), [['-13', 2], ['-13', 4]], 'after the first -13 it waits 2 s, after the second 4 s')
  const times = (await requestsOf('locked')).map((r) => Date.parse(r.time))
  const gaps = [times[1]! - times[0]!, times[2]! - times[1]!]
  t.ok(gaps[0]! >= 1900 && gaps[1]! >= 3900, `and keeps to them: the simulator saw the polls ${gaps.join(' ms and ')} ms apart`)
  // The simulator logs a request before it answers, and a 4th poll comes 8 s after the 3rd: wait until the
  // exporter has counted every request the simulator saw, then expect one -13 for each.
  let counted: number | undefined
  let polled = 0
  await holdsWithin(async () => {
    counted = await value('laaffic_poll_errors_total{account="locked",status="-13"}')
    polled = (await requestsOf('locked')).length
    return counted === polled
  }, 5000)
  t.equal(counted, polled, `one -13 counted for each of the ${polled} polls the simulator saw`)
})

t.test('a hanging API: retries are signed, /metrics answers while a poll hangs, SIGTERM exits 0 without waiting for it', async (t) => {
  // A second exporter with a 5 s interval, so retries (after about 1 s and 2 s) fit in a poll.
  await control.setFault('solo', { type: 'http', httpStatus: 503, count: 2 })
  const slow = exporter({ LAAFFIC_ACCOUNTS_FILE: accountsFile('solo.yml', ['solo']), LAAFFIC_POLL_INTERVAL: '5', LAAFFIC_REQUEST_TIMEOUT: '10' })
  const slowUrl = await slow.url()
  await waitFor(async () => (await fetch(`${slowUrl}/readyz`)).status === 200, 'the retried first poll', 15_000)
  const retried = await requestsOf('solo')
  t.same(retried.map((r) => r.answer), ['fault:http', 'fault:http', '0'], 'two 503s, then a good answer, in one poll')
  t.ok(retried.every((r) => r.signatureValid), 'each attempt carried a valid signature')
  t.equal(sample(await (await fetch(`${slowUrl}/metrics`)).text(), 'laaffic_api_requests_total{account="solo"}'), 3)

  await control.setFault('solo', { type: 'hang' })
  await waitFor(async () => (await requestsOf('solo')).some((r) => r.answer === 'fault:hang'), 'a poll to hang', 15_000)
  const text = await (await fetch(`${slowUrl}/metrics`)).text()
  // A scrape that waited for the hanging poll would answer only after its 10 s timeout, with it counted.
  t.equal(sample(text, 'laaffic_poll_errors_total{account="solo",status="timeout"}'), 0, 'answered while the poll still hangs: a scrape does not wait for it')
  t.equal(sample(text, 'laaffic_up{account="solo"}'), 1, 'still the last verdict')

  slow.child.kill('SIGTERM')
  // Well before the hanging request would time out (10 s): the stop does not wait for it.
  let code: number | null | undefined
  void slow.exited.then((exit) => { code = exit.code })
  await waitFor(() => code !== undefined, 'the exporter to exit after SIGTERM, before the hanging request times out', 5000)
  t.equal(code, 0)
})

t.test('a provider clock an hour ahead: -16, and laaffic_clock_skew_seconds says why', async (t) => {
  await control.setClock(3600)
  t.teardown(async () => { await control.setClock(0) })
  await waitFor(async () => (await value('laaffic_poll_errors_total{account="steady",status="-16"}') ?? 0) >= 1, '-16 counted')
  const skew = await value('laaffic_clock_skew_seconds{account="steady"}') ?? 0
  t.ok(skew > 3598 && skew < 3602, `skew ${skew} s`)
  t.equal(await value('laaffic_up{account="steady"}'), 0)
  const line = await logRecord(main, (r) => r.msg === 'account failing' && r.account === 'steady' && r.status === '-16', 'account failing with -16')
  t.match(line, { hint: /clock is probably off/, clockSkewSeconds: Number })
})

t.test('every request the simulator received was signed correctly', async (t) => {
  const all = await requestsOf()
  t.ok(all.length > 0)
  t.same(all.filter((r) => !r.signatureValid), [])
})

t.test('no secret and no Sign value in the exporters\' output', async (t) => {
  const output = exporters.map((e) => e.stdout() + e.stderr()).join('\n')
  t.ok(output.length > 0)
  t.notMatch(output, SECRET_PREFIX)
  for (const r of await requestsOf()) t.notMatch(output, r.headers.sign ?? 'unsigned')
})
