import t from 'tap'
import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse, stringify } from 'yaml'
import { requireProgram } from '../helpers/programs.js'

const RULES = fileURLToPath(new URL('../../prometheus/rules/laaffic.rules.yml', import.meta.url))
const RULE_TESTS = fileURLToPath(new URL('../../prometheus/rules/laaffic.rules.test.yml', import.meta.url))
const RUNBOOK = fileURLToPath(new URL('../../docs/runbook.md', import.meta.url))

interface Rule { alert?: string, record?: string, expr: string, labels?: Record<string, string>, annotations?: Record<string, string> }
interface PromqlTest { expr: string, eval_time: string, exp_samples: Array<{ labels: string, value: number }> }
interface RuleTest {
  interval?: string
  input_series: Array<{ series: string, values: string }>
  promql_expr_test?: PromqlTest[]
  alert_rule_test?: Array<{ alertname: string, exp_alerts: unknown[] }>
}
interface RuleTestFile { rule_files: string[], evaluation_interval?: string, tests: RuleTest[] }

const rulesText = readFileSync(RULES, 'utf8')
const groups = (parse(rulesText) as { groups: Array<{ rules: Rule[] }> }).groups
const alerts = groups.flatMap((g) => g.rules).filter((r) => r.alert !== undefined)
const testFile = parse(readFileSync(RULE_TESTS, 'utf8')) as RuleTestFile

/** Alerts about an exporter, not an account: one per instance is right for them. */
const EXPORTER_ALERTS = new Set(['LaafficConfigReloadFailed', 'LaafficExporterDown', 'LaafficExporterAbsent'])

t.test('the alerts docs/alerting.md promises exist', async (t) => {
  t.same(alerts.map((a) => a.alert).sort(), [
    'LaafficAccountLocked', 'LaafficAuthenticationFailed', 'LaafficBalanceCritical', 'LaafficBalanceLow',
    'LaafficBalanceRunningOut', 'LaafficClockSkew', 'LaafficConfigReloadFailed', 'LaafficDataStale', 'LaafficExporterAbsent', 'LaafficExporterDown',
    'LaafficIPNotAllowed', 'LaafficPollFailing', 'LaafficSpendSpike',
  ])
})

t.test('every alert has severity, summary, description and a runbook section that exists', async (t) => {
  const runbook = readFileSync(RUNBOOK, 'utf8')
  // GitHub's anchors: the heading in lower case, spaces as dashes, punctuation dropped.
  const anchors = new Set([...runbook.matchAll(/^## (.+)$/gm)].map((m) => m[1]!.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-')))
  for (const alert of alerts) {
    t.match(alert.labels?.severity, /^(critical|warning)$/, `${alert.alert}: severity`)
    t.ok((alert.annotations?.summary ?? '').length > 10, `${alert.alert}: summary`)
    t.ok((alert.annotations?.description ?? '').length > 20, `${alert.alert}: description`)
    const anchor = /^docs\/runbook\.md#([a-z0-9-]+)$/.exec(alert.annotations?.runbook_url ?? '')?.[1]
    t.ok(anchor !== undefined && anchors.has(anchor), `${alert.alert}: runbook_url ${alert.annotations?.runbook_url} points at a section of docs/runbook.md`)
  }
})

t.test('every alert has a unit test in which it fires', async (t) => {
  const firing = new Set(testFile.tests.flatMap((c) => c.alert_rule_test ?? []).filter((c) => c.exp_alerts.length > 0).map((c) => c.alertname))
  for (const alert of alerts) t.ok(firing.has(alert.alert!), `${alert.alert} fires in laaffic.rules.test.yml`)
})

t.test('every per-account alert fires once per account in a unit test with two exporters', async (t) => {
  const withReplicas = testFile.tests.filter((c) => new Set(c.input_series.map((s) => /instance="([^"]+)"/.exec(s.series)?.[1])).size > 1)
  t.ok(withReplicas.length >= 2, `${withReplicas.length} unit tests have series from two or more instances`)
  const firing = new Set<string>()
  for (const c of withReplicas) {
    for (const check of c.promql_expr_test ?? []) {
      if (!check.expr.startsWith('ALERTS')) continue
      for (const sample of check.exp_samples) {
        t.notMatch(sample.labels, /instance=/, `${sample.labels}: no instance label`)
        firing.add(/alertname="(\w+)"/.exec(sample.labels)?.[1] ?? '')
      }
    }
  }
  for (const alert of alerts.filter((a) => !EXPORTER_ALERTS.has(a.alert!))) {
    t.ok(firing.has(alert.alert!), `${alert.alert} is expected, once per account, in an ALERTS check of a two-exporter test`)
  }
})

t.test('promtool check rules and promtool test rules pass', async (t) => {
  const promtool = requireProgram(t, 'promtool', 'prometheus')
  if (promtool === undefined) return
  const check = spawnSync(promtool, ['check', 'rules', RULES], { encoding: 'utf8' })
  t.equal(check.status, 0, check.stdout + check.stderr)
  t.match(check.stdout, /SUCCESS: 19 rules found/)
  const unit = spawnSync(promtool, ['test', 'rules', RULE_TESTS], { encoding: 'utf8' })
  t.equal(unit.status, 0, unit.stdout + unit.stderr)
  t.match(unit.stdout, /SUCCESS/)
})

/**
 * Each guard of LaafficSpendSpike is needed: a unit test account stands for it, and with the guard taken
 * out of the rules that account's alert goes pending. Each check runs promtool on that account's series
 * alone (a few seconds instead of the whole file's twenty), first with the shipped rules (silent), then
 * with the guard removed (pending or firing).
 */
const GUARDS: Array<{ guard: string, account: string, at: string, remove: string, put?: string }> = [
  { guard: 'at least a day of history', account: 'fresh', at: '5h30m', remove: '\n            and present_over_time(account:laaffic_spend:delta1m[1h] offset 23h)' },
  {
    guard: 'a restart is not negative spend (the counter starts again at 0)',
    account: 'quick-restart',
    at: '25h20m',
    remove: 'clamp_min(laaffic_spent_total - laaffic_spent_total offset 1m, 0)',
    put: '(laaffic_spent_total - laaffic_spent_total offset 1m)',
  },
  {
    guard: 'tiny amounts do not fire (the floor)',
    account: 'tiny',
    at: '25h20m',
    remove: '\n            and account:laaffic_spend_per_hour:avg15m > min without(instance, pod) (laaffic_spend_spike_floor_per_hour)',
  },
  { guard: 'the spend of a poll outage does not fire it (spend only from a good poll)', account: 'backlog', at: '25h20m', remove: '\n            and laaffic_up offset 1m == 1' },
]

t.test('every guard of LaafficSpendSpike is shown necessary by its unit test account', async (t) => {
  const promtool = requireProgram(t, 'promtool', 'prometheus')
  if (promtool === undefined) return
  const dir = t.testdir({})
  const run = (rules: string, test: RuleTest): ReturnType<typeof spawnSync> => {
    writeFileSync(join(dir, 'laaffic.rules.yml'), rules)
    writeFileSync(join(dir, 'guard.test.yml'), stringify({ rule_files: ['laaffic.rules.yml'], evaluation_interval: testFile.evaluation_interval, tests: [test] }))
    return spawnSync(promtool, ['test', 'rules', join(dir, 'guard.test.yml')], { encoding: 'utf8' })
  }
  for (const { guard, account, at, remove, put } of GUARDS) {
    const source = testFile.tests.find((c) => c.input_series.some((s) => s.series.includes(`account="${account}"`)))
    if (source === undefined) {
      t.fail(`${guard}: no unit test has account "${account}"`)
      continue
    }
    t.equal(rulesText.split(remove).length, 2, `${guard}: the rules hold the guard once`)
    const test: RuleTest = {
      interval: source.interval,
      input_series: source.input_series.filter((s) => s.series.includes(`account="${account}"`)),
      promql_expr_test: [{ expr: 'ALERTS{alertname="LaafficSpendSpike"}', eval_time: at, exp_samples: [] }],
    }
    const shipped = run(rulesText, test)
    t.equal(shipped.status, 0, `${guard}: "${account}" stays silent with the shipped rules`, { output: `${String(shipped.stdout)}${String(shipped.stderr)}` })
    const without = run(rulesText.replace(remove, put ?? ''), test)
    t.not(without.status, 0, `${guard}: without it, "${account}" goes pending`)
    t.match(`${String(without.stdout)}${String(without.stderr)}`, new RegExp(`got: \\{__name__="ALERTS", account="${account}"`), `${guard}: the alert of "${account}" is what promtool got`)
  }
})

t.test('without dropping the instance label, two exporters would give two alerts', async (t) => {
  const promtool = requireProgram(t, 'promtool', 'prometheus')
  if (promtool === undefined) return
  const dir = t.testdir({})
  t.ok(rulesText.split('without(instance, pod)').length > 10, 'the rules drop instance and pod throughout')
  writeFileSync(join(dir, 'laaffic.rules.yml'), rulesText.replaceAll('without(instance, pod)', 'without(pod)'))
  const replicas = testFile.tests.filter((c) => c.input_series.some((s) => s.series.includes('instance="exp-b:9866"')))
  writeFileSync(join(dir, 'ha.test.yml'), stringify({ ...testFile, rule_files: ['laaffic.rules.yml'], tests: replicas }))
  const result = spawnSync(promtool, ['test', 'rules', join(dir, 'ha.test.yml')], { encoding: 'utf8' })
  t.not(result.status, 0, 'the two-exporter unit test fails')
  t.match(result.stdout + result.stderr, /got: .*instance="exp-a:9866".*instance="exp-b:9866"/, 'with one alert per instance')
})
