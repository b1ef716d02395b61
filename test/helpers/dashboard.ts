import { readFileSync } from 'node:fs'

export const DASHBOARD_JSON = new URL('../../grafana/dashboards/laaffic.json', import.meta.url)

export interface DatasourceRef {
  type?: string
  uid?: string
}

export interface Target {
  refId?: string
  expr?: string
  datasource?: DatasourceRef
  [key: string]: unknown
}

export interface Panel {
  id?: number
  type: string
  title?: string
  description?: string
  datasource?: DatasourceRef
  targets?: Target[]
  /** The panels of a collapsed row. */
  panels?: Panel[]
  [key: string]: unknown
}

export interface Variable {
  name: string
  type: string
  /** A string, or the object { query, refId } Grafana 10+ saves for Prometheus query variables. */
  query?: string | { query?: string, [key: string]: unknown }
  datasource?: DatasourceRef
  multi?: boolean
  includeAll?: boolean
  current?: { text?: string | string[], value?: string | string[] }
  [key: string]: unknown
}

export interface Dashboard {
  uid: string
  title: string
  id: null
  schemaVersion: number
  tags: string[]
  panels: Panel[]
  templating: { list: Variable[] }
  [key: string]: unknown
}

export interface DashboardQuery {
  panel: string
  expr: string
}

/** grafana/dashboards/laaffic.json, parsed (throws when it is not valid JSON). */
export function loadDashboard (file: URL = DASHBOARD_JSON): Dashboard {
  return JSON.parse(readFileSync(file, 'utf8')) as Dashboard
}

/** Every panel, with the panels of collapsed rows after their row. */
export function allPanels (dashboard: Dashboard): Panel[] {
  const out: Panel[] = []
  const walk = (panels: Panel[]): void => {
    for (const panel of panels) {
      out.push(panel)
      if (Array.isArray(panel.panels)) walk(panel.panels)
    }
  }
  walk(dashboard.panels)
  return out
}

/** The query string of a variable, whichever form Grafana saved it in. */
export function variableQuery (variable: Variable): string | undefined {
  return typeof variable.query === 'object' ? variable.query.query : variable.query
}

/**
 * Fixed values for Grafana's built-in interval variables, as a 1 h dashboard range with a 15 s scrape
 * interval would give them; the substituted query is what Prometheus' /api/v1/query accepts.
 */
const BUILTINS: Record<string, string> = {
  __rate_interval: '1m',
  __interval: '1m',
  __interval_ms: '60000',
  __range: '1h',
  __range_s: '3600',
  __range_ms: '3600000',
}

/**
 * Every target expr of every panel (rows' nested panels included) and every annotation query's, with $job, ${job}, $account,
 * ${account} (and ${var:format}) and the interval variables above replaced. Unknown variables stay as
 * they are, so a test can find them.
 */
export function dashboardQueries (dashboard: Dashboard, vars: { job: string, account: string }): DashboardQuery[] {
  const values: Record<string, string> = { ...BUILTINS, job: vars.job, account: vars.account }
  const substitute = (expr: string): string =>
    expr.replace(/\$\{(\w+)(?::[^}]*)?\}|\$(\w+)/g, (whole, braced?: string, bare?: string) => {
      const name = braced ?? bare ?? ''
      return Object.hasOwn(values, name) ? values[name]! : whole
    })
  const out: DashboardQuery[] = []
  for (const panel of allPanels(dashboard)) {
    for (const target of panel.targets ?? []) {
      if (typeof target.expr !== 'string') continue
      out.push({ panel: panel.title ?? `panel ${panel.id ?? '?'}`, expr: substitute(target.expr) })
    }
  }
  for (const annotation of annotationQueries(dashboard)) {
    if (typeof annotation.expr === 'string') out.push({ panel: `annotation ${annotation.name ?? '?'}`, expr: substitute(annotation.expr) })
  }
  return out
}

/** A Prometheus annotation query as Grafana saves it: the expression and its formats beside the model's fields. */
export interface AnnotationQuery {
  name?: string
  enable?: boolean
  datasource?: DatasourceRef
  expr?: string
  titleFormat?: string
  [key: string]: unknown
}

export function annotationQueries (dashboard: Dashboard): AnnotationQuery[] {
  return (dashboard.annotations as { list?: AnnotationQuery[] } | undefined)?.list ?? []
}
