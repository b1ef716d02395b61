// Statistics over measured samples, for the soak and the bench. Every percentile they report comes from
// quantile() (nearest rank: always a value that was measured), so no two of them round differently.

/** The q-quantile (0..1) of the values by the nearest-rank method; NaN when there are none. */
export function quantile (values: readonly number[], q: number): number {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN
}

export function median (values: readonly number[]): number {
  return quantile(values, 0.5)
}

/** Least-squares slope of y over x; NaN with fewer than two points. */
export function slope (points: ReadonlyArray<{ x: number, y: number }>): number {
  if (points.length < 2) return NaN
  const n = points.length
  const mx = points.reduce((s, p) => s + p.x, 0) / n
  const my = points.reduce((s, p) => s + p.y, 0) / n
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0)
  const sxy = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0)
  return sxx === 0 ? NaN : sxy / sxx
}

export const MB = 1024 * 1024
