// The Prometheus text format (version 0.0.4), as prom-client writes it: the account families are written
// here directly from the account states (see account-metrics.ts for why), the rest by prom-client, and
// test/metrics/exposition.test.ts checks both write the same bytes.

/** Label values escape backslash, newline and double quote. */
export function escapeLabelValue (value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')
}

/** Sample values: integers without a decimal point, +Inf/-Inf/NaN spelled the format's way. */
export function formatValue (value: number): string {
  if (Number.isNaN(value)) return 'NaN'
  if (!Number.isFinite(value)) return value < 0 ? '-Inf' : '+Inf'
  return String(value)
}

/** `# HELP` and `# TYPE` lines of a family, each ending in a newline. */
export function familyHeader (name: string, help: string, type: 'gauge' | 'counter'): string {
  return `# HELP ${name} ${help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}\n# TYPE ${name} ${type}\n`
}
