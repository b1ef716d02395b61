// A child's output, line by line: each line handed on as it arrives, and the latest ones kept within a
// budget, so a program that logs for an hour (the soak's exporter) cannot fill the memory of its parent.

/** Calls `onLine` with each complete line of `stream`, newline included (the last one may have none). */
export function eachLine (stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let rest = ''
  stream.setEncoding('utf8')
  stream.on('data', (chunk: string) => {
    const parts = (rest + chunk).split('\n')
    rest = parts.pop() ?? ''
    for (const part of parts) onLine(`${part}\n`)
  })
  const flush = (): void => {
    if (rest !== '') onLine(rest)
    rest = ''
  }
  stream.on('end', flush)
  // A stream destroyed before its end (a pipe a grandchild still holds, see program.ts) gives no 'end'.
  stream.on('close', flush)
}

/** The latest lines of a stream, at most `budget` characters in all; older lines are dropped and counted. */
export class KeptLines {
  private lines: string[] = []
  private first = 0
  private size = 0
  dropped = 0

  constructor (private readonly budget: number) {}

  add (line: string): void {
    this.lines.push(line)
    this.size += line.length
    while (this.size > this.budget && this.first < this.lines.length) {
      this.size -= (this.lines[this.first] ?? '').length
      this.first++
      this.dropped++
    }
    // Shifting the array on every drop would cost O(n) each; compact now and then instead.
    if (this.first > 1024 && this.first * 2 > this.lines.length) {
      this.lines = this.lines.slice(this.first)
      this.first = 0
    }
  }

  /** The kept text exactly as written. */
  text (): string {
    return this.lines.slice(this.first).join('')
  }
}
