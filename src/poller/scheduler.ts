/** Runs `task` after `delayMs`; returns a function that cancels it. Injected so tests can drive time. */
export type Scheduler = (task: () => void, delayMs: number) => () => void

/** The real one: an unref'd timer, so a pending poll never keeps the process alive on its own. */
export const timerScheduler: Scheduler = (task, delayMs) => {
  // Node fires a timer longer than 2^31 - 1 ms at once; the configuration keeps waits far below that.
  const timer = setTimeout(task, Math.min(delayMs, 2 ** 31 - 1))
  timer.unref()
  return () => { clearTimeout(timer) }
}
