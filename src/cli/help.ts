import { listVariables, type VariableFacts } from '../config/list-variables.js'
import { envSchema } from '../config/schema.js'

/** Markdown as plain text: `code` and [links](#x) keep only their words. */
const plain = (markdown: string): string => markdown.replace(/`([^`]*)`/g, '$1').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')

function describe (variable: VariableFacts): string {
  const facts = [
    variable.default !== undefined ? `default ${variable.default}` : variable.defaultText !== undefined ? `default ${variable.defaultText}` : undefined,
    variable.range,
    variable.values === undefined ? undefined : `one of ${variable.values.join(', ')}`,
  ].filter((fact) => fact !== undefined)
  return `  ${variable.name}\n      ${plain(variable.description)}${facts.length === 0 ? '' : ` (${facts.join('; ')})`}\n`
}

/** `laaffic-exporter --help`: every variable with its default and range, from the env schema (so it cannot drift). */
export function helpText (): string {
  return `laaffic-exporter: a Prometheus exporter for the balance of Laaffic SMS accounts.

usage: laaffic-exporter [--help | --version]

It reads its configuration from these environment variables (an empty one counts as unset), polls the
Laaffic API and serves /metrics, / (status page), /healthz and /readyz on HOST:PORT.

${listVariables(envSchema).map(describe).join('')}
More in README.md (metrics, alerts, securing the endpoint).
`
}
