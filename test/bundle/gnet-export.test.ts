import t from 'tap'
import { readFileSync } from 'node:fs'
import { DATASOURCE_INPUT, gnetExport, renderGnetExport } from '../../scripts/grafana/gnet-export.js'
import { allPanels, DASHBOARD_JSON, loadDashboard } from '../helpers/dashboard.js'
import { dashboardSchemaProblems } from '../helpers/dashboard-schema.js'

const GNET_JSON = new URL('../../grafana/gnet/laaffic.gnet.json', import.meta.url)
const provisioned = readFileSync(DASHBOARD_JSON, 'utf8')
const committed = readFileSync(GNET_JSON, 'utf8')
const gnet = JSON.parse(committed) as Record<string, unknown> & {
  __inputs: Array<{ name: string, type: string, pluginId: string }>
  __requires: Array<{ type: string, id: string, version: string }>
  templating: { list: Array<{ name: string, current?: { value?: string } }> }
}

t.test('laaffic.gnet.json is what npm run dashboard makes of laaffic.json', async (t) => {
  t.equal(committed, renderGnetExport(provisioned), 'no drift: after changing laaffic.json, run npm run dashboard and commit both')
})

t.test('the export asks for the Prometheus data source and lists what it requires', async (t) => {
  t.same(gnet.__inputs, [DATASOURCE_INPUT], 'one input: the Prometheus data source')
  t.same(gnet.__elements, {}, 'no library panels')
  const inputs = new Set(gnet.__inputs.map((input) => input.name))
  for (const [, name] of committed.matchAll(/\$\{(DS_[A-Z_]+)\}/g)) t.ok(inputs.has(name!), `\${${name}} has an input`)
  t.equal(gnet.templating.list.find((v) => v.name === 'datasource')?.current?.value, '${DS_PROMETHEUS}', '$datasource starts on the imported data source')

  const required = new Set(gnet.__requires.map((r) => `${r.type}:${r.id}`))
  t.ok(required.has('grafana:grafana') && required.has('datasource:prometheus'), 'Grafana and the Prometheus data source')
  const types = new Set(allPanels(loadDashboard()).map((p) => p.type).filter((type) => type !== 'row'))
  t.same([...required].filter((r) => r.startsWith('panel:')).sort(), [...types].map((type) => `panel:${type}`).sort(), 'exactly the panel plugins used')
})

t.test('apart from the import fields and the variable\'s start, the export is the provisioned dashboard', async (t) => {
  const rest = Object.fromEntries(Object.entries(gnet).filter(([key]) => !key.startsWith('__'))) as typeof gnet
  const dashboard = loadDashboard()
  const variable = (d: { templating: { list: Array<{ name: string, current?: unknown }> } }) => d.templating.list.find((v) => v.name === 'datasource')!
  delete variable(rest).current
  delete variable(dashboard).current
  t.same(rest, dashboard)
  t.same(dashboardSchemaProblems(JSON.stringify(rest, null, 2)), [], 'and satisfies the Dashboard model too')
})

t.test('the export refuses a panel type it has no plugin name for', async (t) => {
  const dashboard = loadDashboard()
  dashboard.panels.push({ type: 'piechart', title: 'new' })
  t.throws(() => gnetExport(dashboard), /panel type piechart/)
})
