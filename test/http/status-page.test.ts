import t from 'tap'
import { statusReport } from '../../src/http/account-view.js'
import { renderStatusPage } from '../../src/http/status-page.js'
import { attr, classes, parseHtml, select, selectOne, textOf, type Element } from '../helpers/html.js'
import { accountsInEveryState, EVIL_NAME, EVIL_REASON, MAX_STALENESS_MS, NOW } from '../helpers/status-accounts.js'

const page = renderStatusPage(statusReport(accountsInEveryState().all(), NOW, MAX_STALENESS_MS), { version: '1.2.3<b>', refreshSeconds: 30, telemetryPath: '/metrics' })
const { document, errors } = parseHtml(page)
const rows = select(document, 'tbody tr')
const COLUMNS = ['account', 'state', 'balance', 'warning / critical', 'gift', 'credit', 'last success', 'last error', 'polling']

/** A row as a person reads it: each cell's text under its column's name. */
const read = (row: Element): Record<string, string> => Object.fromEntries(select(row, 'td').map((cell, i) => [COLUMNS[i] ?? `${i}`, textOf(cell)]))
const rowOf = (name: string): Element => {
  const row = rows.find((r) => textOf(select(r, 'td')[0]!) === name)
  if (row === undefined) throw new Error(`no row for ${name}`)
  return row
}

t.test('the page is well-formed HTML with the columns a person scans', async (t) => {
  t.same(errors, [], 'parse5 repaired nothing')
  t.same(select(document, 'thead th').map(textOf), COLUMNS)
  t.equal(rows.length, 10, 'one row per account')
  for (const row of rows) t.equal(select(row, 'td').length, COLUMNS.length, `${textOf(row).slice(0, 20)}: a cell per column`)
})

t.test('each state reads in words, with its colour class, money, thresholds, ages, last error and polling', async (t) => {
  const expected: Record<string, Record<string, string>> = {
    ok: { state: 'ok', balance: '1520.5', 'warning / critical': '100 / 20', gift: '50', credit: '0', 'last success': '20 s ago', 'last error': '—', polling: 'next poll in 40 s' },
    recovered: { state: 'ok', balance: '640', 'last success': '5 s ago', 'last error': '-18 interface exception, 2 h ago', polling: 'next poll in 55 s' },
    low: { state: 'low', balance: '64.25', gift: '—', credit: '—', 'last success': '30 s ago', 'last error': '—' },
    critical: { state: 'critical', balance: '8.75', gift: '0', credit: '100', 'last error': '—' },
    critical_failing: {
      state: 'critical latest poll failed',
      balance: '3',
      'last success': '1 min ago',
      'last error': 'timeout no answer within 10 s, 10 s ago the API did not answer in time: check the network path to it, or raise LAAFFIC_REQUEST_TIMEOUT',
    },
    failing: { state: 'failing', balance: '300', 'last success': '3 min ago', 'last error': '-18 interface exception, 40 s ago Laaffic reported an interface error on its side' },
    failing_backoff: {
      state: 'failing',
      balance: '—',
      gift: '—',
      credit: '—',
      'last success': 'never',
      'last error': '-1 authentication error, 1 min ago authentication failed: check the API key and secret',
      polling: 'backing off next poll in 8 min',
    },
    stale: { state: 'stale', balance: '700', 'last success': '20 min ago', 'last error': 'network ECONNREFUSED, 50 s ago the API could not be reached: check DNS, proxy, firewall and the base URL' },
    pending: { state: 'pending', balance: '—', 'last success': 'never', 'last error': '—', polling: 'first poll under way' },
  }
  for (const [name, cells] of Object.entries(expected)) {
    const row = rowOf(name)
    t.match(read(row), cells, name)
    const state = cells.state?.split(' ')[0] ?? ''
    t.same(classes(row), [state], `${name}: the row is coloured as ${state}`)
    t.equal(textOf(selectOne(select(row, 'td')[1]!, '.badge')), state, `${name}: the state is written, not only coloured`)
    t.ok(attr(selectOne(select(row, 'td')[1]!, '.badge'), 'title'), `${name}: what the state means, on hover`)
  }
  t.same(select(rowOf('critical'), '.under-critical').map(textOf), ['8.75'], 'a balance under the critical threshold is marked')
  t.same(select(rowOf('low'), '.under-warning').map(textOf), ['64.25'], 'a balance under the warning threshold is marked')
  t.same(select(rowOf('stale'), '.old').map(textOf), ['700'], 'a stale balance is shown as the last known one')
  t.same([...select(rowOf('ok'), '.under-warning'), ...select(rowOf('ok'), '.under-critical')], [], 'a balance above the thresholds is plain')
  t.same(select(rowOf('failing_backoff'), '.backoff').map(textOf), ['backing off'])
  t.same(select(rowOf('recovered'), '.hint'), [], 'an error the account recovered from is history: no hint shown')
  t.equal(attr(selectOne(rowOf('recovered'), 'td.error'), 'title'), 'Laaffic reported an interface error on its side', 'its hint is on hover')
})

t.test('every time is an age, with the exact time on hover', async (t) => {
  const times = select(document, 'tbody time')
  t.ok(times.length >= 20)
  for (const time of times) {
    const datetime = attr(time, 'datetime') ?? ''
    t.equal(attr(time, 'title'), `${datetime.slice(0, 19).replace('T', ' ')} UTC`, `${textOf(time)}: exact time on hover`)
  }
  const lastSuccess = selectOne(select(rowOf('stale'), 'td')[6]!, 'time')
  t.same([textOf(lastSuccess), attr(lastSuccess, 'title')], ['20 min ago', '2025-03-14 09:06:40 UTC'])
  const nextPoll = selectOne(rowOf('failing_backoff'), 'td.poll time')
  t.same([textOf(nextPoll), attr(nextPoll, 'title')], ['in 8 min', '2025-03-14 09:34:40 UTC'], 'the next poll time of a backing-off account')
})

t.test('accounts needing attention come first; the summary counts each state and links to its first account', async (t) => {
  t.same(rows.map((row) => textOf(select(row, 'td')[0]!)), [
    'critical', 'critical_failing', 'stale', EVIL_NAME, 'failing', 'failing_backoff', 'low', 'pending', 'ok', 'recovered',
  ])
  const summary = selectOne(document, 'p.summary')
  t.equal(textOf(summary), '10 accounts: 2 critical 1 stale 3 failing 1 low 1 pending 2 ok')
  for (const badge of select(summary, 'a.badge')) {
    const state = classes(badge).find((c) => c !== 'badge') ?? ''
    const target = selectOne(document, `#${state}`)
    t.equal(attr(badge, 'href'), `#${state}`)
    t.equal(target, rows.find((row) => classes(row).includes(state)), `${state} links to the first ${state} row`)
  }
  t.equal(textOf(selectOne(document, 'title')), '2 critical, 1 stale, 3 failing, 1 low, 1 pending · Laaffic exporter', 'the tab says what needs attention')

  const allOk = parseHtml(renderStatusPage(statusReport([accountsInEveryState().get('ok')], NOW, MAX_STALENESS_MS), { version: '1', refreshSeconds: 10, telemetryPath: '/metrics' }))
  t.equal(textOf(selectOne(allOk.document, 'p.summary')), '1 account: 0 critical 0 stale 0 failing 0 low 0 pending 1 ok')
  t.same(select(allOk.document, 'p.summary a').map(textOf), ['1 ok'], 'a state no account is in is not a link')
  t.equal(textOf(selectOne(allOk.document, 'title')), '1 ok · Laaffic exporter')
})

t.test('every value is escaped: a hostile name or reason stays text', async (t) => {
  const evil = rowOf(EVIL_NAME)
  t.equal(textOf(select(evil, 'td')[0]!), EVIL_NAME, 'the name reads exactly as configured')
  t.match(read(evil)['last error'], `-10 ${EVIL_REASON}, 12 s ago`)
  t.same(select(document, 'img'), [], 'no element came out of a value')
  t.same(select(document, 'script'), [])
  t.match(textOf(selectOne(document, 'p.meta')), 'Version 1.2.3<b> ·', 'the version is text too')
  t.same(select(document, 'p.meta b'), [])
})

t.test('refreshes itself without script; no external asset', async (t) => {
  t.equal(attr(selectOne(document, 'meta[http-equiv=refresh]'), 'content'), '30')
  t.same(select(document, 'script'), [], 'no JavaScript at all: it works with JavaScript off')
  t.same(['link', 'img', 'iframe', 'object', 'embed', 'video', 'audio', 'source'].flatMap((tag) => select(document, tag)), [])
  for (const link of select(document, 'a')) t.match(attr(link, 'href'), /^[/#]/, `${attr(link, 'href') ?? ''} stays on the exporter`)
  const style = textOf(selectOne(document, 'style'))
  t.notMatch(style, /url\(|@import/, 'the style loads nothing')
  t.match(textOf(selectOne(document, 'footer')), 'As of 2025-03-14 09:26:40 UTC; this page reloads every 30 s.')
})
