import t from 'tap'
import { gunzipSync } from 'node:zlib'
import { Gauge, Registry } from 'prom-client'
import { DEFAULT_SETTINGS } from '../../src/config/account-settings.js'
import { AccountFamilies } from '../../src/metrics/account-metrics.js'
import { MetricsRenderer } from '../../src/metrics/renderer.js'
import { AccountStates } from '../../src/state/account-states.js'
import { CONSTANT, VersionedRegistry } from '../../src/metrics/versioned-registry.js'

/** A registry whose one gauge counts how often it is collected and shows `value()`. */
function countingRegistry (name: string, value: () => number) {
  const registry = new Registry()
  const counter = { collects: 0 }
  new Gauge({ name, help: name, registers: [registry], collect () { counter.collects++; this.set(value()) } })
  return { registry, counter }
}

/** Account families that count their renders, show `value()`, change with `version()` and go stale at `staleAtMs`. */
function countingAccounts (value: () => number, version: () => number = () => 0, staleAtMs = Infinity) {
  const counter = { renders: 0 }
  return {
    counter,
    accounts: {
      // One piece per family, each with the blank line after it, as AccountFamilies renders them.
      render: () => { counter.renders++; return [Buffer.from(`# HELP accounts a\n# TYPE accounts gauge\naccounts ${value()}\n\n`)] },
      changesAtMs: () => staleAtMs,
      version,
    },
  }
}

/** A registry with one constant family, as the exporter's build info. */
function buildInfo (): VersionedRegistry {
  const registry = new VersionedRegistry()
  registry.add(CONSTANT, (r) => { new Gauge({ name: 'build_info', help: 'build_info', registers: [r], collect () { this.set(1) } }) })
  return registry
}

t.test('account families are rendered again only when the version moves or the clock passes changesAtMs', async (t) => {
  let value = 1
  let version = 0
  let clock = 1000
  const { accounts, counter } = countingAccounts(() => value, () => version, 5000)
  const renderer = new MetricsRenderer({ accounts, registry: buildInfo(), now: () => clock })
  t.match((await renderer.render()).toString(), /^accounts 1$/m)
  value = 2
  t.match((await renderer.render()).toString(), /^accounts 1$/m, 'same version: the cached text')
  t.equal(counter.renders, 1)
  version++
  t.match((await renderer.render()).toString(), /^accounts 2$/m, 'a poll changed something: rendered again')
  value = 3
  clock = 4999
  t.match((await renderer.render()).toString(), /^accounts 2$/m)
  clock = 5000
  t.match((await renderer.render()).toString(), /^accounts 3$/m, 'a value went stale by the clock: rendered again')
  t.equal(counter.renders, 3)
})

t.test('the account families come first, a blank line, then the registry\'s families, as prom-client joins them', async (t) => {
  const { accounts } = countingAccounts(() => 7)
  const renderer = new MetricsRenderer({ accounts, registry: buildInfo(), now: () => 0 })
  t.equal((await renderer.render()).toString(), '# HELP accounts a\n# TYPE accounts gauge\naccounts 7\n\n# HELP build_info build_info\n# TYPE build_info gauge\nbuild_info 1\n')
})

t.test('process families are collected at most once a second and appended', async (t) => {
  let clock = 0
  let rss = 10
  const { accounts, counter } = countingAccounts(() => 1)
  const process = countingRegistry('process_thing', () => rss)
  const renderer = new MetricsRenderer({ accounts, registry: buildInfo(), processRegistry: process.registry, now: () => clock })
  const first = (await renderer.render()).toString()
  t.match(first, /^accounts 1$[\s\S]*^process_thing 10$/m, 'account families first, then the process ones')
  rss = 20
  clock = 999
  t.match((await renderer.render()).toString(), /^process_thing 10$/m)
  clock = 1000
  t.match((await renderer.render()).toString(), /^process_thing 20$/m, 'collected again after a second')
  t.equal(process.counter.collects, 2)
  t.equal(counter.renders, 1)
})

t.test('concurrent scrapes share one render', async (t) => {
  let version = 0
  const { accounts, counter } = countingAccounts(() => 1, () => version)
  const renderer = new MetricsRenderer({ accounts, registry: buildInfo(), now: () => 0 })
  version = 1
  const bodies = await Promise.all(Array.from({ length: 20 }, async () => await renderer.render()))
  t.equal(new Set(bodies).size, 1, 'the same body object for all twenty')
  t.equal(counter.renders, 1, 'twenty scrapes, one render')
})

t.test('the body is encoded once per change, not per scrape', async (t) => {
  let version = 0
  let clock = 0
  const { accounts } = countingAccounts(() => 1, () => version)
  const process = countingRegistry('process_thing', () => 5)
  const renderer = new MetricsRenderer({ accounts, registry: buildInfo(), processRegistry: process.registry, now: () => clock })
  const first = await renderer.render()
  t.equal(await renderer.render(), first, 'nothing changed: the same body')
  version++
  const second = await renderer.render()
  t.not(second, first, 'an account change: a new body')
  clock = 1000
  t.not(await renderer.render(), second, 'fresh process metrics: a new body')
  t.ok(first.toString().startsWith('# HELP accounts a\n'), 'UTF-8 exposition text')
})

t.test('the gzip body is compressed once per body and is the body, compressed', async (t) => {
  let version = 0
  const { accounts } = countingAccounts(() => version, () => version)
  const renderer = new MetricsRenderer({ accounts, registry: buildInfo(), now: () => 0 })
  const first = await renderer.renderGzip()
  t.equal(gunzipSync(first).toString(), (await renderer.render()).toString(), 'gunzipped, the same text')
  t.equal(await renderer.renderGzip(), first, 'nothing changed: the same compressed Buffer, not compressed again')
  const together = await Promise.all([renderer.renderGzip(), renderer.renderGzip()])
  t.equal(together[0], first)
  version++
  const second = await renderer.renderGzip()
  t.not(second, first, 'a change: compressed again')
  t.match(gunzipSync(second).toString(), /^accounts 1$/m)
})

t.test('the registry\'s families are rendered again when a source they were registered with moves', async (t) => {
  const registry = new VersionedRegistry()
  const reloads = { version: 0, count: 0 }
  let collects = 0
  registry.add(reloads, (r) => { new Gauge({ name: 'reloads', help: 'reloads', registers: [r], collect () { collects++; this.set(reloads.count) } }) })
  const { accounts, counter } = countingAccounts(() => 1)
  const renderer = new MetricsRenderer({ accounts, registry, now: () => 0 })
  const first = await renderer.render()
  t.equal(await renderer.render(), first, 'nothing moved: the same body')
  t.equal(collects, 1, 'and the registry was not collected again')
  reloads.count = 1
  reloads.version++
  t.match((await renderer.render()).toString(), /^reloads 1$/m, 'its source moved: rendered again')
  let added: Gauge | undefined
  registry.add({ version: 0 }, (r) => { added = new Gauge({ name: 'added_later', help: 'registered after the first render', registers: [r] }) })
  added?.set(3)
  const later = (await renderer.render()).toString()
  t.match(later, /^added_later 3$/m, 'a family registered after the first render')
  t.ok(later.startsWith('# HELP accounts a\n# TYPE accounts gauge\naccounts 1\n\n# HELP reloads'), 'still after the account families')
  t.equal(counter.renders, 1, 'the account families were not rendered again for it')
})

t.test('a family cannot reach the registry without a source', async (t) => {
  const registry = new VersionedRegistry()
  // @ts-expect-error: add() takes the source first; typecheck fails if a source becomes optional
  t.throws(() => { registry.add((r: unknown) => r) })
  // @ts-expect-error: the prom-client registry inside is private
  t.equal(registry.registry, undefined)
})

t.test('a registry given from outside is read at every render: nothing says when it changes', async (t) => {
  let value = 1
  const given = countingRegistry('given', () => value)
  const { accounts } = countingAccounts(() => 1)
  const renderer = new MetricsRenderer({ accounts, registry: new VersionedRegistry(given.registry), now: () => 0 })
  t.match((await renderer.render()).toString(), /^given 1$/m)
  value = 2
  t.match((await renderer.render()).toString(), /^given 2$/m)
  t.equal(given.counter.collects, 2)
})

t.test('a render reads the clock once: an account going stale while it runs is not rendered fresh and then forgotten', async (t) => {
  const states = new AccountStates([{ ...DEFAULT_SETTINGS, name: 'a', balanceWarning: 1, balanceCritical: 0, spendSpikeFloor: 0 }])
  states.recordSuccess('a', { balance: 5 }, 0, 0)
  // Every reading of the clock is a millisecond later; the values are fresh up to 1000 ms after the success.
  let clock = 999
  const ticking = (): number => clock++
  const renderer = new MetricsRenderer({ accounts: new AccountFamilies(states, ticking, 1000), registry: buildInfo(), now: ticking })
  t.match((await renderer.render()).toString(), /^laaffic_balance\{account="a"\} 5$/m, 'fresh at the moment of the render')
  clock = 5000
  t.notMatch((await renderer.render()).toString(), /^laaffic_balance\{/m, 'stale by the clock alone later: dropped, though no poll changed anything')
})
