/** Runs `task` after `delayMs`; returns a function that cancels it. Injected so tests can drive time. */
export type Scheduler = (task: () => void, delayMs: number) => () => void

/** The real one: an unref'd timer, so a pending poll never keeps the process alive on its own. */
export const timerScheduler: Scheduler = (task, delayMs) => {
  const timer = setTimeout(task, delayMs)
  timer.unref()
  return () => { clearTimeout(timer) }
}
