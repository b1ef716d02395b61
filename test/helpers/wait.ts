// The tests wait the way the scripts do: polling a condition with a deadline, no fixed sleeps.
import { holdsWithin, type WaitOptions } from '../../scripts/lib/wait.js'
export { holdsWithin, waitFor } from '../../scripts/lib/wait.js'

/**
 * Polls `condition` for `ms`: true when it held at every check, false at the first check where it did not.
 * For "exactly once" (a count still 1 a while after it became 1: a late duplicate makes it false) and "never".
 */
export async function staysTrue (condition: () => boolean | Promise<boolean>, ms: number, options: WaitOptions = {}): Promise<boolean> {
  return !await holdsWithin(async () => !await condition(), ms, options)
}
