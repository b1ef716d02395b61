import t from 'tap'
import { providerReason } from '../../src/api/status.js'
import { drawFault, type Fault } from '../../src/simulator/faults.js'

/** A random source that hands out the given values in turn and fails the test when asked for more. */
function dice (...values: number[]): () => number {
  return () => {
    const value = values.shift()
    if (value === undefined) throw new Error('random() called more often than expected')
    return value
  }
}

t.test('no fault: a normal answer, without rolling the dice', async (t) => {
  t.same(drawFault(undefined, dice()), {})
})

t.test('without probability a fault always applies and stays', async (t) => {
  const fault: Fault = { type: 'hang' }
  for (const roll of [0, 0.5, 0.999999]) {
    const drawn = drawFault(fault, dice(roll))
    t.equal(drawn.applies, fault, `applies at ${roll}`)
    t.equal(drawn.remaining, fault, `stays at ${roll}`)
  }
})

t.test('probability: applies when random() is below it, otherwise stays untouched', async (t) => {
  const fault: Fault = { type: 'status', status: '-18', probability: 0.3 }
  t.same(drawFault(fault, dice(0)), { applies: fault, remaining: fault })
  t.same(drawFault(fault, dice(0.299)), { applies: fault, remaining: fault })
  t.same(drawFault(fault, dice(0.3)), { remaining: fault }, 'at the probability itself: no fault')
  t.same(drawFault(fault, dice(0.9)), { remaining: fault })
  t.notOk('applies' in drawFault(fault, dice(0.9)), 'no applies key when it does not apply')

  t.same(drawFault({ type: 'reset', probability: 0 }, dice(0)), { remaining: { type: 'reset', probability: 0 } }, 'probability 0 never applies')
  t.same(drawFault({ type: 'reset', probability: 1 }, dice(0.999999)).applies, { type: 'reset', probability: 1 }, 'probability 1 always applies')
})

t.test('count counts down on every applied fault and then ends', async (t) => {
  let fault: Fault | undefined = { type: 'malformed', count: 3 }
  const applied: Array<Fault | undefined> = []
  const remaining: Array<Fault | undefined> = []
  for (let i = 0; i < 4; i++) {
    const drawn = drawFault(fault, dice(0))
    applied.push(drawn.applies)
    remaining.push(drawn.remaining)
    fault = drawn.remaining
  }
  t.same(applied, [{ type: 'malformed', count: 3 }, { type: 'malformed', count: 2 }, { type: 'malformed', count: 1 }, undefined])
  t.same(remaining, [{ type: 'malformed', count: 2 }, { type: 'malformed', count: 1 }, undefined, undefined])
})

t.test('count 1 applies once and leaves nothing', async (t) => {
  const drawn = drawFault({ type: 'numbers', count: 1 }, dice(0))
  t.same(drawn, { applies: { type: 'numbers', count: 1 } })
  t.notOk('remaining' in drawn, 'no remaining key: the fault is over')
})

t.test('a roll that misses does not count down', async (t) => {
  const fault: Fault = { type: 'oversized', count: 2, probability: 0.5 }
  t.same(drawFault(fault, dice(0.7)), { remaining: { type: 'oversized', count: 2, probability: 0.5 } })
  t.same(drawFault(fault, dice(0.1)), { applies: fault, remaining: { type: 'oversized', count: 1, probability: 0.5 } })
})

t.test('drawing never changes the fault it is given', async (t) => {
  const fault: Fault = { type: 'http', httpStatus: 503, retryAfter: 7, count: 2 }
  drawFault(fault, dice(0))
  t.same(fault, { type: 'http', httpStatus: 503, retryAfter: 7, count: 2 })
})

t.test('reasons of the documented status codes, and "error" for the others', async (t) => {
  const reasons = Object.fromEntries(['-1', '-2', '-13', '-15', '-16', '-18', '-10', '0', 'timeout'].map((s) => [s, providerReason(s)]))
  t.same(reasons, {
    '-1': 'authentication error',
    '-2': 'IP access restricted',
    '-13': 'user locked',
    '-15': 'queried too frequently',
    '-16': 'time limit exceeded',
    '-18': 'interface exception',
    '-10': 'error',
    0: 'error',
    timeout: 'error',
  })
})
