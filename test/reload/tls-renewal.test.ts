// A certificate renewed file by file, as a renewal script that copies two files does (or certbot swapping its
// links one by one), in the built exporter: through TLS_CERT_FILE/TLS_KEY_FILE and through WEB_CONFIG_FILE,
// certificate first then key, and key first then certificate, with a scrape every 100 ms and no signal sent
// (the file watcher notices). The half-renewed pair is refused and the old certificate serves on; the second
// write applies by itself; the process never stops, no scrape fails, and an open connection is not cut.
import t, { type Test } from 'tap'
import { writeFileSync } from 'node:fs'
import { Agent } from 'node:https'
import { join } from 'node:path'
import { sample } from '../helpers/app.js'
import { makeCertificates, type CertificatePair } from '../helpers/certificates.js'
import { startExporter } from '../helpers/exporter-process.js'
import { getOverTls } from '../helpers/tls-scrape.js'
import { holdsWithin, staysTrue, waitFor } from '../helpers/wait.js'

const SCRAPE_EVERY_MS = 100
/** How long the new certificate may take after the second write (the watcher waits 250 ms for quiet). */
const APPLIED_WITHIN_MS = 5000

interface Scrape { startedAt: number, endedAt: number, status: number, fingerprint?: string, reloadSuccessful?: number, error?: string }

/** Scrapes /metrics over a new connection every 100 ms until stopped, keeping every answer. */
function scrapeEvery100ms (port: number, trusted: string[]) {
  const scrapes: Scrape[] = []
  const state = { stopped: false }
  const loop = (async () => {
    while (!state.stopped) {
      const startedAt = Date.now()
      try {
        const answer = await getOverTls(port, trusted)
        scrapes.push({ startedAt, endedAt: Date.now(), status: answer.status, fingerprint: answer.fingerprint, reloadSuccessful: sample(answer.body, 'laaffic_config_last_reload_successful') })
      } catch (err) {
        scrapes.push({ startedAt, endedAt: Date.now(), status: 0, error: (err as Error).message })
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, startedAt + SCRAPE_EVERY_MS - Date.now())))
    }
  })()
  return { scrapes, stop: async () => { state.stopped = true; await loop } }
}

const fileOf = (pair: CertificatePair, which: 'cert' | 'key'): string => which === 'cert' ? pair.cert : pair.key

async function renewals (t: Test, env: (files: { cert: string, key: string }) => Record<string, string>): Promise<void> {
  const dir = t.testdir({})
  // The third has an RSA key: its key written next to the second's EC certificate is a pair OpenSSL alone
  // would take (one slot per key type) and no handshake could use.
  const [first, second, third] = makeCertificates(dir, ['ec', 'ec', 'rsa']) as [CertificatePair, CertificatePair, CertificatePair]
  const files = { cert: join(dir, 'tls.crt'), key: join(dir, 'tls.key') }
  writeFileSync(files.cert, first.cert)
  writeFileSync(files.key, first.key)
  const exporter = startExporter({ LAAFFIC_API_KEY: 'k', LAAFFIC_API_SECRET: 's', LAAFFIC_BASE_URL: 'http://127.0.0.1:9/v3', ...env(files) })
  t.teardown(async () => await exporter.stop())
  const port = await exporter.port()
  t.ok(exporter.records().some((r) => r.msg === `Server listening at https://127.0.0.1:${port}`), 'the start log names https')
  const trusted = [first.cert, second.cert, third.cert]
  const scraping = scrapeEvery100ms(port, trusted)
  t.teardown(scraping.stop)
  // A client that keeps its connection open across the renewals (used after each, so it never idles out).
  const keptOpen = new Agent({ keepAlive: true, maxSockets: 1, ca: trusted })
  t.teardown(() => { keptOpen.destroy() })
  t.equal((await getOverTls(port, trusted, { agent: keptOpen, path: '/healthz' })).fingerprint, first.fingerprint)
  const { scrapes } = scraping
  await waitFor(() => scrapes.length > 0, 'the first scrape')
  const refusals = (): number => exporter.records().filter((r) => r.level === 50 && String(r.msg).startsWith('configuration reload refused')).length

  for (const [order, from, to] of [[['cert', 'key'], first, second], [['key', 'cert'], second, third]] as const) {
    const what = `${order[0]} first, then ${order[1]}`
    const refusedBefore = refusals()
    writeFileSync(files[order[0]], fileOf(to, order[0]))
    const firstAt = Date.now()
    await waitFor(() => scrapes.some((s) => s.startedAt > firstAt && s.reloadSuccessful === 0), `${what}: the half-renewed pair refused`, APPLIED_WITHIN_MS)
    t.ok(await staysTrue(() => scrapes.filter((s) => s.startedAt > firstAt).every((s) => s.fingerprint === from.fingerprint), 1000),
      `${what}: the old certificate serves while the pair does not match`)
    t.equal(refusals(), refusedBefore + 1, `${what}: one refusal logged`)
    writeFileSync(files[order[1]], fileOf(to, order[1]))
    const secondAt = Date.now()
    t.ok(scrapes.filter((s) => s.endedAt < secondAt && s.startedAt > firstAt).every((s) => s.fingerprint === from.fingerprint),
      `${what}: every scrape before the second write was served the old certificate`)
    const served = await holdsWithin(() => scrapes.some((s) => s.startedAt > secondAt && s.fingerprint === to.fingerprint), APPLIED_WITHIN_MS)
    t.ok(served, `${what}: the new certificate within ${APPLIED_WITHIN_MS} ms of the second write`)
    const firstNew = scrapes.findIndex((s) => s.startedAt > secondAt && s.fingerprint === to.fingerprint)
    t.ok(await staysTrue(() => scrapes.slice(firstNew).every((s) => s.fingerprint === to.fingerprint), 1000), `${what}: only the new certificate from then on`)
    t.equal(scrapes.at(-1)?.reloadSuccessful, 1, `${what}: the reload that applied it says so`)
    const open = await getOverTls(port, trusted, { agent: keptOpen, path: '/healthz' })
    t.same([open.status, open.reused, open.fingerprint], [200, true, first.fingerprint], `${what}: the connection opened before the renewals still answers, with the certificate it began with`)
  }

  await scraping.stop()
  t.same(scrapes.filter((s) => s.status !== 200), [], `every scrape answered 200 (${scrapes.length} scrapes)`)
  t.same([exporter.child.exitCode, exporter.child.signalCode, exporter.pid], [null, null, exporter.child.pid], 'the same process serves throughout')
  const reloads = exporter.records().filter((r) => r.msg === 'configuration reloaded')
  t.same(reloads.map((r) => [r.trigger, r.tlsRenewed]), [['file change', true], ['file change', true]], 'two reloads, both by the file watcher (no signal)')
  t.equal(exporter.stderr(), '', 'nothing on stderr')
}

t.test('TLS_CERT_FILE and TLS_KEY_FILE renewed file by file', async (t) => {
  await renewals(t, (files) => ({ TLS_CERT_FILE: files.cert, TLS_KEY_FILE: files.key }))
})

t.test('WEB_CONFIG_FILE\'s cert_file and key_file renewed file by file', async (t) => {
  await renewals(t, (files) => {
    const webConfig = join(files.cert, '..', 'web-config.yml')
    writeFileSync(webConfig, 'tls_server_config:\n  cert_file: tls.crt\n  key_file: tls.key\n')
    return { WEB_CONFIG_FILE: webConfig }
  })
})
