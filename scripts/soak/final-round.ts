// The soak's final round: every fault cleared, then a full poll round waited for (with a deadline), then
// every account's exported figures compared with the simulator's until they agree (with a deadline).
import { performance } from 'node:perf_hooks'
import type { AccountView } from '../lib/simulator-control.js'
import { holdsWithin } from '../lib/wait.js'
import { eachLimited } from './each-limited.js'
import { byAccount, parseSamples, type Sample } from './exposition.js'
import type { SoakOptions } from './options.js'
import type { Measurements } from './measurements.js'
import type { Rig } from './rig.js'
import type { Scrapes } from './scrapes.js'
import { CONTROL_CONCURRENCY, type Started } from './start.js'

const KEPT_MISMATCHES = 10

export async function finalRound (rig: Rig, started: Started, options: SoakOptions, scrapes: Scrapes, signal?: AbortSignal): Promise<{ final: Measurements['final'], samples: Sample[] }> {
  const { names, control } = started
  await eachLimited(names, CONTROL_CONCURRENCY, async (name) => { await control.clearFault(name) })
  const simAccounts = await control.accounts()
  const stillFaulty = simAccounts.filter((a) => a.fault !== null).map((a) => a.name)
  const agent = rig.agent(1)
  const scrape = async (): Promise<Sample[]> => {
    const scraped = await scrapes.scrape(agent, 'final check')
    if (scraped === undefined) throw new Error(`the final scrape failed: ${scrapes.stats.errorSamples.at(-1) ?? ''}`)
    return parseSamples(scraped.text)
  }

  // polls_total counts a poll when it starts: two more than at the clear means a poll that started after
  // the clear has finished.
  const pollsAtClear = byAccount(await scrape(), 'laaffic_polls_total')
  let lastPolls = pollsAtClear
  const polledSinceClear = (name: string): boolean => (lastPolls.get(name) ?? 0) >= (pollsAtClear.get(name) ?? Infinity) + 2
  const longestPoll = options.intervalSeconds + options.timeoutSeconds + 1
  const waitLimitMs = (2 * longestPoll + 2 * options.intervalSeconds + 10) * 1000
  const waitStart = performance.now()
  const roundDone = await holdsWithin(async () => {
    // A failed scrape is counted (a scrape error) and waited past, as any other scrape.
    lastPolls = await scrape().then((samples) => byAccount(samples, 'laaffic_polls_total'), () => lastPolls)
    return names.every(polledSinceClear)
  }, waitLimitMs, { intervalMs: 50, signal })
  const waitMs = performance.now() - waitStart
  const notPolled = names.filter((name) => !polledSinceClear(name)).slice(0, KEPT_MISMATCHES)

  // One poll that times out on a busy machine leaves its account at up 0 (its figures kept) until the next one:
  // then, and only then, the comparison is repeated for up to two poll rounds. A wrong figure with up 1 fails at once.
  let samples = await scrape()
  let compared = compareWithSimulator(simAccounts, samples)
  if (compared.mismatches.length > 0 && !compared.wrongWhileUp) {
    await holdsWithin(async () => {
      samples = await scrape().catch(() => samples)
      compared = compareWithSimulator(simAccounts, samples)
      return compared.mismatches.length === 0 || compared.wrongWhileUp
    }, 2 * longestPoll * 1000, { intervalMs: 100, signal })
  }
  const { matching, mismatches } = compared
  return {
    final: { accounts: options.accounts, compared: simAccounts.length, matching, mismatches, stillFaulty, roundDone, notPolled, waitMs, waitLimitMs },
    samples,
  }
}

/** Balance, gift and credit exported exactly as the simulator holds them, and laaffic_up 1, per account. */
function compareWithSimulator (simAccounts: readonly AccountView[], samples: readonly Sample[]): { matching: number, mismatches: string[], wrongWhileUp: boolean } {
  const exported = {
    balance: byAccount(samples, 'laaffic_balance'),
    gift: byAccount(samples, 'laaffic_gift_balance'),
    credit: byAccount(samples, 'laaffic_credit_limit'),
    up: byAccount(samples, 'laaffic_up'),
  }
  const mismatches: string[] = []
  let matching = 0
  let wrongWhileUp = false
  for (const account of simAccounts) {
    const problems: string[] = []
    for (const field of ['balance', 'gift', 'credit'] as const) {
      const value = exported[field].get(account.name)
      if (value !== account[field]) problems.push(`${field} ${String(value)} != simulator ${account[field]}`)
    }
    if (exported.up.get(account.name) !== 1) problems.push(`up ${String(exported.up.get(account.name))}`)
    else if (problems.length > 0) wrongWhileUp = true
    if (problems.length === 0) matching++
    else if (mismatches.length < KEPT_MISMATCHES) mismatches.push(`${account.name}: ${problems.join(', ')}`)
  }
  return { matching, mismatches, wrongWhileUp }
}
