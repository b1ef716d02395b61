// scripts/soak/load.ts dieOnExit: an exit of the exporter or the simulator stops the load and says why,
// but only while the load runs (the stop phase ends both programs normally).
import t from 'tap'
import type { Exit } from '../../scripts/lib/program.js'
import { LoadClock } from '../../scripts/soak/load-clock.js'
import { countLogLines } from '../../scripts/soak/log-stats.js'
import { dieOnExit, type Watched } from '../../scripts/soak/load.js'

/** A program whose exit the test decides, with the stderr lines given. */
function fakeProgram (pid: number, stderr: string[] = []): Watched & { exit: (exit: Exit) => Promise<void> } {
  let exit: (exit: Exit) => void = () => {}
  const exited = new Promise<Exit>((resolve) => { exit = resolve })
  const { stats, onLine } = countLogLines()
  for (const line of stderr) onLine(line, 'stderr')
  return {
    program: { pid, exited },
    logs: stats,
    // dieOnExit's handler was attached to `exited` first, so it has run once this await returns.
    exit: async (how) => { exit(how); await exited },
  }
}

t.test('an exit during the load stops the clock, saying which program, how it ended and its stderr', async (t) => {
  const clock = new LoadClock(60)
  const exporter = fakeProgram(11, ['Error: boom'])
  const simulator = fakeProgram(12)
  dieOnExit(clock, { exporter, simulator })
  t.ok(clock.running(), 'the load runs')
  await exporter.exit({ code: 1, signal: null })
  t.notOk(clock.running(), 'the load stops')
  t.match(clock.diedBecause, /^the exporter \(pid 11\) exited during the load at t=\d+\.\ds with code 1; stderr \(1 lines\): Error: boom; /)
  await simulator.exit({ code: null, signal: 'SIGKILL' })
  t.match(clock.diedBecause, /^the exporter /, 'the first reason stays')
})

t.test('a signal says which signal', async (t) => {
  const clock = new LoadClock(60)
  const simulator = fakeProgram(12)
  dieOnExit(clock, { exporter: fakeProgram(11), simulator })
  await simulator.exit({ code: null, signal: 'SIGKILL' })
  t.match(clock.diedBecause, /^the simulator \(pid 12\) exited during the load at t=\d+\.\ds with signal SIGKILL; /)
})

t.test('exits once the load is over (the stop phase) stop nothing', async (t) => {
  const clock = new LoadClock(60)
  const exporter = fakeProgram(11)
  const simulator = fakeProgram(12)
  const loadOver = dieOnExit(clock, { exporter, simulator })
  loadOver()
  await exporter.exit({ code: 0, signal: null })
  await simulator.exit({ code: null, signal: 'SIGTERM' })
  t.equal(clock.diedBecause, undefined, 'no reason to stop')
  t.ok(clock.running(), 'the clock left alone')
})
