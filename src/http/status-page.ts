import { CONDITION_ORDER, CONDITIONS, type AccountView, type Condition, type StatusReport } from './account-view.js'
import { Html, html } from './html.js'
import { row, when } from './status-page-row.js'
import { COLUMNS, STYLE } from './status-page-style.js'
import { relativeTime, utcTime } from './times.js'

/** The latest refused reload, as ReloadStatus keeps it: a time and a count, never the problems' text. */
export interface ReloadRefusal {
  atMs: number
  problems: number
}

export interface PageInfo {
  version: string
  /** The page reloads itself this often (a meta refresh: no script). */
  refreshSeconds: number
  /** Set while the latest reload attempt was refused: the page says so on top. */
  refusedReload?: ReloadRefusal | undefined
  /** Where the metrics are served (WEB_TELEMETRY_PATH): the page links there. */
  telemetryPath: string
}

function summary ({ accounts, counts }: StatusReport): Html {
  const badges = CONDITION_ORDER.map((condition) => counts[condition] === 0
    ? html` <span class="badge zero" title="${CONDITIONS[condition]}">0 ${condition}</span>`
    : html` <a class="badge ${condition}" href="#${condition}" title="${CONDITIONS[condition]}">${counts[condition]} ${condition}</a>`)
  return html`<strong>${accounts.length} ${accounts.length === 1 ? 'account' : 'accounts'}:</strong>${badges}`
}

/** The browser tab says what needs attention: "1 critical, 2 failing", or "3 ok". */
function title ({ accounts, counts }: StatusReport): string {
  const needing = CONDITION_ORDER.filter((c) => c !== 'ok' && counts[c] > 0).map((c) => `${counts[c]} ${c}`)
  return needing.length === 0 ? `${accounts.length} ok` : needing.join(', ')
}

/** For each account, the conditions it is the first (in the page's order) to be in: the summary links there. */
function firstsOf (accounts: readonly AccountView[]): Array<Set<Condition>> {
  const seen = new Set<Condition>()
  return accounts.map((account) => new Set(account.conditions.filter((c) => !seen.has(c) && seen.add(c))))
}

function banner (refusal: ReloadRefusal | undefined, nowMs: number): Html | undefined {
  if (refusal === undefined) return undefined
  const problems = `${refusal.problems} ${refusal.problems === 1 ? 'problem' : 'problems'}`
  return html`<p class="banner" role="alert"><strong>The last configuration reload was refused</strong> \
${when(refusal.atMs, relativeTime(refusal.atMs, nowMs))} (${problems}; the exporter's log names them): the previous configuration is still running.</p>
`
}

/** The page at `/`: every account's money, state, last success, last error and polling, attention first. */
export function renderStatusPage (report: StatusReport, { version, refreshSeconds, telemetryPath, refusedReload }: PageInfo): string {
  const { nowMs, accounts } = report
  const firsts = firstsOf(accounts)
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="${refreshSeconds}">
<title>${title(report)} · Laaffic exporter</title>
<style>${new Html(STYLE)}</style>
</head>
<body>
<h1>Laaffic exporter</h1>
<p class="meta">Version ${version} · <a href="${telemetryPath}">${telemetryPath}</a> · <a href="/api/v1/accounts">/api/v1/accounts</a> (JSON) · <a href="/healthz">/healthz</a> · <a href="/readyz">/readyz</a></p>
${banner(refusedReload, nowMs)}<p class="summary">${summary(report)}</p>
<div class="accounts"><table>
<thead><tr>${COLUMNS.map((column, i) => html`<th${i >= 2 && i <= 5 ? html` class="num"` : undefined}>${column}</th>`)}</tr></thead>
<tbody>
${accounts.map((account, i) => row(account, nowMs, firsts[i] ?? new Set()))}</tbody>
</table></div>
<footer>As of ${when(nowMs, utcTime(nowMs))}; this page reloads every ${refreshSeconds} s. An account in two states (low and failing) counts in both; \
"spent since start" is what balance and gift lost since this exporter's first good poll of the account. Hover over a time for the exact time, \
over an amount for the exact figure, over a state for what it means.</footer>
</body>
</html>
`.text
}
