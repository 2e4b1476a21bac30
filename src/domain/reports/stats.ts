// Summary statistics for report durations (docs/reports.md: median and p90 first, mean second).
// Percentiles interpolate linearly between closest ranks (Hyndman & Fan type 7: what spreadsheets
// call PERCENTILE.INC, numpy's default), so anyone can check a figure with a spreadsheet.

export interface Summary {
  count: number
  median: number | null
  p90: number | null
  mean: number | null
  max: number | null
}

/** Percentile p (0..1) of ascending `sorted` values. */
export function percentile(sorted: ArrayLike<number>, p: number): number | null {
  const n = sorted.length
  if (n === 0) return null
  const h = (n - 1) * p
  const lo = Math.floor(h)
  const hi = Math.min(n - 1, lo + 1)
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!)
}

export function summarize(values: number[]): Summary {
  const n = values.length
  if (n === 0) return {count: 0, median: null, p90: null, mean: null, max: null}
  const sorted = Float64Array.from(values).sort()
  let sum = 0
  for (const v of values) sum += v
  return {count: n, median: percentile(sorted, 0.5), p90: percentile(sorted, 0.9), mean: sum / n, max: sorted[n - 1]!}
}

/** part / whole as a percentage, null when whole is 0 (no data is not 0%). */
export const pct = (part: number, whole: number): number | null => (whole > 0 ? (100 * part) / whole : null)
