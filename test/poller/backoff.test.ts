import t from 'tap'
import type { PollStatus } from '../../src/api/status.js'
import { nextPollDelayMs } from '../../src/poller/backoff.js'

const MINUTE = 60_000

t.test('-1, -2 and -13 double the wait up to max(15 min, interval)', async (t) => {
  for (const status of ['-1', '-2', '-13'] as const) {
    const waits: number[] = []
    let delay = MINUTE
    for (let i = 0; i < 6; i++) {
      delay = nextPollDelayMs(delay, status, MINUTE)
      waits.push(delay / MINUTE)
    }
    t.same(waits, [2, 4, 8, 15, 15, 15], status)
  }
  t.equal(nextPollDelayMs(20 * MINUTE, '-1', 20 * MINUTE), 20 * MINUTE, 'an interval above 15 min is the cap')
})

t.test('success and other failures poll at the interval', async (t) => {
  for (const status of [undefined, '-16', '-18', '-10', 'timeout', 'network', 'http_500', 'invalid_response'] satisfies Array<PollStatus | undefined>) {
    t.equal(nextPollDelayMs(8 * MINUTE, status, MINUTE), MINUTE, String(status))
  }
})

t.test('-15 (queried too frequently) backs off like the auth errors', async (t) => {
  t.equal(nextPollDelayMs(MINUTE, '-15', MINUTE), 2 * MINUTE)
  t.equal(nextPollDelayMs(2 * MINUTE, '-15', MINUTE), 4 * MINUTE)
})

t.test('a Retry-After from the provider is waited for, up to the cap', async (t) => {
  t.equal(nextPollDelayMs(MINUTE, 'http_429', MINUTE, 5 * MINUTE), 5 * MINUTE, 'longer than the interval: honoured')
  t.equal(nextPollDelayMs(MINUTE, 'http_503', MINUTE, 10_000), MINUTE, 'shorter than the interval: the interval')
  t.equal(nextPollDelayMs(MINUTE, 'http_429', MINUTE, 24 * 60 * MINUTE), 15 * MINUTE, 'a day is capped at 15 min')
  t.equal(nextPollDelayMs(4 * MINUTE, '-1', MINUTE, 2 * MINUTE), 8 * MINUTE, 'the longer of backoff and Retry-After')
})
