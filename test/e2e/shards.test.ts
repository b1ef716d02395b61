// Three shards of 300 accounts, as the sharded StatefulSet runs them: three built exporters reading one
// accounts file, against the built simulator. Together they export every account once, each polls only its
// own, and a restart (with the file in another order) gives each shard the same accounts again.
import t from 'tap'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { SimulatorControl } from '../../scripts/lib/simulator-control.js'
import type { Program } from '../../scripts/lib/program.js'
import { shardOf } from '../../src/config/shard.js'
import { startExporter, startSimulator } from '../helpers/exporter-process.js'
import { waitFor } from '../helpers/wait.js'

const SHARDS = 3
const ACCOUNTS = Array.from({ length: 300 }, (_, i) => ({ name: `acct-${String(i).padStart(3, '0')}`, apiKey: `key-${i}`, apiSecret: `secret-${i}` }))
const NAMES = ACCOUNTS.map((a) => a.name)

const dir = t.testdir({})
const accountsFile = join(dir, 'accounts.yml')
writeFileSync(accountsFile, stringify({ accounts: ACCOUNTS }))
const reversedFile = join(dir, 'reversed.yml')
writeFileSync(reversedFile, stringify({ accounts: [...ACCOUNTS].reverse() }))

const simulator = startSimulator({ SIMULATOR_ACCOUNTS_FILE: accountsFile, LOG_LEVEL: 'warn' })
t.teardown(() => { simulator.child.kill('SIGKILL') })
const sim = await simulator.url()
const control = new SimulatorControl(sim)
t.teardown(() => { control.close() })

/** The shards as the StatefulSet names them (pod names), but shard 0 told by LAAFFIC_SHARD: both ways work. */
function startShards (file: string): Program[] {
  return Array.from({ length: SHARDS }, (_, i) => {
    const which: Record<string, string> = i === 0 ? { LAAFFIC_SHARD: '0' } : { LAAFFIC_POD_NAME: `laaffic-exporter-${i}` }
    const exporter = startExporter({
      LAAFFIC_ACCOUNTS_FILE: file, LAAFFIC_BASE_URL: `${sim}/v3`, LAAFFIC_TOTAL_SHARDS: String(SHARDS), ...which,
      // One poll per account during the test: the request log then shows who polled what.
      LAAFFIC_POLL_INTERVAL: '3600', LOG_LEVEL: 'warn',
    })
    t.teardown(() => { exporter.child.kill('SIGKILL') })
    return exporter
  })
}

/** What each shard exports once its first polls are done: its shard_info labels and its accounts. */
async function exported (shards: readonly Program[]): Promise<Array<{ info: string, accounts: string[] }>> {
  return await Promise.all(shards.map(async (shard) => {
    const url = await shard.url()
    await waitFor(async () => (await fetch(`${url}/readyz`)).status === 200, `${shard.name}: every account of its shard polled once`, 60_000)
    const text = await (await fetch(`${url}/metrics`)).text()
    const info = /^laaffic_exporter_shard_info\{(.*)\} 1$/m.exec(text)?.[1] ?? ''
    const accounts = [...text.matchAll(/^laaffic_balance\{account="([^"]+)"\} 100$/gm)].map((m) => m[1] ?? '')
    return { info, accounts }
  }))
}

const expected = Array.from({ length: SHARDS }, (_, i) => NAMES.filter((name) => shardOf(name, SHARDS) === i).sort())

t.test('three shards export every account exactly once, each polling only its own', async (t) => {
  const shards = startShards(accountsFile)
  const results = await exported(shards)
  t.same(results.map((r) => r.info), [0, 1, 2].map((i) => `shard="${i}",total_shards="3"`), 'laaffic_exporter_shard_info tells each shard')
  const all = results.flatMap((r) => r.accounts)
  t.equal(all.length, 300, 'the shards export 300 balances')
  t.same([...new Set(all)].sort(), NAMES, 'their union is every account, none twice')
  for (const [i, result] of results.entries()) {
    t.same([...result.accounts].sort(), expected[i], `shard ${i}: the ${expected[i]?.length ?? 0} accounts whose name hashes to it`)
    t.ok(result.accounts.length > 60 && result.accounts.length < 140, `shard ${i} holds about a third (${result.accounts.length})`)
  }
  // Each account's key reached the API once: no shard polled another's accounts.
  const requests = await control.requests()
  const polled = requests.map((r) => r.account).filter((name): name is string => name !== null)
  t.equal(polled.length, 300, 'the simulator got 300 requests')
  t.same([...polled].sort(), NAMES, 'one for each account')
  await Promise.all(shards.map(async (shard) => await shard.stop()))
})

t.test('after a restart, with the file in another order, each shard has the same accounts', async (t) => {
  const shards = startShards(reversedFile)
  const results = await exported(shards)
  for (const [i, result] of results.entries()) t.same([...result.accounts].sort(), expected[i], `shard ${i} keeps its accounts`)
  await Promise.all(shards.map(async (shard) => await shard.stop()))
})
