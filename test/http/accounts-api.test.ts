import t from 'tap'
import Fastify from 'fastify'
import { statusReport } from '../../src/http/account-view.js'
import { accountsJson } from '../../src/http/accounts-json.js'
import { renderStatusPage } from '../../src/http/status-page.js'
import { registerStatusRoutes } from '../../src/http/status-routes.js'
import { account, CANARY_SECRET, okBody, statusBody } from '../helpers/api.js'
import { buildTestApp, TEST_BUILD_INFO } from '../helpers/app.js'
import { startFakeLaaffic } from '../helpers/fake-laaffic.js'
import { attr, parseHtml, select, selectOne, textOf } from '../helpers/html.js'
import { accountsInEveryState, MAX_STALENESS_MS, NOW } from '../helpers/status-accounts.js'

t.test('the JSON holds what the page shows, in the same order, absent values as null', async (t) => {
  const report = statusReport(accountsInEveryState().all(), NOW, MAX_STALENESS_MS)
  const json = accountsJson(report, '1.2.3')
  t.same({ ...json, accounts: undefined }, {
    version: '1.2.3',
    time: '2025-03-14T09:26:40.000Z',
    summary: { total: 11, critical: 2, stale: 1, failing: 6, low: 2, pending: 1, ok: 2 },
    reload: { refused: false },
    accounts: undefined,
  })
  const page = parseHtml(renderStatusPage(report, { version: '1.2.3', refreshSeconds: 30, telemetryPath: '/metrics' })).document
  t.same(json.accounts.map((a) => a.name), select(page, 'tbody tr').map((row) => textOf(select(row, 'td')[0]!).replace(/ (onbuka|itniotech)$/, '')), 'the page\'s order')
  t.same(json.accounts.map((a) => a.conditions), select(page, 'tbody tr').map((row) => select(select(row, 'td')[1]!, '.badge').map(textOf)), 'the page\'s states')
  t.same(json.accounts.map((a) => a.state), json.accounts.map((a) => a.conditions[0]), 'the state is the most urgent condition')

  const byName = new Map(json.accounts.map((a) => [a.name, a]))
  t.same(byName.get('failing_backoff'), {
    name: 'failing_backoff',
    state: 'failing',
    conditions: ['failing'],
    provider: 'laaffic',
    currency: '',
    up: false,
    balance: null,
    gift: null,
    credit: null,
    balanceWarning: 100,
    balanceCritical: 20,
    lastSuccess: null,
    lastError: { status: '-1', reason: 'authentication error', hint: 'authentication failed: check the API key and secret', time: '2025-03-14T09:25:10.000Z' },
    nextPoll: '2025-03-14T09:34:40.000Z',
    backoff: true,
    spentSinceStart: null,
    toppedUpSinceStart: null,
    topupsSinceStart: null,
    lastTopup: null,
  })
  t.same(byName.get('stale'), {
    name: 'stale',
    state: 'stale',
    conditions: ['stale', 'failing'],
    provider: 'laaffic',
    currency: '',
    up: false,
    balance: 700,
    gift: 5,
    credit: 0,
    balanceWarning: 100,
    balanceCritical: 20,
    lastSuccess: '2025-03-14T09:06:40.000Z',
    lastError: {
      status: 'network', reason: 'ECONNREFUSED', hint: 'the API could not be reached: check DNS, proxy, firewall and the base URL', time: '2025-03-14T09:25:50.000Z',
    },
    nextPoll: '2025-03-14T09:26:50.000Z',
    backoff: false,
    spentSinceStart: 0,
    toppedUpSinceStart: 0,
    topupsSinceStart: 0,
    lastTopup: null,
  })
  t.same(byName.get('low'), {
    name: 'low',
    state: 'low',
    conditions: ['low'],
    provider: 'onbuka',
    currency: 'EUR',
    up: true,
    balance: 64.25,
    gift: null,
    credit: null,
    balanceWarning: 100,
    balanceCritical: 20,
    lastSuccess: '2025-03-14T09:26:10.000Z',
    lastError: null,
    nextPoll: '2025-03-14T09:27:10.000Z',
    backoff: false,
    spentSinceStart: 1000,
    toppedUpSinceStart: 0,
    topupsSinceStart: 0,
    lastTopup: null,
  })
  t.match(byName.get('ok'), { currency: 'USD', balance: 1520.5, spentSinceStart: 12.25, toppedUpSinceStart: 500, topupsSinceStart: 1, lastTopup: { amount: 500, time: '2025-03-14T09:26:20.000Z' } })
  t.match(byName.get('low_failing'), { state: 'failing', conditions: ['failing', 'low'], currency: 'JPY', balance: 50 })
  t.same(byName.get('pending'), {
    name: 'pending',
    state: 'pending',
    conditions: ['pending'],
    provider: 'laaffic',
    currency: '',
    up: null,
    balance: null,
    gift: null,
    credit: null,
    balanceWarning: 100,
    balanceCritical: 20,
    lastSuccess: null,
    lastError: null,
    nextPoll: null,
    backoff: false,
    spentSinceStart: null,
    toppedUpSinceStart: null,
    topupsSinceStart: null,
    lastTopup: null,
  })
})

t.test('/api/v1/accounts and / through the app: from the poller\'s state, no key or secret, never cached', async (t) => {
  const main = account('main')
  const locked = account('locked', { balanceWarning: 2000, balanceCritical: 500 })
  const api = await startFakeLaaffic([main, locked])
  t.teardown(api.close)
  api.reply(main, { body: okBody('1500.5', '20', '0') })
  api.reply(locked, { body: statusBody('-13', 'user locked') })
  const { app, firstPolls } = await buildTestApp(t, {
    accounts: [{ ...main, baseUrl: api.baseUrl }, { ...locked, baseUrl: api.baseUrl }],
  }, () => 1_700_000_000_000)
  await firstPolls()

  const response = await app.inject('/api/v1/accounts')
  t.equal(response.statusCode, 200)
  t.equal(response.headers['content-type'], 'application/json; charset=utf-8')
  t.equal(response.headers['cache-control'], 'no-store')
  t.same(response.json(), {
    version: TEST_BUILD_INFO.version,
    time: '2023-11-14T22:13:20.000Z',
    summary: { total: 2, critical: 0, stale: 0, failing: 1, low: 0, pending: 0, ok: 1 },
    reload: { refused: false },
    accounts: [
      {
        name: 'locked',
        state: 'failing',
        conditions: ['failing'],
        provider: 'laaffic',
        currency: '',
        up: false,
        balance: null,
        gift: null,
        credit: null,
        balanceWarning: 2000,
        balanceCritical: 500,
        lastSuccess: null,
        lastError: { status: '-13', reason: 'user locked', hint: 'the account is locked: contact the provider', time: '2023-11-14T22:13:20.000Z' },
        // -13 backs off: twice the 60 s interval.
        nextPoll: '2023-11-14T22:15:20.000Z',
        backoff: true,
        spentSinceStart: null,
        toppedUpSinceStart: null,
        topupsSinceStart: null,
        lastTopup: null,
      },
      {
        name: 'main',
        state: 'ok',
        conditions: ['ok'],
        provider: 'laaffic',
        currency: '',
        up: true,
        balance: 1500.5,
        gift: 20,
        credit: 0,
        balanceWarning: 100,
        balanceCritical: 20,
        lastSuccess: '2023-11-14T22:13:20.000Z',
        lastError: null,
        nextPoll: '2023-11-14T22:14:20.000Z',
        backoff: false,
        spentSinceStart: 0,
        toppedUpSinceStart: 0,
        topupsSinceStart: 0,
        lastTopup: null,
      },
    ],
  })

  const page = await app.inject('/')
  t.equal(page.statusCode, 200)
  t.equal(page.headers['content-type'], 'text/html; charset=utf-8')
  t.equal(page.headers['cache-control'], 'no-store')
  const { document, errors } = parseHtml(page.body)
  t.same(errors, [])
  t.same(select(document, 'tbody tr').map((row) => select(row, 'td').slice(0, 3).map(textOf)), [['locked', 'failing', '—'], ['main', 'ok', '1,500.50']])
  t.match(textOf(select(document, 'p.meta')[0]!), `Version ${TEST_BUILD_INFO.version} ·`)

  for (const body of [response.body, page.body]) {
    for (const secret of [main.apiKey, locked.apiKey, main.apiSecret, locked.apiSecret, CANARY_SECRET]) t.notMatch(body, secret)
  }
  const head = await app.inject({ method: 'HEAD', url: '/api/v1/accounts' })
  t.same([head.statusCode, head.body], [200, ''], 'HEAD works')
})

t.test('the page reloads at the poll interval, kept between 10 and 60 seconds', async (t) => {
  for (const [pollIntervalSeconds, refresh] of [[1, '10'], [10, '10'], [30, '30'], [60, '60'], [3600, '60']] as const) {
    const app = Fastify()
    t.teardown(async () => { await app.close() })
    registerStatusRoutes(app, { states: accountsInEveryState(), now: () => NOW, maxStalenessMs: MAX_STALENESS_MS, pollIntervalSeconds, version: '1', telemetryPath: '/metrics' })
    const { document } = parseHtml((await app.inject('/')).body)
    t.equal(attr(selectOne(document, 'meta[http-equiv=refresh]'), 'content'), refresh, `every ${pollIntervalSeconds} s`)
  }
})
