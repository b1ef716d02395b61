import { Registry } from 'prom-client'
import type { ReloadStatus } from '../reload/reload-status.js'
import type { AccountStates } from '../state/account-states.js'
import { AccountFamilies } from './account-metrics.js'
import type { ShardConfig } from '../config/types.js'
import { registerBuildInfo, registerProcessMetrics, registerShardInfo, type BuildInfo } from './exporter-metrics.js'
import { MetricsRenderer } from './renderer.js'
import { CONSTANT, VersionedRegistry } from './versioned-registry.js'

export interface MetricsOptions {
  states: AccountStates
  now: () => number
  /** Value series are dropped this long after the last success; 0 keeps them forever. */
  maxStalenessMs: number
  buildInfo: BuildInfo
  /** Which shard of the accounts this process polls (default: shard 0 of 1). */
  shard?: ShardConfig
  /** prom-client's process_* and nodejs_* families, in a registry of their own. */
  processMetrics: boolean
  /** The registry of the exporter's prom-client families, rendered after the account ones; a test passes one with a failing metric. */
  registry?: Registry
  /** How the latest configuration reload went. */
  reloadStatus?: ReloadStatus
}

/**
 * Every family /metrics shows, behind the renderer that caches their text: the per-account families by the
 * states' version (AccountStates.update is the only writer of a state), the registry's by the source each family
 * was registered with.
 */
export function createMetrics (options: MetricsOptions): MetricsRenderer {
  const { states, now, maxStalenessMs, buildInfo, reloadStatus } = options
  const registry = new VersionedRegistry(options.registry)
  registry.add(CONSTANT, (r) => { registerBuildInfo(r, buildInfo) })
  registry.add(CONSTANT, (r) => { registerShardInfo(r, options.shard ?? { index: 0, total: 1 }) })
  if (reloadStatus !== undefined) registry.add(reloadStatus, (r) => { reloadStatus.register(r) })
  const processRegistry = options.processMetrics ? new Registry() : undefined
  if (processRegistry !== undefined) registerProcessMetrics(processRegistry)
  return new MetricsRenderer({
    accounts: new AccountFamilies(states, now, maxStalenessMs),
    registry,
    ...(processRegistry !== undefined && { processRegistry }),
    now,
  })
}
