import { readFileSync } from 'node:fs'
import t from 'tap'
import { configTable, GENERATED_BLOCKS, readBlock, writeBlock } from '../../scripts/docs/generated-blocks.js'
import { STATUS_TABLE } from '../../src/api/status.js'
import { envSchema } from '../../src/config/schema.js'

const read = (file: string): string => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8')
const README = read('README.md')
const METRICS_DOC = read('docs/metrics.md')
/** Which document holds which block (scripts/docs.ts rewrites every block a document has). */
const BLOCKS_BY_FILE: Record<string, string[]> = { 'README.md': ['config-table'], 'docs/metrics.md': ['status-table'], 'SOAK.md': ['soak-flags'], 'docs/simulator.md': ['simulator-config-table'], 'docs/status-page.md': ['status-page-states'], 'docs/accounts.md': ['account-settings'] }

t.test('every generated block is in its document and is what the code says (npm run docs rewrites them)', async (t) => {
  t.same(Object.values(BLOCKS_BY_FILE).flat().sort(), Object.keys(GENERATED_BLOCKS).sort(), 'every block has a document')
  for (const [file, names] of Object.entries(BLOCKS_BY_FILE)) {
    const document = read(file)
    for (const name of names) {
      const committed = readBlock(document, name)
      t.not(committed, undefined, `${file} has a ${name} block`)
      t.equal(committed, GENERATED_BLOCKS[name]?.(), `${file}'s ${name} block is current`)
    }
  }
})

t.test('the status table of docs/metrics.md has one row per entry of the status table, with its facts', async (t) => {
  const rows = (readBlock(METRICS_DOC, 'status-table') ?? '').split('\n').slice(2)
    .map((line) => line.split(/(?<!\\)\|/).slice(1, -1).map((cell) => cell.trim()))
  t.equal(rows.length, STATUS_TABLE.length)
  for (const [i, info] of STATUS_TABLE.entries()) {
    const [status, from, meaning, backoff, startsAtZero, hint] = rows[i] ?? []
    t.match(status, info.status === 'other' ? /other/ : info.status, `row ${i}: status`)
    t.equal(from, info.source === 'api' ? 'API' : 'exporter', `${info.status}: source`)
    t.equal(meaning, info.meaning, `${info.status}: meaning`)
    t.equal(backoff, info.backoff ? 'yes' : 'no', `${info.status}: backoff`)
    t.equal(startsAtZero, info.startsAtZero ? 'yes' : 'no', `${info.status}: starts at 0`)
    t.equal(hint, info.hint, `${info.status}: hint`)
  }
})

t.test('a drifted copy is caught, and writeBlock puts it right', async (t) => {
  const drifted = METRICS_DOC.replace('| `-13` | API | user locked | yes |', '| `-13` | API | user locked | no |')
  t.not(drifted, METRICS_DOC, 'the test edit applied')
  t.not(readBlock(drifted, 'status-table'), GENERATED_BLOCKS['status-table']?.())
  t.equal(readBlock(writeBlock(drifted, 'status-table', GENERATED_BLOCKS['status-table']?.() ?? ''), 'status-table'),
    GENERATED_BLOCKS['status-table']?.())
  t.throws(() => writeBlock('no markers here', 'status-table', 'x'), /no <!-- generated:status-table --> block/)
})

t.test('the README configuration table has one row per variable of the env schema, in its order', async (t) => {
  const names = (readBlock(README, 'config-table') ?? '').split('\n').slice(2).map((line) => /^\| `(\w+)` \|/.exec(line)?.[1])
  t.same(names, Object.keys(envSchema.properties))
})

t.test('a row shows the default, the description, the allowed values and the range', async (t) => {
  const rows = configTable().split('\n')
  for (const row of [
    '| `LAAFFIC_API_KEY` | — | API key of the single account (required unless `LAAFFIC_ACCOUNTS_FILE`) |',
    '| `LAAFFIC_POLL_INTERVAL` | `60` | seconds between polls of an account (1 to 86400) |',
    '| `LAAFFIC_REQUEST_TIMEOUT` | `10` | seconds for one HTTP attempt (more than 0, at most 600) |',
    '| `LAAFFIC_MAX_STALENESS` | max(900, 3 × interval) | seconds after the last success at which the value series are dropped; `0` keeps them forever (0 to 31536000) |',
    '| `LAAFFIC_PROCESS_METRICS` | `true` | `false` turns off prom-client\'s `process_*` and `nodejs_*` metrics |',
    '| `LOG_LEVEL` | `info` | pino level: `fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent` |',
  ]) t.ok(rows.includes(row), row)
})
