import t from 'tap'
import { Gauge, Registry } from 'prom-client'
import { MetricsRenderer } from '../../src/metrics/renderer.js'

/** A registry whose one gauge counts how often it is collected and shows `value()`. */
function countingRegistry (name: string, value: () => number) {
  const registry = new Registry()
  const counter = { collects: 0 }
  new Gauge({ name, help: name, registers: [registry], collect () { counter.collects++; this.set(value()) } })
  return { registry, counter }
}

t.test('account families are rendered again only when the version moves or the clock passes changesAtMs', async (t) => {
  let value = 1
  let version = 0
  let clock = 1000
  const { registry, counter } = countingRegistry('accounts', () => value)
  const renderer = new MetricsRenderer({ registry, now: () => clock, version: () => version, changesAtMs: () => 5000 })
  t.match(await renderer.render(), /^accounts 1$/m)
  value = 2
  t.match(await renderer.render(), /^accounts 1$/m, 'same version: the cached text')
  t.equal(counter.collects, 1)
  version++
  t.match(await renderer.render(), /^accounts 2$/m, 'a poll changed something: rendered again')
  value = 3
  clock = 4999
  t.match(await renderer.render(), /^accounts 2$/m)
  clock = 5000
  t.match(await renderer.render(), /^accounts 3$/m, 'a value went stale by the clock: rendered again')
  t.equal(counter.collects, 3)
})

t.test('process families are collected at most once a second and appended', async (t) => {
  let clock = 0
  let rss = 10
  const accounts = countingRegistry('accounts', () => 1)
  const process = countingRegistry('process_thing', () => rss)
  const renderer = new MetricsRenderer({
    registry: accounts.registry, processRegistry: process.registry, now: () => clock, version: () => 0, changesAtMs: () => Infinity,
  })
  const first = await renderer.render()
  t.match(first, /^accounts 1$[\s\S]*^process_thing 10$/m, 'account families first, then the process ones')
  rss = 20
  clock = 999
  t.match(await renderer.render(), /^process_thing 10$/m)
  clock = 1000
  t.match(await renderer.render(), /^process_thing 20$/m, 'collected again after a second')
  t.equal(process.counter.collects, 2)
  t.equal(accounts.counter.collects, 1)
})

t.test('concurrent scrapes share one render', async (t) => {
  let version = 0
  const { registry, counter } = countingRegistry('accounts', () => 1)
  const renderer = new MetricsRenderer({ registry, now: () => 0, version: () => version, changesAtMs: () => Infinity })
  version = 1
  const texts = await Promise.all(Array.from({ length: 20 }, async () => await renderer.render()))
  t.equal(new Set(texts).size, 1)
  t.equal(counter.collects, 1, 'twenty scrapes, one collection')
})
