import t from 'tap'
import { statusReport } from '../../src/http/account-view.js'
import { renderStatusPage } from '../../src/http/status-page.js'
import { COLUMNS } from '../../src/http/status-page-style.js'
import { attr, classes, parseHtml, select, selectOne, textOf, type Element } from '../helpers/html.js'
import { accountsInEveryState, EVIL_NAME, EVIL_REASON, MAX_STALENESS_MS, NOW } from '../helpers/status-accounts.js'

const page = renderStatusPage(statusReport(accountsInEveryState().all(), NOW, MAX_STALENESS_MS), { version: '1.2.3<b>', refreshSeconds: 30, telemetryPath: '/metrics' })
const { document, errors } = parseHtml(page)
const rows = select(document, 'tbody tr')

/** A row as a person reads it: each cell's text under its column's name. */
const read = (row: Element): Record<string, string> => Object.fromEntries(select(row, 'td').map((cell, i) => [COLUMNS[i] ?? `${i}`, textOf(cell)]))
const rowOf = (name: string): Element => {
  const row = rows.find((r) => textOf(select(r, 'td')[0]!).split(' ')[0] === name)
  if (row === undefined) throw new Error(`no row for ${name}`)
  return row
}
const cell = (name: string, column: typeof COLUMNS[number]): Element => select(rowOf(name), 'td')[COLUMNS.indexOf(column)]!

t.test('the page is well-formed HTML with the columns a person scans', async (t) => {
  t.same(errors, [], 'parse5 repaired nothing')
  t.same(select(document, 'thead th').map(textOf), [
    'account', 'state', 'balance', 'gift / credit', 'warning / critical', 'spent since start', 'last top-up', 'last success', 'last error', 'polling',
  ])
  t.equal(rows.length, 11, 'one row per account')
  for (const row of rows) t.equal(select(row, 'td').length, COLUMNS.length, `${textOf(row).slice(0, 20)}: a cell per column`)
  // Text a table may not hold is drawn above it (the parser moves it out, without a parse error).
  const box = selectOne(document, 'div.accounts')
  t.equal(textOf(box), textOf(selectOne(box, 'table')), 'the accounts\' box shows its table and nothing else')
})

t.test('each state reads in words, with its colour class, money, thresholds, ages, last error and polling', async (t) => {
  const expected: Record<string, Record<string, string>> = {
    ok: {
      state: 'ok',
      balance: '1,520.50 USD',
      'gift / credit': '50.00 USD / 0.00 USD',
      'warning / critical': '100.00 USD / 20.00 USD',
      'spent since start': '12.25 USD',
      'last top-up': '+500.00 USD 20 s ago',
      'last success': '20 s ago',
      'last error': '—',
      polling: 'next poll in 40 s',
    },
    recovered: { state: 'ok', balance: '640.00', 'last success': '5 s ago', 'last error': '-18 interface exception, 2 h ago', polling: 'next poll in 55 s' },
    low: { account: 'low onbuka', state: 'low', balance: '64.25 EUR', 'gift / credit': '— / —', 'spent since start': '1,000.00 EUR', 'last top-up': 'none', 'last error': '—' },
    low_failing: { state: 'failing low', balance: '50 JPY', 'gift / credit': '0 JPY / 0 JPY', 'warning / critical': '100 JPY / 20 JPY', 'last error': '-18 interface exception, 10 s ago the provider reported an interface error on its side' },
    critical: { state: 'critical', balance: '8.75 USD', 'gift / credit': '0.00 USD / 100.00 USD', 'last error': '—' },
    critical_failing: {
      state: 'critical failing',
      balance: '3.00',
      'last success': '1 min ago',
      'last error': 'timeout no answer within 10 s, 10 s ago the API did not answer in time: check the network path to it, or raise LAAFFIC_REQUEST_TIMEOUT',
    },
    failing: { account: 'failing itniotech', state: 'failing', balance: '300.00', 'last success': '3 min ago', 'last error': '-18 interface exception, 40 s ago the provider reported an interface error on its side' },
    failing_backoff: {
      state: 'failing',
      balance: '—',
      'gift / credit': '— / —',
      'spent since start': '—',
      'last top-up': '—',
      'last success': 'never',
      'last error': '-1 authentication error, 1 min ago authentication failed: check the API key and secret',
      polling: 'backing off next poll in 8 min',
    },
    stale: { state: 'stale failing', balance: '700.00', 'last success': '20 min ago', 'last error': 'network ECONNREFUSED, 50 s ago the API could not be reached: check DNS, proxy, firewall and the base URL' },
    pending: { account: 'pending', state: 'pending', balance: '—', 'spent since start': '—', 'last success': 'never', 'last error': '—', polling: 'first poll under way' },
  }
  for (const [name, cells] of Object.entries(expected)) {
    const row = rowOf(name)
    t.match(read(row), cells, name)
    const [state = '', ...others] = cells.state?.split(' ') ?? []
    t.same(classes(row), [state], `${name}: the row is coloured as ${state}`)
    const badges = select(cell(name, 'state'), '.badge')
    t.same(badges.map(textOf), [state, ...others], `${name}: the state is written, not only coloured, and every other condition beside it`)
    t.same(badges.slice(1).map(classes), others.map((other) => ['badge', 'also', other]), `${name}: the others are told apart from the state`)
    for (const badge of badges) t.ok(attr(badge, 'title'), `${name}: what ${textOf(badge)} means, on hover`)
  }
  t.same(select(rowOf('critical'), '.under-critical').map(textOf), ['8.75 USD'], 'a balance under the critical threshold is marked')
  t.same(select(rowOf('low'), '.under-warning').map(textOf), ['64.25 EUR'], 'a balance under the warning threshold is marked')
  t.same(select(rowOf('low_failing'), '.under-warning').map(textOf), ['50 JPY'], 'a failing account\'s low balance too')
  t.same(select(rowOf('stale'), '.old').map(textOf), ['700.00'], 'a stale balance is shown as the last known one')
  t.same([...select(rowOf('ok'), '.under-warning'), ...select(rowOf('ok'), '.under-critical')], [], 'a balance above the thresholds is plain')
  t.same(select(rowOf('failing_backoff'), '.backoff').map(textOf), ['backing off'])
  t.same(select(rowOf('recovered'), '.hint'), [], 'an error the account recovered from is history: no hint shown')
  t.equal(attr(selectOne(rowOf('recovered'), 'td.error'), 'title'), 'the provider reported an interface error on its side', 'its hint is on hover')
})

t.test('every amount has its currency beside it, rounded for reading, the exact value on hover', async (t) => {
  const amounts = select(document, 'tbody data')
  t.ok(amounts.length >= 40, `${amounts.length} amounts`)
  const currencies: Record<string, string> = { ok: 'USD', low: 'EUR', critical: 'USD', low_failing: 'JPY' }
  for (const row of rows) {
    const name = textOf(select(row, 'td')[0]!).split(' ')[0] ?? ''
    const currency = currencies[name]
    for (const data of select(row, 'data')) {
      const value = attr(data, 'value') ?? ''
      t.equal(attr(data, 'title'), currency === undefined ? value : `${value} ${currency}`, `${name} ${textOf(data)}: exact on hover`)
      t.same(select(data, 'small').map(textOf), currency === undefined ? [] : [currency], `${name} ${textOf(data)}: currency beside it`)
    }
  }
  const shown = (name: string, column: typeof COLUMNS[number]): Array<[string, string | undefined]> =>
    select(cell(name, column), 'data').map((data) => [textOf(data), attr(data, 'title')])
  t.same(shown('ok', 'balance'), [['1,520.50 USD', '1520.5 USD']], 'thousands separated, two decimals for USD')
  t.same(shown('ok', 'last top-up'), [['+500.00 USD', '500 USD']])
  t.same(shown('low_failing', 'balance'), [['50 JPY', '50 JPY']], 'no decimals for JPY, as ISO 4217 says')
  t.same(shown('low', 'spent since start'), [['1,000.00 EUR', '1000 EUR']])
  t.equal(attr(cell('ok', 'last top-up'), 'title'), '1 top-up since start, 500 USD in all')
})

t.test('every time is an age, with the exact time on hover', async (t) => {
  const times = select(document, 'tbody time')
  t.ok(times.length >= 20)
  for (const time of times) {
    const datetime = attr(time, 'datetime') ?? ''
    t.equal(attr(time, 'title'), `${datetime.slice(0, 19).replace('T', ' ')} UTC`, `${textOf(time)}: exact time on hover`)
  }
  const lastSuccess = selectOne(cell('stale', 'last success'), 'time')
  t.same([textOf(lastSuccess), attr(lastSuccess, 'title')], ['20 min ago', '2025-03-14 09:06:40 UTC'])
  const nextPoll = selectOne(cell('failing_backoff', 'polling'), 'time')
  t.same([textOf(nextPoll), attr(nextPoll, 'title')], ['in 8 min', '2025-03-14 09:34:40 UTC'], 'the next poll time of a backing-off account')
  const topup = selectOne(cell('ok', 'last top-up'), 'time')
  t.same([textOf(topup), attr(topup, 'title')], ['20 s ago', '2025-03-14 09:26:20 UTC'], 'when the last top-up was seen')
})

t.test('accounts needing attention first; the summary counts every condition an account is in and links to the first', async (t) => {
  t.same(rows.map((row) => textOf(select(row, 'td')[0]!).split(' ')[0]), [
    'critical', 'critical_failing', 'stale', EVIL_NAME.split(' ')[0], 'failing', 'failing_backoff', 'low_failing', 'low', 'pending', 'ok', 'recovered',
  ])
  const summary = selectOne(document, 'p.summary')
  // critical_failing, stale and low_failing count twice: 11 accounts, 14 conditions.
  t.equal(textOf(summary), '11 accounts: 2 critical 1 stale 6 failing 2 low 1 pending 2 ok')
  const firstRows: Record<string, string> = { critical: 'critical', stale: 'stale', failing: 'critical_failing', low: 'low_failing', pending: 'pending', ok: 'ok' }
  for (const badge of select(summary, 'a.badge')) {
    const state = classes(badge).find((c) => c !== 'badge') ?? ''
    t.equal(attr(badge, 'href'), `#${state}`)
    const target = selectOne(document, `#${state}`)
    t.equal(textOf(target), state, `#${state} is a ${state} badge`)
    t.ok(select(rowOf(firstRows[state] ?? ''), `#${state}`).length === 1, `${state} links to the first account in it, ${firstRows[state] ?? ''}`)
  }
  t.equal(textOf(selectOne(document, 'title')), '2 critical, 1 stale, 6 failing, 2 low, 1 pending · Laaffic exporter', 'the tab says what needs attention')

  const allOk = parseHtml(renderStatusPage(statusReport([accountsInEveryState().get('ok')], NOW, MAX_STALENESS_MS), { version: '1', refreshSeconds: 10, telemetryPath: '/metrics' }))
  t.equal(textOf(selectOne(allOk.document, 'p.summary')), '1 account: 0 critical 0 stale 0 failing 0 low 0 pending 1 ok')
  t.same(select(allOk.document, 'p.summary a').map(textOf), ['1 ok'], 'a state no account is in is not a link')
  t.equal(textOf(selectOne(allOk.document, 'title')), '1 ok · Laaffic exporter')
})

t.test('a refused reload is a banner on top: when, how many problems, no problem text', async (t) => {
  t.same(select(document, '.banner'), [], 'no banner while the last reload was not refused')
  const refused = parseHtml(renderStatusPage(statusReport(accountsInEveryState().all(), NOW, MAX_STALENESS_MS), {
    version: '1', refreshSeconds: 30, telemetryPath: '/metrics', refusedReload: { atMs: NOW - 125_000, problems: 3 },
  }))
  const banner = selectOne(refused.document, 'p.banner')
  t.equal(attr(banner, 'role'), 'alert')
  t.equal(textOf(banner), 'The last configuration reload was refused 2 min ago (3 problems; the exporter\'s log names them): the previous configuration is still running.')
  t.equal(attr(selectOne(banner, 'time'), 'title'), '2025-03-14 09:24:35 UTC', 'the exact time on hover')
  const one = parseHtml(renderStatusPage(statusReport([], NOW, MAX_STALENESS_MS), { version: '1', refreshSeconds: 30, telemetryPath: '/metrics', refusedReload: { atMs: NOW, problems: 1 } }))
  t.match(textOf(selectOne(one.document, 'p.banner')), 'just now (1 problem;')
})

t.test('every value is escaped: a hostile name or reason stays text', async (t) => {
  const evil = rows.find((row) => textOf(select(row, 'td')[0]!) === EVIL_NAME)!
  t.equal(textOf(select(evil, 'td')[0]!), EVIL_NAME, 'the name reads exactly as configured')
  t.match(read(evil)['last error'], `-10 ${EVIL_REASON}, 12 s ago`)
  t.same(select(document, 'img'), [], 'no element came out of a value')
  t.same(select(document, 'script'), [])
  t.match(textOf(selectOne(document, 'p.meta')), 'Version 1.2.3<b> ·', 'the version is text too')
  t.same(select(document, 'p.meta b'), [])
})

t.test('refreshes itself without script; no external asset; a layout for narrow screens', async (t) => {
  t.equal(attr(selectOne(document, 'meta[http-equiv=refresh]'), 'content'), '30')
  t.equal(attr(selectOne(document, 'meta[name=viewport]'), 'content'), 'width=device-width, initial-scale=1', 'phones lay it out at their own width')
  t.same(select(document, 'script'), [], 'no JavaScript at all: it works with JavaScript off')
  t.same(['link', 'img', 'iframe', 'object', 'embed', 'video', 'audio', 'source'].flatMap((tag) => select(document, tag)), [])
  for (const link of select(document, 'a')) t.match(attr(link, 'href'), /^[/#]/, `${attr(link, 'href') ?? ''} stays on the exporter`)
  const style = textOf(selectOne(document, 'style'))
  t.notMatch(style, /url\(|@import/, 'the style loads nothing')
  for (const [i, column] of COLUMNS.slice(1).entries()) t.match(style, `td:nth-child(${i + 2})::before { content: "${column}"; }`, `a stacked row labels ${column}`)
  t.match(textOf(selectOne(document, 'footer')), 'As of 2025-03-14 09:26:40 UTC; this page reloads every 30 s. An account in two states (low and failing) counts in both;')
})
