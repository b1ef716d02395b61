// The status page's one inline style sheet. Its SHA-256 is what the page's Content-Security-Policy allows,
// so the style is a constant: nothing per request goes into it.
import { createHash } from 'node:crypto'

/** The table's columns, in order: the header row and the labels of the stacked rows on a narrow screen. */
export const COLUMNS = [
  'account', 'state', 'balance', 'gift / credit', 'warning / critical', 'spent since start', 'last top-up', 'last success',
  'last error', 'polling',
] as const

/**
 * Under this width each account is a card of labelled lines: a phone or a tablet shows everything without
 * sideways scrolling. The table needs about 1,200 px (measured in Chromium with long error hints); a wider
 * one (a long name without a break) scrolls inside its box, never the page.
 */
const STACK_BELOW = '75rem'

// Colour is never alone: every state is written out, and the colours keep their contrast for text.
const BASE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1f2328; }
h1 { font-size: 1.4rem; margin: 0 0 .2rem; }
a { color: #0969da; }
.meta, .muted, footer { color: #59636e; }
.banner { border: 1px solid #cf222e; border-left-width: 6px; background: #ffebe9; padding: .5rem .8rem; border-radius: 6px; }
.summary { font-size: 1.05rem; margin: 1rem 0; }
.badge { display: inline-block; padding: 0 .5em; border-radius: 1em; font-weight: 600; text-decoration: none; white-space: nowrap; color: #fff; }
.summary .badge { margin: 0 .3em .2em 0; }
.summary .zero { background: #eaeef2; color: #59636e; font-weight: normal; }
.critical .badge, .badge.critical { background: #cf222e; }
.stale .badge, .badge.stale { background: #6639ba; }
.failing .badge, .badge.failing { background: #bc4c00; }
.low .badge, .badge.low { background: #f5d90a; color: #1f2328; }
.pending .badge, .badge.pending { background: #818b98; }
.ok .badge, .badge.ok { background: #1a7f37; }
td .badge.also { background: #fff; color: #1f2328; border: 1px solid #818b98; font-weight: 600; }
td .badge.also.critical { border-color: #cf222e; color: #a40e26; }
td .badge.also.failing { border-color: #bc4c00; color: #953800; }
td .badge.also.low { border-color: #d4a72c; color: #7d4e00; }
.badge.backoff { background: #fff1e5; color: #953800; border: 1px solid #bc4c00; }
table { border-collapse: collapse; width: 100%; }
.accounts { overflow-x: auto; }
th, td { padding: .3rem .5rem; text-align: left; vertical-align: top; border-bottom: 1px solid #d1d9e0; }
thead th { position: sticky; top: 0; background: #f6f8fa; border-bottom: 2px solid #d1d9e0; }
tbody tr:nth-child(even) { background: #f9fafb; }
tr.critical td:first-child { border-left: 4px solid #cf222e; }
tr.stale td:first-child { border-left: 4px solid #6639ba; }
tr.failing td:first-child { border-left: 4px solid #bc4c00; }
tr.low td:first-child { border-left: 4px solid #d4a72c; }
tr.pending td:first-child, tr.ok td:first-child { border-left: 4px solid transparent; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
data { white-space: nowrap; }
small { color: #59636e; font-size: .8em; }
.name { font-weight: 600; overflow-wrap: break-word; }
.under-critical { color: #cf222e; font-weight: 700; }
.under-warning { color: #9a6700; font-weight: 700; }
.old { color: #818b98; font-style: italic; }
.status { font-family: ui-monospace, monospace; font-weight: 600; }
.error { min-width: 10rem; overflow-wrap: break-word; }
.hint { color: #59636e; font-size: .92em; }
time { text-decoration: underline dotted #818b98; white-space: nowrap; }
footer { margin-top: 1rem; font-size: .9em; }
`

/** The stacked layout: the header row hidden (kept for screen readers), each cell a line with its column's name. */
const STACKED = `
@media (max-width: ${STACK_BELOW}) {
  body { margin: .8rem; }
  table, tr, td { display: block; }
  /* As many cards side by side as fit (two on a tablet), one on a phone. */
  tbody { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 26rem), 1fr)); gap: .6rem; align-items: start; }
  thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
  tr { border: 1px solid #d1d9e0; border-radius: 6px; min-width: 0; }
  td, td.num, td.error { border: 0; padding: .15rem .6rem .15rem 9rem; position: relative; text-align: left; min-width: 0; overflow-wrap: anywhere; }
  td::before { position: absolute; left: .6rem; width: 8rem; color: #59636e; font-weight: normal; }
  td.name { padding-left: .6rem; font-size: 1.05rem; border-bottom: 1px solid #d1d9e0; }
  tr td.name:first-child { border-left: 0; }
  tr.critical { border-left: 6px solid #cf222e; } tr.stale { border-left: 6px solid #6639ba; }
  tr.failing { border-left: 6px solid #bc4c00; } tr.low { border-left: 6px solid #d4a72c; }
${COLUMNS.slice(1).map((label, i) => `  td:nth-child(${i + 2})::before { content: "${label}"; }`).join('\n')}
}
`

export const STYLE = BASE + STACKED

/** The CSP source that allows exactly this style sheet. */
export const STYLE_HASH = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`
