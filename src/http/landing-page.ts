import type { AccountState } from '../state/account-states.js'

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string)

const isoTime = (ms: number | undefined): string => ms === undefined ? '—' : new Date(ms).toISOString()

function row (state: Readonly<AccountState>): string {
  const up = state.up === undefined ? 'pending' : state.up ? 'up' : 'down'
  const error = state.lastError === undefined
    ? '—'
    : `${state.lastError.status}${state.lastError.reason === '' ? '' : `: ${state.lastError.reason}`} (${isoTime(state.lastError.atMs)})`
  return `<tr><td>${escapeHtml(state.name)}</td><td class="${up}">${up}</td>` +
    `<td>${isoTime(state.lastSuccessMs)}</td><td>${escapeHtml(error)}</td></tr>`
}

/** The page a person sees at `/`: what runs, and how each account's polling goes. Names only, no keys. */
export function renderLandingPage (version: string, states: ReadonlyArray<Readonly<AccountState>>): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Laaffic exporter</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem; }
table { border-collapse: collapse; }
th, td { border: 1px solid #ccc; padding: .3rem .6rem; text-align: left; }
.up { color: #1a7f37; } .down { color: #cf222e; font-weight: bold; } .pending { color: #9a6700; }
</style>
</head>
<body>
<h1>Laaffic exporter</h1>
<p>Version ${escapeHtml(version)}. Metrics: <a href="/metrics">/metrics</a>. Health: <a href="/healthz">/healthz</a>, <a href="/readyz">/readyz</a>.</p>
<table>
<thead><tr><th>account</th><th>state</th><th>last success</th><th>last error</th></tr></thead>
<tbody>
${states.map(row).join('\n')}
</tbody>
</table>
</body>
</html>
`
}
