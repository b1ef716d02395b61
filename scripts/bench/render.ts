// Render time of /metrics with N accounts, in process: what a scrape costs after a poll changed
// something (each round records one poll, so the renderer's cache cannot answer).
import { performance } from 'node:perf_hooks'
import { DEFAULT_SETTINGS } from '../../src/config/account-settings.js'
import { createMetrics } from '../../src/metrics/create-metrics.js'
import { AccountStates } from '../../src/state/account-states.js'
import { quantile } from '../lib/stats.js'

export async function renderTime (accounts: number, rounds = 50): Promise<{ p50Ms: number, bytes: number }> {
  const names = Array.from({ length: accounts }, (_, i) => `acct-${String(i).padStart(4, '0')}`)
  const states = new AccountStates(names.map((name) => ({ ...DEFAULT_SETTINGS, name, balanceWarning: 100, balanceCritical: 20, spendSpikeFloor: 10 })))
  const now = Date.now
  const renderer = createMetrics({
    states, now, maxStalenessMs: 900_000, buildInfo: { version: 'bench', nodejsVersion: process.version }, processMetrics: false,
  })
  for (const name of names) {
    states.pollStarted(name)
    states.requestSent(name)
    states.recordSuccess(name, { balance: 1234.56, gift: 7.5, credit: 100 }, now(), 0.02)
    states.recordClockSkew(name, 0.5)
  }
  const times: number[] = []
  let bytes = 0
  for (let i = 0; i < rounds; i++) {
    states.pollStarted(names[i % names.length] ?? '')
    const started = performance.now()
    bytes = (await renderer.render()).byteLength
    times.push(performance.now() - started)
  }
  return { p50Ms: quantile(times, 0.5), bytes }
}
