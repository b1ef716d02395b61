import { CONDITION_ORDER, CONDITIONS, type AccountView, type Condition, type StatusReport } from './account-view.js'
import { Html, html } from './html.js'
import { relativeTime, utcTime } from './times.js'

export interface PageInfo {
  version: string
  /** The page reloads itself this often (a meta refresh: no script). */
  refreshSeconds: number
  /** Where the metrics are served (WEB_TELEMETRY_PATH): the page links there. */
  telemetryPath: string
}

// Colour is never alone: every state is written out, and the colours keep their contrast for text.
const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1f2328; }
h1 { font-size: 1.4rem; margin: 0 0 .2rem; }
a { color: #0969da; }
.meta, .muted, footer { color: #59636e; }
.summary { font-size: 1.05rem; margin: 1rem 0; }
.badge { display: inline-block; padding: 0 .5em; border-radius: 1em; font-weight: 600; text-decoration: none; white-space: nowrap; color: #fff; }
.summary .badge { margin-right: .3em; }
.summary .zero { background: #eaeef2; color: #59636e; font-weight: normal; }
.critical .badge, .badge.critical { background: #cf222e; }
.stale .badge, .badge.stale { background: #6639ba; }
.failing .badge, .badge.failing { background: #bc4c00; }
.low .badge, .badge.low { background: #f5d90a; color: #1f2328; }
.pending .badge, .badge.pending { background: #818b98; }
.ok .badge, .badge.ok { background: #1a7f37; }
.badge.backoff { background: #fff1e5; color: #953800; border: 1px solid #bc4c00; }
table { border-collapse: collapse; width: 100%; }
th, td { padding: .3rem .6rem; text-align: left; vertical-align: top; border-bottom: 1px solid #d1d9e0; }
thead th { position: sticky; top: 0; background: #f6f8fa; border-bottom: 2px solid #d1d9e0; white-space: nowrap; }
tbody tr:nth-child(even) { background: #f9fafb; }
tr.critical td:first-child { border-left: 4px solid #cf222e; }
tr.stale td:first-child { border-left: 4px solid #6639ba; }
tr.failing td:first-child { border-left: 4px solid #bc4c00; }
tr.low td:first-child { border-left: 4px solid #d4a72c; }
tr.pending td:first-child, tr.ok td:first-child { border-left: 4px solid transparent; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.name { font-weight: 600; white-space: nowrap; }
.under-critical { color: #cf222e; font-weight: 700; }
.under-warning { color: #9a6700; font-weight: 700; }
.old { color: #818b98; font-style: italic; }
.status { font-family: ui-monospace, monospace; font-weight: 600; }
.error { max-width: 34rem; }
.hint { color: #59636e; font-size: .92em; }
.note { display: block; color: #bc4c00; font-size: .85em; white-space: nowrap; }
.poll { white-space: nowrap; }
time { text-decoration: underline dotted #818b98; }
footer { margin-top: 1rem; font-size: .9em; }
`

const when = (atMs: number, text: string): Html => html`<time datetime="${new Date(atMs).toISOString()}" title="${utcTime(atMs)}">${text}</time>`
const ago = (atMs: number, nowMs: number): Html => when(atMs, relativeTime(atMs, nowMs))
const figure = (value: number | undefined): string => value === undefined ? '—' : String(value)

function balanceCell (account: AccountView): Html {
  const balance = account.values?.balance
  if (balance === undefined) return html`<td class="num">—</td>`
  if (!account.fresh) return html`<td class="num"><span class="old" title="the last good answer, too old: no longer on /metrics">${balance}</span></td>`
  const under = balance < account.balanceCritical ? 'under-critical' : balance < account.balanceWarning ? 'under-warning' : undefined
  return under === undefined ? html`<td class="num">${balance}</td>` : html`<td class="num"><span class="${under}">${balance}</span></td>`
}

function errorCell (account: AccountView, nowMs: number): Html {
  const error = account.lastError
  if (error === undefined) return html`<td class="error muted">—</td>`
  const what = html`<span class="status">${error.status}</span>${error.reason === '' ? '' : html` ${error.reason}`}`
  // Once the account answered again the error is history: shown, greyed, its hint on hover.
  if (account.up !== false) return html`<td class="error muted" title="${error.hint}">${what}, ${ago(error.atMs, nowMs)}</td>`
  return html`<td class="error">${what}, ${ago(error.atMs, nowMs)} <div class="hint">${error.hint}</div></td>`
}

function pollCell (account: AccountView, nowMs: number): Html {
  const next = account.nextPoll
  if (next === undefined) return html`<td class="poll muted">${account.up === undefined ? 'first poll under way' : '—'}</td>`
  const time = next.atMs <= nowMs ? when(next.atMs, 'due now') : ago(next.atMs, nowMs)
  return next.backoff
    ? html`<td class="poll"><span class="badge backoff">backing off</span> <br>next poll ${time}</td>`
    : html`<td class="poll muted">next poll ${time}</td>`
}

function row (account: AccountView, nowMs: number, first: boolean): Html {
  const { condition } = account
  // A critical balance outranks a failing poll; the row still says the poll failed.
  const note = condition === 'critical' && account.up === false ? html`<span class="note">latest poll failed</span>` : undefined
  return html`<tr class="${condition}"${first ? html` id="${condition}"` : undefined}><td class="name">${account.name}</td>\
<td><span class="badge" title="${CONDITIONS[condition]}">${condition}</span> ${note}</td>${balanceCell(account)}\
<td class="num muted">${account.balanceWarning} / ${account.balanceCritical}</td>\
<td class="num">${figure(account.values?.gift)}</td><td class="num">${figure(account.values?.credit)}</td>\
<td>${account.lastSuccessMs === undefined ? 'never' : ago(account.lastSuccessMs, nowMs)}</td>\
${errorCell(account, nowMs)}${pollCell(account, nowMs)}</tr>
`
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

const firstOf = (accounts: readonly AccountView[]): Set<AccountView> => {
  const seen = new Set<Condition>()
  return new Set(accounts.filter((account) => !seen.has(account.condition) && seen.add(account.condition)))
}

/** The page at `/`: every account's money, state, last success, last error and polling, attention first. */
export function renderStatusPage (report: StatusReport, { version, refreshSeconds, telemetryPath }: PageInfo): string {
  const { nowMs, accounts } = report
  const first = firstOf(accounts)
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
<p class="summary">${summary(report)}</p>
<table>
<thead><tr><th>account</th><th>state</th><th class="num">balance</th><th class="num">warning / critical</th><th class="num">gift</th><th class="num">credit</th><th>last success</th><th>last error</th><th>polling</th></tr></thead>
<tbody>
${accounts.map((account) => row(account, nowMs, first.has(account)))}</tbody>
</table>
<footer>As of ${when(nowMs, utcTime(nowMs))}; this page reloads every ${refreshSeconds} s. Hover over a time for the exact time, over a state for what it means.</footer>
</body>
</html>
`.text
}
