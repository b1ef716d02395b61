// LOG_FORMAT=logfmt (--log.format=logfmt): each line pino writes, rewritten as the logfmt line Go exporters
// write by default: `time=2026-12-07T03:00:00.000Z level=info name=laaffic-exporter msg="starting
// laaffic-exporter" version=0.1.0 config.accounts=2`. time in UTC ISO 8601, level as pino names it, then
// every field in pino's order; a nested field's key is its path with dots, an array is written as JSON; a
// value with a space, a quote, an = or a control character is quoted and escaped (JSON's escapes), so one
// record stays one line. Written here (40 lines) rather than taken from npm: pino-logfmt is a transport (a
// worker thread, which the one-file bundle cannot carry) and logfmt@1 writes a nested object as "[object Object]".
import { pino, type DestinationStream } from 'pino'

const LEVEL_NAMES: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' }

/** Fields of nested objects as dotted keys, in their order; arrays and scalars are leaves. */
function flatten (record: Record<string, unknown>, prefix = ''): Array<[string, unknown]> {
  return Object.entries(record).flatMap(([key, value]): Array<[string, unknown]> =>
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? flatten(value as Record<string, unknown>, `${prefix}${key}.`)
      : [[`${prefix}${key}`, value]])
}

/** A logfmt value: bare when it can be, else a quoted JSON string. */
function formatValue (value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  // eslint-disable-next-line no-control-regex -- control characters are what must not reach the line bare
  return text === '' || /[\s"=\\\u0000-\u001f\u007f]/.test(text) ? JSON.stringify(text) : text
}

/** A key without the characters that would end it (logfmt keys are bare). */
const formatKey = (key: string): string => key.replace(/[\s"=\\]/g, '_') || '_'

/** One pino JSON line (with or without its newline) as one logfmt line ending in a newline. */
export function logfmtLine (json: string): string {
  const { time, level, msg, ...rest } = JSON.parse(json) as Record<string, unknown>
  const fields: Array<[string, unknown]> = [
    ['time', typeof time === 'number' ? new Date(time).toISOString() : time],
    ['level', typeof level === 'number' ? LEVEL_NAMES[level] ?? level : level],
    ...flatten(rest).filter(([key]) => key === 'name'),
    ['msg', msg],
    ...flatten(rest).filter(([key]) => key !== 'name'),
  ]
  return `${fields.filter(([, value]) => value !== undefined).map(([key, value]) => `${formatKey(key)}=${formatValue(value)}`).join(' ')}\n`
}

/** Where pino writes when the format is logfmt: each record rewritten, then written to `out` (stdout). */
export function logfmtDestination (out: DestinationStream = pino.destination({ dest: 1, sync: true })): DestinationStream {
  return { write: (line: string) => { out.write(logfmtLine(line)) } }
}
