// An exporter serving a web configuration on a real socket, and a client that says what it got: an answer, or
// `refused` when the server ends the connection (a handshake or client certificate refused) instead of answering.
import type { Test } from 'tap'
import { readFileSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { request as httpsRequest, type RequestOptions } from 'node:https'
import type { AddressInfo } from 'node:net'
import type { TLSSocket } from 'node:tls'
import { buildApp } from '../../src/app.js'
import type { WebConfig } from '../../src/config/types.js'
import { account, okBody } from './api.js'
import { testConfig } from './config.js'
import { startFakeLaaffic } from './fake-laaffic.js'
import { captureLogs } from './logs.js'
import { ManualScheduler } from './manual-scheduler.js'

export const pem = (name: string): string => readFileSync(new URL(`../fixtures/tls/${name}`, import.meta.url), 'utf8')
export const SERVER = { cert: pem('server.crt'), key: pem('server.key') }
/** Signed by ca.crt; SANs DNS:prometheus and URI:spiffe://laaffic.test/prometheus. */
export const CLIENT = { cert: pem('client.crt'), key: pem('client.key') }
/** Signed by another CA. */
export const ROGUE = { cert: pem('rogue.crt'), key: pem('rogue.key') }
export const CA = pem('ca.crt')

/** The app with this web configuration, listening on a loopback port; closed at the end of `t`. */
export async function serving (t: Test, web: WebConfig): Promise<number> {
  const main = account('main')
  const api = await startFakeLaaffic([main])
  t.teardown(api.close)
  api.reply(main, { body: okBody() })
  const app = buildApp({ config: testConfig({ accounts: [{ ...main, baseUrl: api.baseUrl }], web }), logger: captureLogs('warn').logger, scheduler: new ManualScheduler().schedule })
  t.teardown(() => app.close())
  await app.listen({ host: '127.0.0.1', port: 0 })
  return (app.server.address() as AddressInfo).port
}

export interface Answer { status: number, headers: Record<string, unknown>, body: string, cipher?: string }

/** GET over HTTPS trusting the test CA (or over HTTP with `plain`), on a fresh connection. */
export async function get (port: number, path: string, options: RequestOptions & { plain?: boolean } = {}): Promise<Answer | 'refused'> {
  const { plain, ...rest } = options
  const send = plain === true ? httpRequest : httpsRequest
  return await new Promise((resolve) => {
    const req = send({ host: '127.0.0.1', port, path, ca: CA, agent: false, ...rest }, (res) => {
      let body = ''
      const cipher = (res.socket as Partial<TLSSocket>).getCipher?.().name
      res.setEncoding('utf8').on('data', (chunk: string) => { body += chunk })
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, headers: res.headers, body, ...(cipher !== undefined && { cipher }) }) })
      res.on('error', () => { resolve('refused') })
    })
    req.on('error', () => { resolve('refused') })
    req.end()
  })
}

/** The status of GET /healthz, or `refused`. */
export const statusOf = async (port: number, options: RequestOptions & { plain?: boolean } = {}): Promise<number | 'refused'> => {
  const answer = await get(port, '/healthz', options)
  return answer === 'refused' ? answer : answer.status
}
