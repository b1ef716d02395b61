// The monitoring bundle against the real programs from Debian's packages: promtool, amtool, Prometheus and
// Alertmanager, on loopback, with the built simulator and exporter. Skipped locally (with a SKIPPED line)
// when the programs are missing; in CI (CI=true) a missing program fails.
import t from 'tap'
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse, stringify } from 'yaml'
import { dashboardQueries, loadDashboard } from '../helpers/dashboard.js'
import { startProgram } from '../../scripts/lib/program.js'
import { SimulatorControl } from '../../scripts/lib/simulator-control.js'
import { startExporter, startSimulator } from '../helpers/exporter-process.js'
import { requireProgram } from '../helpers/programs.js'
import { waitFor } from '../helpers/wait.js'

const repo = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url))

const programs = {
  promtool: requireProgram(t, 'promtool', 'prometheus'),
  prometheus: requireProgram(t, 'prometheus', 'prometheus'),
  amtool: requireProgram(t, 'amtool', 'prometheus-alertmanager'),
  alertmanager: requireProgram(t, 'prometheus-alertmanager', 'prometheus-alertmanager'),
}
const { promtool, prometheus, amtool, alertmanager } = programs

if (promtool !== undefined && prometheus !== undefined && amtool !== undefined && alertmanager !== undefined) {
  const versions = [promtool, alertmanager].map((p) => spawnSync(p, ['--version'], { encoding: 'utf8' }))
    .map((r) => (r.stdout + r.stderr).split('\n')[0]).join('; ')
  t.comment(`running against ${versions}`)

  t.test('the shipped files pass promtool and amtool', async (t) => {
    const run = (command: string, args: string[]): void => {
      const result = spawnSync(command, args, { encoding: 'utf8' })
      t.equal(result.status, 0, `${command} ${args.join(' ')}`, { output: result.stdout + result.stderr })
    }
    run(promtool, ['check', 'config', repo('prometheus/prometheus.yml')])
    run(promtool, ['check', 'rules', repo('prometheus/rules/laaffic.rules.yml')])
    run(promtool, ['test', 'rules', repo('prometheus/rules/laaffic.rules.test.yml')])
    run(amtool, ['check-config', repo('alertmanager/alertmanager.yml')])
  })

  t.test('two exporters of the same accounts: a critical balance pages once, and every dashboard query has data, one series per account', async (t) => {
    const dir = t.testdir({})

    // A webhook receiver standing in for the pager: it records what Alertmanager posts, by path.
    const received: Array<{ path: string, body: { alerts: Array<{ status: string, labels: Record<string, string> }> } }> = []
    const webhook = createServer((req, res) => {
      let body = ''
      req.setEncoding('utf8').on('data', (chunk: string) => { body += chunk })
      req.on('end', () => {
        received.push({ path: req.url ?? '', body: JSON.parse(body) as typeof received[number]['body'] })
        res.end()
      })
    })
    await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve))
    t.teardown(() => { webhook.close() })
    const webhookUrl = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}`

    // The simulator and two exporters of the same accounts (replicas for high availability): `steady` drains
    // for the spend panels and is topped up every 5 s for the top-up panel and annotation, `emptying` falls below its critical threshold (50) within seconds, `flaky` fails
    // half its polls for the error panels.
    const accounts = join(dir, 'accounts.yml')
    writeFileSync(accounts, stringify({
      accounts: [
        { name: 'steady', apiKey: 'key-steady', apiSecret: 'secret-steady', balanceWarning: 100, balanceCritical: 50 },
        { name: 'emptying', apiKey: 'key-emptying', apiSecret: 'secret-emptying', balanceWarning: 100, balanceCritical: 50 },
        { name: 'flaky', apiKey: 'key-flaky', apiSecret: 'secret-flaky' },
      ],
    }))
    const simulator = startSimulator({ SIMULATOR_ACCOUNTS_FILE: accounts })
    t.teardown(() => { simulator.child.kill('SIGKILL') })
    const sim = await simulator.url()
    const control = new SimulatorControl(sim)
    t.teardown(() => { control.close() })
    await t.resolves(control.patchAccount('steady', { balance: 100_000, gift: 0, spendPerHour: 36_000, topUp: { everySeconds: 5, amount: 1000 } }), 'PATCH steady: 200')
    await t.resolves(control.setFault('flaky', { type: 'status', status: '-18', probability: 0.5 }), 'PUT flaky/fault: 200')
    const exporters = [0, 1].map(() => startExporter({ LAAFFIC_ACCOUNTS_FILE: accounts, LAAFFIC_BASE_URL: `${sim}/v3`, LAAFFIC_POLL_INTERVAL: '1' }))
    t.teardown(() => { for (const exporter of exporters) exporter.child.kill('SIGKILL') })
    const exporterAddresses = await Promise.all(exporters.map(async (exporter) => new URL(await exporter.url()).host))

    // Alertmanager with the shipped configuration, its receivers pointed at the local webhook and its
    // waits shortened from tens of seconds to one.
    const amConfig = parse(readFileSync(repo('alertmanager/alertmanager.yml'), 'utf8')) as {
      route: Record<string, unknown> & { routes?: Array<Record<string, unknown>> }
      receivers: Array<{ webhook_configs?: Array<{ url: string }> }>
    }
    for (const receiver of amConfig.receivers) {
      for (const hook of receiver.webhook_configs ?? []) hook.url = `${webhookUrl}${new URL(hook.url).pathname}`
    }
    for (const route of [amConfig.route, ...(amConfig.route.routes ?? [])]) Object.assign(route, { group_wait: '1s', group_interval: '1s' })
    writeFileSync(join(dir, 'alertmanager.yml'), stringify(amConfig))
    // Port 0 (any free port), learnt once it listens; no cluster listener, so that is its only port.
    const am = startProgram({
      command: alertmanager,
      args: [`--config.file=${join(dir, 'alertmanager.yml')}`, `--storage.path=${join(dir, 'am-data')}`, '--web.listen-address=127.0.0.1:0', '--cluster.listen-address='],
    })
    t.teardown(() => { am.child.kill('SIGKILL') })
    const amUrl = await am.url(20_000)

    // Prometheus with the shipped rules. Only the `for:` waits are shortened (the unit tests cover
    // them); every expression is the shipped one.
    mkdirSync(join(dir, 'rules'))
    const rules = readFileSync(repo('prometheus/rules/laaffic.rules.yml'), 'utf8').replace(/^( +)for: .+$/gm, '$1for: 0s')
    writeFileSync(join(dir, 'rules', 'laaffic.rules.yml'), rules)
    writeFileSync(join(dir, 'prometheus.yml'), stringify({
      global: { scrape_interval: '1s', evaluation_interval: '1s' },
      rule_files: ['rules/*.yml'],
      alerting: { alertmanagers: [{ static_configs: [{ targets: [new URL(amUrl).host] }] }] },
      scrape_configs: [{ job_name: 'laaffic', static_configs: [{ targets: exporterAddresses }] }],
    }))
    const prom = startProgram({
      command: prometheus,
      args: [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'prom-data')}`, '--web.listen-address=127.0.0.1:0'],
    })
    t.teardown(() => { prom.child.kill('SIGKILL') })
    const promUrl = await prom.url(20_000)
    const query = async (expr: string): Promise<Array<{ metric: Record<string, string>, value: [number, string] }>> => {
      const response = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(expr)}`)
      const body = await response.json() as { status: string, error?: string, data?: { result: Array<{ metric: Record<string, string>, value: [number, string] }> } }
      if (body.status !== 'success') throw new Error(`${expr}: ${body.error ?? response.status}`)
      return body.data?.result ?? []
    }
    const ready = async (url: string): Promise<boolean> => await fetch(url).then((r) => r.ok, () => false)

    await waitFor(async () => await ready(`${amUrl}/-/ready`), `Alertmanager to be ready\n${am.stderr()}`, 20_000)
    await waitFor(async () => await ready(`${promUrl}/-/ready`), `Prometheus to be ready\n${prom.stderr()}`, 20_000)
    await waitFor(async () => (await query('up{job="laaffic"} == 1')).length === 2, 'Prometheus to scrape both exporters', 30_000)
    await waitFor(async () => (await query('laaffic_balance{job="laaffic"}')).length === 6, 'the balances of all three accounts from both exporters', 10_000)
    t.pass('the balances of all three accounts from both exporters are in Prometheus')
    // Only now does `emptying` start to drain (75 to 0 in 7.5 s): Prometheus must see it fall to count it as
    // spend; started before, a slow start-up of the exporters and Prometheus could hide the whole fall.
    await t.resolves(control.patchAccount('emptying', { balance: 75, gift: 0, spendPerHour: 36_000 }), 'PATCH emptying: 200')

    // The critical balance travels: rule → Prometheus → Alertmanager → the critical receiver.
    await waitFor(() => received.some((r) => r.body.alerts.some((a) => a.labels.alertname === 'LaafficBalanceCritical')),
      'the critical alert at the webhook', 60_000)
    const page = received.find((r) => r.body.alerts.some((a) => a.labels.alertname === 'LaafficBalanceCritical'))
    t.equal(page?.path, '/critical', 'routed by severity to the critical receiver')
    const critical = received.flatMap((r) => r.body.alerts).filter((a) => a.labels.alertname === 'LaafficBalanceCritical')
    t.match(critical[0], { status: 'firing', labels: { account: 'emptying', severity: 'critical', job: 'laaffic' } })
    t.same(new Set(critical.map((a) => JSON.stringify(a.labels))).size, 1, 'one alert for the account, not one per exporter')
    t.notOk('instance' in (critical[0]?.labels ?? {}), 'with no instance label')
    const series = await query('ALERTS{alertname="LaafficBalanceCritical", alertstate="firing"}')
    t.same(series.map((s) => s.metric.account), ['emptying'], 'Prometheus holds one firing series for it')

    // Every query of every panel, with job=laaffic and account=All (Grafana's .*), returns data, and one
    // series per account (per account and status for the errors, per account and alert for ALERTS),
    // although two exporters export each account. The build info is per exporter: it has no account. The
    // spend rules compare with a good poll one minute ago, so they need a minute of history first.
    await waitFor(async () => (await query('account:laaffic_hours_until_empty:avg1h')).length === 2,
      'a minute of history for the spend rules (steady and emptying spend)', 90_000)
    const queries = dashboardQueries(loadDashboard(), { job: 'laaffic', account: '.*' })
    t.ok(queries.length >= 10, `${queries.length} dashboard queries`)
    for (const { panel, expr } of queries) {
      const result = await query(expr)
      t.ok(result.length > 0, `"${panel}" has data: ${expr}`)
      if (expr.startsWith('laaffic_exporter_build_info')) {
        t.same(result.map((r) => r.metric.instance).sort(), [...exporterAddresses].sort(), `"${panel}": one row per exporter`)
        continue
      }
      const keys = result.map(({ metric }) => [metric.account, metric.status, metric.alertname].join('/'))
      t.ok(result.every(({ metric }) => metric.account !== undefined || metric.alertname === 'LaafficExporterDown'), `"${panel}": every series has an account`)
      t.equal(new Set(keys).size, keys.length, `"${panel}": one series per account (${keys.join(', ')})`)
    }
  })
}
