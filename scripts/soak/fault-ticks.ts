// The fault schedule played against the simulator during the load: at each tick, the faults the planner
// chose are set, cleared and the figures changed through the control API, a few requests at a time.
import { STATUSES_STARTING_AT_ZERO } from '../../src/api/status.js'
import type { SimulatorControl } from '../lib/simulator-control.js'
import { eachLimited } from './each-limited.js'
import type { LoadClock } from './load-clock.js'
import { type FaultPlanner, statusesOf } from './schedule.js'
import { CONTROL_CONCURRENCY } from './start.js'

const KEPT_ERRORS = 10

export interface FaultsApplied {
  injected: Record<string, number>
  cleared: number
  patched: number
  ticks: number
  /** How late the latest-starting tick began, ms. */
  maxTickLagMs: number
  controlErrors: number
  controlErrorSamples: string[]
  /** Poll-error statuses the exporter may show: those every account starts with, and those the faults set can cause. */
  expectedStatuses: Set<string>
}

export async function playFaultSchedule (clock: LoadClock, planner: FaultPlanner, control: SimulatorControl): Promise<FaultsApplied> {
  const applied: FaultsApplied = {
    injected: {}, cleared: 0, patched: 0, ticks: 0, maxTickLagMs: 0, controlErrors: 0, controlErrorSamples: [],
    expectedStatuses: new Set(STATUSES_STARTING_AT_ZERO),
  }
  for (let tick = 0; tick < planner.ticks; tick++) {
    const plan = planner.plan(tick)
    await clock.until(plan.atSeconds)
    if (!clock.running()) break
    applied.maxTickLagMs = Math.max(applied.maxTickLagMs, (clock.elapsed() - plan.atSeconds) * 1000)
    applied.ticks++
    const calls: Array<() => Promise<void>> = [
      ...plan.set.map(({ name, kind, fault }) => async () => {
        for (const status of statusesOf(kind)) applied.expectedStatuses.add(status)
        await control.setFault(name, fault)
        applied.injected[kind] = (applied.injected[kind] ?? 0) + 1
      }),
      ...plan.clear.map((name) => async () => {
        await control.clearFault(name)
        applied.cleared++
      }),
      ...plan.patch.map(({ name, figures }) => async () => {
        await control.patchAccount(name, figures)
        applied.patched++
      }),
    ]
    await eachLimited(calls, CONTROL_CONCURRENCY, async (call) => {
      try {
        await call()
      } catch (err) {
        applied.controlErrors++
        if (applied.controlErrorSamples.length < KEPT_ERRORS) applied.controlErrorSamples.push((err as Error).message)
      }
    })
  }
  return applied
}
