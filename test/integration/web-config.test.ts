// The real Prometheus scrapes the built exporter over TLS with basic auth and a client certificate, both
// configured through one web config file (the shipped example), and is refused without either.
import t from 'tap'
import { copyFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { stringify } from 'yaml'
import { startProgram } from '../../scripts/lib/program.js'
import { startExporter, startSimulator } from '../helpers/exporter-process.js'
import { requireProgram } from '../helpers/programs.js'
import { holdsWithin, waitFor } from '../helpers/wait.js'

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/tls/${name}`, import.meta.url))
const prometheus = requireProgram(t, 'prometheus', 'prometheus')

if (prometheus !== undefined) {
  t.test('Prometheus scrapes over TLS with basic auth and a client certificate from the web config file', async (t) => {
    const dir = t.testdir({ 'accounts.yml': stringify({ accounts: [{ name: 'otp', apiKey: 'key-otp', apiSecret: 'secret-otp' }] }) })
    // The shipped example as it is, beside the certificates it names (test ones).
    copyFileSync(fileURLToPath(new URL('../../examples/web-config.yml', import.meta.url)), join(dir, 'web-config.yml'))
    for (const name of ['server.crt', 'server.key', 'ca.crt', 'client.crt', 'client.key', 'rogue.crt', 'rogue.key']) copyFileSync(fixture(name), join(dir, name))

    const simulator = startSimulator({ SIMULATOR_ACCOUNTS_FILE: join(dir, 'accounts.yml'), LOG_LEVEL: 'warn' })
    t.teardown(async () => await simulator.stop())
    const exporter = startExporter({
      LAAFFIC_ACCOUNTS_FILE: join(dir, 'accounts.yml'), LAAFFIC_BASE_URL: `${await simulator.url()}/v3`, LAAFFIC_POLL_INTERVAL: '1', WEB_CONFIG_FILE: join(dir, 'web-config.yml'),
    })
    t.teardown(async () => await exporter.stop())
    const target = `127.0.0.1:${await exporter.port()}`

    // What the README shows, plus two jobs that lack one of the two credentials.
    const full = { ca_file: join(dir, 'ca.crt'), cert_file: join(dir, 'client.crt'), key_file: join(dir, 'client.key') }
    const job = (name: string, extra: Record<string, unknown>): Record<string, unknown> =>
      ({ job_name: name, scheme: 'https', static_configs: [{ targets: [target] }], ...extra })
    writeFileSync(join(dir, 'prometheus.yml'), stringify({
      global: { scrape_interval: '1s' },
      scrape_configs: [
        job('laaffic', { tls_config: full, basic_auth: { username: 'prometheus', password: 'change-me' } }),
        job('no-client-cert', { tls_config: { ca_file: full.ca_file }, basic_auth: { username: 'prometheus', password: 'change-me' } }),
        job('rogue-client-cert', { tls_config: { ...full, cert_file: join(dir, 'rogue.crt'), key_file: join(dir, 'rogue.key') }, basic_auth: { username: 'prometheus', password: 'change-me' } }),
        job('wrong-password', { tls_config: full, basic_auth: { username: 'prometheus', password: 'wrong' } }),
      ],
    }))
    const prom = startProgram({
      command: prometheus,
      args: [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, '--web.listen-address=127.0.0.1:0'],
    })
    t.teardown(async () => await prom.stop())
    const promUrl = await prom.url(20_000)
    const targets = async (): Promise<Array<{ labels: { job: string }, health: string, lastError: string }>> => {
      const answer = await (await fetch(`${promUrl}/api/v1/targets`)).json() as { data: { activeTargets: Array<{ labels: { job: string }, health: string, lastError: string }> } }
      return answer.data.activeTargets
    }
    // The first scrape of the right job can miss the 1 s scrape timeout on a busy machine (TLS handshake, bcrypt):
    // it must come up, and each of the others must have had its verdict.
    let seen = ''
    let last: Awaited<ReturnType<typeof targets>> = []
    const settled = await holdsWithin(async () => {
      const all = await targets()
      last = all
      seen = JSON.stringify(all.map((target) => [target.labels.job, target.health, target.lastError]))
      return all.length === 4 && all.every((target) => target.health !== 'unknown') && all.some((target) => target.labels.job === 'laaffic' && target.health === 'up')
    }, 30_000, { intervalMs: 200 })
    t.ok(settled, `within 30 s every target scraped and the laaffic job up (last seen: ${seen})`)
    const health = Object.fromEntries(last.map((target) => [target.labels.job, [target.health, target.lastError]]))
    t.equal(health.laaffic?.[0], 'up', 'with the client certificate and the password: up')
    t.match(health['no-client-cert'], ['down', /.+/], `without a client certificate: down (${health['no-client-cert']?.[1] ?? ''})`)
    t.match(health['rogue-client-cert'], ['down', /.+/], `with a certificate from another CA: down (${health['rogue-client-cert']?.[1] ?? ''})`)
    t.match(health['wrong-password'], ['down', /401/], 'with a wrong password: 401')

    await waitFor(async () => {
      const answer = await (await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent('laaffic_balance{job="laaffic"}')}`)).json() as { data: { result: unknown[] } }
      return answer.data.result.length === 1
    }, 'the balance stored by Prometheus', 20_000)
  })
}
