// Render time of the account families with N accounts, in process: what a scrape costs after a poll
// changed something (the renderer's cache is bypassed by moving the version each time).
import { performance } from 'node:perf_hooks'
import { Registry } from 'prom-client'
import { registerAccountMetrics } from '../../src/metrics/account-metrics.js'
import { registerBuildInfo } from '../../src/metrics/exporter-metrics.js'
import { MetricsRenderer } from '../../src/metrics/renderer.js'
import { registerThresholdMetrics } from '../../src/metrics/thresholds.js'
import { AccountStates } from '../../src/state/account-states.js'
import { quantile } from '../lib/stats.js'

export async function renderTime (accounts: number, rounds = 50): Promise<{ p50Ms: number, bytes: number }> {
  const names = Array.from({ length: accounts }, (_, i) => `acct-${String(i).padStart(4, '0')}`)
  const registry = new Registry()
  const states = new AccountStates(names)
  const now = Date.now
  const counters = registerAccountMetrics({ registry, states, now, maxStalenessMs: 900_000 })
  registerThresholdMetrics(registry, names.map((name) => ({ name, apiKey: 'k', apiSecret: 's', baseUrl: 'http://x', balanceWarning: 100, balanceCritical: 20 })))
  registerBuildInfo(registry, { version: 'bench', nodejsVersion: process.version })
  for (const name of names) {
    counters.poll(name)
    counters.request(name)
    states.recordSuccess(name, { balance: 1234.56, gift: 7.5, credit: 100 }, now(), 0.02)
    states.recordClockSkew(name, 0.5)
  }
  const renderer = new MetricsRenderer({ registry, now, version: () => states.version, changesAtMs: counters.changesAtMs })
  const times: number[] = []
  let bytes = 0
  for (let i = 0; i < rounds; i++) {
    states.touch()
    const started = performance.now()
    bytes = (await renderer.render()).length
    times.push(performance.now() - started)
  }
  times.sort((a, b) => a - b)
  return { p50Ms: quantile(times, 0.5), bytes }
}
