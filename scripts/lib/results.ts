// The "latest figures" part of BENCHMARKS.md and SOAK.md: what machine they come from, and the part of the
// file they replace (everything after a marker line, which the rest of the file leaves alone).
import { readFileSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'

/** The CPUs, memory, Node.js version and date, as one line. */
export function machine (): string {
  const cpu = cpus()
  const gib = Math.round(totalmem() / 1024 ** 3)
  return `${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${gib} GiB, Node.js ${process.version}, ${new Date().toISOString().slice(0, 10)}`
}

/** Replaces everything after `marker` in the file with `results`; throws when the marker is missing. */
export function writeResults (path: string, marker: string, results: string): void {
  const document = readFileSync(path, 'utf8')
  const at = document.indexOf(marker)
  if (at === -1) throw new Error(`${path} has no ${marker} line`)
  writeFileSync(path, `${document.slice(0, at)}${marker}\n${results}`)
}

/** Replaces the text between `<!-- NAME -->` and `<!-- /NAME -->` in the file; throws when a marker is missing. */
export function writeSection (path: string, name: string, results: string): void {
  const document = readFileSync(path, 'utf8')
  const open = `<!-- ${name} -->\n`
  const close = `<!-- /${name} -->`
  const start = document.indexOf(open)
  const end = document.indexOf(close)
  if (start === -1 || end < start) throw new Error(`${path} has no ${open.trim()} ... ${close} section`)
  writeFileSync(path, `${document.slice(0, start + open.length)}${results}${document.slice(end)}`)
}
