// Reading Prometheus text exposition just well enough to check it and take numbers out of it.

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*'
const LABEL = '[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\.)*"'
const VALUE = '(?:[-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?|[-+]?Inf|NaN)'
/** `name{labels} value`, labels optional, no timestamp (the exporter sends none). */
const SAMPLE = new RegExp(`^(${NAME})(\\{(?:${LABEL}(?:,${LABEL})*,?)?\\})? (${VALUE})$`)
const COMMENT = /^# (?:HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*$|^#( .*)?$/

/**
 * Undefined when every line is a comment, a `name{labels} value` sample or empty (the format ignores
 * empty lines; prom-client puts one between families), and the text ends in a newline; else a short
 * description of the first bad line.
 */
export function checkExposition (text: string): string | undefined {
  if (text.length === 0) return 'empty body'
  if (!text.endsWith('\n')) return 'no trailing newline'
  const lines = text.split('\n')
  lines.pop()
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ''
    if (line === '') continue
    if (line.startsWith('#') ? !COMMENT.test(line) : !SAMPLE.test(line)) return `line ${i + 1} malformed: ${JSON.stringify(line.slice(0, 120))}`
  }
  return undefined
}

export interface Sample {
  name: string
  labels: Record<string, string>
  value: number
}

/** Every sample line, parsed. Assumes a text checkExposition() accepted. */
export function parseSamples (text: string): Sample[] {
  const samples: Sample[] = []
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const match = SAMPLE.exec(line)
    if (match === null) continue
    const labels: Record<string, string> = {}
    for (const pair of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[pair[1] ?? ''] = (pair[2] ?? '').replace(/\\(.)/g, (_all, c: string) => c === 'n' ? '\n' : c)
    }
    samples.push({ name: match[1] ?? '', labels, value: Number((match[3] ?? '').replace(/^\+?Inf$/, 'Infinity').replace(/^-Inf$/, '-Infinity')) })
  }
  return samples
}

export interface SeriesCount {
  total: number
  /** laaffic_* series other than the two below: a fixed number per account. */
  laafficFixed: number
  pollErrors: number
  /** laaffic_last_topup_timestamp_seconds: appears for an account with its first top-up seen. */
  lastTopups: number
  /** Everything else: prom-client's process_* and nodejs_* series. */
  other: number
}

export function countSeries (samples: readonly Sample[]): SeriesCount {
  const count = { total: samples.length, laafficFixed: 0, pollErrors: 0, lastTopups: 0, other: 0 }
  for (const { name } of samples) {
    if (name === 'laaffic_poll_errors_total') count.pollErrors++
    else if (name === 'laaffic_last_topup_timestamp_seconds') count.lastTopups++
    else if (name.startsWith('laaffic_')) count.laafficFixed++
    else count.other++
  }
  return count
}

/** The value of `name` per account label (samples without an account label are skipped). */
export function byAccount (samples: readonly Sample[], name: string): Map<string, number> {
  const values = new Map<string, number>()
  for (const sample of samples) {
    const account = sample.labels.account
    if (sample.name === name && account !== undefined) values.set(account, sample.value)
  }
  return values
}

/** Sum of a family's samples. */
export function sum (samples: readonly Sample[], name: string): number {
  return samples.reduce((total, s) => s.name === name ? total + s.value : total, 0)
}

/** Per value of `label`, the sum of a family's samples above 0 (e.g. poll errors by status). */
export function sumByLabel (samples: readonly Sample[], name: string, label: string): Record<string, number> {
  const sums: Record<string, number> = {}
  for (const s of samples) {
    const key = s.labels[label]
    if (s.name === name && key !== undefined && s.value > 0) sums[key] = (sums[key] ?? 0) + s.value
  }
  return sums
}
