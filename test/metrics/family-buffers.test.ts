import t from 'tap'
import type { PollStatus } from '../../src/api/status.js'
import { DEFAULT_SETTINGS } from '../../src/config/account-settings.js'
import { ACCOUNT_FAMILIES, AccountFamilies, type Family } from '../../src/metrics/account-metrics.js'
import { AccountStates, type AccountSettings } from '../../src/state/account-states.js'

// A render copies the bytes of every unchanged account from the previous render's Buffers; a fresh
// AccountFamilies over the same states formats every account. Both must always give the same bytes.

const settings = (name: string): AccountSettings => ({ ...DEFAULT_SETTINGS, name, balanceWarning: 100, balanceCritical: 10, spendSpikeFloor: 1 })
const text = (families: AccountFamilies): string => Buffer.concat(families.render()).toString('utf8')

/** A small deterministic generator (mulberry32): a failing sequence is the same at every run. */
function random (seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let x = Math.imul(a ^ (a >>> 15), 1 | a)
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
}

const NAMES = ['a', 'b', 'with "quotes"', 'back\\slash', 'new\nline', 'ünïcödé ☎', 'c', 'd', 'e', 'f']

for (const seed of [1, 2, 3, 4, 5]) {
  t.test(`seed ${seed}: 300 random changes, and after each the kept render is what a first render writes`, async (t) => {
    const next = random(seed)
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T
    let names = NAMES.slice(0, 6)
    const states = new AccountStates(names.map(settings))
    let clock = 1_000_000
    const families = new AccountFamilies(states, () => clock, 5000)
    const earlier: Array<{ buffers: Buffer[], copy: string }> = []
    let mismatches = 0
    for (let step = 0; step < 300; step++) {
      const roll = next()
      const name = pick(names)
      if (roll < 0.35) states.recordSuccess(name, { balance: Math.round(next() * 1e6) / 1e3, ...next() < 0.5 && { gift: Math.round(next() * 100) }, ...next() < 0.3 && { credit: 50 } }, clock, next())
      else if (roll < 0.5) states.recordFailure(name, { status: pick<PollStatus>(['-1', '-13', 'timeout', 'http_503', `${-1 - Math.floor(next() * 40)}`]), reason: 'x', atMs: clock }, next())
      else if (roll < 0.6) states.pollStarted(name)
      else if (roll < 0.65) states.recordClockSkew(name, next() * 4 - 2)
      else if (roll < 0.8) clock += Math.floor(next() * 3000)
      else if (roll < 0.9) {
        // A reload: some accounts go, some (maybe the same names, as new records) come, at the end.
        names = names.filter(() => next() < 0.8)
        for (const candidate of NAMES) if (!names.includes(candidate) && next() < 0.3) names.push(candidate)
        states.setAccounts(names.map(settings))
      } else states.setAccounts(names.map((n) => n === name ? { ...settings(n), balanceWarning: Math.floor(next() * 500) } : settings(n)))
      const buffers = families.render()
      const kept = Buffer.concat(buffers).toString('utf8')
      if (kept !== text(new AccountFamilies(states, () => clock, 5000))) mismatches++
      if (step % 25 === 0) earlier.push({ buffers, copy: kept })
    }
    t.equal(mismatches, 0, 'no render differed from a first render of the same states')
    t.ok(earlier.every(({ buffers, copy }) => Buffer.concat(buffers).toString('utf8') === copy), 'a render never wrote into the Buffers of an earlier one (a scrape may still be sending them)')
  })
}

t.test('accounts added and removed by a reload: the others are not formatted again', async (t) => {
  const formatted: string[] = []
  const counting: Family = { name: 'x', help: 'x', type: 'gauge', lines: (state) => { formatted.push(state.name); return `x{account="${state.name}"} 1\n` } }
  const states = new AccountStates(['a', 'b', 'c'].map(settings))
  const families = new AccountFamilies(states, () => 0, 0, [...ACCOUNT_FAMILIES, counting])
  families.render()
  t.same(formatted.splice(0), ['a', 'b', 'c'])
  states.setAccounts(['a', 'c', 'd'].map(settings))
  const after = text(families)
  t.same(formatted.splice(0), ['d'], 'only the new account is formatted')
  t.match(after, /^x\{account="a"\} 1\nx\{account="c"\} 1\nx\{account="d"\} 1\n\n$/m, 'b gone, d after the others')
  t.notMatch(after, /account="b"/, 'nothing of the removed account is left')
})

t.test('a render with nothing changed gives the same Buffers, not copies', async (t) => {
  const states = new AccountStates(['a', 'b'].map(settings))
  const families = new AccountFamilies(states, () => 0, 0)
  const first = families.render()
  const second = families.render()
  t.ok(first.length === ACCOUNT_FAMILIES.length && first.every((buffer, i) => buffer === second[i]), 'one Buffer per family, the same ones')
})
