// /metrics answers gzip to whoever asks for it (Prometheus always does), the same bytes until a poll changes them;
// the status page and its JSON answer gzip to browsers and other clients that ask.
import t from 'tap'
import { request } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gunzipSync } from 'node:zlib'
import Fastify from 'fastify'
import { buildApp } from '../../src/app.js'
import { registerStatusRoutes } from '../../src/http/status-routes.js'
import { account, okBody } from '../helpers/api.js'
import { testConfig } from '../helpers/config.js'
import { startFakeLaaffic } from '../helpers/fake-laaffic.js'
import { captureLogs } from '../helpers/logs.js'
import { ManualScheduler } from '../helpers/manual-scheduler.js'
import { accountsInEveryState, MAX_STALENESS_MS, NOW } from '../helpers/status-accounts.js'
import { waitFor } from '../helpers/wait.js'

interface Raw { headers: Record<string, string | string[] | undefined>, body: Buffer }

async function get (port: number, acceptEncoding?: string, path = '/metrics', method = 'GET'): Promise<Raw> {
  return await new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => { resolve({ headers: res.headers, body: Buffer.concat(chunks) }) })
    })
    req.on('error', reject)
    req.end()
  })
}

t.test('Accept-Encoding: gzip gets the gzip body; no header, identity or gzip;q=0 get the text', async (t) => {
  const main = account('main')
  const api = await startFakeLaaffic([main])
  t.teardown(api.close)
  api.reply(main, { body: okBody('12.5') })
  const scheduler = new ManualScheduler()
  const app = buildApp({ config: testConfig({ accounts: [{ ...main, baseUrl: api.baseUrl }], processMetrics: true }), logger: captureLogs('warn').logger, scheduler: scheduler.schedule })
  t.teardown(() => app.close())
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as AddressInfo
  await waitFor(() => scheduler.pending.length === 1, 'the first poll')

  const zipped = await get(port, 'gzip')
  t.equal(zipped.headers['content-encoding'], 'gzip')
  t.equal(zipped.headers.vary, 'Accept-Encoding')
  t.equal(Number(zipped.headers['content-length']), zipped.body.length, 'the compressed length')
  const text = gunzipSync(zipped.body).toString('utf8')
  t.match(text, /^laaffic_balance\{account="main"\} 12\.5$/m)
  t.ok(zipped.body.length < text.length / 2, `compressed: ${zipped.body.length} of ${text.length} bytes`)

  for (const header of [undefined, 'identity', 'gzip;q=0', 'br']) {
    const plain = await get(port, header)
    t.equal(plain.headers['content-encoding'], undefined, `${String(header)}: no encoding`)
    t.match(plain.body.toString('utf8'), /^laaffic_balance\{account="main"\} 12\.5$/m)
  }
  t.equal(gunzipSync((await get(port, 'deflate, gzip;q=0.8')).body).toString('utf8').includes('laaffic_up'), true, 'gzip among others')
})

t.test('a /metrics body over 1 MiB (1,000 accounts), sent in pieces: whole, with its length, and the same text gzipped', async (t) => {
  const accounts = Array.from({ length: 1000 }, (_, i) => account(`acct-${String(i).padStart(4, '0')}`))
  const api = await startFakeLaaffic(accounts)
  t.teardown(api.close)
  for (const [i, a] of accounts.entries()) api.reply(a, { body: okBody(`${i}.25`) }, { body: okBody(`${i}.5`) })
  const scheduler = new ManualScheduler()
  const app = buildApp({ config: testConfig({ accounts: accounts.map((a) => ({ ...a, baseUrl: api.baseUrl })), processMetrics: true }), logger: captureLogs('warn').logger, scheduler: scheduler.schedule })
  t.teardown(() => app.close())
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as AddressInfo
  await waitFor(() => scheduler.pending.length === 1000, 'the first polls', 60_000)

  const plain = await get(port)
  const text = plain.body.toString('utf8')
  t.ok(plain.body.length > 1024 * 1024, `${plain.body.length} bytes: over the size below which a body is joined into one Buffer`)
  t.equal(Number(plain.headers['content-length']), plain.body.length, 'Content-Length: the bytes sent')
  t.equal(plain.headers['transfer-encoding'], undefined, 'not chunked')
  t.equal(text.match(/^laaffic_balance\{/gm)?.length, 1000, 'every account\'s balance')
  t.match(text, /^laaffic_balance\{account="acct-0999"\} 999\.25$/m)
  t.match(text, /\n\n# HELP laaffic_exporter_build_info [^\n]*\n[\s\S]*\nprocess_cpu_user_seconds_total /, 'the account families, then the exporter\'s, then the process ones')
  const zipped = await get(port, 'gzip')
  t.equal(gunzipSync(zipped.body).toString('utf8').replace(/^(process|nodejs)_.*$/gm, ''), text.replace(/^(process|nodejs)_.*$/gm, ''), 'gzip: the same text (process samples aside, collected again)')
  const head = await get(port, undefined, '/metrics', 'HEAD')
  t.ok(Number(head.headers['content-length']) > 1024 * 1024, 'HEAD: the length')
  t.equal(head.body.length, 0, 'HEAD: no body')

  scheduler.runAll()
  await waitFor(() => scheduler.pending.length === 1000, 'the second polls', 60_000)
  const after = (await get(port)).body.toString('utf8')
  t.match(after, /^laaffic_balance\{account="acct-0999"\} 999\.5$/m, 'a change shows in the next body')
  t.notMatch(after, /\} 999\.25$/m)
})

t.test('the status page and /api/v1/accounts: gzip when asked, the same document either way', async (t) => {
  const app = Fastify()
  registerStatusRoutes(app, { states: accountsInEveryState(), now: () => NOW, maxStalenessMs: MAX_STALENESS_MS, pollIntervalSeconds: 30, version: '1.2.3', telemetryPath: '/metrics' })
  t.teardown(() => app.close())
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as AddressInfo

  for (const [path, type, marker] of [['/', 'text/html; charset=utf-8', '<table'], ['/api/v1/accounts', 'application/json; charset=utf-8', '"failing_backoff"']] as const) {
    const plain = await get(port, undefined, path)
    t.equal(plain.headers['content-encoding'], undefined, `${path} without Accept-Encoding: not encoded`)
    t.ok(plain.body.includes(marker), `${path}: the document`)
    const zipped = await get(port, 'gzip, deflate, br, zstd', path)
    t.match(zipped.headers, { 'content-encoding': 'gzip', vary: 'Accept-Encoding', 'content-type': type, 'cache-control': 'no-store' }, `${path}: a browser's Accept-Encoding gets gzip`)
    t.equal(Number(zipped.headers['content-length']), zipped.body.length, `${path}: the compressed length`)
    t.equal(gunzipSync(zipped.body).toString('utf8'), plain.body.toString('utf8'), `${path}: the same document`)
    t.ok(zipped.body.length < plain.body.length / 3, `${path}: ${zipped.body.length} of ${plain.body.length} bytes`)
    t.equal((await get(port, 'gzip;q=0', path)).headers['content-encoding'], undefined, `${path}: gzip;q=0 is refused gzip`)
  }
})
