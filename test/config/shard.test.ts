import t from 'tap'
import { loadConfig } from '../../src/config/load.js'
import { accountsOfShard, jumpHash, loadShard, shardOf } from '../../src/config/shard.js'
import { ConfigError } from '../../src/config/types.js'

t.test('jumpHash gives the paper\'s algorithm\'s buckets (vectors from ClickHouse\'s jumpConsistentHash tests)', async (t) => {
  const vectors: Array<[bigint, number, number]> = [
    [1n, 1, 0],
    [42n, 57, 43],
    [256n, 1024, 520],
    [3735883980n, 1, 0],
    [3735883980n, 666, 361],
    [16045690984833335023n, 255, 237],
  ]
  for (const [key, buckets, bucket] of vectors) t.equal(jumpHash(key, buckets), bucket, `jumpHash(${key}, ${buckets})`)
})

t.test('an account\'s shard is the jump hash of its name\'s SHA-256: fixed values a reimplementation can check', async (t) => {
  // sha256("otp") starts 4503b318cc4c599b, the key 0x4503b318cc4c599b. Computed apart, by a Python port of the paper's
  // code; these values must never change: changing them moves accounts between running shards.
  const names = ['otp', 'marketing', 'acct-0000', 'acct-0001', 'acct-0002', 'ünïcode']
  t.same(names.map((name) => shardOf(name, 1)), [0, 0, 0, 0, 0, 0])
  t.same(names.map((name) => shardOf(name, 3)), [0, 1, 1, 0, 1, 0])
  t.same(names.map((name) => shardOf(name, 4)), [3, 3, 3, 0, 3, 3], 'from 3 to 4 shards, an account stays or moves to the new one')
})

t.test('accountsOfShard keeps the configured order and everything when unsharded', async (t) => {
  const accounts = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((name) => ({ name }))
  t.same(accountsOfShard(accounts, { index: 0, total: 1 }), accounts)
  const shards = [0, 1, 2].map((index) => accountsOfShard(accounts, { index, total: 3 }))
  t.same(shards.flat().map((a) => a.name).sort(), accounts.map((a) => a.name), 'every account in one shard')
  for (const shard of shards) t.same(shard, accounts.filter((a) => shard.includes(a)), 'in the configured order')
})

t.test('loadShard: the shard from LAAFFIC_SHARD or the pod name, and one line per mistake', async (t) => {
  const cases: Array<[Parameters<typeof loadShard>[0], { index: number, total: number } | string]> = [
    [{}, { index: 0, total: 1 }],
    [{ LAAFFIC_TOTAL_SHARDS: 1 }, { index: 0, total: 1 }],
    [{ LAAFFIC_SHARD: 0 }, { index: 0, total: 1 }],
    [{ LAAFFIC_SHARD: 2, LAAFFIC_TOTAL_SHARDS: 3 }, { index: 2, total: 3 }],
    [{ LAAFFIC_POD_NAME: 'laaffic-exporter-2', LAAFFIC_TOTAL_SHARDS: 3 }, { index: 2, total: 3 }],
    [{ LAAFFIC_POD_NAME: 'laaffic-exporter-0' }, { index: 0, total: 1 }],
    [{ LAAFFIC_POD_NAME: 'shard-007', LAAFFIC_TOTAL_SHARDS: 8 }, { index: 7, total: 8 }],
    [{ LAAFFIC_TOTAL_SHARDS: 3 }, 'LAAFFIC_TOTAL_SHARDS is 3: set LAAFFIC_SHARD (0 to 2) or LAAFFIC_POD_NAME to say which shard this process is'],
    [{ LAAFFIC_SHARD: 3, LAAFFIC_TOTAL_SHARDS: 3 },
      'LAAFFIC_SHARD (3) must be below LAAFFIC_TOTAL_SHARDS (3): change the number of replicas and LAAFFIC_TOTAL_SHARDS together'],
    [{ LAAFFIC_SHARD: 1 }, 'LAAFFIC_SHARD (1) must be below LAAFFIC_TOTAL_SHARDS (1): change the number of replicas and LAAFFIC_TOTAL_SHARDS together'],
    [{ LAAFFIC_POD_NAME: 'laaffic-exporter-3', LAAFFIC_TOTAL_SHARDS: 3 },
      'LAAFFIC_POD_NAME: the ordinal of "laaffic-exporter-3" (3) must be below LAAFFIC_TOTAL_SHARDS (3): change the number of replicas and LAAFFIC_TOTAL_SHARDS together'],
    // A Deployment's pod: its name ends in a random suffix, not an ordinal.
    [{ LAAFFIC_POD_NAME: 'laaffic-exporter-5d8f9c7b6-x2k4q', LAAFFIC_TOTAL_SHARDS: 3 },
      'LAAFFIC_POD_NAME: must end in -ORDINAL, as a StatefulSet pod\'s name does (laaffic-exporter-2) (got "laaffic-exporter-5d8f9c7b6-x2k4q")'],
    [{ LAAFFIC_POD_NAME: 'laaffic-exporter-1', LAAFFIC_SHARD: 1, LAAFFIC_TOTAL_SHARDS: 3 },
      'LAAFFIC_SHARD and LAAFFIC_POD_NAME both name the shard: set one of them'],
  ]
  for (const [vars, expected] of cases) {
    const problems: string[] = []
    const shard = loadShard(vars, problems)
    if (typeof expected === 'string') {
      t.same(problems, [expected], JSON.stringify(vars))
    } else {
      t.same({ shard, problems }, { shard: expected, problems: [] }, JSON.stringify(vars))
    }
  }
})

t.test('loadConfig applies the shard to the accounts file, after checking every entry', async (t) => {
  const names = Array.from({ length: 30 }, (_, i) => `acct-${i}`)
  const file = `accounts:\n${names.map((name) => `  - { name: ${name}, apiKey: "k", apiSecret: "s" }`).join('\n')}\n`
  const readFile = (path: string): string => {
    if (path === '/accounts.yml') return file
    if (path === '/broken.yml') return `${file}  - { name: acct-bad, apiKey: "k" }\n`
    throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' })
  }
  const shards = [0, 1, 2].map((i) => loadConfig({ LAAFFIC_ACCOUNTS_FILE: '/accounts.yml', LAAFFIC_TOTAL_SHARDS: '3', LAAFFIC_SHARD: String(i) }, readFile))
  t.same(shards.map((c) => c.shard), [{ index: 0, total: 3 }, { index: 1, total: 3 }, { index: 2, total: 3 }])
  t.same(shards.flatMap((c) => c.accounts.map((a) => a.name)).sort(), [...names].sort(), 'the shards together hold every account once')
  for (const config of shards) t.ok(config.accounts.length > 0 && config.accounts.length < 30, `shard ${config.shard.index}: ${config.accounts.length} accounts`)

  // An entry another shard owns still fails this one: every shard sees the same mistakes.
  t.throws(() => loadConfig({ LAAFFIC_ACCOUNTS_FILE: '/broken.yml', LAAFFIC_TOTAL_SHARDS: '30', LAAFFIC_SHARD: '0' }, readFile), ConfigError)
  // The schema's own checks name the variables.
  const problemsOf = (env: Record<string, string>): string[] => {
    try {
      loadConfig(env, readFile)
      return []
    } catch (err) {
      return (err as ConfigError).problems
    }
  }
  const accountsFile = { LAAFFIC_ACCOUNTS_FILE: '/accounts.yml' }
  t.same(problemsOf({ ...accountsFile, LAAFFIC_TOTAL_SHARDS: '0' }), ['LAAFFIC_TOTAL_SHARDS: must be >= 1 (got "0")'])
  t.same(problemsOf({ ...accountsFile, LAAFFIC_TOTAL_SHARDS: '3', LAAFFIC_SHARD: '-1' }), ['LAAFFIC_SHARD: must be >= 0 (got "-1")'])
  t.same(problemsOf({ ...accountsFile, LAAFFIC_TOTAL_SHARDS: '2.5', LAAFFIC_SHARD: '1' }), ['LAAFFIC_TOTAL_SHARDS: must be a whole number (got "2.5")'])
})
