/**
 * At most `limit` tasks at once; the rest wait in order. With a thousand accounts this keeps the
 * exporter from opening a thousand connections to the provider at the same moment.
 */
export function createLimiter (limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0
  const waiting: Array<() => void> = []
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve))
    active++
    try {
      return await task()
    } finally {
      active--
      waiting.shift()?.()
    }
  }
}
