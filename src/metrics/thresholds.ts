import { Gauge, type Registry } from 'prom-client'
import type { AccountConfig } from '../config/types.js'
import { METRIC } from './names.js'

/**
 * Each account's balance thresholds as gauges, so alert rules compare against the account's own limits
 * (no rule edits per account) and dashboards can draw them. Set once: they come from the configuration.
 */
export function registerThresholdMetrics (registry: Registry, accounts: AccountConfig[]): void {
  const warning = new Gauge({
    name: METRIC.balanceWarningThreshold,
    help: 'Balance under which the LaafficBalanceLow alert fires (LAAFFIC_BALANCE_WARNING or balanceWarning).',
    labelNames: ['account'],
    registers: [registry],
  })
  const critical = new Gauge({
    name: METRIC.balanceCriticalThreshold,
    help: 'Balance under which the LaafficBalanceCritical alert fires (LAAFFIC_BALANCE_CRITICAL or balanceCritical).',
    labelNames: ['account'],
    registers: [registry],
  })
  for (const account of accounts) {
    warning.set({ account: account.name }, account.balanceWarning)
    critical.set({ account: account.name }, account.balanceCritical)
  }
}
