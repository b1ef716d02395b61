import t from 'tap'
import { readFileSync } from 'node:fs'
import { DASHBOARD_JSON } from '../helpers/dashboard.js'
import { dashboardSchemaProblems } from '../helpers/dashboard-schema.js'

const TEXT = readFileSync(DASHBOARD_JSON, 'utf8')

t.test('grafana/dashboards/laaffic.json satisfies the Dashboard model of @grafana/schema', async (t) => {
  const problems = dashboardSchemaProblems(TEXT)
  t.same(problems.map((p) => `laaffic.json:${p.line}:${p.column}: ${p.message}`), [], 'no problem')
})

/** Each break: a snippet of the file (its first occurrence), what replaces it, and what the checker must say. */
const BREAKS: Array<{ what: string, from: string, to: string, says: RegExp }> = [
  { what: 'an unknown top-level field', from: '"editable": true,', to: '"editabel": true,', says: /'"editabel"' does not exist/ },
  { what: 'a number written as a string', from: '"graphTooltip": 1,', to: '"graphTooltip": "1",', says: /'string' is not assignable to type 'DashboardCursorSync/ },
  { what: 'a colour mode Grafana does not know', from: '"mode": "palette-classic"', to: '"mode": "palette-clasic"', says: /"palette-clasic"' is not assignable/ },
  { what: 'a misspelt field of a panel\'s position', from: '"w": 24,', to: '"width": 24,', says: /'"width"' does not exist/ },
  { what: 'a threshold step with a string value', from: '"value": 24', to: '"value": "24"', says: /'string' is not assignable to type 'number'/ },
  { what: 'an annotation query\'s own field of a wrong type (its data source\'s fields are open)', from: '"enable": true,', to: '"enable": "yes",', says: /'string' is not assignable to type 'boolean'/ },
  { what: 'a variable refresh outside the enum', from: '"refresh": 2,', to: '"refresh": "onLoad",', says: /'string' is not assignable to type 'VariableRefresh/ },
]

t.test('a deliberately broken copy fails, with the line of each break', async (t) => {
  for (const { what, from, to, says } of BREAKS) {
    const at = TEXT.indexOf(from)
    t.ok(at >= 0, `${what}: the dashboard holds ${from}`)
    const line = TEXT.slice(0, at).split('\n').length
    const problems = dashboardSchemaProblems(TEXT.slice(0, at) + to + TEXT.slice(at + from.length))
    t.ok(problems.length > 0, `${what}: rejected`)
    t.ok(problems.some((p) => p.line === line && says.test(p.message)), `${what}: reported at line ${line}`,
      { problems: problems.map((p) => `${p.line}:${p.column}: ${p.message}`) })
  }
})

t.test('a missing required field fails', async (t) => {
  const problems = dashboardSchemaProblems(TEXT.replace('"schemaVersion": 39,', ''))
  t.ok(problems.some((p) => /Property 'schemaVersion' is missing/.test(p.message)), 'schemaVersion is required',
    { problems: problems.map((p) => `${p.line}:${p.column}: ${p.message}`) })
})
