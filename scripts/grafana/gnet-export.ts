// The grafana.com form of the provisioned dashboard: what Grafana's "Export for sharing externally" adds,
// so that *Dashboards → New → Import* (by file or by grafana.com ID) asks for the Prometheus data source.

/** The input the import asks for; the $datasource variable starts on the data source picked there. */
export const DATASOURCE_INPUT = {
  name: 'DS_PROMETHEUS',
  label: 'Prometheus',
  description: 'The Prometheus that scrapes laaffic-exporter and evaluates prometheus/rules/laaffic.rules.yml',
  type: 'datasource',
  pluginId: 'prometheus',
  pluginName: 'Prometheus',
} as const

/** The oldest Grafana the dashboard is for (docs/alerting.md says 10 or later). */
export const GRAFANA_VERSION = '10.0.0'

/** Grafana's names of the panel plugins the dashboard uses (rows are not plugins). */
const PANEL_PLUGINS: Record<string, string> = {
  'bargauge': 'Bar gauge',
  'stat': 'Stat',
  'state-timeline': 'State timeline',
  'table': 'Table',
  'timeseries': 'Time series',
}

interface Panel { type: string, panels?: Panel[] }
interface Variable { name: string, type: string, query?: unknown, current?: unknown }
interface Dashboard { panels: Panel[], templating: { list: Variable[] }, [key: string]: unknown }

/** The grafana.com export of a provisioned dashboard (parsed JSON in, a new object out). */
export function gnetExport (dashboard: Dashboard): Record<string, unknown> {
  const types = new Set<string>()
  const walk = (panels: Panel[]): void => {
    for (const panel of panels) {
      if (panel.type !== 'row') types.add(panel.type)
      walk(panel.panels ?? [])
    }
  }
  walk(dashboard.panels)
  const unknown = [...types].filter((type) => PANEL_PLUGINS[type] === undefined)
  if (unknown.length > 0) throw new Error(`gnet export: add the plugin name of panel type ${unknown.join(', ')} to PANEL_PLUGINS`)

  const copy = structuredClone(dashboard)
  const variable = copy.templating.list.find((v) => v.type === 'datasource' && v.query === DATASOURCE_INPUT.pluginId)
  if (variable === undefined) throw new Error('gnet export: the dashboard has no Prometheus datasource variable')
  // Import replaces ${DS_PROMETHEUS} with the picked data source everywhere in the text.
  variable.current = { selected: false, text: `\${${DATASOURCE_INPUT.name}}`, value: `\${${DATASOURCE_INPUT.name}}` }

  return {
    __inputs: [DATASOURCE_INPUT],
    __elements: {},
    __requires: [
      { type: 'grafana', id: 'grafana', name: 'Grafana', version: GRAFANA_VERSION },
      { type: 'datasource', id: 'prometheus', name: 'Prometheus', version: '1.0.0' },
      ...[...types].sort().map((type) => ({ type: 'panel', id: type, name: PANEL_PLUGINS[type], version: '' })),
    ],
    ...copy,
  }
}

/** The text of grafana/gnet/laaffic.gnet.json for the text of grafana/dashboards/laaffic.json. */
export function renderGnetExport (provisionedText: string): string {
  return `${JSON.stringify(gnetExport(JSON.parse(provisionedText) as Dashboard), null, 2)}\n`
}
