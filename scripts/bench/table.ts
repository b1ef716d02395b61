// The bench's output: tables of measures with the figure, its reference, the target and whether it is met,
// and notes on how each was taken.

export class Table {
  private readonly rows: string[][] = []
  private readonly notes: string[] = []

  constructor (readonly title: string, private readonly columns: readonly string[]) {}

  /** A measure's cells, then its target and whether it is met (blank where there is no target). */
  row (...cells: [...string[], string, boolean | undefined]): void {
    const met = cells.pop() as boolean | undefined
    this.rows.push([...(cells as string[]), met === undefined ? '' : met ? 'yes' : '**no**'])
  }

  note (text: string): void {
    this.notes.push(text)
  }

  markdown (): string {
    const header = [...this.columns, 'met']
    const widths = header.map((h, i) => Math.max(h.length, ...this.rows.map((r) => (r[i] ?? '').length)))
    const line = (cells: readonly string[]): string => `| ${header.map((_, i) => (cells[i] ?? '').padEnd(widths[i] ?? 0)).join(' | ')} |`
    return [
      `### ${this.title}`,
      '',
      line(header),
      `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
      ...this.rows.map(line),
      ...(this.notes.length === 0 ? [] : ['', ...this.notes.map((n) => `- ${n}`)]),
    ].join('\n')
  }
}
