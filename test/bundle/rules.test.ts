import t from 'tap'
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { requireProgram } from '../helpers/programs.js'

const RULES = fileURLToPath(new URL('../../prometheus/rules/laaffic.rules.yml', import.meta.url))
const RULE_TESTS = fileURLToPath(new URL('../../prometheus/rules/laaffic.rules.test.yml', import.meta.url))
const RUNBOOK = fileURLToPath(new URL('../../docs/runbook.md', import.meta.url))

interface Rule { alert?: string, record?: string, expr: string, labels?: Record<string, string>, annotations?: Record<string, string> }
interface RuleTest { alert_rule_test?: Array<{ alertname: string, exp_alerts: unknown[] }> }

const groups = (parse(readFileSync(RULES, 'utf8')) as { groups: Array<{ rules: Rule[] }> }).groups
const alerts = groups.flatMap((g) => g.rules).filter((r) => r.alert !== undefined)

t.test('the alerts the README promises exist', async (t) => {
  t.same(alerts.map((a) => a.alert).sort(), [
    'LaafficAccountLocked', 'LaafficAuthenticationFailed', 'LaafficBalanceCritical', 'LaafficBalanceLow',
    'LaafficBalanceRunningOut', 'LaafficClockSkew', 'LaafficDataStale', 'LaafficExporterAbsent', 'LaafficExporterDown',
    'LaafficIPNotAllowed', 'LaafficPollFailing',
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
  const tests = (parse(readFileSync(RULE_TESTS, 'utf8')) as { tests: RuleTest[] }).tests
  const firing = new Set(tests.flatMap((c) => c.alert_rule_test ?? []).filter((c) => c.exp_alerts.length > 0).map((c) => c.alertname))
  for (const alert of alerts) t.ok(firing.has(alert.alert!), `${alert.alert} fires in laaffic.rules.test.yml`)
})

t.test('promtool check rules and promtool test rules pass', async (t) => {
  const promtool = requireProgram(t, 'promtool', 'prometheus')
  if (promtool === undefined) return
  const check = spawnSync(promtool, ['check', 'rules', RULES], { encoding: 'utf8' })
  t.equal(check.status, 0, check.stdout + check.stderr)
  t.match(check.stdout, /SUCCESS: 16 rules found/)
  const unit = spawnSync(promtool, ['test', 'rules', RULE_TESTS], { encoding: 'utf8' })
  t.equal(unit.status, 0, unit.stdout + unit.stderr)
  t.match(unit.stdout, /SUCCESS/)
})
