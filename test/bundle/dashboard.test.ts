import t from 'tap'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse, stringify } from 'yaml'
import { allPanels, annotationQueries, DASHBOARD_JSON, dashboardQueries, loadDashboard, variableQuery } from '../helpers/dashboard.js'
import type { Dashboard } from '../helpers/dashboard.js'
import { requireProgram } from '../helpers/programs.js'

const DATASOURCE = { type: 'prometheus', uid: '${datasource}' }
const VARS = { job: 'laaffic', account: '.+' }
const DATASOURCES_YML = new URL('../../grafana/provisioning/datasources/prometheus.yml', import.meta.url)
const DASHBOARDS_YML = new URL('../../grafana/provisioning/dashboards/laaffic.yml', import.meta.url)
const COMPOSE_YML = new URL('../../docker-compose.yml', import.meta.url)

/** What the exporter and prometheus/rules/laaffic.rules.yml provide, and what Prometheus adds. */
const KNOWN_NAMES = new Set([
  'laaffic_balance',
  'laaffic_gift_balance',
  'laaffic_credit_limit',
  'laaffic_up',
  'laaffic_last_success_timestamp_seconds',
  'laaffic_poll_duration_seconds',
  'laaffic_clock_skew_seconds',
  'laaffic_balance_warning_threshold',
  'laaffic_balance_critical_threshold',
  'laaffic_spend_spike_floor_per_hour',
  'laaffic_polls_total',
  'laaffic_api_requests_total',
  'laaffic_poll_errors_total',
  'laaffic_spent_total',
  'laaffic_topped_up_total',
  'laaffic_topups_total',
  'laaffic_last_topup_timestamp_seconds',
  'laaffic_exporter_build_info',
  'account:laaffic_available_balance:sum',
  'account:laaffic_spend:delta1m',
  'account:laaffic_spend_per_hour:avg15m',
  'account:laaffic_spend_per_hour:avg1h',
  'account:laaffic_spend_per_day:avg1d',
  'account:laaffic_hours_until_empty:avg1h',
  'ALERTS',
  // time() is a function: the parser skips calls, so this entry only matters for a bare `time`.
  'time',
])

/** Series without an account label: filtered by job only. */
const NO_ACCOUNT_LABEL = new Set(['laaffic_exporter_build_info'])

/** PromQL keywords, aggregations and functions: identifiers that are not series names. */
const PROMQL_WORDS = new Set([
  // keywords and binary operators
  'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset', 'atan2',
  'Inf', 'NaN', 'inf', 'nan',
  // aggregation operators
  'sum', 'min', 'max', 'avg', 'group', 'stddev', 'stdvar', 'count', 'count_values', 'bottomk', 'topk', 'quantile',
  // functions (Prometheus 2.42)
  'abs', 'absent', 'absent_over_time', 'ceil', 'changes', 'clamp', 'clamp_max', 'clamp_min', 'day_of_month',
  'day_of_week', 'day_of_year', 'days_in_month', 'delta', 'deriv', 'exp', 'floor', 'histogram_count',
  'histogram_fraction', 'histogram_quantile', 'histogram_sum', 'holt_winters', 'hour', 'idelta', 'increase',
  'irate', 'label_join', 'label_replace', 'ln', 'log2', 'log10', 'minute', 'month', 'predict_linear', 'rate',
  'resets', 'round', 'scalar', 'sgn', 'sort', 'sort_desc', 'sqrt', 'timestamp', 'vector', 'year',
  'avg_over_time', 'min_over_time', 'max_over_time', 'sum_over_time', 'count_over_time', 'quantile_over_time',
  'stddev_over_time', 'stdvar_over_time', 'last_over_time', 'present_over_time', 'acos', 'acosh', 'asin', 'asinh',
  'atan', 'atanh', 'cos', 'cosh', 'sin', 'sinh', 'tan', 'tanh', 'deg', 'rad', 'pi',
])

interface Selector {
  name: string
  /** The text between { and }, or undefined for a bare name. */
  matchers: string | undefined
}

/**
 * The series selectors of a PromQL expression: names ([a-zA-Z_:][a-zA-Z0-9_:]*) followed by a {…} block,
 * [, ), a comma, whitespace or the end, minus PromQL's own words. Label lists of by/on/… and string
 * literals outside selectors are left out first, so label names are never taken for series names.
 */
function selectors (expr: string): Selector[] {
  const cleaned = expr.replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '$1 ')
  const pattern = /"(?:[^"\\]|\\.)*"|(?<![\w:.$])([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?(?=[[\s),]|$)/g
  const out: Selector[] = []
  for (const match of cleaned.matchAll(pattern)) {
    const name = match[1]
    if (name === undefined || PROMQL_WORDS.has(name)) continue
    out.push({ name, matchers: match[2]?.slice(1, -1) })
  }
  return out
}

function panelByTitle (dashboard: Dashboard, title: string) {
  return allPanels(dashboard).find((panel) => panel.title === title)
}

t.test('the selector parser finds series names and nothing else', async (t) => {
  const names = (expr: string) => selectors(expr).map((s) => s.name)
  t.same(names('sum by (account, status) (increase(laaffic_poll_errors_total{job=~"x"}[1m])) > 0'), ['laaffic_poll_errors_total'])
  t.same(names('a{x="y"} < bool on(job, instance, account) b'), ['a', 'b'])
  t.same(names('time() - laaffic_last_success_timestamp_seconds'), ['laaffic_last_success_timestamp_seconds'])
  t.same(names('max by (job) (account:laaffic_available_balance:sum offset 1m)'), ['account:laaffic_available_balance:sum'])
  t.same(names('ALERTS{alertname=~"Laaffic.*", account=~"a b|"}'), ['ALERTS'])
  t.same(selectors('up{job="x"} or nope'), [{ name: 'up', matchers: 'job="x"' }, { name: 'nope', matchers: undefined }])
})

t.test('dashboardQueries substitutes variables and walks collapsed rows', async (t) => {
  const dashboard = {
    uid: 'u', title: 'x', id: null, schemaVersion: 39, tags: [], templating: { list: [] },
    panels: [
      { type: 'timeseries', title: 'top', targets: [{ refId: 'A', expr: 'rate(m{job=~"$job", account=~"${account}"}[$__rate_interval])' }] },
      {
        type: 'row',
        title: 'row',
        panels: [{ type: 'stat', title: 'nested', targets: [{ refId: 'A', expr: 'increase(m{job=~"${job:regex}"}[$__range]) + $__interval_ms + $other' }] }],
      },
    ],
  } satisfies Dashboard
  t.same(dashboardQueries(dashboard, { job: 'j', account: 'a|b' }), [
    { panel: 'top', expr: 'rate(m{job=~"j", account=~"a|b"}[1m])' },
    { panel: 'nested', expr: 'increase(m{job=~"j"}[1h]) + 60000 + $other' },
  ])
})

t.test('the dashboard JSON parses and has a stable identity', async (t) => {
  const dashboard = loadDashboard()
  t.equal(dashboard.uid, 'laaffic-exporter', 'stable uid')
  t.equal(dashboard.id, null, 'id is null so it imports anywhere')
  t.equal(dashboard.schemaVersion, 39)
  t.type(dashboard.title, 'string')
  t.ok(dashboard.title.length > 0, 'has a title')
  t.ok(Array.isArray(dashboard.tags) && dashboard.tags.includes('laaffic'), 'tagged laaffic')
  t.notOk('__inputs' in dashboard, 'no __inputs: the datasource comes from the $datasource variable')
})

t.test('template variables', async (t) => {
  const { templating } = loadDashboard()
  const byName = new Map(templating.list.map((variable) => [variable.name, variable]))

  const datasource = byName.get('datasource')
  t.equal(datasource?.type, 'datasource')
  t.equal(datasource?.query, 'prometheus')

  const job = byName.get('job')
  t.equal(job?.type, 'query')
  t.same(job?.datasource, DATASOURCE)
  t.equal(job && variableQuery(job), 'label_values(laaffic_up, job)')
  t.equal(job?.current?.value, 'laaffic', 'defaults to the job of the shipped rules')

  const account = byName.get('account')
  t.equal(account?.type, 'query')
  t.same(account?.datasource, DATASOURCE)
  t.equal(account && variableQuery(account), 'label_values(laaffic_up{job=~"$job"}, account)')
  t.equal(account?.multi, true, 'several accounts at once')
  t.equal(account?.includeAll, true, 'All is offered')
})

t.test('no datasource uid but ${datasource} anywhere in the JSON', async (t) => {
  const dashboard = loadDashboard()
  const problems: string[] = []
  const walk = (node: unknown, path: string): void => {
    if (Array.isArray(node)) {
      node.forEach((child, i) => walk(child, `${path}[${i}]`))
      return
    }
    if (node === null || typeof node !== 'object') return
    for (const [key, value] of Object.entries(node)) {
      const here = `${path}.${key}`
      if (key === 'uid' && path !== '$' && value !== '${datasource}') problems.push(`${here} = ${JSON.stringify(value)}`)
      if (key === 'datasource' && (value === null || typeof value !== 'object')) {
        problems.push(`${here} = ${JSON.stringify(value)} (a name, not a {type, uid} reference)`)
      }
      walk(value, here)
    }
  }
  walk(dashboard, '$')
  t.same(problems, [], 'every uid below the top level is ${datasource}')

  for (const panel of allPanels(dashboard).filter((p) => p.type !== 'row' && p.type !== 'text')) {
    t.same(panel.datasource, DATASOURCE, `panel "${panel.title ?? '?'}" uses $datasource`)
    for (const target of panel.targets ?? []) {
      t.same(target.datasource, DATASOURCE, `panel "${panel.title ?? '?'}" target ${target.refId ?? '?'} uses $datasource`)
    }
  }
})

t.test('every panel has a title, a description and queries', async (t) => {
  const panels = allPanels(loadDashboard())
  t.ok(panels.some((panel) => panel.type === 'row' && Array.isArray(panel.panels) && panel.panels.length > 0),
    'a collapsed row holds panels (dashboardQueries must see them)')
  const ids = panels.map((panel) => panel.id)
  t.equal(new Set(ids).size, ids.length, 'panel ids are unique')
  for (const panel of panels) {
    const name = `${panel.type} panel "${panel.title ?? '?'}"`
    t.ok(typeof panel.title === 'string' && panel.title.trim() !== '', `${name} has a title`)
    if (panel.type === 'row' || panel.type === 'text') continue
    t.ok(typeof panel.description === 'string' && panel.description.trim() !== '', `${name} has a description`)
    const targets = panel.targets ?? []
    t.ok(targets.length > 0, `${name} has a target`)
    for (const target of targets) {
      t.ok(typeof target.expr === 'string' && target.expr.trim() !== '', `${name} target ${target.refId ?? '?'} has an expr`)
    }
  }
})

t.test('the expected panels are there', async (t) => {
  const dashboard = loadDashboard()
  const expected: Record<string, { type: string, uses: string[] }> = {
    'Balance status': { type: 'stat', uses: ['laaffic_balance_warning_threshold', 'laaffic_balance_critical_threshold'] },
    'Balance': { type: 'stat', uses: ['laaffic_balance'] },
    'Gift balance': { type: 'stat', uses: ['laaffic_gift_balance'] },
    'Credit limit': { type: 'stat', uses: ['laaffic_credit_limit'] },
    'Available total': { type: 'stat', uses: ['account:laaffic_available_balance:sum'] },
    'Time to empty': { type: 'stat', uses: ['account:laaffic_hours_until_empty:avg1h'] },
    'Balances and thresholds': { type: 'table', uses: ['laaffic_balance_warning_threshold', 'laaffic_balance_critical_threshold'] },
    'Firing alerts': { type: 'table', uses: ['ALERTS'] },
    'Balance over time': { type: 'timeseries', uses: ['laaffic_balance', 'laaffic_balance_warning_threshold', 'laaffic_balance_critical_threshold'] },
    'Forecast: hours until empty': { type: 'timeseries', uses: ['account:laaffic_hours_until_empty:avg1h'] },
    'Spend per hour': { type: 'timeseries', uses: ['account:laaffic_spend_per_hour:avg1h'] },
    'Spend per day': { type: 'timeseries', uses: ['account:laaffic_spend_per_day:avg1d'] },
    'Spend against its daily normal': {
      type: 'timeseries',
      uses: ['account:laaffic_spend_per_hour:avg15m', 'account:laaffic_spend_per_day:avg1d', 'laaffic_spend_spike_floor_per_hour'],
    },
    'Spend against the daily average': { type: 'stat', uses: ['account:laaffic_spend_per_hour:avg15m', 'account:laaffic_spend_per_day:avg1d'] },
    'Spent today': { type: 'stat', uses: ['laaffic_spent_total'] },
    'Topped up in the time range': { type: 'stat', uses: ['laaffic_topped_up_total'] },
    'Last top-up': { type: 'stat', uses: ['laaffic_last_topup_timestamp_seconds'] },
    'Polling': { type: 'stat', uses: ['laaffic_up'] },
    'Last success age': { type: 'stat', uses: ['laaffic_last_success_timestamp_seconds'] },
    'Poll status over time': { type: 'state-timeline', uses: ['laaffic_up'] },
    'Poll errors by status': { type: 'timeseries', uses: ['laaffic_poll_errors_total'] },
    'Poll errors in the time range': { type: 'bargauge', uses: ['laaffic_poll_errors_total'] },
    'Poll duration': { type: 'timeseries', uses: ['laaffic_poll_duration_seconds'] },
    'Clock skew': { type: 'timeseries', uses: ['laaffic_clock_skew_seconds'] },
    'Polls and API requests per minute': { type: 'timeseries', uses: ['laaffic_polls_total', 'laaffic_api_requests_total'] },
    'Exporter build': { type: 'table', uses: ['laaffic_exporter_build_info'] },
  }
  for (const [title, { type, uses }] of Object.entries(expected)) {
    const panel = panelByTitle(dashboard, title)
    if (panel === undefined) {
      t.fail(`no panel titled "${title}"`)
      continue
    }
    t.equal(panel.type, type, `"${title}" is a ${type} panel`)
    const used = new Set((panel.targets ?? []).flatMap((target) => selectors(target.expr ?? '').map((s) => s.name)))
    for (const name of uses) t.ok(used.has(name), `"${title}" queries ${name}`)
  }

  const errors = panelByTitle(dashboard, 'Poll errors by status')
  t.match(errors?.targets?.[0]?.expr, /increase\(laaffic_poll_errors_total\{/, 'errors panel uses increase()')
  t.match(errors?.targets?.[0]?.expr, /by \(account, status\)/, 'errors panel splits by account and status')
  const age = panelByTitle(dashboard, 'Last success age')
  t.match(age?.targets?.[0]?.expr, /^time\(\) - min without\(instance, pod\) \(laaffic_last_success_timestamp_seconds\{/, 'age is time() - the oldest last success')

  const balance = panelByTitle(dashboard, 'Balance over time')
  const overrides = (balance?.fieldConfig as { overrides?: unknown[] } | undefined)?.overrides ?? []
  const styled = JSON.stringify(overrides)
  t.equal((styled.match(/"fill":"dash"/g) ?? []).length, 2, 'both threshold series are dashed')
  t.match(styled, /"fixedColor":"orange"/, 'warning line has its own colour')
  t.match(styled, /"fixedColor":"red"/, 'critical line has its own colour')
})

t.test('money moved: spend since midnight from the counter, and top-ups marked on the time series', async (t) => {
  const dashboard = loadDashboard()
  const today = panelByTitle(dashboard, 'Spent today')
  t.equal(today?.timeFrom, 'now/d', '"Spent today" shows the day so far, whatever the dashboard\'s range')
  t.match(today?.targets?.[0]?.expr, /^avg without\(instance, pod\) \(increase\(laaffic_spent_total\{[^}]*\}\[\$__range\]\)\)$/, 'its increase over that range')
  const topups = annotationQueries(dashboard).filter((a) => a.name === 'Top-ups')
  t.equal(topups.length, 1, 'one annotation marks top-ups')
  const [annotation] = topups
  t.equal(annotation?.enable, true, 'shown by default')
  t.same(annotation?.datasource, DATASOURCE, 'on $datasource')
  t.match(annotation?.expr, /^max without\(instance, pod\) \(increase\(laaffic_topups_total\{job=~"\$job", account=~"\$account"\}\[\$__rate_interval\]\)\) > 0$/,
    'where laaffic_topups_total grew (increase(): a restart\'s reset is no top-up), one mark per account')
  t.match(annotation?.titleFormat, /\{\{account\}\}/, 'titled with the account')
  t.ok(dashboardQueries(dashboard, VARS).some((q) => q.panel === 'annotation Top-ups'), 'checked with the panels\' queries below')
})

t.test('no query keeps the instance label of a per-account series', async (t) => {
  // The exporter's own series are aggregated without(instance, pod) or by(account, …); the recording rules
  // already give one series per account. The live check is test/integration/monitoring.test.ts.
  for (const { panel, expr } of dashboardQueries(loadDashboard(), VARS)) {
    t.notMatch(expr.replaceAll('without(instance, pod)', ''), /\binstance\b/, `"${panel}" does not group or label by instance`)
    const raw = selectors(expr).filter((s) => s.name.startsWith('laaffic_') && !NO_ACCOUNT_LABEL.has(s.name)).length
    const aggregated = [...expr.matchAll(/\b(?:min|max|sum|avg) (?:without\(instance, pod\)|by \(account(?:, status)?\)) \((?:abs\(|rate\(|increase\()?laaffic_/g)].length
    t.equal(aggregated, raw, `"${panel}": each of the exporter's series is aggregated over the exporters`)
  }
})

t.test('queries are complete after substitution', async (t) => {
  const queries = dashboardQueries(loadDashboard(), VARS)
  t.ok(queries.length >= 20, `found ${queries.length} queries`)
  for (const { panel, expr } of queries) {
    t.notOk(expr.includes('$'), `"${panel}": no variable left in ${expr}`)
  }
})

t.test('queries use only the exporter\'s series and the recording rules', async (t) => {
  const used = new Set<string>()
  for (const { panel, expr } of dashboardQueries(loadDashboard(), VARS)) {
    const names = selectors(expr).map((s) => s.name)
    t.ok(names.length > 0, `"${panel}" queries a series: ${expr}`)
    for (const name of names) {
      used.add(name)
      t.ok(KNOWN_NAMES.has(name), `"${panel}": ${name} is a known series or rule`)
    }
  }
  for (const name of ['laaffic_balance', 'account:laaffic_hours_until_empty:avg1h', 'laaffic_poll_errors_total', 'ALERTS']) {
    t.ok(used.has(name), `the name parser sees ${name}`)
  }
})

t.test('every selector is filtered by $job and $account', async (t) => {
  const dashboard = loadDashboard()
  for (const panel of allPanels(dashboard)) {
    for (const target of panel.targets ?? []) {
      for (const { name, matchers } of selectors(target.expr ?? '')) {
        const where = `"${panel.title ?? '?'}": ${name}`
        t.match(matchers, /(^|,)\s*job=~"\$job"/, `${where} is filtered by job`)
        if (!NO_ACCOUNT_LABEL.has(name)) t.match(matchers, /(^|,)\s*account=~"\$account/, `${where} is filtered by account`)
      }
    }
  }
})

t.test('every query parses (promtool check rules)', async (t) => {
  const promtool = requireProgram(t, 'promtool', 'prometheus')
  if (promtool === undefined) return
  const queries = dashboardQueries(loadDashboard(), VARS)
  const dir = mkdtempSync(join(tmpdir(), 'laaffic-dashboard-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'dashboard.rules.yml')
  writeFileSync(file, stringify({
    groups: [{
      name: 'dashboard_check',
      rules: queries.map(({ expr }, i) => ({ record: `dashboard_check_${i}`, expr })),
    }],
  }))
  const check = spawnSync(promtool, ['check', 'rules', file], { encoding: 'utf8' })
  t.equal(check.status, 0, `promtool check rules exits 0\n${check.stdout}${check.stderr}`)
  t.match(check.stdout, `SUCCESS: ${queries.length} rules found`)
})

t.test('Grafana provisioning for docker compose', async (t) => {
  const datasources = parse(readFileSync(DATASOURCES_YML, 'utf8')) as {
    apiVersion?: number
    datasources?: Array<{ type?: string, url?: string, isDefault?: boolean }>
  }
  t.equal(datasources.apiVersion, 1)
  const prometheus = datasources.datasources?.find((ds) => ds.type === 'prometheus')
  t.equal(prometheus?.url, 'http://prometheus:9090')
  t.equal(prometheus?.isDefault, true)

  const dashboards = parse(readFileSync(DASHBOARDS_YML, 'utf8')) as {
    apiVersion?: number
    providers?: Array<{ type?: string, options?: { path?: string } }>
  }
  t.equal(dashboards.apiVersion, 1)
  const provider = dashboards.providers?.find((p) => p.type === 'file')
  t.equal(provider?.options?.path, '/var/lib/grafana/dashboards')
  t.match(DASHBOARD_JSON.pathname, /\/grafana\/dashboards\/laaffic\.json$/, 'the dashboard sits in the mounted folder')

  // Grafana loads every JSON file of the provider's folder: the grafana.com export (same uid, `${DS_*}` inputs
  // that provisioning does not resolve) there made it show the dashboard twice.
  const compose = parse(readFileSync(COMPOSE_YML, 'utf8')) as { services: { grafana: { volumes: string[] } } }
  const mount = compose.services.grafana.volumes.map((volume) => volume.split(':')).find(([, inside]) => inside === provider?.options?.path)
  t.ok(mount, `compose mounts a folder at ${provider?.options?.path ?? '?'}`)
  const folder = new URL(`../../${mount?.[0] ?? ''}/`, import.meta.url)
  const files = readdirSync(folder).filter((file) => file.endsWith('.json'))
  const provisioned = files.map((file) => JSON.parse(readFileSync(new URL(file, folder), 'utf8')) as { uid?: string, __inputs?: unknown })
  t.same(files, ['laaffic.json'], 'one dashboard in the provisioned folder')
  t.same(provisioned.filter((dashboard) => dashboard.__inputs !== undefined).length, 0, 'no grafana.com export (with __inputs) among them')
  t.equal(new Set(provisioned.map((dashboard) => dashboard.uid)).size, provisioned.length, 'each uid once')
})
