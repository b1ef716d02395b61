import t from 'tap'
import { createLimiter } from '../../src/poller/limiter.js'

t.test('runs at most `limit` tasks at once, the rest in order, and survives failures', async (t) => {
  const limit = createLimiter(2)
  const started: number[] = []
  const release: Array<() => void> = []
  const tasks = [0, 1, 2, 3].map(async (i) => await limit(async () => {
    started.push(i)
    await new Promise<void>((resolve) => release.push(resolve))
    if (i === 1) throw new Error('task 1 fails')
    return i
  }))
  await new Promise((resolve) => setImmediate(resolve))
  t.same(started, [0, 1], 'two start')
  release.shift()?.()
  await tasks[0]
  await new Promise((resolve) => setImmediate(resolve))
  t.same(started, [0, 1, 2], 'the third starts when one ends')
  release.shift()?.()
  await t.rejects(tasks[1]!, { message: 'task 1 fails' })
  await new Promise((resolve) => setImmediate(resolve))
  t.same(started, [0, 1, 2, 3], 'a failure frees its slot too')
  release.splice(0).forEach((r) => { r() })
  t.same(await Promise.all([tasks[2], tasks[3]]), [2, 3])
})
