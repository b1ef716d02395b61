// Horizontal sharding, as kube-state-metrics does it: every process reads the same configuration and keeps
// the accounts whose hash falls in its shard. Membership depends on the account's name and the number of
// shards only, so processes agree without talking to each other, and a restart keeps a shard's accounts.
import { createHash } from 'node:crypto'
import { quote } from './env.js'
import type { Env } from './schema.js'
import type { ShardConfig } from './types.js'

/** One process polls every account. */
export const UNSHARDED: ShardConfig = { index: 0, total: 1 }

/**
 * Jump consistent hash (Lamping and Veach, "A Fast, Minimal Memory, Consistent Hash Algorithm", 2014,
 * https://arxiv.org/abs/1406.2294): the bucket in [0, buckets) of a 64-bit key, as the paper's C++ code
 * computes it. Going from n to n + 1 buckets moves about 1/(n + 1) of the keys, each into the new bucket.
 */
export function jumpHash (key: bigint, buckets: number): number {
  let b = -1
  let j = 0
  while (j < buckets) {
    b = j
    key = BigInt.asUintN(64, key * 2862933555777941757n + 1n)
    j = Math.floor((b + 1) * (2 ** 31 / (Number(key >> 33n) + 1)))
  }
  return b
}

/** The shard of an account: the jump hash of the first 8 bytes (big-endian) of the SHA-256 of its UTF-8 name. */
export function shardOf (accountName: string, totalShards: number): number {
  return jumpHash(createHash('sha256').update(accountName, 'utf8').digest().readBigUInt64BE(0), totalShards)
}

/** The accounts that belong to this shard, in their configured order. */
export function accountsOfShard<A extends { name: string }> (accounts: readonly A[], shard: ShardConfig): A[] {
  return shard.total === 1 ? [...accounts] : accounts.filter((account) => shardOf(account.name, shard.total) === shard.index)
}

type ShardVars = Partial<Pick<Env, 'LAAFFIC_SHARD' | 'LAAFFIC_TOTAL_SHARDS' | 'LAAFFIC_POD_NAME'>>

/** A StatefulSet pod's name ends in its ordinal: laaffic-exporter-2. */
const ORDINAL = /-(\d+)$/

/**
 * This process' shard, from LAAFFIC_SHARD or the ordinal of LAAFFIC_POD_NAME, out of LAAFFIC_TOTAL_SHARDS.
 * Problems go to `problems`; UNSHARDED is returned with them.
 */
export function loadShard (vars: ShardVars, problems: string[]): ShardConfig {
  const total = vars.LAAFFIC_TOTAL_SHARDS ?? 1
  const before = problems.length
  let index = vars.LAAFFIC_SHARD
  let source = 'LAAFFIC_SHARD'
  if (vars.LAAFFIC_POD_NAME !== undefined) {
    source = `LAAFFIC_POD_NAME: the ordinal of ${quote(vars.LAAFFIC_POD_NAME)}`
    const ordinal = ORDINAL.exec(vars.LAAFFIC_POD_NAME)?.[1]
    if (index !== undefined) {
      problems.push('LAAFFIC_SHARD and LAAFFIC_POD_NAME both name the shard: set one of them')
    } else if (ordinal === undefined) {
      problems.push(`LAAFFIC_POD_NAME: must end in -ORDINAL, as a StatefulSet pod's name does (laaffic-exporter-2) (got ${quote(vars.LAAFFIC_POD_NAME)})`)
    } else {
      index = Number(ordinal)
    }
  }
  if (problems.length === before && index === undefined && total > 1) {
    problems.push(`LAAFFIC_TOTAL_SHARDS is ${total}: set LAAFFIC_SHARD (0 to ${total - 1}) or LAAFFIC_POD_NAME to say which shard this process is`)
  }
  if (problems.length === before && index !== undefined && index >= total) {
    problems.push(`${source} (${index}) must be below LAAFFIC_TOTAL_SHARDS (${total}): change the number of replicas and LAAFFIC_TOTAL_SHARDS together`)
  }
  return problems.length === before ? { index: index ?? 0, total } : UNSHARDED
}
