// scripts/lib/stats.ts: the one quantile of the soak and the bench (nearest rank).
import t from 'tap'
import { median, quantile } from '../../scripts/lib/stats.js'

t.test('quantile: the nearest-rank value, never an interpolation', async (t) => {
  const ten = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]
  const cases: Array<[number, number]> = [[0, 1], [0.1, 1], [0.11, 2], [0.5, 5], [0.9, 9], [0.99, 10], [1, 10]]
  for (const [q, expected] of cases) t.equal(quantile(ten, q), expected, `q=${q} of 1..10`)
  t.same(ten, [10, 9, 8, 7, 6, 5, 4, 3, 2, 1], 'the input is left unsorted')
  const fiveHundred = Array.from({ length: 500 }, (_, i) => i + 1)
  t.equal(quantile(fiveHundred, 0.99), 495, 'p99 of 1..500: the 495th value')
  t.equal(quantile(fiveHundred, 0.5), 250, 'p50 of 1..500: the 250th value')
  t.equal(median([3, 1, 2]), 2)
  t.ok(Number.isNaN(quantile([], 0.5)), 'NaN without values')
})
