/** What a render needs to know of an account: which record, its version, and whether its values may be shown. */
export interface AccountKey<T> {
  state: T
  version: number
  fresh: boolean
}

/** The Buffers of one render and where each account's lines begin in each. */
interface Written<T> {
  accounts: ReadonlyArray<AccountKey<T>>
  families: Buffer[]
  /** Per family: where account i's lines begin (i < count) and where the last ends (i = count). */
  starts: Int32Array[]
}

/**
 * The per-account families encoded, one Buffer per family: its `# HELP` and `# TYPE` lines, every account's
 * samples in order, and the blank line that separates it from the next family (as prom-client joins them).
 *
 * No account's text is kept anywhere else. A render formats only the accounts that changed (or went stale)
 * and copies every other account's bytes from the previous render's Buffers, found by the offsets kept with
 * them; the previous Buffers are never written again, since a scrape may still be sending them. At 10,000
 * accounts the text is 13 MB: kept per account as strings as well it took about 17 MB more of the heap, and
 * formatting every account at every render took about 135 ms (BENCHMARKS.md, "How /metrics is kept cheap").
 */
export class FamilyBuffers<T> {
  private written?: Written<T>
  private readonly headers: Buffer[]

  /** `headers`: each family's `# HELP` and `# TYPE` lines. */
  constructor (headers: readonly string[]) {
    this.headers = headers.map((header) => Buffer.from(header, 'utf8'))
  }

  /**
   * The families for these accounts, in this order. `lines(account)` gives an account's sample lines of every
   * family (one string per family, each line ending in a newline); it is called only for an account that is
   * new to the previous render, or whose version or freshness moved since.
   */
  render (accounts: ReadonlyArray<AccountKey<T>>, lines: (account: AccountKey<T>) => readonly string[]): Buffer[] {
    const before = this.written
    const previousIndex = indexIn(before?.accounts ?? [], accounts)
    const formatted: Array<readonly string[] | undefined> = accounts.map((account, i) => {
      const j = previousIndex(i)
      const old = j === undefined ? undefined : before?.accounts[j]
      return old !== undefined && old.version === account.version && old.fresh === account.fresh ? undefined : lines(account)
    })
    if (before !== undefined && accounts.length === before.accounts.length && formatted.every((f, i) => f === undefined && previousIndex(i) === i)) {
      this.written = { ...before, accounts }
      return before.families
    }
    const families: Buffer[] = []
    const starts: Int32Array[] = []
    this.headers.forEach((header, family) => {
      const written = writeFamily(header, accounts.length, (i) => formatted[i]?.[family], previousIndex, before === undefined
        ? undefined
        : { bytes: before.families[family] as Buffer, starts: before.starts[family] as Int32Array })
      families.push(written.bytes)
      starts.push(written.starts)
    })
    this.written = { accounts, families, starts }
    return families
  }
}

/** For each account of `now`, its index in `before` (undefined if new): the same index while nothing was added or removed. */
function indexIn<T> (before: ReadonlyArray<AccountKey<T>>, now: ReadonlyArray<AccountKey<T>>): (i: number) => number | undefined {
  const same = before.length === now.length && now.every((account, i) => account.state === before[i]?.state)
  if (same) return (i) => i
  const where = new Map(before.map((account, j) => [account.state, j]))
  const indices = now.map((account) => where.get(account.state))
  return (i) => indices[i]
}

/**
 * One family's Buffer: the header, then each account's lines, fresh ones written from `fresh(i)` and the rest
 * copied from `before` (consecutive ones in one copy), then the blank line.
 */
function writeFamily (
  header: Buffer,
  count: number,
  fresh: (i: number) => string | undefined,
  previousIndex: (i: number) => number | undefined,
  before: { bytes: Buffer, starts: Int32Array } | undefined,
): { bytes: Buffer, starts: Int32Array } {
  const oldSpan = (j: number): [number, number] => [before?.starts[j] ?? 0, before?.starts[j + 1] ?? 0]
  const lengths = new Int32Array(count)
  let total = header.length + 1
  for (let i = 0; i < count; i++) {
    const text = fresh(i)
    const j = previousIndex(i)
    const [from, to] = text === undefined && j !== undefined ? oldSpan(j) : [0, 0]
    lengths[i] = text === undefined ? to - from : Buffer.byteLength(text, 'utf8')
    total += lengths[i] as number
  }
  const bytes = Buffer.allocUnsafe(total)
  const starts = new Int32Array(count + 1)
  let at = header.copy(bytes, 0)
  // A run of accounts whose bytes lie one after another in the old Buffer goes in one copy.
  let run: { from: number, to: number } | undefined
  const flush = (): void => {
    if (run !== undefined && before !== undefined) at += before.bytes.copy(bytes, at, run.from, run.to)
    run = undefined
  }
  for (let i = 0; i < count; i++) {
    const text = fresh(i)
    const j = previousIndex(i)
    if (text === undefined && j !== undefined) {
      const [from, to] = oldSpan(j)
      if (run === undefined || run.to !== from) { flush(); run = { from, to } } else run.to = to
      starts[i] = at + (run.to - run.from) - (to - from)
    } else {
      flush()
      starts[i] = at
      at += bytes.write(text ?? '', at, 'utf8')
    }
  }
  flush()
  starts[count] = at
  bytes[at] = 0x0a
  if (at + 1 !== total) throw new Error(`family text of ${total} bytes written as ${at + 1}`)
  return { bytes, starts }
}
