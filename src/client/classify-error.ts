import { HTTPError, RequestError, TimeoutError } from 'got'
import { ABORTED, httpStatus, NETWORK, TIMEOUT, type Aborted, type PollStatus } from './status.js'

/**
 * Maps a got error to the `status` label of laaffic_poll_errors_total. Works on the error's class
 * and code only: the error object also carries the request options (and so the Sign header),
 * so it must never be logged or returned.
 */
export function classifyRequestError (error: unknown): PollStatus | Aborted {
  if (error instanceof TimeoutError) return TIMEOUT
  if (error instanceof HTTPError) return httpStatus(error.response.statusCode)
  if (error instanceof RequestError) {
    if (error.name === 'AbortError' || error.code === 'ERR_ABORTED') return ABORTED
    return NETWORK
  }
  return NETWORK
}

/** A short, secret-free description of a failed request for logs and the landing page. */
export function describeRequestError (error: unknown): string {
  if (error instanceof TimeoutError) return `no answer within ${error.event} timeout`
  if (error instanceof HTTPError) return `HTTP ${error.response.statusCode}`
  if (error instanceof RequestError) return error.code === '' ? 'request failed' : error.code
  return 'request failed'
}
