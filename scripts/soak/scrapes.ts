// GET /metrics as the soak's clients send it: each answer checked, errors counted with a few examples kept.
import type { Agent } from 'node:http'
import { performance } from 'node:perf_hooks'
import { send } from '../lib/http.js'
import { checkExposition } from './exposition.js'

const SCRAPE_TIMEOUT_MS = 10_000
const KEPT_ERRORS = 10

export interface ScrapeStats {
  /** Good scrapes by the scrapers (the sampler's and the final checks' are not counted). */
  served: number
  /** Failed scrapes by anyone: status, network, timeout or malformed text. */
  errors: number
  errorSamples: string[]
  /** Request sent to last byte received, per good scrape by the scrapers. */
  latenciesMs: number[]
  /** Size of the latest good answer. */
  bytes: number
}

export class Scrapes {
  readonly stats: ScrapeStats = { served: 0, errors: 0, errorSamples: [], latenciesMs: [], bytes: 0 }

  /** `elapsed`: seconds into the load, for the error examples. */
  constructor (private readonly metricsUrl: string, private readonly elapsed: () => number) {}

  /** One GET /metrics: the checked text and how long it took, or undefined after counting the error. */
  async scrape (via: Agent, who: string): Promise<{ text: string, ms: number } | undefined> {
    const t0 = performance.now()
    try {
      const answer = await send(this.metricsUrl, { agent: via, timeoutMs: SCRAPE_TIMEOUT_MS })
      const ms = performance.now() - t0
      if (answer.status !== 200) return this.error(`${who}: HTTP ${answer.status} after ${ms.toFixed(0)} ms`)
      const problem = checkExposition(answer.body)
      if (problem !== undefined) return this.error(`${who}: ${problem}`)
      return { text: answer.body, ms }
    } catch (err) {
      return this.error(`${who}: ${(err as Error).name}: ${(err as Error).message} after ${(performance.now() - t0).toFixed(0)} ms`)
    }
  }

  /** A scraper's good scrape. */
  served (scrape: { text: string, ms: number }): void {
    this.stats.served++
    this.stats.latenciesMs.push(scrape.ms)
    this.stats.bytes = scrape.text.length
  }

  private error (what: string): undefined {
    this.stats.errors++
    if (this.stats.errorSamples.length < KEPT_ERRORS) this.stats.errorSamples.push(`t=${this.elapsed().toFixed(1)}s ${what}`)
    return undefined
  }
}
