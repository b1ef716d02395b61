import got, { HTTPError, type Got } from 'got'
import { MAX_ANSWER_BYTES, parseBalanceResponse, type BalanceValues } from '../api/answer.js'
import { responseHints, type ResponseHints } from '../api/response-hints.js'
import { signedHeaders } from '../api/sign.js'
import { httpStatus, INVALID_RESPONSE, type PollStatus } from '../api/status.js'
import { ABORTED, classifyRequestError, describeRequestError, type Aborted } from './classify-error.js'
import type { AccountConfig } from '../config/types.js'

export interface BalanceClientOptions {
  /** Unix time in milliseconds; drives the Timestamp header and the retry deadline. */
  now: () => number
  requestTimeoutMs: number
  /** First retry waits this long, the second twice as long (plus jitter), unless the API sends Retry-After. */
  retryBaseDelayMs?: number
  maxRetries?: number
  userAgent?: string
  /** The got instance to extend (tests pass one with their own agent or hooks). */
  http?: Got
}

export interface FetchOptions {
  /** Retries are not started past this many milliseconds after the fetch began (the poll interval). */
  budgetMs: number
  signal?: AbortSignal
  /** Called once per HTTP attempt, retries included. */
  onAttempt?: () => void
}

/**
 * What the API answered, plus what its HTTP headers say about the provider's clock and pace. `aborted`
 * means the exporter is stopping: the poll neither failed nor succeeded.
 */
export type FetchResult = (
  | { ok: true, values: BalanceValues }
  | { ok: false, status: PollStatus, reason: string }
  | { ok: false, status: Aborted, reason: string }
) & ResponseHints

interface RequestContext {
  sign: () => Record<string, string>
  onAttempt: () => void
}

export interface BalanceClient {
  fetchBalance: (account: AccountConfig, options: FetchOptions) => Promise<FetchResult>
}

export function createBalanceClient (options: BalanceClientOptions): BalanceClient {
  const { now, requestTimeoutMs, retryBaseDelayMs = 1000, maxRetries = 2 } = options

  const http = (options.http ?? got).extend({
    method: 'GET',
    responseType: 'text',
    // Redirects would carry Api-Key and Sign to wherever they point; the API never redirects.
    followRedirect: false,
    throwHttpErrors: true,
    https: { rejectUnauthorized: true },
    timeout: { request: requestTimeoutMs },
    headers: {
      'Content-Type': 'application/json;charset=UTF-8',
      'user-agent': options.userAgent ?? 'laaffic-exporter',
    },
    hooks: {
      // Runs before every attempt, retries included, so each one carries a fresh Timestamp and Sign.
      beforeRequest: [(requestOptions) => {
        const context = requestOptions.context as unknown as RequestContext
        context.onAttempt()
        Object.assign(requestOptions.headers, context.sign())
      }],
    },
  })

  async function fetchBalance (account: AccountConfig, fetchOptions: FetchOptions): Promise<FetchResult> {
    const startedAt = now()
    const context: RequestContext = {
      // A closure keeps the secret out of the options object that got attaches to its errors.
      sign: () => signedHeaders(account.apiKey, account.apiSecret, now()),
      onAttempt: fetchOptions.onAttempt ?? (() => {}),
    }
    // Cancels the download once it passes MAX_ANSWER_BYTES (got has no body size limit of its own).
    const tooLarge = new AbortController()
    const signal = fetchOptions.signal === undefined ? tooLarge.signal : AbortSignal.any([fetchOptions.signal, tooLarge.signal])
    const request = http(`${account.baseUrl.replace(/\/+$/, '')}/getBalance`, {
      context: context as unknown as Record<string, unknown>,
      signal,
      resolveBodyOnly: false,
      retry: {
        limit: maxRetries,
        methods: ['GET'],
        statusCodes: [429, 500, 502, 503, 504, 505, 507, 508, 509, 520, 521, 522, 523, 524, 525, 526, 527, 529],
        maxRetryAfter: fetchOptions.budgetMs,
        calculateDelay: ({ attemptCount, computedValue, retryAfter }) => {
          if (computedValue === 0) return 0
          // Retry-After: 0 arrives as 0, which would mean "do not retry" here: back off as usual instead.
          const delay = retryAfter !== undefined && retryAfter > 0
            ? retryAfter
            : retryBaseDelayMs * 2 ** (attemptCount - 1) * (1 + Math.random() * 0.2)
          return now() - startedAt + delay < fetchOptions.budgetMs ? delay : 0
        },
      },
    })

    void request.on('downloadProgress', ({ transferred }) => {
      if (transferred > MAX_ANSWER_BYTES && !tooLarge.signal.aborted) tooLarge.abort()
    })

    try {
      const response = await request
      const hints = responseHints(response.headers, now())
      if (response.statusCode < 200 || response.statusCode > 299) {
        return { ok: false, status: httpStatus(response.statusCode), reason: `HTTP ${response.statusCode}`, ...hints }
      }
      return { ...parseBalanceResponse(response.body), ...hints }
    } catch (error) {
      const hints = error instanceof HTTPError ? responseHints(error.response.headers, now()) : {}
      if (tooLarge.signal.aborted) return { ok: false, status: INVALID_RESPONSE, reason: `body larger than ${MAX_ANSWER_BYTES} bytes` }
      if (fetchOptions.signal?.aborted === true) return { ok: false, status: ABORTED, reason: 'exporter stopping' }
      return { ok: false, status: classifyRequestError(error), reason: describeRequestError(error), ...hints }
    }
  }

  return { fetchBalance }
}
