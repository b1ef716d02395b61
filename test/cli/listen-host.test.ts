// HOST as the configuration table describes it: `0.0.0.0` (the default) is every IPv4 interface, `::` every
// IPv6 and IPv4 one (Node.js listens dual-stack), on the built exporter over real sockets.
import t from 'tap'
import { existsSync, readFileSync } from 'node:fs'
import { startExporter } from '../helpers/exporter-process.js'

/** One account whose API is unreachable: /healthz answers whatever the polls do. */
const ACCOUNT = { LAAFFIC_API_KEY: 'key', LAAFFIC_API_SECRET: 'secret', LAAFFIC_BASE_URL: 'http://127.0.0.1:9/v3' }

/** The status of GET /healthz at `host`, or the error code of a refused connection. */
async function healthz (host: string, port: number): Promise<number | string> {
  try {
    return (await fetch(`http://${host}:${port}/healthz`)).status
  } catch (err) {
    return String((err as { cause?: { code?: string } }).cause?.code ?? err)
  }
}

/** This machine has an IPv6 loopback (a kernel without IPv6, or a container with it off, has none). */
const hasIpv6Loopback = (): boolean => existsSync('/proc/net/if_inet6') && /^0{31}1 /m.test(readFileSync('/proc/net/if_inet6', 'utf8'))

t.test('HOST=0.0.0.0, the default: IPv4 only', async (t) => {
  const exporter = startExporter({ ...ACCOUNT, HOST: '0.0.0.0' })
  t.teardown(() => { exporter.child.kill('SIGKILL') })
  const port = await exporter.port()
  t.equal(await healthz('127.0.0.1', port), 200, 'IPv4 loopback: 200')
  if (!hasIpv6Loopback()) return
  t.equal(await healthz('[::1]', port), 'ECONNREFUSED', 'IPv6 loopback: refused')
})

t.test('HOST=::: IPv6 and IPv4 both', async (t) => {
  // Skipped, not failed, in CI too: a machine without IPv6 makes the claim moot, not false.
  if (!hasIpv6Loopback()) {
    t.comment('SKIPPED: no IPv6 loopback here (/proc/net/if_inet6 has no ::1)')
    void t.skip('HOST=:: over IPv6', () => {})
    return
  }
  const exporter = startExporter({ ...ACCOUNT, HOST: '::' })
  t.teardown(() => { exporter.child.kill('SIGKILL') })
  const port = await exporter.port()
  t.equal(await healthz('[::1]', port), 200, 'IPv6 loopback: 200')
  t.equal(await healthz('127.0.0.1', port), 200, 'IPv4 loopback: 200 too')
})
