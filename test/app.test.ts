import t from 'tap'
import { readFileSync, writeFileSync } from 'node:fs'
import type { IncomingMessage } from 'node:http'
import { account, CANARY_SECRET, okBody, statusBody } from './helpers/api.js'
import { buildTestApp, sample } from './helpers/app.js'
import { hang, startFakeLaaffic, type FakeReply } from './helpers/fake-laaffic.js'
import { parseHtml, select, selectOne, textOf } from './helpers/html.js'
import { waitFor } from './helpers/wait.js'

const GOLDEN = new URL('./fixtures/metrics.golden.prom', import.meta.url)

t.test('golden /metrics: one healthy and one locked account', async (t) => {
  const main = account('main')
  const locked = account('locked', { balanceWarning: 500, balanceCritical: 50, provider: 'onbuka', currency: 'EUR' })
  const api = await startFakeLaaffic([main, locked])
  t.teardown(api.close)
  const clock = 1_700_000_000_000
  // The provider's clock runs 42 s ahead (its Date header is truncated to the second: +0.5 s expected).
  const date = { Date: new Date(clock + 42_000).toUTCString() }
  api.reply(main, { body: okBody('99.990000', '50.00000', '0'), headers: date })
  api.reply(locked, { body: statusBody('-13', 'user locked'), headers: date })
  const { scrape, firstPolls } = await buildTestApp(t, {
    accounts: [{ ...main, baseUrl: api.baseUrl }, { ...locked, baseUrl: api.baseUrl }],
  }, () => clock)
  await firstPolls()
  const text = await scrape()
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, text)
  t.equal(text, readFileSync(GOLDEN, 'utf8'), 'matches test/fixtures/metrics.golden.prom byte for byte')
})

t.test('a scrape never waits for the API', async (t) => {
  const main = account('main')
  const api = await startFakeLaaffic([main])
  t.teardown(api.close)
  api.reply(main, hang)
  const { app, scrape } = await buildTestApp(t, { accounts: [{ ...main, baseUrl: api.baseUrl }], requestTimeoutSeconds: 30 })
  await waitFor(() => api.seen.length === 1, 'the poll to reach the hanging API')
  const started = Date.now()
  const text = await scrape()
  t.ok(Date.now() - started < 1000, 'answered while the API hangs')
  t.equal(sample(text, 'laaffic_polls_total{account="main"}'), 1, 'the poll is under way')
  t.equal(sample(text, 'laaffic_up{account="main"}'), undefined, 'no verdict before the first poll ends')
  const ready = await app.inject('/readyz')
  t.equal(ready.statusCode, 503)
  t.equal(ready.body, 'waiting for the first poll of: main\n')
})

t.test('bad answers are counted and never exported; the last good values stay', async (t) => {
  const main = account('main')
  const api = await startFakeLaaffic([main])
  t.teardown(api.close)
  api.reply(main, { body: okBody('10.5', '1', '100') })
  const { scrape, firstPolls, pollAgain } = await buildTestApp(t, { accounts: [{ ...main, baseUrl: api.baseUrl }] })
  await firstPolls()

  const faults: Array<[string, { status?: number, body: string }]> = [
    ['invalid_response', { body: '<html>oops</html>' }],
    ['invalid_response', { body: '{"status":"0","balance":"NaN"}' }],
    ['invalid_response', { body: '{"status":"0","balance":"1e309"}' }],
    ['invalid_response', { body: '{"status":"0","balance":"5","gift":"abc"}' }],
    ['-1', { body: statusBody('-1', 'auth') }],
    ['-2', { body: statusBody('-2', 'ip') }],
    ['-16', { body: statusBody('-16', 'time') }],
    ['-18', { body: statusBody('-18', 'interface') }],
    ['-15', { body: statusBody('-15', 'too frequent') }],
    ['http_404', { status: 404, body: 'not found' }],
    ['http_503', { status: 503, body: 'unavailable' }],
  ]
  for (const [status, reply] of faults) {
    api.reply(main, reply)
    await pollAgain()
    const text = await scrape()
    t.equal(sample(text, 'laaffic_up{account="main"}'), 0, `${status}: up 0`)
    t.equal(sample(text, 'laaffic_balance{account="main"}'), 10.5, `${status}: last good balance kept`)
    t.equal(sample(text, 'laaffic_gift_balance{account="main"}'), 1)
    t.equal(sample(text, 'laaffic_credit_limit{account="main"}'), 100)
    t.ok((sample(text, `laaffic_poll_errors_total{account="main",status="${status}"}`) ?? 0) >= 1, `${status} counted`)
  }
  const text = await scrape()
  t.equal(sample(text, 'laaffic_poll_errors_total{account="main",status="invalid_response"}'), 4)
  t.equal(sample(text, 'laaffic_poll_errors_total{account="main",status="http_503"}'), 1)
  t.equal(sample(text, 'laaffic_polls_total{account="main"}'), 12)
  t.equal(sample(text, 'laaffic_api_requests_total{account="main"}'), 14, '503 retried twice')

  api.reply(main, { body: okBody('8', '0', '100') })
  await pollAgain()
  const recovered = await scrape()
  t.equal(sample(recovered, 'laaffic_up{account="main"}'), 1)
  t.equal(sample(recovered, 'laaffic_balance{account="main"}'), 8)
})

t.test('one account failing never touches another', async (t) => {
  const good = account('good')
  const bad = account('bad')
  const api = await startFakeLaaffic([good, bad])
  t.teardown(api.close)
  api.reply(good, { body: okBody('42') })
  api.reply(bad, (req) => { req.socket.destroy() })
  const { scrape, firstPolls } = await buildTestApp(t, {
    accounts: [{ ...good, baseUrl: api.baseUrl }, { ...bad, baseUrl: api.baseUrl }],
  })
  await firstPolls()
  const text = await scrape()
  t.equal(sample(text, 'laaffic_up{account="good"}'), 1)
  t.equal(sample(text, 'laaffic_balance{account="good"}'), 42)
  t.equal(sample(text, 'laaffic_poll_errors_total{account="good",status="network"}'), 0)
  t.equal(sample(text, 'laaffic_up{account="bad"}'), 0)
  t.equal(sample(text, 'laaffic_balance{account="bad"}'), undefined)
  t.equal(sample(text, 'laaffic_poll_errors_total{account="bad",status="network"}'), 1)
  t.equal(sample(text, 'laaffic_api_requests_total{account="bad"}'), 3)
})

t.test('value series are dropped after LAAFFIC_MAX_STALENESS, or kept with 0', async (t) => {
  for (const maxStalenessSeconds of [900, 0]) {
    const main = account('main')
    const api = await startFakeLaaffic([main])
    t.teardown(api.close)
    api.reply(main, { body: okBody('7') }, { body: statusBody('-18', 'down') })
    let clock = 1_700_000_000_000
    const { scrape, firstPolls, pollAgain } = await buildTestApp(t, { accounts: [{ ...main, baseUrl: api.baseUrl }], maxStalenessSeconds }, () => clock)
    await firstPolls()
    clock += 600_000
    await pollAgain()
    clock += 300_000
    const atLimit = await scrape()
    t.equal(sample(atLimit, 'laaffic_balance{account="main"}'), 7, `${maxStalenessSeconds}: kept at exactly 900 s`)
    clock += 1
    const after = await scrape()
    t.equal(sample(after, 'laaffic_balance{account="main"}'), maxStalenessSeconds === 0 ? 7 : undefined, `${maxStalenessSeconds}: balance after 900 s`)
    t.equal(sample(after, 'laaffic_gift_balance{account="main"}'), maxStalenessSeconds === 0 ? 50 : undefined)
    t.equal(sample(after, 'laaffic_up{account="main"}'), 0, 'up stays')
    t.equal(sample(after, 'laaffic_last_success_timestamp_seconds{account="main"}'), 1_700_000_000, 'last success stays')
  }
})

t.test('the status page, health, readiness and 404', async (t) => {
  const main = account('main')
  const other = account('other<script>')
  const api = await startFakeLaaffic([main, other])
  t.teardown(api.close)
  api.reply(main, { body: okBody() })
  api.reply(other, { body: statusBody('-2', 'IP <b>restricted</b>') })
  const { app, firstPolls } = await buildTestApp(t, {
    accounts: [{ ...main, baseUrl: api.baseUrl }, { ...other, baseUrl: api.baseUrl }],
  }, () => 1_700_000_000_000)
  await firstPolls()

  const page = await app.inject('/')
  t.equal(page.statusCode, 200)
  t.match(page.headers['content-type'], /^text\/html/)
  const { document } = parseHtml(page.body)
  t.match(textOf(selectOne(document, 'p.meta')), 'Version 1.2.3-test ·')
  t.equal(select(document, 'a[href=/metrics]').length, 1, 'links to /metrics')
  // The status page's own tests (test/http/) check every column; here: the states reach it, escaped.
  t.same(select(document, 'tbody tr').map((row) => select(row, 'td').map(textOf).filter((_, i) => [0, 1, 7, 8].includes(i))), [
    ['other<script>', 'failing', 'never', '-2 IP <b>restricted</b>, just now this host\'s IP address is not on the account\'s allow list'],
    ['main', 'low', 'just now', '—'], // okBody's 99.99 is under the default warning, 100
  ])
  t.same(select(document, 'script'), [])
  t.notMatch(page.body, main.apiKey)
  t.notMatch(page.body, CANARY_SECRET)

  t.equal((await app.inject('/healthz')).statusCode, 200)
  const ready = await app.inject('/readyz')
  t.same([ready.statusCode, ready.body], [200, 'ready\n'])
  const missing = await app.inject('/nope')
  t.equal(missing.statusCode, 404)
  t.equal((await app.inject({ method: 'POST', url: '/metrics' })).statusCode, 404)
})

t.test('the secret and Sign values never reach a log, a page or a metric', async (t) => {
  const main = account('main')
  const api = await startFakeLaaffic([main])
  t.teardown(api.close)
  api.reply(main,
    { body: okBody() },
    { body: statusBody('-1', 'authentication error') },
    { body: statusBody('-16', 'time limit') },
    { body: '{"status":"0","balance":"abc"}' },
    // The fake answers per request: a retried poll takes three replies.
    ...Array<FakeReply>(3).fill({ status: 500, body: 'boom' }),
    ...Array<FakeReply>(3).fill((req: IncomingMessage) => { req.socket.destroy() }),
    { body: okBody() },
  )
  const { app, logs, scrape, firstPolls, pollAgain } = await buildTestApp(t, { accounts: [{ ...main, baseUrl: api.baseUrl }] })
  await firstPolls()
  const bodies: string[] = []
  for (let i = 0; i < 6; i++) {
    await pollAgain()
    bodies.push(await scrape(), (await app.inject('/')).body, (await app.inject('/readyz')).body)
  }
  const everything = [...logs.lines, ...bodies].join('\n')
  t.ok(logs.lines.length >= 6, 'there are logs to search')
  t.equal(api.seen.length, 11, 'there are signatures to search for')
  t.ok(api.seen.every((s) => s.signatureValid), 'every request the API received was signed correctly')
  t.notMatch(everything, CANARY_SECRET)
  for (const { sign } of api.seen) t.notMatch(everything, sign)
})

t.test('concurrent scrapes never trigger upstream calls', async (t) => {
  const main = account('main')
  const api = await startFakeLaaffic([main])
  t.teardown(api.close)
  api.reply(main, { body: okBody('5') })
  const { app, firstPolls } = await buildTestApp(t, { accounts: [{ ...main, baseUrl: api.baseUrl }] })
  await firstPolls()
  const before = api.seen.length
  const responses = await Promise.all(Array.from({ length: 100 }, async () => await app.inject('/metrics')))
  t.ok(responses.every((r) => r.statusCode === 200 && r.body.includes('laaffic_balance{account="main"} 5')), '100 scrapes answered')
  t.equal(api.seen.length, before, 'the API saw no request from them')
})

t.test('LAAFFIC_MAX_CONCURRENT_POLLS: no more requests reach the API at once than that', async (t) => {
  const accounts = Array.from({ length: 10 }, (_, i) => account(`acct-${i}`))
  const api = await startFakeLaaffic(accounts)
  t.teardown(api.close)
  // Every request is held open until the test answers it; the most held at once is what the API saw in flight.
  const held: Array<() => void> = []
  let mostAtOnce = 0
  for (const a of accounts) {
    api.reply(a, (_req, res) => {
      held.push(() => res.writeHead(200, { 'content-type': 'application/json' }).end(okBody()))
      mostAtOnce = Math.max(mostAtOnce, held.length)
    })
  }
  const { firstPolls } = await buildTestApp(t, { accounts: accounts.map((a) => ({ ...a, baseUrl: api.baseUrl })), maxConcurrentPolls: 3, requestTimeoutSeconds: 30 })
  await waitFor(() => api.seen.length === 3, 'three polls to reach the API')
  // Answer the oldest one at a time: each answer lets exactly one more poll in, until every account was asked.
  for (let answered = 1; answered <= 7; answered++) {
    held.shift()?.()
    await waitFor(() => api.seen.length === 3 + answered, `poll ${3 + answered} to reach the API`)
  }
  while (held.length > 0) held.shift()?.()
  await firstPolls()
  t.equal(api.seen.length, 10, 'every account polled once')
  t.equal(mostAtOnce, 3, 'never more than three requests open at the API')
})
