// The soak's knobs: defaults, and reading them from CLI flags (which win) or SOAK_* environment variables.

export interface SoakOptions {
  /** Seconds of load: scrapers and fault schedule run this long. */
  durationSeconds: number
  accounts: number
  /** LAAFFIC_POLL_INTERVAL of the exporter, seconds. */
  intervalSeconds: number
  /** LAAFFIC_REQUEST_TIMEOUT of the exporter, seconds. */
  timeoutSeconds: number
  /** Clients scraping /metrics in a loop, each waiting for its answer before the next request. */
  scrapers: number
  /** Pause of each scraper between two scrapes, ms (0: back to back). */
  scrapeGapMs: number
  /** Seconds between two changes of the fault schedule. */
  faultPeriodSeconds: number
  /** Share of accounts that get a new fault, and another share that gets its fault cleared, each period. */
  faultFraction: number
  /** Share of accounts whose figures are changed (PATCH) each period (at least one account). */
  patchFraction: number
  seed: number
  /** Share of the duration after which RSS is taken as the baseline for growth. */
  warmupFraction: number
  /** Fail when RSS grows more than this after warm-up, MB (MiB). Infinity: report only. */
  rssLimitMb: number
  /** Fail when fds or sockets (besides the keep-alive pool to the simulator) end more than this above the start. */
  fdMargin: number
  json: boolean
  /** Put the table into SOAK.md (everything after its results marker). */
  write: boolean
}

export const DEFAULTS: SoakOptions = {
  durationSeconds: 180,
  accounts: 200,
  intervalSeconds: 2,
  timeoutSeconds: 1,
  scrapers: 4,
  scrapeGapMs: 0,
  faultPeriodSeconds: 2,
  faultFraction: 0.1,
  patchFraction: 0.02,
  seed: 20_251_128,
  warmupFraction: 0.2,
  rssLimitMb: 10,
  fdMargin: 5,
  json: false,
  write: false,
}

interface Knob {
  key: keyof SoakOptions
  env: string
  min: number
  max: number
  integer?: boolean
  help: string
}

const KNOBS: Record<string, Knob> = {
  duration: { key: 'durationSeconds', env: 'SOAK_DURATION', min: 5, max: 3600, help: 'seconds of load' },
  accounts: { key: 'accounts', env: 'SOAK_ACCOUNTS', min: 1, max: 5000, integer: true, help: 'accounts in the simulator and the exporter' },
  interval: { key: 'intervalSeconds', env: 'SOAK_INTERVAL', min: 1, max: 600, help: 'LAAFFIC_POLL_INTERVAL, seconds' },
  timeout: { key: 'timeoutSeconds', env: 'SOAK_TIMEOUT', min: 0.1, max: 60, help: 'LAAFFIC_REQUEST_TIMEOUT, seconds' },
  scrapers: { key: 'scrapers', env: 'SOAK_SCRAPERS', min: 1, max: 64, integer: true, help: 'clients scraping /metrics in a loop' },
  'scrape-gap': { key: 'scrapeGapMs', env: 'SOAK_SCRAPE_GAP', min: 0, max: 60_000, help: 'pause of each scraper between scrapes, ms' },
  'fault-period': { key: 'faultPeriodSeconds', env: 'SOAK_FAULT_PERIOD', min: 0.2, max: 600, help: 'seconds between fault schedule changes' },
  'fault-fraction': { key: 'faultFraction', env: 'SOAK_FAULT_FRACTION', min: 0, max: 0.5, help: 'share of accounts given a fault (and cleared) per period' },
  'patch-fraction': { key: 'patchFraction', env: 'SOAK_PATCH_FRACTION', min: 0, max: 1, help: 'share of accounts given new figures per period' },
  seed: { key: 'seed', env: 'SOAK_SEED', min: 0, max: 4_294_967_295, integer: true, help: 'seed of the fault schedule' },
  warmup: { key: 'warmupFraction', env: 'SOAK_WARMUP', min: 0, max: 0.9, help: 'share of the duration before the RSS baseline' },
  'rss-limit': { key: 'rssLimitMb', env: 'SOAK_RSS_LIMIT_MB', min: 0, max: Infinity, help: 'max RSS growth after warm-up, MB' },
  'fd-margin': { key: 'fdMargin', env: 'SOAK_FD_MARGIN', min: 0, max: 10_000, integer: true, help: 'allowed growth of fds and sockets' },
}

/** Flags without a value. */
const SWITCHES: Record<'json' | 'write', string> = {
  json: 'print the result as JSON instead of the table',
  write: 'put the table into SOAK.md as the latest run',
}

export function usage (): string {
  const rows = Object.entries(KNOBS).map(([flag, knob]) =>
    `  --${flag.padEnd(15)} ${knob.env.padEnd(20)} ${knob.help} (default ${String(DEFAULTS[knob.key])})`)
  return [
    'usage: npm run soak -- [--flag value ...] [--json] [--write]',
    '  flag             environment          meaning',
    ...rows,
    ...Object.entries(SWITCHES).map(([flag, help]) => `  --${flag.padEnd(36)} ${help}`),
  ].join('\n')
}

/** The flags as a Markdown table, for SOAK.md (npm run docs writes it there). */
export function flagsTable (): string {
  return [
    '| flag | variable | default | meaning |',
    '|---|---|---|---|',
    ...Object.entries(KNOBS).map(([flag, knob]) => `| \`--${flag}\` | \`${knob.env}\` | ${String(DEFAULTS[knob.key])} | ${knob.help} |`),
    ...Object.entries(SWITCHES).map(([flag, help]) => `| \`--${flag}\` | | | ${help} |`),
  ].join('\n')
}

function parseNumber (raw: string, name: string, knob: Knob): number {
  const value = raw === 'Infinity' ? Infinity : Number(raw)
  if (raw.trim() === '' || Number.isNaN(value) || (knob.integer === true && !Number.isInteger(value)) || value < knob.min || value > knob.max) {
    throw new Error(`${name}: must be ${knob.integer === true ? 'an integer' : 'a number'} from ${knob.min} to ${knob.max} (got "${raw}")`)
  }
  return value
}

/** Options from SOAK_* variables, then flags (`--name value` or `--name=value`). Throws on anything unknown or out of range. */
export function parseOptions (argv: readonly string[], env: NodeJS.ProcessEnv): { options: SoakOptions, help: boolean } {
  const options: SoakOptions = { ...DEFAULTS }
  let help = false
  const set = (knob: Knob, value: number): void => { (options as unknown as Record<string, number>)[knob.key] = value }
  for (const knob of Object.values(KNOBS)) {
    const raw = env[knob.env]
    if (raw !== undefined && raw !== '') set(knob, parseNumber(raw, knob.env, knob))
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? ''
    const switched = (Object.keys(SWITCHES) as Array<keyof typeof SWITCHES>).find((name) => arg === `--${name}`)
    if (switched !== undefined) { options[switched] = true; continue }
    if (arg === '--help' || arg === '-h') { help = true; continue }
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg)
    const knob = match === null ? undefined : KNOBS[match[1] ?? '']
    if (match === null || knob === undefined) throw new Error(`unknown argument "${arg}" (--help lists the flags)`)
    const raw = match[2] ?? argv[++i]
    if (raw === undefined) throw new Error(`--${match[1] ?? ''} needs a value`)
    set(knob, parseNumber(raw, `--${match[1] ?? ''}`, knob))
  }
  return { options, help }
}
