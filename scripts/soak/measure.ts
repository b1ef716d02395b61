// The exporter measured from outside (/proc) before the load and after the final round, with the soak's
// own connections closed so that only the exporter's remain.
import { type FdSample, rssBytes, sampleFds } from '../lib/proc.js'
import { sleep } from './load-clock.js'
import type { Rig } from './rig.js'
import type { Started } from './start.js'

const FD_SAMPLES = 6
const FD_SAMPLE_GAP_MS = 200

export interface Measured {
  fds: FdSample
  rss: number
}

/**
 * The exporter's fds once the soak's connections are closed: the least of a few samples over about a
 * second, so that a connection still closing on the exporter's side does not count.
 */
async function settledFds (rig: Rig, started: Started): Promise<FdSample> {
  rig.closeConnections()
  let least: FdSample | undefined
  for (let i = 0; i < FD_SAMPLES; i++) {
    const sample = await sampleFds(started.exporter.program.pid, started.ports)
    if (least === undefined || sample.fdsWithoutPool < least.fdsWithoutPool) least = sample
    await sleep(FD_SAMPLE_GAP_MS)
  }
  return least as FdSample
}

/** Before the load: fds first, then RSS. */
export async function measureAtStart (rig: Rig, started: Started): Promise<Measured> {
  const fds = await settledFds(rig, started)
  return { fds, rss: await rssBytes(started.exporter.program.pid) }
}

/** After the final round: RSS first (before the fd samples' second of idling), then fds. */
export async function measureAtEnd (rig: Rig, started: Started): Promise<Measured> {
  const rss = await rssBytes(started.exporter.program.pid)
  return { rss, fds: await settledFds(rig, started) }
}
