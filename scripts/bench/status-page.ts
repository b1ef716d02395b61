// Render time of the status page and of /api/v1/accounts with N accounts, in process: what opening `/`
// costs (neither is cached: the ages move with the clock). A quarter of the accounts fail, with the status
// table's hint, a quarter are low: longer rows than a page of healthy accounts. Every account has a
// currency, spend and a top-up counted: every money cell is filled and formatted.
import { performance } from 'node:perf_hooks'
import { DEFAULT_SETTINGS } from '../../src/config/account-settings.js'
import { API_CODE, providerReason } from '../../src/api/status.js'
import { statusReport } from '../../src/http/account-view.js'
import { accountsJson } from '../../src/http/accounts-json.js'
import { renderStatusPage } from '../../src/http/status-page.js'
import { AccountStates } from '../../src/state/account-states.js'
import { quantile } from '../lib/stats.js'

export interface StatusPageTimes { pageP50Ms: number, jsonP50Ms: number, pageBytes: number, jsonBytes: number }

export function statusPageRenderTime (accounts: number, rounds = 50): StatusPageTimes {
  const names = Array.from({ length: accounts }, (_, i) => `acct-${String(i).padStart(4, '0')}`)
  const states = new AccountStates(names.map((name, i) => ({ ...DEFAULT_SETTINGS, name, balanceWarning: 100, balanceCritical: 20, spendSpikeFloor: 10, currency: i % 2 === 0 ? 'USD' : 'EUR' })))
  const now = Date.now()
  names.forEach((name, i) => {
    const balance = i % 4 === 1 ? 64.5 : 1234.56
    // Spent, then topped up: the counters and the last top-up are set.
    states.recordSuccess(name, { balance: balance + 10, gift: 7.5, credit: 100 }, now - 80_000, 0.02)
    states.recordSuccess(name, { balance: balance - 40, gift: 7.5, credit: 100 }, now - 50_000, 0.02)
    states.recordSuccess(name, { balance, gift: 7.5, credit: 100 }, now - 20_000, 0.02)
    if (i % 4 === 2) states.recordFailure(name, { status: API_CODE.interfaceError, reason: providerReason(API_CODE.interfaceError), atMs: now - 5000 }, 0.02)
    states.recordNextPoll(name, { atMs: now + 40_000, backoff: false })
  })
  const page: number[] = []
  const json: number[] = []
  let pageBytes = 0
  let jsonBytes = 0
  for (let i = 0; i < rounds; i++) {
    let started = performance.now()
    pageBytes = Buffer.byteLength(renderStatusPage(statusReport(states.all(), Date.now(), 900_000), { version: 'bench', refreshSeconds: 60, telemetryPath: '/metrics' }))
    page.push(performance.now() - started)
    started = performance.now()
    jsonBytes = Buffer.byteLength(JSON.stringify(accountsJson(statusReport(states.all(), Date.now(), 900_000), 'bench')))
    json.push(performance.now() - started)
  }
  return { pageP50Ms: quantile(page, 0.5), jsonP50Ms: quantile(json, 0.5), pageBytes, jsonBytes }
}
