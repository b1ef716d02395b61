// Every cause a poll can fail with, written down once. Backoff, log hints, the error counters every
// account starts with, the simulator's answers, the soak's faults and the README's status table all read
// this table (npm run docs writes the README's copy; test/docs/generated-blocks.test.ts fails when it drifts).

/** A status code as the API sent it: an integer written as a decimal string ("-13"). */
export type ApiStatus = `${number}`

/** An HTTP error status the exporter saw instead of an answer, e.g. `http_503`. */
export type HttpStatus = `http_${number}`

/** The `status` label of laaffic_poll_errors_total: the API's code, or the exporter's own cause. */
export type PollStatus = ApiStatus | HttpStatus | 'timeout' | 'network' | 'invalid_response'

/** A poll cut short because the exporter is stopping: not a failure of the API, never counted. */
export const ABORTED = 'aborted'
export type Aborted = typeof ABORTED

export interface StatusInfo {
  /** The label value, or a pattern for a family of them (`http_<code>`, `other`). */
  readonly status: string
  /** Who decides it: the API (its `status` field) or the exporter (what happened to the request). */
  readonly source: 'api' | 'exporter'
  readonly meaning: string
  /** Logged with `account failing`, so the person on call knows where to look. */
  readonly hint: string
  /**
   * Each next poll waits twice as long, up to max(15 min, interval): a wrong key, a blocked IP or a locked
   * user will not fix themselves within seconds, hammering them can make things worse on the provider's
   * side, and -15 asks for exactly that.
   */
  readonly backoff: boolean
  /** Every account's counter starts at 0 for it, so increase() and alerts work from the first scrape. */
  readonly startsAtZero: boolean
  /** The `reason` the provider sends with it (the simulator answers the same). */
  readonly providerReason?: string
}

const api = (status: ApiStatus | 'other', info: Omit<StatusInfo, 'status' | 'source'>): StatusInfo => ({ status, source: 'api', ...info })
const exporter = (status: string, info: Omit<StatusInfo, 'status' | 'source'>): StatusInfo => ({ status, source: 'exporter', ...info })

/**
 * The provider documents -1 -2 -13 -16 -18 (shared/laaffic-api/README.md); -15 comes from providers with
 * the same API, whose tables also list -10 and more: any other integer is counted under its own code.
 */
export const STATUS_TABLE: readonly StatusInfo[] = [
  api('-1', {
    meaning: 'authentication error (wrong key or secret)',
    hint: 'authentication failed: check the API key and secret',
    backoff: true,
    startsAtZero: true,
    providerReason: 'authentication error',
  }),
  api('-2', {
    meaning: 'the caller\'s IP address is not allowed',
    hint: 'this host\'s IP address is not on the account\'s allow list',
    backoff: true,
    startsAtZero: true,
    providerReason: 'IP access restricted',
  }),
  api('-13', {
    meaning: 'user locked',
    hint: 'the account is locked: contact Laaffic',
    backoff: true,
    startsAtZero: true,
    providerReason: 'user locked',
  }),
  api('-15', {
    meaning: 'queried too frequently (other providers\' tables)',
    hint: 'queried too frequently: polling slows down',
    backoff: true,
    startsAtZero: false,
    providerReason: 'queried too frequently',
  }),
  api('-16', {
    meaning: 'Timestamp outside the accepted window (about ±30 min)',
    hint: 'Timestamp rejected: the host clock is probably off (check NTP); Laaffic accepts about ±30 minutes',
    backoff: false,
    startsAtZero: true,
    providerReason: 'time limit exceeded',
  }),
  api('-18', {
    meaning: 'interface error on the provider\'s side',
    hint: 'Laaffic reported an interface error on its side',
    backoff: false,
    startsAtZero: true,
    providerReason: 'interface exception',
  }),
  api('other', {
    meaning: 'any other integer the API sends, e.g. `-10` insufficient balance: counted under its own code',
    hint: 'an error code the exporter does not know: see the reason',
    backoff: false,
    startsAtZero: false,
  }),
  exporter('timeout', {
    meaning: 'no answer within `LAAFFIC_REQUEST_TIMEOUT`, retries included',
    hint: 'the API did not answer in time: check the network path to it, or raise LAAFFIC_REQUEST_TIMEOUT',
    backoff: false,
    startsAtZero: true,
  }),
  exporter('network', {
    meaning: 'the connection failed (DNS, refused, reset, TLS)',
    hint: 'the API could not be reached: check DNS, proxy, firewall and the base URL',
    backoff: false,
    startsAtZero: true,
  }),
  exporter('http_<code>', {
    meaning: 'an HTTP error status instead of an answer, after the retries',
    hint: 'the API answered with an HTTP error: usually on the provider\'s side (429: too many requests)',
    backoff: false,
    startsAtZero: false,
  }),
  exporter('invalid_response', {
    meaning: 'not a usable answer: not JSON, no status, a balance that is not a finite number, or over 64 KiB',
    hint: 'the API answered something that is not a getBalance answer: no value was changed',
    backoff: false,
    startsAtZero: true,
  }),
]

const byStatus = new Map(STATUS_TABLE.map((info) => [info.status, info]))
const OTHER = byStatus.get('other') as StatusInfo
const HTTP = byStatus.get('http_<code>') as StatusInfo

export const TIMEOUT: PollStatus = 'timeout'
export const NETWORK: PollStatus = 'network'
export const INVALID_RESPONSE: PollStatus = 'invalid_response'
export const httpStatus = (code: number): HttpStatus => `http_${code}`

/** What the table says about a status; an unknown API code or HTTP status gets its family's entry. */
export function statusInfo (status: PollStatus): StatusInfo {
  return byStatus.get(status) ?? (status.startsWith('http_') ? HTTP : OTHER)
}

/** The API codes the exporter knows by name, in the table's order. */
export const KNOWN_API_STATUSES: readonly ApiStatus[] = STATUS_TABLE.filter((s) => /^-?\d+$/.test(s.status)).map((s) => s.status as ApiStatus)

/** The statuses every account's error counter starts with at 0. */
export const STATUSES_STARTING_AT_ZERO: readonly PollStatus[] = STATUS_TABLE.filter((s) => s.startsAtZero).map((s) => s.status as PollStatus)

/** The statuses after which polling slows down. */
export const BACKOFF_STATUSES: readonly ApiStatus[] = STATUS_TABLE.filter((s) => s.backoff).map((s) => s.status as ApiStatus)
