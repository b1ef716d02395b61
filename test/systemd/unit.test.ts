// deploy/systemd/laaffic-exporter.service as systemd itself judges it (systemd-analyze, offline: no running
// systemd here), and its wiring as the exporter sees it: the unit's environment and credential, the example
// EnvironmentFile, and its ExecReload signal, applied to the built exporter against the simulator.
import t from 'tap'
import { spawnSync } from 'node:child_process'
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { SimulatorControl } from '../../scripts/lib/simulator-control.js'
import { sample } from '../helpers/app.js'
import { logRecord, startExporter, startSimulator } from '../helpers/exporter-process.js'
import { waitFor } from '../helpers/wait.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const UNIT = join(ROOT, 'deploy', 'systemd', 'laaffic-exporter.service')
const ENV_FILE = join(ROOT, 'deploy', 'systemd', 'laaffic-exporter.env')
const MAX_EXPOSURE = 2.0
const HAVE_ANALYZE = spawnSync('/bin/sh', ['-c', 'command -v systemd-analyze'], { encoding: 'utf8' }).stdout.trim() !== ''
// In CI (.ci/run installs Debian's systemd) these must run; elsewhere they skip without it.
const analyze = HAVE_ANALYZE || process.env.CI === 'true' ? {} : { skip: 'systemd-analyze is missing (apt-get install systemd)' }

/** The unit's settings: `Key=value` lines of every section, in order (a key may repeat). */
function directives (text: string): Array<[string, string]> {
  return text.split('\n').filter((line) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(line)).map((line) => {
    const at = line.indexOf('=')
    return [line.slice(0, at), line.slice(at + 1)]
  })
}
const unit = directives(readFileSync(UNIT, 'utf8'))
const values = (key: string): string[] => unit.filter(([k]) => k === key).map(([, v]) => v)

t.test('systemd-analyze security rates the unit at most 2.0', analyze, async (t) => {
  const run = spawnSync('systemd-analyze', ['security', '--offline=true', '--no-pager', UNIT], { encoding: 'utf8' })
  const score = /Overall exposure level for laaffic-exporter\.service: ([\d.]+)/.exec(run.stdout + run.stderr)?.[1]
  t.ok(score !== undefined, 'an exposure level', { output: run.stdout.slice(-2000) + run.stderr })
  t.comment(`exposure ${String(score)}`)
  t.ok(Number(score) <= MAX_EXPOSURE, `exposure ${String(score)} <= ${MAX_EXPOSURE}`)
})

t.test('systemd-analyze verify finds nothing to say, in a root where its ExecStart exists', analyze, async (t) => {
  // verify checks that ExecStart's program exists; the unit names the installed command's path, so the
  // check runs in a root holding a stand-in there and Debian's own units (the targets it orders itself after).
  const root = mkdtempSync(join(tmpdir(), 'laaffic-systemd-'))
  t.teardown(() => { rmSync(root, { recursive: true, force: true }) })
  const [execStart = ''] = values('ExecStart')
  mkdirSync(join(root, execStart, '..'), { recursive: true })
  writeFileSync(join(root, execStart), '#!/bin/sh\n')
  chmodSync(join(root, execStart), 0o755)
  mkdirSync(join(root, 'bin'), { recursive: true })
  cpSync('/bin/kill', join(root, 'bin', 'kill'))
  cpSync('/usr/lib/systemd/system', join(root, 'usr', 'lib', 'systemd', 'system'), { recursive: true })
  mkdirSync(join(root, 'etc', 'systemd', 'system'), { recursive: true })
  cpSync(UNIT, join(root, 'etc', 'systemd', 'system', 'laaffic-exporter.service'))
  const run = spawnSync('systemd-analyze', ['verify', `--root=${root}`, '/etc/systemd/system/laaffic-exporter.service'], { encoding: 'utf8' })
  t.equal(run.status, 0, 'exit 0')
  t.equal(run.stdout + run.stderr, '', 'no warning')
})

t.test('the unit reloads with SIGHUP, takes the secret as a credential and its settings from a file', async (t) => {
  t.same(values('ExecReload'), ['/bin/kill -HUP $MAINPID'])
  t.same(values('EnvironmentFile'), ['/etc/laaffic-exporter/laaffic-exporter.env'])
  t.same(values('LoadCredential'), ['laaffic-api-secret:/etc/laaffic-exporter/api-secret'])
  t.same(values('Environment'), ['LAAFFIC_API_SECRET_FILE=%d/laaffic-api-secret'])
  t.same(values('DynamicUser'), ['yes'])
  t.same(values('ProtectSystem'), ['strict'])
  t.same(values('NoNewPrivileges'), ['yes'])
  t.same(values('CapabilityBoundingSet'), [''], 'an empty capability set')
  t.same(values('RestrictAddressFamilies'), ['AF_INET AF_INET6 AF_UNIX'])
})

t.test('the exporter runs with the unit\'s environment and credential, and reloads on its ExecReload signal', async (t) => {
  const simulator = startSimulator({})
  t.teardown(async () => { await simulator.stop() })
  const sim = await simulator.url()
  const control = new SimulatorControl(sim)
  t.teardown(() => { control.close() })
  await control.patchAccount('otp', { balance: 4321.5, spendPerHour: 0 })

  // What systemd would give the process: $CREDENTIALS_DIRECTORY (%d) holding the secret, readable by it alone.
  const credentials = mkdtempSync(join(tmpdir(), 'laaffic-credentials-'))
  t.teardown(() => { rmSync(credentials, { recursive: true, force: true }) })
  writeFileSync(join(credentials, 'laaffic-api-secret'), 'demo-otp-secret\n', { mode: 0o400 })
  const fromFile = Object.fromEntries(directives(readFileSync(ENV_FILE, 'utf8')))
  const fromUnit = Object.fromEntries(values('Environment').map((line) => line.replaceAll('%d', credentials).split('=', 2) as [string, string]))
  // The simulator's account instead of the example's placeholders, on a free loopback port.
  const exporter = startExporter({ ...fromFile, ...fromUnit, LAAFFIC_API_KEY: 'demo-otp-key', LAAFFIC_ACCOUNT: 'otp', LAAFFIC_BASE_URL: `${sim}/v3`, HOST: '127.0.0.1', PORT: '0' })
  t.teardown(async () => { await exporter.stop() })
  const url = await exporter.url()
  let text = ''
  await waitFor(async () => sample(text = await (await fetch(`${url}/metrics`)).text(), 'laaffic_balance{account="otp"}') !== undefined, 'the balance of otp', 15_000)
  t.equal(sample(text, 'laaffic_balance{account="otp"}'), 4321.5, 'polled with the secret from the credential')
  t.equal(sample(text, 'laaffic_balance_warning_threshold{account="otp"}'), Number(fromFile.LAAFFIC_BALANCE_WARNING), 'the EnvironmentFile\'s threshold')
  t.notOk(text.includes('demo-otp-secret'), 'the secret is not on the page')

  // ExecReload: kill -HUP $MAINPID.
  const [kill, signal] = (values('ExecReload')[0] ?? '').split(' ')
  t.equal(kill, '/bin/kill')
  process.kill(exporter.pid, signal?.replace('-', 'SIG'))
  const reloaded = await logRecord(exporter, (record) => record.msg === 'configuration reloaded', 'configuration reloaded')
  t.equal(reloaded.trigger, 'SIGHUP')
  t.equal(exporter.child.exitCode, null, 'still running')
})

t.test('several accounts: the drop-in docs/systemd.md gives starts the exporter on the accounts file credential', async (t) => {
  const doc = readFileSync(join(ROOT, 'docs', 'systemd.md'), 'utf8')
  const dropIn = [...doc.matchAll(/```ini\n([\s\S]*?)```/g)].map((m) => (m[1] ?? '').replace(/^ +/gm, '')).find((block) => block.includes('LAAFFIC_ACCOUNTS_FILE'))
  if (dropIn === undefined) return t.fail('docs/systemd.md gives no drop-in naming LAAFFIC_ACCOUNTS_FILE')
  const simulator = startSimulator({})
  t.teardown(async () => { await simulator.stop() })
  const sim = await simulator.url()
  const credentials = mkdtempSync(join(tmpdir(), 'laaffic-credentials-'))
  t.teardown(() => { rmSync(credentials, { recursive: true, force: true }) })
  writeFileSync(join(credentials, 'laaffic-api-secret'), '\n', { mode: 0o400 })
  writeFileSync(join(credentials, 'accounts.yml'), `accounts:\n  - name: otp\n    apiKey: demo-otp-key\n    apiSecret: demo-otp-secret\n    baseUrl: ${sim}/v3\n`, { mode: 0o400 })
  // The env file without the API key, as the doc says; the unit's Environment= lines, then the drop-in's (later wins).
  const fromFile = Object.fromEntries(directives(readFileSync(ENV_FILE, 'utf8')).filter(([key]) => key !== 'LAAFFIC_API_KEY'))
  const environment = (lines: Array<[string, string]>): Record<string, string> => Object.fromEntries(lines.filter(([key]) => key === 'Environment')
    .map(([, line]) => line.replaceAll('%d', credentials).split('=', 2) as [string, string]))
  const exporter = startExporter({ ...fromFile, ...environment(unit), ...environment(directives(dropIn)), HOST: '127.0.0.1', PORT: '0' })
  t.teardown(async () => { await exporter.stop() })
  const url = await exporter.url()
  let text = ''
  await waitFor(async () => sample(text = await (await fetch(`${url}/metrics`)).text(), 'laaffic_up{account="otp"}') !== undefined, 'the first poll of otp', 15_000)
  t.equal(sample(text, 'laaffic_up{account="otp"}'), 1, 'polled with the account from the credential file')
})
