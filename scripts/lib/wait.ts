// Waiting for a condition with a deadline, never for a fixed time: the one poll loop of the tests and the
// scripts (test/helpers/wait.ts re-exports waitFor and holdsWithin).

export interface WaitOptions {
  /** Pause between two checks, ms (default 5). */
  intervalMs?: number
  /** Stops waiting early (the result is then false). */
  signal?: AbortSignal
}

/** Polls `condition` until it holds (true) or `timeoutMs` passes or `signal` aborts (false). Errors propagate. */
export async function holdsWithin (condition: () => boolean | Promise<boolean>, timeoutMs: number, options: WaitOptions = {}): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (await condition()) return true
    if (Date.now() > deadline || options.signal?.aborted === true) return false
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 5))
  }
}

/** Polls `condition` until it holds; throws naming `what` once the deadline passes. */
export async function waitFor (condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000, options: WaitOptions = {}): Promise<void> {
  if (await holdsWithin(condition, timeoutMs, options)) return
  throw new Error(options.signal?.aborted === true ? `aborted while waiting for ${what}` : `timed out after ${timeoutMs} ms waiting for ${what}`)
}
