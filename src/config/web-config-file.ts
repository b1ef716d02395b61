// WEB_CONFIG_FILE: the exporter-toolkit's web configuration file, the one every Prometheus exporter reads with
// --web.config.file (prometheus/exporter-toolkit docs/web-configuration.md). Read as Go's yaml.v2 reads it
// (YAML 1.1, yaml-go.ts), then checked and built by the one web front end (web-document.ts).
import { dirname } from 'node:path'
import { quote } from './env.js'
import { readConfigFile, type ReadFile } from './secrets.js'
import type { WebConfig } from './types.js'
import { buildWebConfig } from './web-document.js'
import { goValues } from './yaml-go.js'
import { parseYamlDocument } from './yaml.js'
import { shownKey } from './yaml-go.js'

const VARIABLE = 'WEB_CONFIG_FILE'

export function loadWebConfigFile (path: string, readFile: ReadFile, problems: string[]): WebConfig | undefined {
  const text = readConfigFile(path, VARIABLE, readFile, problems)
  if (text === undefined) return undefined
  const parsed = parseYamlDocument(text, '1.1')
  const values = 'document' in parsed ? goValues(parsed.document) : parsed
  if ('problem' in values) {
    problems.push(`${VARIABLE}: ${quote(path)} is not valid YAML: ${values.problem}`)
    return undefined
  }
  return buildWebConfig(values.value, {
    at: (setting) => setting === '' ? VARIABLE : `${VARIABLE}: ${setting}`,
    user: (name) => `${VARIABLE}: basic_auth_users: the password hash of ${shownKey(name)}`,
    base: dirname(path),
    readFile,
  }, problems)
}
