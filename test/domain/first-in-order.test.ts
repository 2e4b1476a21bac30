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
  it('gives sorter’s order for every key: many ties, distinct times, times centuries apart, dates in another form', () => {
    let checked = 0
    const r = rng(5)
    const iso = (ms: number) => new Date(ms).toISOString()
    const forms = {
      ties: (_all: TicketSummary[]) => {},
      // distinct times over two years, a few of them repeated
      distinct: (all: TicketSummary[]) => {
        for (const t of all) Object.assign(t, {createdAt: iso(1.7e12 + Math.floor(r() * 6.3e10)), updatedAt: iso(1.75e12 + Math.floor(r() * 6.3e10))})
        for (let i = 0; i < 40; i++) Object.assign(all[i + 100]!, {createdAt: all[i]!.createdAt, updatedAt: all[i]!.updatedAt})
      },
      // 1900 to 2100 (before 1970 the numbers are negative)
      wide: (all: TicketSummary[]) => {
        for (const t of all) Object.assign(t, {createdAt: iso(-2.2e12 + Math.floor(r() * 6.3e12)), updatedAt: iso(-2.2e12 + Math.floor(r() * 6.3e12))})
      },
      // a date the desk would not write (no milliseconds, an offset): the numbers would not keep text order
      odd: (all: TicketSummary[]) => {
        ;(all[700] as {createdAt: string}).createdAt = '2026-01-02T00:00:00+01:00'
      },
    }
    for (const key of SORT_KEYS.filter((k) => k !== 'due')) {
      for (const [form, change] of Object.entries(forms)) {
        const all = tickets(1500, 11)
        change(all)
        const want = [...all].sort(sorter(key)).map((t) => t.id)
        expect(sortRows([...all], key).map((t) => t.id), `${key}, ${form}`).toEqual(want)
        checked++
      }
    }
    expect(checked).toBe(20)
    expect(sortRows([], 'created')).toEqual([])
  })
})
