// scripts/lib/simulator-control.ts against the simulator app on a loopback port: each call reaches its
// route, and an answer other than the route's success status is an error naming the call.
import t from 'tap'
import type { AddressInfo } from 'node:net'
import { SimulatorControl } from '../../scripts/lib/simulator-control.js'
import { createLogger } from '../../src/logger.js'
import { buildSimulator } from '../../src/simulator/app.js'

const app = buildSimulator({
  accounts: [{ name: 'main', apiKey: 'key-main', apiSecret: 'secret-main', balance: 10, gift: 1, credit: 0 }],
  logger: createLogger('silent'),
  timestampWindowSeconds: 1800,
})
await app.listen({ host: '127.0.0.1', port: 0 })
const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
const control = new SimulatorControl(url)
t.teardown(async () => { control.close(); await app.close() })

t.test('accounts, figures and faults', async (t) => {
  t.match(await control.accounts(), [{ name: 'main', balance: 10, gift: 1, fault: null }])
  t.match(await control.patchAccount('main', { balance: 25.5, spendPerHour: 0 }), { name: 'main', balance: 25.5 })
  await control.setFault('main', { type: 'status', status: '-13', count: 2 })
  t.same((await control.account('main')).fault, { type: 'status', status: '-13', count: 2 })
  await control.clearFault('main')
  t.equal((await control.account('main')).fault, null)
})

t.test('the request log and the clock', async (t) => {
  await fetch(`${url}/v3/getBalance`) // unsigned: logged under no account
  t.match(await control.requests(), [{ account: null, signatureValid: false }])
  t.same(await control.requests('main'), [], 'only the account asked for')
  await control.clearRequests()
  t.same(await control.requests(), [], 'cleared')
  const offset = async (): Promise<unknown> => ((await (await fetch(`${url}/__sim/clock`)).json()) as { offsetSeconds: number }).offsetSeconds
  await control.setClock(3600)
  t.equal(await offset(), 3600)
  await control.setClock(0)
  t.equal(await offset(), 0)
})

t.test('an unknown account is an error naming the call and the answer', async (t) => {
  await t.rejects(control.patchAccount('nobody', { balance: 1 }), /PATCH \/__sim\/accounts\/nobody: HTTP 404 .*no such account/)
  await t.rejects(control.clearFault('nobody'), /DELETE \/__sim\/accounts\/nobody\/fault: HTTP 404/)
})
