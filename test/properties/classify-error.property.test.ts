import t from 'tap'
import fc from 'fast-check'
import { AbortError, CacheError, HTTPError, MaxRedirectsError, ReadError, RequestError, RetryError, TimeoutError, UploadError } from 'got'
import { classifyRequestError, describeRequestError } from '../../src/client/classify-error.js'
import { ABORTED } from '../../src/client/classify-error.js'
import { anyValue, makeCanary } from '../helpers/arbitraries.js'

// classifyRequestError gives the `status` label of laaffic_poll_errors_total, describeRequestError the reason
// shown in logs and on the status page. Both see whatever a request threw.

const CANARY = makeCanary()
const CLASSES = /^(timeout|network|aborted|http_\d{3})$/
/** Where the fake requests go, as a description names it: the host and the port https implies, never the path or query. */
const TO = 'api.laaffic.test:443'

/** got's errors carry the request: its options hold the URL and the signed headers (Api-Key, Sign). */
function fakeRequest (statusCode?: number) {
  const request = {
    _onResponse: () => {},
    options: {
      method: 'GET',
      url: new URL(`https://api.laaffic.test/v3/getBalance?${CANARY}`),
      headers: { 'Api-Key': `key-${CANARY}`, Sign: `sign-${CANARY}`, Timestamp: '1700000000000' },
      context: { secret: CANARY },
    },
    timings: { start: 0, phases: {} },
    response: undefined as unknown,
  }
  if (statusCode !== undefined) {
    request.response = { statusCode, statusMessage: `status ${CANARY}`, request, headers: {}, body: CANARY, timings: request.timings }
  }
  return request
}
type FakeRequest = ReturnType<typeof fakeRequest>
type GotRequest = ConstructorParameters<typeof AbortError>[0]
const asRequest = (request: FakeRequest): GotRequest => request as unknown as GotRequest

/** A system error like the ones Node hands to got (code ECONNRESET...), with a message naming the secret. */
function causeWith (code: string | undefined, name: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`connect failed for ${CANARY}`), code === undefined ? { name } : { code, name })
}

const errorCode = fc.oneof(
  fc.constantFrom('ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'ERR_ABORTED', 'ERR_CANCELED',
    'ERR_TLS_CERT_ALTNAME_INVALID', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'ERR_GOT_REQUEST_ERROR', 'ERR_NON_2XX_3XX_RESPONSE'),
  fc.string({ minLength: 1 }),
)
const errorName = fc.oneof(fc.constantFrom('Error', 'AbortError', 'TimeoutError', 'HTTPError', 'RequestError', 'TypeError', 'FetchError'), fc.string())
const timeoutEvent = fc.oneof(fc.constantFrom('request', 'lookup', 'connect', 'secureConnect', 'socket', 'send', 'response', 'read'), fc.string())
const httpStatus = fc.integer({ min: 100, max: 999 }) // what Node's HTTP parser lets through: three digits

/** A got error as got builds it, with the class the client would see, and what the two functions must answer. */
interface GotCase { error: unknown, label: string, description?: string }

const gotErrors: fc.Arbitrary<GotCase> = fc.oneof(
  fc.tuple(httpStatus).map(([status]): GotCase => ({
    error: new HTTPError(fakeRequest(status).response as ConstructorParameters<typeof HTTPError>[0]),
    label: `http_${status}`,
    description: `HTTP ${status}`,
  })),
  fc.tuple(timeoutEvent, fc.nat()).map(([event, threshold]): GotCase => {
    const cause = Object.assign(new Error(`Timeout awaiting '${event}' for ${threshold}ms`), { name: 'TimeoutError', code: 'ETIMEDOUT', event })
    return {
      // got's own TimeoutError (timed-out.js) is not exported: an Error with its fields stands in for it.
      // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment
      error: new TimeoutError(cause as ConstructorParameters<typeof TimeoutError>[0], {} as ConstructorParameters<typeof TimeoutError>[1], asRequest(fakeRequest())),
      label: 'timeout',
      description: `no answer from ${TO} within ${event} timeout`,
    }
  }),
  fc.constant(null).map((): GotCase => ({ error: new AbortError(asRequest(fakeRequest())), label: ABORTED, description: `ERR_ABORTED ${TO}` })),
  fc.tuple(fc.option(errorCode, { nil: undefined }), errorName).map(([code, name]): GotCase => {
    const error = new RequestError(`request to ${CANARY} failed`, causeWith(code, name), asRequest(fakeRequest()))
    return {
      error,
      label: error.code === 'ERR_ABORTED' ? ABORTED : 'network',
      description: `${code ?? 'ERR_GOT_REQUEST_ERROR'} ${TO}`,
    }
  }),
  // A RequestError renamed the way an AbortSignal abort can surface.
  fc.tuple(fc.option(errorCode, { nil: undefined })).map(([code]): GotCase => {
    const error = new RequestError('This operation was aborted', causeWith(code, 'AbortError'), asRequest(fakeRequest()))
    error.name = 'AbortError'
    return { error, label: ABORTED }
  }),
  fc.tuple(fc.option(errorCode, { nil: undefined }), fc.constantFrom(ReadError, CacheError, UploadError)).map(([code, Class]): GotCase => {
    const error = new Class(causeWith(code, 'Error'), asRequest(fakeRequest()))
    return { error, label: error.code === 'ERR_ABORTED' ? ABORTED : 'network', description: `${error.code} ${TO}` }
  }),
  fc.constantFrom(MaxRedirectsError, RetryError).map((Class): GotCase => {
    const request = fakeRequest()
    const error = new Class(asRequest({ ...request, options: { ...request.options, maxRedirects: 10 } } as FakeRequest))
    return { error, label: 'network', description: `${error.code} ${TO}` }
  }),
)

/** Values that are not got errors: anything at all, and plain errors dressed up as got's. */
const otherValues: fc.Arbitrary<unknown> = fc.oneof(
  anyValue,
  fc.bigInt(),
  fc.constantFrom(undefined, null, Symbol('x'), () => {}, Object.create(null) as unknown, new Proxy({}, {}), Promise.resolve(1)),
  fc.tuple(fc.constantFrom(Error, TypeError, RangeError, SyntaxError), fc.string(), fc.option(fc.oneof(errorCode, anyValue)), fc.option(errorName))
    .map(([Class, message, code, name]) => {
      const error: Error & { code?: unknown } = new Class(message)
      if (code !== null) error.code = code
      if (name !== null) error.name = name
      return error
    }),
  fc.tuple(errorCode, errorName, timeoutEvent).map(([code, name, event]) => ({ code, name, event, message: CANARY, response: { statusCode: 503 } })),
  fc.constant(new DOMException('This operation was aborted', 'AbortError')),
)

function check (error: unknown): { label: string, description: string } {
  const label = classifyRequestError(error)
  const description = describeRequestError(error)
  if (typeof label !== 'string' || !CLASSES.test(label)) throw new Error(`classified as ${JSON.stringify(label)}`)
  if (typeof description !== 'string' || description === '') throw new Error(`described as ${JSON.stringify(description)}`)
  if (label.includes(CANARY) || description.includes(CANARY)) throw new Error(`leaked what the error carries: ${label} / ${description}`)
  return { label, description }
}

t.test('any value: never throws, one of the known labels, a non-empty description', async (t) => {
  fc.assert(fc.property(fc.oneof(otherValues, gotErrors.map((c) => c.error)), (error) => { check(error) }), { numRuns: 2000 })
  t.pass('2000 runs')
})

t.test('anything that is not a got error is a network failure, described without detail', async (t) => {
  fc.assert(fc.property(otherValues, (error) => {
    const { label, description } = check(error)
    if (label !== 'network' || description !== 'request failed') throw new Error(`${label} / ${description}`)
  }), { numRuns: 2000 })
  t.pass('2000 runs')
})

t.test('got errors: the label follows the class, the description names the cause and the host and port, never the rest of the request', async (t) => {
  fc.assert(fc.property(gotErrors, ({ error, label, description }) => {
    const seen = check(error)
    if (seen.label !== label) throw new Error(`classified as ${seen.label}, expected ${label}`)
    if (description !== undefined && seen.description !== description) throw new Error(`described as ${seen.description}, expected ${description}`)
  }), { numRuns: 2000 })
  t.pass('2000 runs')
})
