import type { Scheduler } from '../../src/poller/scheduler.js'

interface Pending { task: () => void, delayMs: number, cancelled: boolean }

/** A scheduler the test drives: it records each requested delay and runs tasks only when told to. */
export class ManualScheduler {
  readonly pending: Pending[] = []
  /** Every delay ever requested, in order. */
  readonly delays: number[] = []

  readonly schedule: Scheduler = (task, delayMs) => {
    const entry = { task, delayMs, cancelled: false }
    this.pending.push(entry)
    this.delays.push(delayMs)
    return () => { entry.cancelled = true }
  }

  /** Runs every scheduled task that is still due and not cancelled; returns how many ran. */
  runAll (): number {
    const due = this.pending.splice(0).filter((entry) => !entry.cancelled)
    for (const entry of due) entry.task()
    return due.length
  }
}
