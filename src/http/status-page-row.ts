// One account's row of the status page, a cell per column of COLUMNS (status-page-style.ts).
import { CONDITIONS, type AccountView, type Condition } from './account-view.js'
import { Html, html } from './html.js'
import { amount } from './money.js'
import { relativeTime, utcTime } from './times.js'

/** A time element: `text` (an age) with the exact time on hover. One ISO string serves both attributes. */
export function when (atMs: number, text: string): Html {
  const iso = new Date(atMs).toISOString()
  return html`<time datetime="${iso}" title="${utcTime(iso)}">${text}</time>`
}
const ago = (atMs: number, nowMs: number): Html => when(atMs, relativeTime(atMs, nowMs))

/** The account's default provider is not named on every row: only the sister platforms are. */
const DEFAULT_PROVIDER = 'laaffic'

const money = (value: number | undefined, currency: string): Html => value === undefined ? html`—` : amount(value, currency)

function nameCell ({ name, provider }: AccountView): Html {
  return html`<td class="name">${name}${provider === DEFAULT_PROVIDER ? undefined : html` <small>${provider}</small>`}</td>`
}

/**
 * The state word is the worst condition; any other the account is in follows as an outlined badge
 * (a critical balance whose latest poll failed: `critical` `failing`). `firsts` are the conditions this row
 * is the first of: the summary's links land on them.
 */
function stateCell ({ conditions }: AccountView, firsts: ReadonlySet<Condition>): Html {
  const badges = conditions.map((condition, i) => {
    const id = firsts.has(condition) ? html` id="${condition}"` : undefined
    return html`${i === 0 ? '' : ' '}<span class="badge${i === 0 ? '' : ` also ${condition}`}"${id} title="${CONDITIONS[condition]}">${condition}</span>`
  })
  return html`<td>${badges}</td>`
}

function balanceCell (account: AccountView): Html {
  const balance = account.values?.balance
  if (balance === undefined) return html`<td class="num">—</td>`
  const figure = amount(balance, account.currency)
  if (!account.fresh) return html`<td class="num"><span class="old" title="the last good answer, too old: no longer on /metrics">${figure}</span></td>`
  const under = balance < account.balanceCritical ? 'under-critical' : balance < account.balanceWarning ? 'under-warning' : undefined
  return under === undefined ? html`<td class="num">${figure}</td>` : html`<td class="num"><span class="${under}">${figure}</span></td>`
}

/** What balance + gift lost since this process' first good poll of the account, from its counters. */
function spentCell ({ spentTotal, currency }: AccountView): Html {
  return html`<td class="num">${money(spentTotal, currency)}</td>`
}

function topupCell ({ lastTopup, topupsTotal, toppedUpTotal, currency }: AccountView, nowMs: number): Html {
  if (topupsTotal === undefined) return html`<td class="muted">—</td>`
  if (lastTopup === undefined) return html`<td class="muted" title="no top-up seen since the start">none</td>`
  const all = `${topupsTotal} top-up${topupsTotal === 1 ? '' : 's'} since start, ${toppedUpTotal ?? 0}${currency === '' ? '' : ` ${currency}`} in all`
  return html`<td title="${all}">${amount(lastTopup.amount, currency, true)} ${ago(lastTopup.atMs, nowMs)}</td>`
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
  if (next === undefined) return html`<td class="muted">${account.up === undefined ? 'first poll under way' : '—'}</td>`
  const time = next.atMs <= nowMs ? when(next.atMs, 'due now') : ago(next.atMs, nowMs)
  return next.backoff
    ? html`<td><span class="badge backoff">backing off</span> <br>next poll ${time}</td>`
    : html`<td class="muted">next poll ${time}</td>`
}

export function row (account: AccountView, nowMs: number, firsts: ReadonlySet<Condition>): Html {
  const { currency } = account
  return html`<tr class="${account.condition}">${nameCell(account)}${stateCell(account, firsts)}${balanceCell(account)}\
<td class="num">${money(account.values?.gift, currency)} / ${money(account.values?.credit, currency)}</td>\
<td class="num muted">${amount(account.balanceWarning, currency)} / ${amount(account.balanceCritical, currency)}</td>\
${spentCell(account)}${topupCell(account, nowMs)}\
<td>${account.lastSuccessMs === undefined ? 'never' : ago(account.lastSuccessMs, nowMs)}</td>\
${errorCell(account, nowMs)}${pollCell(account, nowMs)}</tr>
`
}
