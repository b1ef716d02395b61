import { HTTPError, RequestError, TimeoutError } from 'got'

/** Where the poll stopped because the exporter is shutting down, not because the API failed. */
export const ABORTED = 'aborted'

/**
 * Maps a got error to the `status` label of laaffic_poll_errors_total. Works on the error's class
 * and code only: the error object also carries the request options (and so the Sign header),
 * so it must never be logged or returned.
 */
export function classifyRequestError (error: unknown): string {
  if (error instanceof TimeoutError) return 'timeout'
  if (error instanceof HTTPError) return `http_${error.response.statusCode}`
  if (error instanceof RequestError) {
    if (error.name === 'AbortError' || error.code === 'ERR_ABORTED') return ABORTED
    return 'network'
  }
  return 'network'
}

/** A short, secret-free description of a failed request for logs and the landing page. */
export function describeRequestError (error: unknown): string {
  if (error instanceof TimeoutError) return `no answer within ${error.event} timeout`
  if (error instanceof HTTPError) return `HTTP ${error.response.statusCode}`
  if (error instanceof RequestError) return error.code === '' ? 'request failed' : error.code
  return 'request failed'
}
