import { collectDefaultMetrics, Gauge, type Registry } from 'prom-client'
import type { ShardConfig } from '../config/types.js'
import { METRIC } from './names.js'

export interface BuildInfo {
  version: string
  nodejsVersion: string
}

export function registerBuildInfo (registry: Registry, info: BuildInfo): void {
  const gauge = new Gauge({
    name: METRIC.buildInfo,
    help: 'Always 1; labelled with the exporter version and the Node.js version running it.',
    labelNames: ['version', 'nodejs_version'],
    registers: [registry],
  })
  gauge.set({ version: info.version, nodejs_version: info.nodejsVersion }, 1)
}

/** Which shard this target is (LAAFFIC_SHARD of LAAFFIC_TOTAL_SHARDS); shard 0 of 1 when not sharded. */
export function registerShardInfo (registry: Registry, shard: ShardConfig): void {
  const gauge = new Gauge({
    name: METRIC.shardInfo,
    help: 'Always 1; labelled with the shard of the accounts this process polls and the number of shards.',
    labelNames: ['shard', 'total_shards'],
    registers: [registry],
  })
  gauge.set({ shard: String(shard.index), total_shards: String(shard.total) }, 1)
}

/**
 * prom-client's gauges that break Prometheus naming rules (`promtool check metrics`: a gauge must not end
 * in _total). Each is the sum of a family that stays: sum(nodejs_active_handles) and so on.
 */
const MISNAMED_DEFAULT_METRICS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']

/** prom-client's process and Node.js metrics, minus the misnamed ones, in a registry of their own. */
export function registerProcessMetrics (registry: Registry): void {
  collectDefaultMetrics({ register: registry })
  for (const name of MISNAMED_DEFAULT_METRICS) registry.removeSingleMetric(name)
}
