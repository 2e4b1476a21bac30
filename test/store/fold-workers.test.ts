import {describe, expect, it} from 'vitest'
import {foldWorkers, WORKERS_FROM, WORKERS_UP_TO_MB} from '../../src/store/bulk-reader.js'

describe('foldWorkers: how many threads fold an index build', () => {
  it('none on a small desk or one core; on a large one one worker beside the main thread, two from 4 cores (the memory budget)', () => {
    expect(foldWorkers(WORKERS_FROM - 1, {}, 8, 100)).toBe(0)
    expect(foldWorkers(WORKERS_FROM, {}, 8, 100)).toBe(2)
    expect(foldWorkers(100_000, {}, 1, 100)).toBe(0)
    expect(foldWorkers(100_000, {}, 2, 100)).toBe(1)
    expect(foldWorkers(100_000, {}, 3, 100)).toBe(1)
    expect(foldWorkers(100_000, {}, 4, 100)).toBe(2)
    expect(foldWorkers(100_000, {}, 16, 100)).toBe(2)
  })

  it('none in a process already large when the build starts (a sync that adopted a desk): a worker is a second heap', () => {
    expect(foldWorkers(100_000, {}, 2, 100)).toBe(1)
    expect(foldWorkers(100_000, {}, 8, WORKERS_UP_TO_MB + 1)).toBe(0)
    expect(foldWorkers(100_000, {TIX_FOLD_WORKERS: '1'}, 2, 1000)).toBe(1)
  })

  it('TIX_FOLD_WORKERS sets the number whatever the size (0: the main thread folds)', () => {
    expect(foldWorkers(10, {TIX_FOLD_WORKERS: '2'}, 2, 100)).toBe(2)
    expect(foldWorkers(100_000, {TIX_FOLD_WORKERS: '0'}, 16, 100)).toBe(0)
    expect(foldWorkers(100_000, {TIX_FOLD_WORKERS: 'many'}, 16, 100)).toBe(2)
  })
})
