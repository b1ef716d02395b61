import t from 'tap'
import { Counter, Gauge, Registry } from 'prom-client'
import { createMetrics } from '../../src/metrics/create-metrics.js'
import { ReloadStatus } from '../../src/reload/reload-status.js'
import { AccountStates } from '../../src/state/account-states.js'
import { sample } from '../helpers/app.js'
import { account } from '../helpers/api.js'

// The /metrics cache must cover whatever the registry holds, by construction: every family createMetrics
// registers, and any family added to a registry given from outside, shows its changes at the next scrape.
function setup (registry?: Registry) {
  const states = new AccountStates([account('a')])
  const reloadStatus = new ReloadStatus(1_700_000_000_000)
  const renderer = createMetrics({
    states, now: () => 1_700_000_000_000, maxStalenessMs: 0, buildInfo: { version: 't', nodejsVersion: 'v0' }, processMetrics: false, reloadStatus,
    ...(registry !== undefined && { registry }),
  })
  const scrape = async (): Promise<string> => (await renderer.render()).toString()
  return { states, reloadStatus, scrape }
}

t.test('every family of the exporter shows its change at the next scrape', async (t) => {
  const { states, reloadStatus, scrape } = setup()
  const first = await scrape()
  t.equal(sample(first, 'laaffic_config_last_reload_successful'), 1)
  t.equal(sample(first, 'laaffic_exporter_build_info{version="t",nodejs_version="v0"}'), 1)
  reloadStatus.record(false, 1_700_000_001_000)
  t.equal(sample(await scrape(), 'laaffic_config_last_reload_successful'), 0, 'a refused reload')
  states.recordSuccess('a', { balance: 12 }, 1_700_000_000_000, 0.1)
  t.equal(sample(await scrape(), 'laaffic_balance{account="a"}'), 12, 'a poll')
})

t.test('a metric added to a given registry after the first scrape: every change of it is rendered', async (t) => {
  const registry = new Registry()
  const { scrape } = setup(registry)
  await scrape()
  const gauge = new Gauge({ name: 'new_gauge', help: 'added later', labelNames: ['account'], registers: [registry] })
  const counter = new Counter({ name: 'new_events_total', help: 'added later', registers: [registry] })
  gauge.set({ account: 'a' }, 1)
  t.equal(sample(await scrape(), 'new_gauge{account="a"}'), 1)
  gauge.labels('a').set(2)
  counter.inc()
  const text = await scrape()
  t.equal(sample(text, 'new_gauge{account="a"}'), 2, 'set through labels()')
  t.equal(sample(text, 'new_events_total'), 1, 'a counter\'s inc()')
  let read = 5
  new Gauge({ name: 'read_at_scrape', help: 'collect()', registers: [registry], collect () { this.set(read) } })
  t.equal(sample(await scrape(), 'read_at_scrape'), 5)
  read = 6
  t.equal(sample(await scrape(), 'read_at_scrape'), 6, 'a value only collect() knows')
})
