import { Registry } from 'prom-client'

/** Anything whose `version` moves whenever what it exports changes (ReloadStatus, AccountStates...). */
export interface Versioned {
  readonly version: number
}

/** The source of families set once at start and never again (build info, shard info). */
export const CONSTANT: Versioned = Object.freeze({ version: 0 })

/**
 * The exporter's prom-client registry behind the one way to add to it: every registration names what moves
 * when the families it adds change. The /metrics cache keys on `versions()`, which covers every registration
 * by construction: a family cannot be added without its source, and no sum of versions is kept by hand.
 */
export class VersionedRegistry {
  /** Private: a family registered straight into it would be rendered once and then never again. */
  readonly #registry: Registry
  readonly #sources: Versioned[] = []
  #registrations = 0
  /** A registry given from outside: nothing says when its families change, so it is read at every render. */
  readonly #given: boolean
  #reads = 0

  /** `registry`, for tests (one with a failing family): given, it is rendered afresh on every scrape. */
  constructor (registry?: Registry) {
    this.#registry = registry ?? new Registry()
    this.#given = registry !== undefined
  }

  /** Runs `register` on the registry; the families it adds are rendered again whenever `source.version` moves. */
  add (source: Versioned, register: (registry: Registry) => void): void {
    register(this.#registry)
    this.#registrations++
    if (!this.#sources.includes(source)) this.#sources.push(source)
  }

  /** The registrations so far and each source's version: differs from an earlier call whenever a family may have changed. */
  versions (): string {
    if (this.#given) return `read ${++this.#reads}`
    return `${this.#registrations}:${this.#sources.map((source) => source.version).join(',')}`
  }

  get contentType (): string {
    return this.#registry.contentType
  }

  async metrics (): Promise<string> {
    return await this.#registry.metrics()
  }
}
