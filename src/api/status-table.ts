// Every cause a poll can fail with, written down once. Backoff, log hints, the error counters every
// account starts with, the simulator's answers, the soak's faults and docs/metrics.md's status table all read
// this table (npm run docs writes that copy; test/docs/generated-blocks.test.ts fails when it drifts).

/** A status code as the API sent it: an integer written as a decimal string ("-13"). */
export type ApiStatus = `${number}`

/** An HTTP error status the exporter saw instead of an answer, e.g. `http_503`. */
export type HttpStatus = `http_${number}`

/** What the exporter concludes itself when there is no answer to read a code from. */
export type ExporterCause = 'timeout' | 'network' | 'invalid_response'

/** The `status` label of laaffic_poll_errors_total: the API's code, or the exporter's own cause. */
export type PollStatus = ApiStatus | HttpStatus | ExporterCause

/** What else an account's state knows that explains a status: logged beside it with `account failing`. */
export type Evidence = 'clockSkewSeconds'

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
  /** The account's facts that explain it, logged with the hint (the clock skew explains a -16). */
  readonly evidence?: readonly Evidence[]
}

/** The largest getBalance answer read (a real one is under 200 bytes): past it the download stops, as invalid_response. */
export const MAX_ANSWER_BYTES = 64 * 1024

type Facts = Omit<StatusInfo, 'status' | 'source'>

/** A code the API documents, with the name the code uses for it (`API_CODE.userLocked` is `'-13'`). */
const api = <const S extends ApiStatus, const N extends string>(status: S, name: N, facts: Facts) =>
  ({ status, name, source: 'api', ...facts }) as const satisfies StatusInfo & { name: string }
const exporter = <const S extends string>(status: S, facts: Facts) => ({ status, source: 'exporter', ...facts }) as const satisfies StatusInfo

/**
 * The provider documents -1 -2 -13 -16 -18 (shared/laaffic-api/README.md); -15 comes from providers with
 * the same API, whose tables also list -10 and more: any other integer is counted under its own code.
 */
export const KNOWN_API_TABLE = [
  api('-1', 'authenticationError', {
    meaning: 'authentication error (wrong key or secret)',
    hint: 'authentication failed: check the API key and secret',
    backoff: true,
    startsAtZero: true,
    providerReason: 'authentication error',
  }),
  api('-2', 'ipRestricted', {
    meaning: 'the caller\'s IP address is not allowed',
    hint: 'this host\'s IP address is not on the account\'s allow list',
    backoff: true,
    startsAtZero: true,
    providerReason: 'IP access restricted',
  }),
  api('-13', 'userLocked', {
    meaning: 'user locked',
    hint: 'the account is locked: contact the provider',
    backoff: true,
    startsAtZero: true,
    providerReason: 'user locked',
  }),
  // Laaffic does not document it, so no account starts with a -15 series; it backs off as it asks.
  api('-15', 'queriedTooFrequently', {
    meaning: 'queried too frequently (other providers\' tables)',
    hint: 'queried too frequently: polling slows down',
    backoff: true,
    startsAtZero: false,
    providerReason: 'queried too frequently',
  }),
  // Caused by this host's clock, which no backoff repairs: the log shows the skew the Date header gave.
  api('-16', 'timestampRejected', {
    meaning: 'Timestamp outside the accepted window (about ±30 min)',
    hint: 'Timestamp rejected: the host clock is probably off (check NTP); the provider accepts about ±30 minutes',
    backoff: false,
    startsAtZero: true,
    providerReason: 'time limit exceeded',
    evidence: ['clockSkewSeconds'],
  }),
  api('-18', 'interfaceError', {
    meaning: 'interface error on the provider\'s side',
    hint: 'the provider reported an interface error on its side',
    backoff: false,
    startsAtZero: true,
    providerReason: 'interface exception',
  }),
] as const

/** Any integer the table does not name. */
export const OTHER_API_STATUS = {
  status: 'other',
  source: 'api',
  meaning: 'any other integer the API sends, e.g. `-10` insufficient balance: counted under its own code',
  hint: 'an error code the exporter does not know: see the reason',
  backoff: false,
  startsAtZero: false,
} as const satisfies StatusInfo

export const EXPORTER_TABLE = [
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
    meaning: `not a usable answer: not JSON, no status, a balance that is not a finite number, or over ${MAX_ANSWER_BYTES / 1024} KiB`,
    hint: 'the API answered something that is not a getBalance answer: no value was changed',
    backoff: false,
    startsAtZero: true,
  }),
] as const

/** The whole table, in the order of docs/metrics.md. */
export const STATUS_TABLE: readonly StatusInfo[] = [...KNOWN_API_TABLE, OTHER_API_STATUS, ...EXPORTER_TABLE]
