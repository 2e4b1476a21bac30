import {describe, expect, it} from 'vitest'
import {hasSortedId, mergeSortedIds} from '../../src/domain/ticket/ids.js'
import type {TicketSummary} from '../../src/domain/ticket/model.js'
import {firstInOrder, SORT_KEYS, sorter, sortRows} from '../../src/domain/queue/query.js'

/** A small deterministic random source (tests must not depend on Math.random). */
function rng(seed: number) {
  let s = seed
  return () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff
}

function tickets(n: number, seed: number): TicketSummary[] {
  const r = rng(seed)
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!
  // few distinct times and priorities: many ties, which the id must break
  return Array.from({length: n}, (_, i) => ({
    id: `T${String(Math.floor(r() * 1e9)).padStart(9, '0')}${i}`,
    createdAt: `2026-01-0${1 + Math.floor(r() * 3)}T00:00:00.000Z`,
    updatedAt: `2026-02-0${1 + Math.floor(r() * 3)}T00:00:00.000Z`,
    priority: pick(['low', 'normal', 'high', 'urgent']),
    status: pick(['new', 'open', 'pending', 'resolved', 'closed']),
  })) as unknown as TicketSummary[]
}

describe('firstInOrder (a list keeps a page, not every match)', () => {
  it('gives what sorting every ticket and cutting at the limit gives, for every sort key', () => {
    for (const key of SORT_KEYS) {
      const order = sorter(key, {dueOf: (t) => (t.priority === 'urgent' ? null : t.updatedAt)})
      for (const [n, limit] of [[0, 10], [5, 10], [300, 1], [2000, 50], [2000, 1000], [1500, null]] as const) {
        const all = tickets(n, n + (limit ?? 7))
        const picked = firstInOrder(order, limit)
        for (const t of all) picked.add(t)
        const want = [...all].sort(order)
        expect(picked.result()).toEqual({tickets: limit === null ? want : want.slice(0, limit), total: n})
      }
    }
  })

  it('starts over after clear()', () => {
    const order = sorter('created')
    const picked = firstInOrder(order, 3)
    for (const t of tickets(600, 1)) picked.add(t)
    picked.clear()
    const again = tickets(10, 2)
    for (const t of again) picked.add(t)
    expect(picked.result()).toEqual({tickets: [...again].sort(order).slice(0, 3), total: 10})
  })
})

describe('sorted id lists', () => {
  it('hasSortedId finds exactly the ids a sorted list holds', () => {
    const ids = ['0A', '0B', '1C', '7K3F9', 'ZZ']
    for (const id of ids) expect(hasSortedId(ids, id)).toBe(true)
    for (const id of ['', '0', '0AA', '1B', 'ZZZ']) expect(hasSortedId(ids, id)).toBe(false)
    expect(hasSortedId([], 'A')).toBe(false)
  })

  it('mergeSortedIds is the sort of both lists together', () => {
    const r = rng(3)
    const all = [...new Set(Array.from({length: 500}, () => Math.floor(r() * 1e6).toString(32).toUpperCase()))]
    const old = all.filter((_, i) => i % 4 !== 0).sort()
    const more = all.filter((_, i) => i % 4 === 0)
    expect(mergeSortedIds(old, more)).toEqual([...all].sort())
    expect(mergeSortedIds([], ['B', 'A'])).toEqual(['A', 'B'])
    expect(mergeSortedIds(['A'], [])).toEqual(['A'])
  })
})

describe('sortRows (the wide lists sort dates as numbers)', () => {
  it('gives sorter’s order for every key, with many ties, and with dates in another form', () => {
    let checked = 0
    for (const key of SORT_KEYS.filter((k) => k !== 'due')) {
      for (const odd of [false, true]) {
        const all = tickets(1500, 11)
        // a date the desk would not write (no milliseconds, an offset): the numbers would not keep text order
        if (odd) (all[700] as {createdAt: string}).createdAt = '2026-01-02T00:00:00+01:00'
        const want = [...all].sort(sorter(key)).map((t) => t.id)
        expect(sortRows([...all], key).map((t) => t.id)).toEqual(want)
        checked++
      }
    }
    expect(checked).toBe(10)
  })
})
