// The status page in a real browser: Debian's headless Chromium, driven through the DevTools protocol, loads
// it from the app (polling a fake API, with accounts in every state, two of them in two at once) as the
// exporter serves it, security headers included. At a desktop width, 1024 px and 480 px (a phone) nothing may
// stick out sideways; the DOM Chromium built must hold what the page says.
import t from 'tap'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { launchChromium, type Browser } from '../../scripts/lib/devtools.js'
import type { AccountConfig } from '../../src/config/types.js'
import { account, okBody, statusBody } from '../helpers/api.js'
import { buildTestApp } from '../helpers/app.js'
import { hang, startFakeLaaffic, type FakeReply } from '../helpers/fake-laaffic.js'
import { parseHtml, select, selectOne, textOf } from '../helpers/html.js'
import { requireProgram } from '../helpers/programs.js'
import { waitFor } from '../helpers/wait.js'

/** Each account's name, thresholds and what the fake API answers, round after round (the last repeats), and its states. */
const ACCOUNTS: Array<[AccountConfig, FakeReply[], string]> = [
  [account('otp', { balanceWarning: 200, balanceCritical: 50, currency: 'USD' }),
    [{ body: okBody('1520.5', '50', '0') }, { body: okBody('1498.25', '50', '0') }, { body: okBody('11998.25', '50', '0') }], 'ok'],
  [account('marketing', { balanceWarning: 2000, balanceCritical: 500, currency: 'EUR' }), [{ body: okBody('1240', '20', '50') }], 'low'],
  [account('alerts-eu'), [{ body: okBody('8.75', '0', '0') }], 'critical'],
  [account('newsletter'), [{ body: okBody('310', '0', '0') }, { body: okBody('305', '0', '0') }, { body: statusBody('-18', 'interface exception') }], 'failing'],
  [account('campaigns', { balanceWarning: 1000, balanceCritical: 100, currency: 'JPY' }),
    [{ body: okBody('980', '0', '0') }, { body: okBody('950', '0', '0') }, { body: statusBody('-18', 'interface exception') }], 'failing low'],
  [account('legacy'), [{ body: statusBody('-1', 'authentication error') }], 'failing'],
  [account('archive'), [{ body: okBody('700', '5', '0') }, { status: 503, body: 'unavailable' }], 'stale failing'],
  [account('support'), [hang], 'pending'],
]

/**
 * How far the page is wider than the window's viewport (0 when it fits: no sideways scrolling), and which
 * visible elements stick out past its right edge (the header row, hidden on a narrow screen, aside).
 */
async function overflow (browser: Browser): Promise<{ scroll: number, wider: string[] }> {
  return await browser.evaluate(`({
    scroll: Math.max(0, document.documentElement.scrollWidth - document.documentElement.clientWidth),
    wider: [...document.querySelectorAll('body *')].filter((e) => !e.closest('thead') && e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
      .map((e) => e.tagName + ' ' + (e.textContent || '').slice(0, 30)),
  })`)
}

t.test('headless Chromium renders the page with accounts in every state, on a desktop and on a phone', async (t) => {
  const chromium = requireProgram(t, 'chromium', 'chromium')
  if (chromium === undefined) return
  const dir = t.testdir({ profile: {} })

  const configs = ACCOUNTS.map(([config]) => config)
  const api = await startFakeLaaffic(configs)
  t.teardown(api.close)
  for (const [config, replies] of ACCOUNTS) api.reply(config, ...replies)
  let clock = Date.UTC(2025, 2, 14, 9, 0, 0)
  // A long request timeout keeps `support` pending (its answer never comes) while the page is read.
  const { app, scheduler } = await buildTestApp(t, { accounts: configs.map((c) => ({ ...c, baseUrl: api.baseUrl })), requestTimeoutSeconds: 60 }, () => clock)
  const polled = configs.length - 1
  await waitFor(() => scheduler.pending.length === polled, 'the first polls (support hangs)')
  // 20 minutes on, archive fails and goes stale (LAAFFIC_MAX_STALENESS is 15 minutes); a minute later newsletter fails.
  for (const stepMs of [20 * 60_000, 60_000]) {
    clock += stepMs
    scheduler.runAll()
    await waitFor(() => scheduler.pending.length === polled, 'the next polls')
  }
  clock += 35_000
  await app.listen({ host: '127.0.0.1', port: 0 })
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/`

  const browser = await launchChromium(chromium, join(dir, 'profile'), dir)
  t.teardown(() => browser.close())

  await browser.resize(1280, 800)
  await browser.open(url)
  const { document } = parseHtml(await browser.evaluate<string>('document.documentElement.outerHTML'))
  const rows = select(document, 'tbody tr').map((row) => [textOf(select(row, 'td')[0]!), textOf(select(row, 'td')[1]!)])
  t.same(rows, [
    ['alerts-eu', 'critical'], ['archive', 'stale failing'], ['campaigns', 'failing low'], ['legacy', 'failing'], ['newsletter', 'failing'],
    ['marketing', 'low'], ['support', 'pending'], ['otp', 'ok'],
  ], 'each account in the states it was put in, attention first')
  t.same(Object.fromEntries(rows), Object.fromEntries(ACCOUNTS.map(([config, , states]) => [config.name, states])))
  t.equal(textOf(selectOne(document, 'p.summary')), '8 accounts: 1 critical 1 stale 4 failing 2 low 1 pending 1 ok', 'every condition counted')
  const otp = select(document, 'tbody tr').find((row) => textOf(select(row, 'td')[0]!) === 'otp')!
  t.same(select(otp, 'td').slice(2, 7).map(textOf), ['11,998.25 USD', '50.00 USD / 0.00 USD', '200.00 USD / 50.00 USD', '22.25 USD', '+10,500.00 USD 35 s ago'],
    'amounts with their currency, spent since start and the last top-up')
  const legacy = select(document, 'tbody tr').find((row) => textOf(select(row, 'td')[0]!) === 'legacy')!
  t.equal(textOf(select(legacy, 'td')[9]!), 'backing off next poll in 7 min', 'legacy backs off after -1')

  // The Content-Security-Policy lets the page's own style sheet apply: a blocked one would leave the badge unstyled.
  t.equal(await browser.evaluate('getComputedStyle(document.querySelector(".badge.critical")).backgroundColor'), 'rgb(207, 34, 46)', 'the style applies under the CSP')
  t.same(await overflow(browser), { scroll: 0, wider: [] }, 'at 1280 px: nothing sticks out')

  // A tablet gets the cards side by side; a phone one under the other.
  await browser.resize(1024, 768, true)
  await browser.open(url)
  t.same(await overflow(browser), { scroll: 0, wider: [] }, 'at 1024 px: the cards fit')
  await browser.resize(480, 900, true)
  await browser.open(url)
  t.same(await browser.evaluate('[window.innerWidth, document.documentElement.scrollWidth]'), [480, 480], 'a 480 px window, and a page as wide')
  t.same(await overflow(browser), { scroll: 0, wider: [] }, 'at 480 px: no sideways scrolling, nothing cut off')
  const labels = await browser.evaluate<string[]>('[...document.querySelector("tbody tr").cells].map((td) => getComputedStyle(td, "::before").content)')
  t.same(labels, ['none', ...['state', 'balance', 'gift / credit', 'warning / critical', 'spent since start', 'last top-up', 'last success', 'last error', 'polling'].map((l) => `"${l}"`)],
    'each line of a stacked row says which column it is')
  const png = await browser.screenshot(true)
  t.same([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG of the phone-sized page')
  t.equal(png.readUInt32BE(16), 480, 'as wide as the window')
})
