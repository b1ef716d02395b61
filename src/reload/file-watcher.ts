// Notices when a file the configuration was read from changes. Kubernetes updates a mounted Secret or
// ConfigMap by writing a new timestamped folder and swapping the `..data` symlink the files point through,
// and cert-manager renews certificates the same way: a watch on the file itself follows the old inode and
// never fires again. So the folders are watched (any event there), what each file now reads is compared
// with what it read before, and a slow poll covers file systems whose events do not arrive.
import { createHash } from 'node:crypto'
import { watch, type FSWatcher } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { dirname } from 'node:path'

export interface FileWatcherOptions {
  /** Called once per change noticed (after the debounce), with the files whose content differs. */
  onChange: (changed: string[]) => void
  /** Events within this window count as one change (an editor writes a file in several steps). */
  debounceMs: number
  /** How often the files are read even without an event. */
  pollIntervalMs: number
  /** A folder that cannot be watched (the poll still covers it). */
  onWatchError?: (folder: string, error: Error) => void
}

/** What a file reads now: a hash of its content, or the error code where it cannot be read. */
async function fingerprint (path: string): Promise<string> {
  try {
    return createHash('sha256').update(await readFile(path)).digest('hex')
  } catch (err) {
    return `error:${(err as NodeJS.ErrnoException).code ?? 'unknown'}`
  }
}

export class FileWatcher {
  private readonly watchers = new Map<string, FSWatcher>()
  private seen = new Map<string, string>()
  private debounce?: NodeJS.Timeout
  private readonly poll: NodeJS.Timeout
  private checking = Promise.resolve()
  private closed = false

  constructor (private readonly options: FileWatcherOptions) {
    this.poll = setInterval(() => { this.schedule(0) }, options.pollIntervalMs)
    this.poll.unref()
  }

  /** Watches these files from now on (and only these), taking what they read now as the reference. */
  async watch (files: readonly string[]): Promise<void> {
    this.seen = new Map(await Promise.all(files.map(async (file) => [file, await fingerprint(file)] as const)))
    const folders = new Set(files.map((file) => dirname(file)))
    for (const [folder, watcher] of this.watchers) {
      if (folders.has(folder)) continue
      watcher.close()
      this.watchers.delete(folder)
    }
    for (const folder of folders) {
      if (this.watchers.has(folder) || this.closed) continue
      try {
        const watcher = watch(folder, { persistent: false }, () => { this.schedule(this.options.debounceMs) })
        watcher.on('error', (err) => { this.options.onWatchError?.(folder, err) })
        this.watchers.set(folder, watcher)
      } catch (err) {
        this.options.onWatchError?.(folder, err as Error)
      }
    }
  }

  close (): void {
    this.closed = true
    clearInterval(this.poll)
    clearTimeout(this.debounce)
    for (const watcher of this.watchers.values()) watcher.close()
    this.watchers.clear()
  }

  private schedule (delayMs: number): void {
    if (this.closed) return
    clearTimeout(this.debounce)
    this.debounce = setTimeout(() => { this.checking = this.checking.then(async () => { await this.check() }) }, delayMs)
    this.debounce.unref()
  }

  /** Compares every file with what it read before; reports the ones that changed, which become the reference. */
  private async check (): Promise<void> {
    const changed: string[] = []
    for (const [file, before] of this.seen) {
      const now = await fingerprint(file)
      if (now === before) continue
      this.seen.set(file, now)
      changed.push(file)
    }
    if (changed.length > 0 && !this.closed) this.options.onChange(changed)
  }
}
