// The status page in a real browser: Debian's headless Chromium loads it from the app (polling a fake API,
// with accounts in every state) and takes a screenshot; its DOM must hold what the page says.
// UPDATE_SCREENSHOT=1 also writes the screenshot to docs/status-page.png, the README's picture.
import t from 'tap'
import { copyFileSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { runProgram } from '../../scripts/lib/program.js'
import type { AccountConfig } from '../../src/config/types.js'
import { account, okBody, statusBody } from '../helpers/api.js'
import { buildTestApp } from '../helpers/app.js'
import { hang, startFakeLaaffic, type FakeReply } from '../helpers/fake-laaffic.js'
import { parseHtml, select, textOf } from '../helpers/html.js'
import { requireProgram } from '../helpers/programs.js'
import { waitFor } from '../helpers/wait.js'

const WIDTH = 1280
const HEIGHT = 530
const DOCS_PNG = new URL('../../docs/status-page.png', import.meta.url)

/** The flags that work in a container as root, with nothing reached outside loopback. */
const chromiumArgs = (profile: string): string[] => [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`,
]

/** Each account's name, thresholds and what the fake API answers, round after round (the last repeats). */
const ACCOUNTS: Array<[AccountConfig, FakeReply[], string]> = [
  [account('otp', { balanceWarning: 200, balanceCritical: 50 }), [{ body: okBody('1520.5', '50', '0') }], 'ok'],
  [account('marketing', { balanceWarning: 2000, balanceCritical: 500 }), [{ body: okBody('1240', '20', '50') }], 'low'],
  [account('alerts-eu'), [{ body: okBody('8.75', '0', '0') }], 'critical'],
  [account('newsletter'), [{ body: okBody('310', '0', '0') }, { body: okBody('305', '0', '0') }, { body: statusBody('-18', 'interface exception') }], 'failing'],
  [account('legacy'), [{ body: statusBody('-1', 'authentication error') }], 'failing'],
  [account('archive'), [{ body: okBody('700', '5', '0') }, { status: 503, body: 'unavailable' }], 'stale'],
  [account('support'), [hang], 'pending'],
]

t.test('headless Chromium renders the page with accounts in every state', async (t) => {
  const chromium = requireProgram(t, 'chromium', 'chromium')
  if (chromium === undefined) return
  const dir = t.testdir({ profile: {}, 'dom-profile': {} })

  const configs = ACCOUNTS.map(([config]) => config)
  const api = await startFakeLaaffic(configs)
  t.teardown(api.close)
  for (const [config, replies] of ACCOUNTS) api.reply(config, ...replies)
  let clock = Date.UTC(2025, 2, 14, 9, 0, 0)
  // A long request timeout keeps `support` pending (its answer never comes) while the page is taken.
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
  const png = join(dir, 'status-page.png')
  const shot = await runProgram({
    command: chromium,
    args: [...chromiumArgs(join(dir, 'profile')), `--screenshot=${png}`, `--window-size=${WIDTH},${HEIGHT}`, url],
    env: { HOME: dir },
    timeoutMs: 60_000,
  })
  t.equal(shot.code, 0, 'chromium took the screenshot', { stderr: shot.stderr.slice(-2000) })
  const image = readFileSync(png)
  t.same([...image.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG file')
  t.same([image.readUInt32BE(16), image.readUInt32BE(20)], [WIDTH, HEIGHT], 'of the window\'s size')
  // An empty white page compresses to a few KB; text, badges and table lines do not.
  t.ok(image.length > 20_000, `a page with content (${image.length} bytes)`)
  t.comment(`screenshot: ${png} (${image.length} bytes)`)
  if (process.env.UPDATE_SCREENSHOT === '1') copyFileSync(png, DOCS_PNG)

  // What Chromium built from the page, after parsing it: the rows and their states, attention first.
  const dom = await runProgram({ command: chromium, args: [...chromiumArgs(join(dir, 'dom-profile')), '--dump-dom', url], env: { HOME: dir }, timeoutMs: 60_000 })
  t.equal(dom.code, 0, 'chromium dumped the DOM', { stderr: dom.stderr.slice(-2000) })
  const { document } = parseHtml(dom.stdout)
  const rows = select(document, 'tbody tr').map((row) => select(row, 'td').slice(0, 2).map((cell) => textOf(cell).split(' ')[0]))
  t.same(rows, [
    ['alerts-eu', 'critical'], ['archive', 'stale'], ['legacy', 'failing'], ['newsletter', 'failing'],
    ['marketing', 'low'], ['support', 'pending'], ['otp', 'ok'],
  ])
  t.same(Object.fromEntries(rows), Object.fromEntries(ACCOUNTS.map(([config, , state]) => [config.name, state])), 'each account in the state it was put in')
  t.same(new Set(rows.map(([, state]) => state)), new Set(['critical', 'stale', 'failing', 'low', 'pending', 'ok']), 'every state is shown')
  t.equal(textOf(select(document, 'p.summary')[0]!), '7 accounts: 1 critical 1 stale 2 failing 1 low 1 pending 1 ok')
  const legacy = select(document, 'tbody tr').find((row) => textOf(select(row, 'td')[0] ?? row) === 'legacy')
  t.equal(legacy === undefined ? '' : textOf(select(legacy, 'td')[8] ?? legacy), 'backing off next poll in 7 min', 'legacy backs off after -1')
})
