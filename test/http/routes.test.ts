// The probe paths (ours and Prometheus' /-/healthy and /-/ready) and the telemetry path (WEB_TELEMETRY_PATH),
// through the whole app: what a probe, a scraper and a browser get.
import t, { type Test } from 'tap'
import { OWN_PATHS } from '../../src/config/telemetry-path.js'
import type { Config } from '../../src/config/types.js'
import { account, okBody } from '../helpers/api.js'
import { buildTestApp, sample } from '../helpers/app.js'
import { startFakeLaaffic } from '../helpers/fake-laaffic.js'
import { waitFor } from '../helpers/wait.js'

const TOKEN = 'CANARY-bearer-1f3e'

/** An app polling one account of a fake API that answers only when `release` is called. */
async function appWith (t: Test, config: Partial<Config> = {}) {
  const main = account('main')
  const api = await startFakeLaaffic([main])
  t.teardown(api.close)
  let release = (): void => {}
  const held = new Promise<void>((resolve) => { release = resolve })
  api.reply(main, (_req, res) => { void held.then(() => res.writeHead(200, { 'content-type': 'application/json' }).end(okBody())) })
  const built = await buildTestApp(t, { accounts: [{ ...main, baseUrl: api.baseUrl }], ...config })
  await waitFor(() => api.seen.length === 1, 'the first poll to reach the API')
  return { ...built, release }
}

t.test('/-/healthy and /-/ready answer as /healthz and /readyz do, before and after the first poll', async (t) => {
  const { app, release, firstPolls } = await appWith(t)
  const answer = async (url: string) => {
    const { statusCode, body, headers } = await app.inject(url)
    return { statusCode, body, type: headers['content-type'] }
  }
  const waiting = { statusCode: 503, body: 'waiting for the first poll of: main\n', type: 'text/plain; charset=utf-8' }
  t.same(await answer('/readyz'), waiting, '/readyz: 503 while the first poll runs')
  t.same(await answer('/-/ready'), waiting, '/-/ready: the same')
  const alive = { statusCode: 200, body: 'ok\n', type: 'text/plain; charset=utf-8' }
  t.same(await answer('/healthz'), alive, '/healthz: 200')
  t.same(await answer('/-/healthy'), alive, '/-/healthy: the same')

  release()
  await firstPolls()
  const ready = { statusCode: 200, body: 'ready\n', type: 'text/plain; charset=utf-8' }
  t.same(await answer('/readyz'), ready, '/readyz: 200 once the poll answered')
  t.same(await answer('/-/ready'), ready, '/-/ready: the same')
})

t.test('with a bearer token required, the four probe paths stay open and the rest asks for it', async (t) => {
  const { app, release, firstPolls } = await appWith(t, { web: { auth: { type: 'bearer', token: TOKEN } } })
  release()
  await firstPolls()
  for (const url of ['/healthz', '/-/healthy', '/readyz', '/-/ready']) t.equal((await app.inject(url)).statusCode, 200, `${url} without a token`)
  for (const url of ['/metrics', '/', '/-/healthy/x', '/metrics?x=/-/healthy']) t.equal((await app.inject(url)).statusCode, 401, `${url} without a token: 401`)
})

t.test('WEB_TELEMETRY_PATH moves the metrics, and the status page links there', async (t) => {
  const { app, release, firstPolls } = await appWith(t, { telemetryPath: '/probe/metrics' })
  release()
  await firstPolls()
  const moved = await app.inject('/probe/metrics')
  t.equal(moved.statusCode, 200, '/probe/metrics: 200')
  t.equal(sample(moved.body, 'laaffic_up{account="main"}'), 1, 'with the account\'s samples')
  t.equal((await app.inject('/metrics')).statusCode, 404, '/metrics: 404')
  const page = (await app.inject('/')).body
  t.match(page, '<a href="/probe/metrics">/probe/metrics</a>', 'the status page links to the new path')
  t.notMatch(page, 'href="/metrics"', 'and not to /metrics')
})

t.test('the paths a telemetry path may not take are exactly the app\'s other routes', async (t) => {
  const { app, release } = await appWith(t, { lifecycle: true })
  release()
  // printRoutes draws a tree: `/` at the root, each other route below it as its path without the first /.
  const served = app.printRoutes({ commonPrefix: false }).split('\n')
    .map((line) => /([^\s─│└├]\S*) \(/.exec(line)?.[1]).filter((path): path is string => path !== undefined)
    .map((path) => path.startsWith('/') ? path : `/${path}`)
  t.ok(served.includes('/metrics'), `the tree read as paths (${served.join(' ')})`)
  t.same([...new Set(served)].filter((path) => path !== '/metrics').sort(), [...OWN_PATHS].sort(), 'OWN_PATHS lists every other route')
})
