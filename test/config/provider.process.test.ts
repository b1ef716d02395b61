// An unknown provider, as a user meets it: the built exporter does not start (exit 1, one line naming it),
// and a reload that brings one is refused while the running accounts go on.
import t from 'tap'
import { renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { sample } from '../helpers/app.js'
import { logRecord, startExporter } from '../helpers/exporter-process.js'
import { waitFor } from '../helpers/wait.js'

const ONE_OF = 'must be one of laaffic, onbuka, itniotech'

t.test('LAAFFIC_PROVIDER unknown: the start stops, one line naming it', async (t) => {
  const exporter = startExporter({ LAAFFIC_API_KEY: 'k', LAAFFIC_API_SECRET: 's', LAAFFIC_PROVIDER: 'twilio' })
  t.equal((await exporter.exited).code, 1)
  t.equal(exporter.stderr(), `laaffic-exporter: config error: LAAFFIC_PROVIDER: ${ONE_OF} (got "twilio")\n`)
  t.equal(exporter.stdout(), '')
})

t.test('provider unknown in the accounts file: the start stops, one line naming the account and the provider', async (t) => {
  const dir = t.testdir({ 'accounts.yml': 'accounts:\n  - {name: otp, apiKey: k, apiSecret: s, provider: buka}\n' })
  const exporter = startExporter({ LAAFFIC_ACCOUNTS_FILE: join(dir, 'accounts.yml') })
  t.equal((await exporter.exited).code, 1)
  t.equal(exporter.stderr(), `laaffic-exporter: config error: LAAFFIC_ACCOUNTS_FILE: account "otp": provider ${ONE_OF} (got "buka")\n`)
})

t.test('a reload bringing an unknown provider is refused; the running configuration goes on', async (t) => {
  const dir = t.testdir({ 'accounts.yml': 'accounts:\n  - {name: otp, apiKey: k, apiSecret: s, provider: onbuka, currency: EUR}\n' })
  const file = join(dir, 'accounts.yml')
  // Port 9 refuses at once: the account fails, which does not matter here.
  const exporter = startExporter({ LAAFFIC_ACCOUNTS_FILE: file, LAAFFIC_BASE_URL: 'http://127.0.0.1:9/v3', LAAFFIC_POLL_INTERVAL: '600' })
  t.teardown(async () => await exporter.stop())
  const url = await exporter.url()
  const scrape = async (): Promise<string> => await (await fetch(`${url}/metrics`)).text()
  const info = 'laaffic_account_info{account="otp",provider="onbuka",currency="EUR"}'
  t.equal(sample(await scrape(), info), 1, 'the info series of the running configuration')

  // Written beside and renamed over, as an editor or a ConfigMap does: never read half-written.
  writeFileSync(join(dir, 'next.yml'), 'accounts:\n  - {name: otp, apiKey: k, apiSecret: s, provider: twilio}\n')
  renameSync(join(dir, 'next.yml'), file)
  await waitFor(async () => sample(await scrape(), 'laaffic_config_last_reload_successful') === 0, 'the reload refused', 5000)
  const refused = await logRecord(exporter, (r) => typeof r.msg === 'string' && r.msg.includes('reload refused'), 'reload refused')
  t.same(refused.problems, [`LAAFFIC_ACCOUNTS_FILE: account "otp": provider ${ONE_OF} (got "twilio")`])
  t.equal(sample(await scrape(), info), 1, 'the running account keeps its provider and currency')
  t.equal(exporter.child.exitCode, null, 'still running')
})
