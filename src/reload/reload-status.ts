import { Gauge, type Registry } from 'prom-client'
import { METRIC } from '../metrics/names.js'

/**
 * How the latest reload went, exported under Prometheus' own names for the same facts, so the alerts and
 * habits people have for Prometheus' reloads work here too. Starting counts as a successful load.
 */
export class ReloadStatus {
  private changes = 0
  successful = true
  /** The latest refused reload: when, and how many problems it had (their text stays in the log). */
  lastRefusal: { atMs: number, problems: number } | undefined

  constructor (public lastSuccessMs: number) {}

  /** Moves with every reload, so the /metrics cache renders these again. */
  get version (): number {
    return this.changes
  }

  record (ok: boolean, atMs: number, problems = 0): void {
    this.successful = ok
    if (ok) this.lastSuccessMs = atMs
    else this.lastRefusal = { atMs, problems }
    this.changes++
  }

  register (registry: Registry): void {
    const successful = (): number => Number(this.successful)
    const lastSuccessSeconds = (): number => this.lastSuccessMs / 1000
    new Gauge({
      name: METRIC.configLastReloadSuccessful,
      help: 'Whether the last configuration reload attempt was successful (1) or refused (0).',
      registers: [registry],
      collect () { this.set(successful()) },
    })
    new Gauge({
      name: METRIC.configLastReloadSuccessTimestamp,
      help: 'Unix time of the last successful configuration load (the start, or a reload).',
      registers: [registry],
      collect () { this.set(lastSuccessSeconds()) },
    })
  }
}
