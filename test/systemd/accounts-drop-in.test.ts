// docs/systemd.md's drop-in for several accounts, applied over deploy/systemd/laaffic-exporter.service as
// systemd would (Environment= in order, a later assignment of a variable wins; %d is the credentials
// folder): the environment the exporter then gets must load, with the accounts of the file.
import t from 'tap'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadConfig } from '../../src/config/load.js'
import { ConfigError } from '../../src/config/types.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const unitText = readFileSync(join(ROOT, 'deploy', 'systemd', 'laaffic-exporter.service'), 'utf8')
const docs = readFileSync(join(ROOT, 'docs', 'systemd.md'), 'utf8')

/** The `Environment=NAME=value` assignments of a unit or drop-in, in order. */
const environment = (text: string): Array<[string, string]> =>
  [...text.matchAll(/^\s*Environment=([A-Z_][A-Z0-9_]*)=(.*)$/gm)].map((m) => [m[1] ?? '', m[2] ?? ''])

t.test('the documented several-accounts drop-in gives an environment the exporter loads', async (t) => {
  // The ini block that sets LAAFFIC_ACCOUNTS_FILE in the docs.
  const dropIn = [...docs.matchAll(/```ini\n([\s\S]*?)```/g)].map((m) => m[1] ?? '').find((block) => block.includes('LAAFFIC_ACCOUNTS_FILE'))
  t.ok(dropIn, 'docs/systemd.md shows the drop-in as an ini block')
  if (dropIn === undefined) return
  const credentials = mkdtempSync(join(tmpdir(), 'laaffic-credentials-'))
  t.teardown(() => { rmSync(credentials, { recursive: true, force: true }) })
  writeFileSync(join(credentials, 'accounts.yml'), 'accounts:\n  - {name: otp, apiKey: k1, apiSecret: s1}\n  - {name: marketing, apiKey: k2, apiSecret: s2}\n')
  const env: Record<string, string> = {}
  for (const [name, value] of [...environment(unitText), ...environment(dropIn)]) env[name] = value.replaceAll('%d', credentials)
  let problems: string[] = []
  let names: string[] = []
  try {
    names = loadConfig(env).accounts.map((account) => account.name)
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    problems = err.problems
  }
  t.same(problems, [], 'no configuration error')
  t.same(names, ['otp', 'marketing'], 'the accounts of the file')
})
