// What the status page is sent with: a Content-Security-Policy that allows exactly its own inline style,
// nosniff and no framing, replaced by the web config's headers when they name the same header; and the
// banner of a refused reload, driven through the app's own reload.
import t, { type Test } from 'tap'
import { createHash } from 'node:crypto'
import { buildApp } from '../../src/app.js'
import { ConfigError, type Config } from '../../src/config/types.js'
import { account, CANARY_SECRET, okBody } from '../helpers/api.js'
import { testConfig } from '../helpers/config.js'
import { startFakeLaaffic } from '../helpers/fake-laaffic.js'
import { parseHtml, select, selectOne, textOf } from '../helpers/html.js'
import { captureLogs } from '../helpers/logs.js'
import { ManualScheduler } from '../helpers/manual-scheduler.js'

const START = Date.UTC(2025, 2, 14, 9, 0, 0)

/** An app polling a fake API whose reload reads `next.config` (or throws `next.problems`). */
async function pageApp (t: Test, web: Config['web'] = {}) {
  const main = account('main')
  const api = await startFakeLaaffic([main])
  t.teardown(api.close)
  api.reply(main, { body: okBody('1520.5') })
  const config = testConfig({ accounts: [{ ...main, baseUrl: api.baseUrl }], web })
  const next: { problems?: string[] } = {}
  let clock = START
  const app = buildApp({
    config,
    logger: captureLogs('debug').logger,
    now: () => clock,
    scheduler: new ManualScheduler().schedule,
    loadConfig: () => {
      if (next.problems !== undefined) throw new ConfigError(next.problems)
      return config
    },
  })
  t.teardown(() => app.close())
  await app.ready()
  return { app, next, tick: (ms: number) => { clock += ms } }
}

/** The CSP's directives by name. */
const directives = (policy: unknown): Record<string, string> =>
  Object.fromEntries(String(policy).split(';').map((d) => d.trim().split(/\s+/)).map(([name = '', ...values]) => [name, values.join(' ')]))

t.test('the page allows only its own inline style, by hash; no script, no framing, no sniffing', async (t) => {
  const { app } = await pageApp(t)
  const page = await app.inject('/')
  t.equal(page.statusCode, 200)
  t.equal(page.headers['x-content-type-options'], 'nosniff')
  const csp = directives(page.headers['content-security-policy'])
  t.same(Object.keys(csp), ['default-src', 'style-src', 'base-uri', 'form-action', 'frame-ancestors'])
  t.match(csp, { 'default-src': '\'none\'', 'base-uri': '\'none\'', 'form-action': '\'none\'', 'frame-ancestors': '\'none\'' }, 'nothing else may load, and no site may frame it')

  const { document } = parseHtml(page.body)
  t.equal(select(document, 'style').length, 1, 'one inline style sheet')
  const exact = /<style>([\s\S]*?)<\/style>/.exec(page.body)?.[1] ?? ''
  t.equal(csp['style-src'], `'sha256-${createHash('sha256').update(exact).digest('base64')}'`, 'the policy allows exactly the page\'s style sheet')
  t.same(select(document, 'script'), [], 'no script: script-src falls back to default-src \'none\'')
  t.same(select(document, '[style]'), [], 'no style attribute (the hash does not cover one)')

  const json = await app.inject('/api/v1/accounts')
  t.equal(json.headers['x-content-type-options'], 'nosniff')
  t.same(directives(json.headers['content-security-policy']), { 'default-src': '\'none\'', 'frame-ancestors': '\'none\'' })
})

t.test('the web config\'s headers replace the page\'s own', async (t) => {
  const policy = 'default-src \'self\'; frame-ancestors \'self\''
  const { app } = await pageApp(t, { headers: { 'Content-Security-Policy': policy, 'X-Frame-Options': 'sameorigin' } })
  for (const url of ['/', '/api/v1/accounts']) {
    const answer = await app.inject(url)
    t.equal(answer.headers['content-security-policy'], policy, `${url}: the configured policy, not the default`)
    t.equal(answer.headers['x-frame-options'], 'sameorigin')
    t.equal(answer.headers['x-content-type-options'], 'nosniff', `${url}: a header it does not name stays`)
  }
})

t.test('a refused reload shows as a banner until a reload succeeds; the problems are counted, never quoted', async (t) => {
  const { app, next, tick } = await pageApp(t)
  const banner = async (): Promise<string[]> => select(parseHtml((await app.inject('/')).body).document, '.banner').map(textOf)
  t.same(await banner(), [], 'no banner after the start')

  next.problems = [`LAAFFIC_ACCOUNTS_FILE: accounts[0].apiSecret "${CANARY_SECRET}" is not a string`, 'LAAFFIC_CURRENCY: "EURO" is not an ISO 4217 code']
  t.match(await app.reloadConfig('SIGHUP'), { ok: false })
  tick(90_000)
  const page = (await app.inject('/')).body
  t.same(await banner(), ['The last configuration reload was refused 1 min ago (2 problems; the exporter\'s log names them): the previous configuration is still running.'])
  t.equal(textOf(selectOne(parseHtml(page).document, '.banner time')), '1 min ago')
  const json = await app.inject('/api/v1/accounts')
  t.same(json.json<{ reload: unknown }>().reload, { refused: true, time: '2025-03-14T09:00:00.000Z', problems: 2 })
  for (const body of [page, json.body]) {
    t.notMatch(body, CANARY_SECRET, 'no secret')
    t.notMatch(body, 'ISO 4217 code', 'no problem text')
  }

  next.problems = undefined
  t.same(await app.reloadConfig('HTTP'), { ok: true })
  t.same(await banner(), [], 'gone once a reload succeeded')
  t.same((await app.inject('/api/v1/accounts')).json<{ reload: unknown }>().reload, { refused: false })
})
