// The short soak for CI: the built exporter and simulator (dist/, built by pretest), 50 accounts, a random
// fault schedule and clients scraping /metrics for 20 s. The full run is `npm run soak` (SOAK.md).
import type { ChildProcess } from 'node:child_process'
import t from 'tap'
import { runSoak } from '../../scripts/soak/run.js'

const children: ChildProcess[] = []
t.teardown(() => { for (const child of children) child.kill('SIGKILL') })

t.test('20 s of faults and scrapes: no scrape error, no leak, every account ends on the simulator\'s figures', async (t) => {
  const started = performance.now()
  const result = await runSoak({
    durationSeconds: 20,
    accounts: 50,
    intervalSeconds: 1,
    timeoutSeconds: 0.5,
    faultPeriodSeconds: 1,
    // Two clients with a short pause, not four back to back: tap runs another test file next to this one
    // on CI's two cores, and its timing checks must not starve.
    scrapers: 2,
    scrapeGapMs: 5,
    // RSS over 20 s is mostly the garbage collector's mood: printed, not judged.
    rssLimitMb: Infinity,
  }, { onChild: (child) => children.push(child) })
  const check = (name: string): { ok: boolean, detail: string } => {
    const found = result.checks.find((c) => c.name === name)
    if (found === undefined) throw new Error(`no check named ${name}`)
    return found
  }
  const { summary } = result

  t.equal(summary.scrapeErrors, 0, check('scrape errors').detail)
  t.ok(summary.scrapesServed > 100, `${summary.scrapesServed} scrapes served`)
  t.ok(summary.faultsInjected > 0 && Object.keys(result.measurements.exporterCounters.pollErrorsByStatus).length >= 5,
    `${summary.faultsInjected} faults reached the exporter as ${Object.keys(result.measurements.exporterCounters.pollErrorsByStatus).join(' ')}`)
  t.ok(check('series').ok, check('series').detail)
  t.ok(check('poll-error series').ok, check('poll-error series').detail)
  t.equal(result.measurements.final.compared, 50, 'every account compared')
  t.ok(check('final values').ok, check('final values').detail)
  t.ok(check('fds').ok, check('fds').detail)
  t.ok(check('sockets').ok, check('sockets').detail)
  t.ok(check('pool').ok, check('pool').detail)
  t.ok(check('exporter log').ok, check('exporter log').detail)
  t.ok(check('control API').ok, check('control API').detail)
  t.ok(check('shutdown').ok, check('shutdown').detail)

  const { rssMb, latencyMs } = summary
  t.comment(`RSS start ${rssMb.start} MB, after warm-up ${rssMb.warmup} MB, end ${rssMb.end} MB (growth ${rssMb.growthAfterWarmup} MB, not judged)`)
  t.comment(`${summary.scrapesServed} scrapes, p50 ${latencyMs.p50.toFixed(1)} ms, p99 ${latencyMs.p99.toFixed(1)} ms; ` +
    `final round ${(result.measurements.final.waitMs / 1000).toFixed(1)} s; soak took ${((performance.now() - started) / 1000).toFixed(1)} s`)
})
