// The time frame of the load phase, shared by the scrapers, the sampler and the fault schedule: when it
// started, whether it still runs, and why it stopped early if it did.
import { performance } from 'node:perf_hooks'

export class LoadClock {
  readonly start = performance.now()
  private readonly end: number
  /** Set when the exporter or the simulator exits on its own, or cannot be measured: the load stops. */
  diedBecause: string | undefined

  constructor (durationSeconds: number, private readonly signal?: AbortSignal) {
    this.end = this.start + durationSeconds * 1000
  }

  /** Seconds since the load started. */
  elapsed (): number {
    return (performance.now() - this.start) / 1000
  }

  running (): boolean {
    return performance.now() < this.end && this.signal?.aborted !== true && this.diedBecause === undefined
  }

  /** Stops the load; the first reason given is the one reported. */
  die (reason: string): void {
    this.diedBecause ??= reason
  }

  /** Resolves `seconds` after the start of the load (at once if that is past). */
  async until (seconds: number): Promise<void> {
    await sleep(this.start + seconds * 1000 - performance.now())
  }
}

/** A pause of `ms`, for pacing (a scrape gap, a sampling period), never to wait for a condition. */
export async function sleep (ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)))
}
