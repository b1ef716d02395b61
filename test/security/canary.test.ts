// A canary secret and a canary bearer token run through every failure path of the built exporter, over
// HTTPS: bad configuration, each API fault, refused credentials, plain HTTP and old TLS on the TLS port.
// Then every log line, response body and header, and the metrics are searched for them and for every
// Sign value the API received.
import t from 'tap'
import { readFileSync, writeFileSync } from 'node:fs'
import { request as httpsRequest } from 'node:https'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { stringify } from 'yaml'
import { SimulatorControl } from '../../scripts/lib/simulator-control.js'
import type { Fault } from '../../src/simulator/faults.js'
import { startExporter, startSimulator } from '../helpers/exporter-process.js'
import { waitFor } from '../helpers/wait.js'

const SECRET = 'CANARY-api-secret-7e1f'
const TOKEN = 'CANARY-bearer-token-3b9d'
const certFile = fileURLToPath(new URL('../fixtures/tls/self-signed.crt', import.meta.url))
const keyFile = fileURLToPath(new URL('../fixtures/tls/self-signed.key', import.meta.url))
const cert = readFileSync(certFile, 'utf8')

const FAULTS: Record<string, Fault | undefined> = {
  healthy: undefined,
  auth: { type: 'status', status: '-1' },
  clock: { type: 'status', status: '-16' },
  malformed: { type: 'malformed' },
  oversized: { type: 'oversized' },
  reset: { type: 'reset' },
  server_error: { type: 'http', httpStatus: 500, body: `oops ${SECRET}` },
  slow: { type: 'delay', delayMs: 1500 },
}

interface Seen { status: number, headers: string, body: string }

/** An HTTPS request trusting only the test certificate; any failure becomes the error's message. */
async function get (port: number, path: string, headers: Record<string, string> = {}, maxVersion?: 'TLSv1.1'): Promise<Seen> {
  return await new Promise((resolve) => {
    const req = httpsRequest({ host: '127.0.0.1', port, path, headers, ca: cert, ...(maxVersion !== undefined && { maxVersion }) }, (res) => {
      let body = ''
      res.setEncoding('utf8').on('data', (chunk: string) => { body += chunk })
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, headers: JSON.stringify(res.headers), body }) })
    })
    req.on('error', (err) => { resolve({ status: 0, headers: '', body: err.message }) })
    req.end()
  })
}

t.test('no secret, token or Sign in any output, answer or metric', async (t) => {
  const dir = t.testdir({})
  const names = Object.keys(FAULTS)
  const accounts = join(dir, 'accounts.yml')
  writeFileSync(accounts, stringify({ accounts: names.map((name) => ({ name, apiKey: `key-${name}`, apiSecret: `${SECRET}-${name}` })) }))

  const simulator = startSimulator({ SIMULATOR_ACCOUNTS_FILE: accounts })
  t.teardown(() => { simulator.child.kill('SIGKILL') })
  const sim = await simulator.url()
  const control = new SimulatorControl(sim)
  t.teardown(() => { control.close() })
  for (const [name, fault] of Object.entries(FAULTS)) {
    if (fault === undefined) continue
    await t.resolves(control.setFault(name, fault), `fault set on ${name}`)
  }

  const exporter = startExporter({
    LAAFFIC_ACCOUNTS_FILE: accounts,
    LAAFFIC_BASE_URL: `${sim}/v3`,
    LAAFFIC_POLL_INTERVAL: '1',
    LAAFFIC_REQUEST_TIMEOUT: '0.5',
    METRICS_BEARER_TOKEN: TOKEN,
    TLS_CERT_FILE: certFile,
    TLS_KEY_FILE: keyFile,
    LOG_LEVEL: 'trace',
  })
  t.teardown(() => { exporter.child.kill('SIGKILL') })
  const port = Number(new URL((await exporter.url()).replace('http:', 'https:')).port)

  const seen: Seen[] = []
  const auth = { authorization: `Bearer ${TOKEN}` }
  const metrics = async (): Promise<string> => (await get(port, '/metrics', auth)).body
  for (const name of names.filter((n) => n !== 'healthy')) {
    await waitFor(async () => /laaffic_poll_errors_total\{account="[a-z_]+",status="[^"]+"\} [1-9]/.test(
      (await metrics()).split('\n').filter((l) => l.includes(`account="${name}"`)).join('\n')), `a failed poll of ${name}`)
  }
  await waitFor(async () => /laaffic_polls_total\{account="healthy"\} ([3-9]|\d\d)/.test(await metrics()), 'three polls of the healthy account')
  seen.push(
    await get(port, '/metrics'),
    await get(port, '/metrics', { authorization: 'Bearer wrong' }),
    await get(port, '/metrics', { authorization: `Bearer ${TOKEN.slice(0, -1)}` }),
    await get(port, '/', { authorization: `Basic ${Buffer.from(`user:${TOKEN}x`).toString('base64')}` }),
    await get(port, '/metrics', auth, 'TLSv1.1'),
    await get(port, '/metrics', auth),
    await get(port, '/', auth),
    await get(port, '/readyz'),
    await get(port, '/nope', auth),
  )
  t.same(seen.slice(0, 4).map((s) => s.status), [401, 401, 401, 401], 'refused credentials')
  t.equal(seen[4]?.status, 0, 'TLS 1.1 refused')
  t.equal(seen[5]?.status, 200, 'the token opens /metrics')
  const plain = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: auth }).then(async (r) => await r.text(), (err: unknown) => String(err))
  seen.push({ status: 0, headers: '', body: plain })

  const requests = await control.requests()
  const signs = requests.map((r) => r.headers.sign).filter((s): s is string => s !== undefined)
  t.ok(signs.length > names.length, `${signs.length} signed requests to search for`)

  // A bad configuration carrying the canaries, too.
  const bad = startExporter({ LAAFFIC_API_KEY: 'k', LAAFFIC_API_SECRET: SECRET, METRICS_BEARER_TOKEN: TOKEN, PORT: 'nope', TLS_CERT_FILE: certFile })
  t.equal((await bad.exited).code, 1)

  exporter.child.kill('SIGTERM')
  await exporter.exited
  const everything = [
    exporter.stdout(), exporter.stderr(), bad.stdout(), bad.stderr(),
    ...seen.map((s) => `${s.headers}\n${s.body}`),
  ].join('\n')
  t.ok(exporter.stdout().split('\n').length > 20, 'there is plenty of output to search (trace level)')
  t.notMatch(everything, 'CANARY-', 'no secret, no token')
  const leaked = signs.filter((sign) => everything.includes(sign))
  t.same(leaked, [], 'no Sign value')
})
