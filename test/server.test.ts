import t from 'tap'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { account, CANARY_SECRET, okBody } from './helpers/api.js'
import { logRecord, startExporter } from './helpers/exporter-process.js'
import { hang, startFakeLaaffic } from './helpers/fake-laaffic.js'
import { waitFor } from './helpers/wait.js'

t.test('a bad configuration stops at once: exit 1, one line per problem, no stack, no secret', async (t) => {
  const exporter = startExporter({ LAAFFIC_API_SECRET: CANARY_SECRET, PORT: 'eighty', LAAFFIC_POLL_INTERVAL: '0' })
  const { code } = await exporter.exited
  t.equal(code, 1)
  t.equal(exporter.stderr(), [
    'laaffic-exporter: config error: LAAFFIC_POLL_INTERVAL: must be >= 1 (got "0")',
    'laaffic-exporter: config error: PORT: must be a whole number (got "eighty")',
    'laaffic-exporter: config error: LAAFFIC_API_KEY is required (or set LAAFFIC_ACCOUNTS_FILE for several accounts)',
    '',
  ].join('\n'))
  t.equal(exporter.stdout(), '')
})

t.test('runs with a key and secret, serves metrics, and exits 0 on SIGTERM mid-request', async (t) => {
  const main = account('main')
  const api = await startFakeLaaffic([main])
  t.teardown(api.close)
  api.reply(main, { body: okBody('321.5', '10', '0') })
  const exporter = startExporter({
    LAAFFIC_API_KEY: main.apiKey,
    LAAFFIC_API_SECRET: main.apiSecret,
    LAAFFIC_BASE_URL: api.baseUrl,
    LAAFFIC_ACCOUNT: 'otp',
    LAAFFIC_POLL_INTERVAL: '1',
    LAAFFIC_REQUEST_TIMEOUT: '30',
  })
  t.teardown(() => { exporter.child.kill('SIGKILL') })
  const url = await exporter.url()

  let metrics = ''
  await waitFor(async () => {
    metrics = await (await fetch(`${url}/metrics`)).text()
    return metrics.includes('laaffic_balance{account="otp"} 321.5')
  }, 'the balance on /metrics')
  t.match(metrics, 'laaffic_up{account="otp"} 1')
  t.match(metrics, /^process_resident_memory_bytes \d+/m, 'process metrics on by default')
  t.equal((await fetch(`${url}/readyz`)).status, 200)

  const start = await logRecord(exporter, (r) => r.msg === 'starting laaffic-exporter', 'starting')
  t.match(start, { config: { accounts: [{ name: 'otp', baseUrl: api.baseUrl }], pollIntervalSeconds: 1 } })

  // Make the next poll hang, then stop the exporter while it waits.
  api.reply(main, hang)
  const hangingFrom = api.seen.length
  await waitFor(() => api.seen.length > hangingFrom, 'a poll to hang')
  const stopped = Date.now()
  exporter.child.kill('SIGTERM')
  const { code } = await exporter.exited
  t.equal(code, 0, 'exit code 0')
  t.ok(Date.now() - stopped < 2000, `exited within 2 s (${Date.now() - stopped} ms)`)
  t.ok(exporter.records().some((r) => r.msg === 'shutting down' && r.signal === 'SIGTERM'))

  const output = exporter.stdout() + exporter.stderr()
  t.notMatch(output, CANARY_SECRET)
  for (const { sign } of api.seen) t.notMatch(output, sign)
})

t.test('a port already in use: exit 1 with a log line naming the port and PORT', async (t) => {
  const blocker = createServer()
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
  t.teardown(() => blocker.close())
  const { port } = blocker.address() as AddressInfo
  const exporter = startExporter({ LAAFFIC_API_KEY: 'k', LAAFFIC_API_SECRET: 's', PORT: String(port), LAAFFIC_BASE_URL: 'http://127.0.0.1:9/v3' })
  const { code } = await exporter.exited
  t.equal(code, 1)
  t.match(exporter.records().find((r) => String(r.msg).startsWith('cannot listen')), {
    level: 60,
    msg: `cannot listen: port ${port} on 127.0.0.1 is already in use: set PORT (or --web.listen-address, which wins over it) to a free port (or stop what listens there)`,
    err: { code: 'EADDRINUSE' },
  })
})

t.test('the built exporter\'s status page keeps its · and — (the bundle is made ASCII by escaping, never by replacing)', async (t) => {
  // Port 9 refuses: the account fails and has no balance, which the page shows as —.
  const exporter = startExporter({ LAAFFIC_API_KEY: 'k', LAAFFIC_API_SECRET: 's', LAAFFIC_BASE_URL: 'http://127.0.0.1:9/v3' })
  t.teardown(async () => await exporter.stop())
  const url = await exporter.url()
  await waitFor(async () => (await fetch(`${url}/readyz`)).ok, 'the first poll')
  const page = await (await fetch(`${url}/`)).text()
  t.match(page, /<title>1 failing · Laaffic exporter<\/title>/, 'the title')
  t.match(page, /<p class="meta">Version [^<]+ · <a href="\/metrics">/, 'the version line')
  t.match(page, '<td class="num">—</td>', 'unknown figures')
})
