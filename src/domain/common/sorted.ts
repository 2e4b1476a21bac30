// Binary search over a sorted list: ticket ids, knowledge-base terms, ids.txt read on demand. One
// copy for all of them.

/** Index of the first item >= `key` in a sorted list given by its length and an accessor (`length` when none). */
export function lowerBoundAt<T extends string | number>(length: number, at: (i: number) => T, key: T): number {
  let lo = 0
  let hi = length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (at(mid) < key) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Index of the first item >= `key` in a sorted array (`length` when none). */
export const lowerBound = (sorted: readonly string[], key: string): number => lowerBoundAt(sorted.length, (i) => sorted[i]!, key)
