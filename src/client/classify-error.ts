import { HTTPError, RequestError, TimeoutError } from 'got'
import { httpStatus, NETWORK, TIMEOUT, type PollStatus } from '../api/status.js'

/** A poll cut short because the exporter is stopping: not a failure of the API, never counted. */
export const ABORTED = 'aborted'
export type Aborted = typeof ABORTED

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

/**
 * A short, secret-free description of a failed request for logs and the status page, naming where it went
 * (`ENOTFOUND api.laaffic.com:443`): a DNS or firewall problem is found by the host and port it concerns.
 */
export function describeRequestError (error: unknown): string {
  if (error instanceof HTTPError) return `HTTP ${error.response.statusCode}`
  if (!(error instanceof RequestError)) return 'request failed'
  const to = hostAndPort(error)
  if (error instanceof TimeoutError) return `no answer${to === '' ? '' : ` from ${to}`} within ${error.event} timeout`
  return `${error.code === '' ? 'request failed' : error.code}${to === '' ? '' : ` ${to}`}`
}

/** `host:port` of the request, the port spelled out when the URL leaves it implicit; never the path or query. */
function hostAndPort (error: RequestError): string {
  const url: unknown = (error.options as { url?: unknown } | undefined)?.url
  if (!(url instanceof URL)) return ''
  const port = url.port !== '' ? url.port : url.protocol === 'https:' ? '443' : url.protocol === 'http:' ? '80' : ''
  return port === '' ? url.hostname : `${url.hostname}:${port}`
}
