import type { Registry } from 'prom-client'
import type { AccountFamilies } from './account-metrics.js'
import { MetricsBody } from './metrics-body.js'
import type { VersionedRegistry } from './versioned-registry.js'

export interface RendererOptions {
  /** The per-account families, written from the account states; their version moves with every change of a state. */
  accounts: Pick<AccountFamilies, 'render' | 'changesAtMs' | 'version'>
  /** The exporter's prom-client families (build info, reload status...), after the account ones. */
  registry: Pick<VersionedRegistry, 'contentType' | 'metrics' | 'versions'>
  /** prom-client's process and Node.js families, if on. */
  processRegistry?: Registry
  now: () => number
  /** Process metrics are collected at most once per this window. */
  processTtlMs?: number
}

interface Cached { bytes: Buffer, validUntilMs: number }

/**
 * Renders /metrics without redoing work a scrape does not need: the account families are re-rendered
 * only after a poll changed them (or a value went stale), the process families at most once a second
 * (far below any scrape interval), the registry's families when a source they were registered with moved
 * (VersionedRegistry lets no family in without one), and concurrent scrapes share one render. The body is
 * encoded once per change, not per scrape: joining and encoding ~10 KB on every one of tens of thousands of
 * scrapes a second halved the throughput and kept the garbage collector busy.
 */
export class MetricsRenderer {
  readonly contentType: string
  /** One Buffer per family; `version` is the state version the text was rendered at. */
  private account?: { families: Buffer[], validUntilMs: number, version: number }
  /** `versions` is what the registry's sources were at when its text was rendered. */
  private registry?: { bytes: Buffer, versions: string }
  private process?: Cached
  private body?: MetricsBody
  private inflight?: Promise<MetricsBody>
  /** The compressed body, made once per body (in libuv's threads, so a big one does not stall scrapes). */
  private gzipped?: { of: MetricsBody, body: Promise<Buffer> }

  constructor (private readonly options: RendererOptions) {
    this.contentType = options.registry.contentType
  }

  /** The /metrics body, UTF-8. */
  async render (): Promise<MetricsBody> {
    this.inflight ??= this.renderBoth().finally(() => { this.inflight = undefined })
    return await this.inflight
  }

  /**
   * The same body gzip-compressed, compressed once per change of the body and shared by every scrape until
   * the next (Go's promhttp compresses on every scrape).
   */
  async renderGzip (): Promise<Buffer> {
    const body = await this.render()
    if (this.gzipped?.of !== body) this.gzipped = { of: body, body: body.gzip() }
    return await this.gzipped.body
  }

  private async renderBoth (): Promise<MetricsBody> {
    const { accounts, registry, processRegistry, now, processTtlMs = 1000 } = this.options
    const at = now()
    let changed = this.body === undefined
    if (this.account === undefined || this.account.version !== accounts.version() || at >= this.account.validUntilMs) {
      const renderedAt = accounts.version()
      // Kept encoded: as a string as well, the largest thing on the heap would be here twice (13 MB each at
      // 10,000 accounts).
      this.account = { families: accounts.render(at), version: renderedAt, validUntilMs: accounts.changesAtMs(at) }
      changed = true
    }
    const versions = registry.versions()
    if (this.registry?.versions !== versions) {
      this.registry = { bytes: Buffer.from(await registry.metrics(), 'utf8'), versions }
      changed = true
    }
    if (processRegistry !== undefined && (this.process === undefined || at >= this.process.validUntilMs)) {
      this.process = { bytes: Buffer.from(await processRegistry.metrics(), 'utf8'), validUntilMs: at + processTtlMs }
      changed = true
    }
    if (changed || this.body === undefined) {
      this.body = new MetricsBody([...this.account.families, this.registry.bytes, ...this.process === undefined ? [] : [this.process.bytes]])
      // The old body's compressed copy goes with it: kept, it would keep the old body's 13 MB (at 10,000
      // accounts) alive until the next scrape that asks for gzip.
      this.gzipped = undefined
    }
    return this.body
  }
}
