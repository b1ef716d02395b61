// What the rest of the exporter asks of the status table (status-table.ts): typed codes by name, an entry
// for any status, and the lists derived from the table's columns.
import {
  EXPORTER_TABLE, KNOWN_API_TABLE, OTHER_API_STATUS, STATUS_TABLE,
  type ApiStatus, type ExporterCause, type HttpStatus, type PollStatus, type StatusInfo,
} from './status-table.js'

export type { ApiStatus, Evidence, ExporterCause, HttpStatus, PollStatus, StatusInfo } from './status-table.js'
export { STATUS_TABLE } from './status-table.js'

type KnownApiRow = typeof KNOWN_API_TABLE[number]

/** The API codes the table names: `'-1' | '-2' | ...`. */
export type KnownApiStatus = KnownApiRow['status']

/** The documented codes by name: `API_CODE.timestampRejected` is `'-16'`, typed as that literal. */
export const API_CODE = Object.fromEntries(KNOWN_API_TABLE.map((row) => [row.name, row.status])) as
  { readonly [Row in KnownApiRow as Row['name']]: Row['status'] }

/** The code of a good answer. */
export const SUCCESS = '0'

export const TIMEOUT: ExporterCause = 'timeout'
export const NETWORK: ExporterCause = 'network'
export const INVALID_RESPONSE: ExporterCause = 'invalid_response'
export const httpStatus = (code: number): HttpStatus => `http_${code}`

const byStatus = new Map<string, StatusInfo>(STATUS_TABLE.map((info) => [info.status, info]))
const HTTP_FAMILY = EXPORTER_TABLE.find((info) => info.status === 'http_<code>') as StatusInfo

/** What the table says about a status; an unknown API code or HTTP status gets its family's entry. */
export function statusInfo (status: PollStatus): StatusInfo {
  return byStatus.get(status) ?? (status.startsWith('http_') ? HTTP_FAMILY : OTHER_API_STATUS)
}

/** The reason the provider sends with a code (translated from its page), or "error" for codes it does not name. */
export function providerReason (status: string): string {
  return byStatus.get(status)?.providerReason ?? 'error'
}

/** The API codes the exporter knows by name, in the table's order. */
export const KNOWN_API_STATUSES: readonly KnownApiStatus[] = KNOWN_API_TABLE.map((row) => row.status)

/** The statuses every account's error counter starts with at 0. */
export const STATUSES_STARTING_AT_ZERO: readonly PollStatus[] = STATUS_TABLE.filter((s) => s.startsAtZero).map((s) => s.status as PollStatus)

/** The statuses after which polling slows down. */
export const BACKOFF_STATUSES: readonly ApiStatus[] = STATUS_TABLE.filter((s) => s.backoff).map((s) => s.status as ApiStatus)
