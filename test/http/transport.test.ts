import t, { type Test } from 'tap'
import { readFileSync } from 'node:fs'
import { request as httpsRequest } from 'node:https'
import { connect } from 'node:net'
import type { AddressInfo } from 'node:net'
import { Gauge, Registry } from 'prom-client'
import { buildApp } from '../../src/app.js'
import { account, CANARY_SECRET, okBody } from '../helpers/api.js'
import { testConfig } from '../helpers/config.js'
import { startFakeLaaffic } from '../helpers/fake-laaffic.js'
import { captureLogs } from '../helpers/logs.js'
import { ManualScheduler } from '../helpers/manual-scheduler.js'
import { waitFor } from '../helpers/wait.js'

// test/fixtures/tls: a self-signed certificate for 127.0.0.1, made for the tests only.
const cert = readFileSync(new URL('../fixtures/tls/self-signed.crt', import.meta.url), 'utf8')
const key = readFileSync(new URL('../fixtures/tls/self-signed.key', import.meta.url), 'utf8')
const LIMITS = { requestTimeoutMs: 400, idleTimeoutMs: 300, keepAliveTimeoutMs: 300, checkIntervalMs: 50 }

async function listening (t: Test, web = {}, registry?: Registry) {
  const main = account('main')
  const api = await startFakeLaaffic([main])
  t.teardown(api.close)
  api.reply(main, { body: okBody() })
  const logs = captureLogs('debug')
  const app = buildApp({
    config: testConfig({ accounts: [{ ...main, baseUrl: api.baseUrl }], web }),
    logger: logs.logger,
    scheduler: new ManualScheduler().schedule,
    httpLimits: LIMITS,
    ...(registry !== undefined && { registry }),
  })
  t.teardown(() => app.close())
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as AddressInfo
  return { app, port, logs }
}

/** GET over HTTPS trusting only the test certificate (verification stays on). */
async function httpsGet (port: number, options: { maxVersion?: 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3' } = {}): Promise<{ status: number, body: string }> {
  return await new Promise((resolve, reject) => {
    const req = httpsRequest({ host: '127.0.0.1', port, path: '/healthz', ca: cert, ...options }, (res) => {
      let body = ''
      res.setEncoding('utf8').on('data', (chunk: string) => { body += chunk })
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, body }) })
    })
    req.on('error', reject)
    req.end()
  })
}

t.test('TLS_CERT_FILE and TLS_KEY_FILE: HTTPS with TLS 1.2 at least', async (t) => {
  const { port } = await listening(t, { tls: { cert, key } })
  t.same(await httpsGet(port), { status: 200, body: 'ok\n' }, 'a client trusting the certificate is served')
  t.same(await httpsGet(port, { maxVersion: 'TLSv1.2' }), { status: 200, body: 'ok\n' }, 'TLS 1.2 is accepted')
  await t.rejects(httpsGet(port, { maxVersion: 'TLSv1.1' }), 'TLS 1.1 is refused')
  const plain = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status, () => 'refused')
  t.not(plain, 200, 'plain HTTP is not served on the HTTPS port')
})

/** Opens a raw connection, sends `first`, then `drip` every interval; resolves with how long until the server closed it. */
async function closedAfter (port: number, first: string, drip?: string): Promise<number> {
  const started = Date.now()
  const socket = connect(port, '127.0.0.1')
  socket.on('error', () => {})
  socket.write(first)
  const timer = drip === undefined ? undefined : setInterval(() => { if (!socket.destroyed) socket.write(drip) }, 100)
  let closed = false
  socket.on('close', () => { closed = true })
  await waitFor(() => closed, 'the server to close the connection', 5000)
  clearInterval(timer)
  return Date.now() - started
}

t.test('slow clients are cut off', async (t) => {
  const { port } = await listening(t)
  const idle = await closedAfter(port, 'GET /metrics HTTP/1.1\r\nHost: x\r\n')
  t.ok(idle >= 250 && idle < 2000, `a client that stops sending is closed after the idle timeout (${idle} ms)`)
  const trickle = await closedAfter(port, 'GET /metrics HTTP/1.1\r\n', 'X-a: b\r\n')
  t.ok(trickle >= 350 && trickle < 2000, `a client trickling headers is closed after the request timeout (${trickle} ms)`)
})

t.test('error answers carry no internals; the log gets the detail', async (t) => {
  const registry = new Registry()
  new Gauge({ name: 'broken', help: 'throws', registers: [registry], collect () { throw new Error(`internal detail ${CANARY_SECRET} at /srv/x.js:1`) } })
  const { port, logs } = await listening(t, {}, registry)
  const response = await fetch(`http://127.0.0.1:${port}/metrics`)
  t.equal(response.status, 500)
  t.equal(await response.text(), 'Internal Server Error\n')
  t.ok(logs.records.some((r) => r.msg === 'request failed'), 'the failure is logged')

  const tooBig = await fetch(`http://127.0.0.1:${port}/metrics`, { method: 'POST', body: 'x'.repeat(5000) })
  t.equal(tooBig.status, 413, 'a body over 1 KiB is refused before routing')
  t.equal(await tooBig.text(), 'Payload Too Large\n')
  const small = await fetch(`http://127.0.0.1:${port}/metrics`, { method: 'POST', body: 'x' })
  t.equal(small.status, 404, 'no route takes a body')
  const headers = await fetch(`http://127.0.0.1:${port}/nope`)
  t.equal(headers.status, 404)
  t.notMatch(await headers.text(), /at |node_modules|\.js:/, 'no stack in a 404')
})
