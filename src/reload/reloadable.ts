import type { Config } from '../config/types.js'

/** Swaps in what a prepare built. Never throws: everything that can fail happened in prepare. */
export type Commit = () => void

/**
 * One part of the running exporter that a reload can change (accounts and poller, TLS, authentication,
 * headers). The app registers each with the Reloader; src/reload knows none of them.
 */
export interface ReloadablePart {
  /** Names the part in the problem line of an unexpected failure. */
  name: string
  /**
   * Builds everything `next` needs (a secure context, compiled checks...) while the running configuration,
   * `current`, goes on untouched; throws a ConfigError naming the problem when `next` cannot be applied.
   */
  prepare: (next: Config, current: Config) => Commit
}
