import t from 'tap'
import { relativeTime, utcTime } from '../../src/http/times.js'

t.test('an age in the largest unit that fits, rounded down', async (t) => {
  const now = 1_700_000_000_000
  const cases: Array<[number, string]> = [
    [0, 'just now'], [999, 'just now'], [1000, '1 s ago'], [59_999, '59 s ago'], [60_000, '1 min ago'], [125_000, '2 min ago'],
    [3_599_999, '59 min ago'], [3_600_000, '1 h ago'], [47 * 3_600_000, '47 h ago'], [48 * 3_600_000, '2 d ago'],
    [-500, 'now'], [-1000, 'in 1 s'], [-480_000, 'in 8 min'], [-7_200_000, 'in 2 h'],
  ]
  for (const [agoMs, text] of cases) t.equal(relativeTime(now - agoMs, now), text, `${agoMs} ms`)
})

t.test('the exact time, to the second, in UTC', async (t) => {
  t.equal(utcTime(Date.UTC(2025, 0, 31, 14, 5, 9, 999)), '2025-01-31 14:05:09 UTC')
})
