import t from 'tap'
import fc from 'fast-check'
import { accountsOfShard, shardOf } from '../../src/config/shard.js'

// The sharding promises, over generated account names and shard counts: every account in exactly one shard,
// membership from the name and the count alone, and growing from n to n + 1 shards moves about 1/(n + 1) of
// the accounts, each into the new shard (what a consistent hash promises; `hash % n` would move most).

/** Names as people write them: any Unicode, and numbered series that differ in one character. */
const names = fc.oneof(
  fc.uniqueArray(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }), { minLength: 1, maxLength: 200 }),
  fc.tuple(fc.string({ unit: 'grapheme-ascii', maxLength: 12 }), fc.integer({ min: 1, max: 1000 }))
    .map(([prefix, count]) => Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(4, '0')}`)),
)

/** How far a count may stray from its mean before the test calls the hash biased: 6 standard deviations (about 1 in 10^9). */
const tolerance = (trials: number, p: number): number => 6 * Math.sqrt(trials * p * (1 - p)) + 1

t.test('every account is in exactly one shard, whatever the names and the number of shards', async () => {
  fc.assert(fc.property(names, fc.integer({ min: 1, max: 32 }), (list, total) => {
    const accounts = list.map((name) => ({ name }))
    const shards = Array.from({ length: total }, (_, index) => accountsOfShard(accounts, { index, total }))
    const seen = shards.flat().map((a) => a.name)
    return seen.length === list.length && new Set(seen).size === list.length
  }), { numRuns: 50 })
})

t.test('membership depends on the name and the number of shards only: not on the other accounts or their order', async () => {
  // A shard of a shuffled subset of the accounts holds exactly the subset's members of the whole list's shard.
  fc.assert(fc.property(names.chain((list) => fc.tuple(fc.constant(list), fc.shuffledSubarray(list))), fc.integer({ min: 1, max: 32 }), fc.nat(),
    ([list, subset], total, pick) => {
      const index = pick % total
      const whole = new Set(accountsOfShard(list.map((name) => ({ name })), { index, total }).map((a) => a.name))
      const part = accountsOfShard(subset.map((name) => ({ name })), { index, total }).map((a) => a.name)
      return part.length === subset.filter((name) => whole.has(name)).length && part.every((name) => whole.has(name))
    }), { numRuns: 50 })
})

t.test('from n to n + 1 shards about 1/(n + 1) of the accounts move, all into the new shard', async () => {
  const accounts = fc.tuple(fc.string({ unit: 'grapheme', maxLength: 10 }), fc.integer({ min: 500, max: 4000 }))
    .map(([prefix, count]) => Array.from({ length: count }, (_, i) => `${prefix}-${i}`))
  fc.assert(fc.property(accounts, fc.integer({ min: 1, max: 40 }), (list, n) => {
    const moved = list.filter((name) => shardOf(name, n) !== shardOf(name, n + 1))
    if (!moved.every((name) => shardOf(name, n + 1) === n)) return false
    const p = 1 / (n + 1)
    return Math.abs(moved.length - list.length * p) <= tolerance(list.length, p)
  }), { numRuns: 40 })
})

t.test('the shards are even: each holds about 1/n of the accounts', async () => {
  const accounts = fc.tuple(fc.string({ unit: 'grapheme', maxLength: 10 }), fc.integer({ min: 1000, max: 5000 }))
    .map(([prefix, count]) => Array.from({ length: count }, (_, i) => `${prefix}${i}`))
  fc.assert(fc.property(accounts, fc.integer({ min: 2, max: 16 }), (list, n) => {
    const sizes = Array.from({ length: n }, () => 0)
    for (const name of list) sizes[shardOf(name, n)]! += 1
    return sizes.every((size) => Math.abs(size - list.length / n) <= tolerance(list.length, 1 / n))
  }), { numRuns: 40 })
})

t.test('the moved share is measured, not assumed: `hash % n` would fail the same check', async (t) => {
  // The check above must be able to fail: the same count for a modulo of the same hash moves most accounts.
  const list = Array.from({ length: 3000 }, (_, i) => `acct-${i}`)
  const modulo = (name: string, n: number): number => Number(BigInt(`0x${Buffer.from(name).toString('hex')}`) % BigInt(n))
  const moved = list.filter((name) => modulo(name, 3) !== modulo(name, 4)).length
  t.ok(Math.abs(moved - list.length / 4) > tolerance(list.length, 1 / 4), `hash % n moves ${moved} of 3000 going from 3 to 4 shards`)
  const jumped = list.filter((name) => shardOf(name, 3) !== shardOf(name, 4)).length
  t.ok(Math.abs(jumped - list.length / 4) <= tolerance(list.length, 1 / 4), `the jump hash moves ${jumped} of 3000 (about 750)`)
})
