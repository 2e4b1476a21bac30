// `tix show` looks ids up in ids.txt by offset (Cache.idsView) instead of reading every line: the
// view must answer exactly what the whole list (Cache.ids) answers, the unsorted tail included,
// and a damaged file must be dropped, not trusted.
import {mkdirSync, mkdtempSync, readFileSync, truncateSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it, vi} from 'vitest'
import {ALPHABET, idsWithPrefix, newId, shortId} from '../../src/domain/ticket/ids.js'
import {Cache} from '../../src/store/cache.js'
import {listTickets, newTicket, showTicket} from '../../src/services/tickets.js'
import {Desk} from '../../src/store/desk.js'
import {makeDesk, testIO, tixIn} from '../helpers.js'

const cacheIn = () => {
  const cache = new Cache(mkdtempSync(join(tmpdir(), 'tix-ids-')), 'tix')
  mkdirSync(cache.dir, {recursive: true})
  return cache
}

/** Ids from a fixed sequence of bytes, with shared prefixes so that short ids grow past 5 characters. */
function someIds(n: number, seed: number): string[] {
  const out: string[] = []
  for (let i = 0; i < n; i++) {
    const bytes = Uint8Array.from({length: 7}, (_, k) => (seed * 7919 + i * 104729 + k * 31 + ((i * k) % 5)) & 0xff)
    out.push(i % 4 === 0 ? `7K3F${newId(bytes).slice(4)}` : newId(bytes))
  }
  return out
}

const never = (): never => {
  throw new Error('damaged')
}

describe('Cache.idsView', () => {
  it('answers like the whole list: a sorted head and an appended tail with repeats', () => {
    const cache = cacheIn()
    const head = [...new Set(someIds(300, 1))].sort()
    // the first appended id sorts after the whole head (it lies where the head would continue)
    const tail = ['ZZZZZZZZZY', ...someIds(40, 2), head[3]!, head[150]!, ...someIds(5, 2)]
    cache.appendIds(head, true)
    cache.appendIds(tail)
    const whole = cache.ids()!
    const view = cache.idsView(tail.length, readFileSync(join(cache.dir, 'ids.txt')).length, never)!
    expect(view.length).toBe(whole.length)
    expect([...view]).toEqual(whole)
    for (const id of [...whole, 'ZZZZZZZZZZ', 'ZZZZZZZZZX', '0000000000']) expect(shortId(view, id)).toBe(shortId(whole, id))
    for (const p of ['7K3F', '7K3F0', ...ALPHABET.slice(0, 8).split('').map((c) => `${c}${c}${c}${c}`), whole[10]!.slice(0, 6)]) expect(idsWithPrefix(view, p)).toEqual(idsWithPrefix(whole, p))
  })

  it('is empty for an empty file, and null for a file that is not fixed-width lines', () => {
    const cache = cacheIn()
    writeFileSync(join(cache.dir, 'ids.txt'), '')
    expect([...cache.idsView(0, 0, never)!]).toEqual([])
    writeFileSync(join(cache.dir, 'ids.txt'), 'ABC\nDEF\n')
    expect(cache.idsView(0, 8, never)).toBeNull()
    writeFileSync(join(cache.dir, 'ids.txt'), '0000000001\n0000000002\n')
    expect(cache.idsView(3, 22, never)).toBeNull() // a tail longer than the file
    expect(cache.idsView(0, 33, never)).toBeNull() // shorter than meta.json recorded
    // another writer appended, or sorted the tail into the head and added ids, after meta.json was
    // read: the recorded split no longer holds, so the file is read whole (null here)
    writeFileSync(join(cache.dir, 'ids.txt'), '0000000001\n0000000003\n0000000002\n')
    expect(cache.idsView(0, 22, never)).toBeNull()
    expect([...cache.idsView(1, 33, never)!]).toEqual(['0000000001', '0000000002', '0000000003'])
    writeFileSync(join(cache.dir, 'ids.txt'), '0000000001\n0000000002\n0000000003\n0000000004\n')
    expect(cache.idsView(1, 33, never)).toBeNull()
  })

  it('calls `damaged` for a line that is not an id', () => {
    const cache = cacheIn()
    writeFileSync(join(cache.dir, 'ids.txt'), '0000000001\n00000x0002\n0000000003\n')
    const view = cache.idsView(0, 33, never)!
    expect(() => shortId(view, '0000000003')).toThrow('damaged')
  })
})

describe('tix show on a warm cache', () => {
  it('resolves prefixes and short ids from ids.txt as the whole list does, and drops a cache whose ids.txt was damaged', async () => {
    const {dir, desk} = await makeDesk()
    const made: string[] = []
    for (let i = 0; i < 3; i++) made.push((await newTicket(desk, {title: `Ticket ${i}`})).ticket.ticket.id)
    await listTickets(desk, {all: true}) // builds the cache: ids.txt sorted
    const fresh = () => Desk.locate(testIO(dir))
    for (let i = 3; i < 6; i++) made.push((await newTicket(fresh(), {title: `Ticket ${i}`})).ticket.ticket.id)
    const cache = new Cache(join(dir, '.git'), 'tix')
    const meta = JSON.parse(readFileSync(join(cache.dir, 'meta.json'), 'utf8')) as {idsTail?: number}
    expect(meta.idsTail ?? 0).toBeGreaterThan(0) // new tickets were appended to the tail
    const shown = await showTicket(fresh(), made[2]!.slice(0, 6))
    expect(shown.ticket.ticket.id).toBe(made[2])
    const whole = cache.ids()!
    expect(shortId(shown.ids, made[2]!)).toBe(shortId(whole, made[2]!))
    expect(shown.ids).not.toBe(shown.index.ids) // a view: the list itself was not read
    expect(shown.index.ids).toEqual(whole)
    // the same length, but a line is not an id: the view finds out, drops the cache, and the next command rebuilds it
    const path = join(cache.dir, 'ids.txt')
    const lines = readFileSync(path, 'utf8').split('\n')
    lines[1] = 'x'.repeat(10)
    writeFileSync(path, lines.join('\n'))
    await expect(showTicket(fresh(), made[2]!.slice(0, 6))).rejects.toThrow(/cache was damaged/)
    expect((await showTicket(fresh(), made[2]!.slice(0, 6))).ticket.ticket.id).toBe(made[2])
    truncateSync(path, 5) // cut short: the sizes in meta.json no longer match, so the cache is rebuilt
    expect((await showTicket(fresh(), made[4]!)).ticket.ticket.id).toBe(made[4])
  })

  it('one-ticket commands (new, a status change, history) print short ids without reading every id (issue 14: O(touched))', async () => {
    const {dir, desk} = await makeDesk()
    const made: string[] = []
    for (let i = 0; i < 4; i++) made.push((await newTicket(desk, {title: `Ticket ${i}`})).ticket.ticket.id)
    await listTickets(desk, {all: true}) // builds the cache: ids.txt sorted
    const whole = vi.spyOn(Cache.prototype, 'ids')
    try {
      const created = await tixIn(dir, ['new', 'Printer on fire', '--json'])
      expect(created.code).toBe(0)
      const id = created.json().ticket.id as string
      const all = [...made, id].sort()
      expect(created.json().ticket.shortId).toBe(shortId(all, id))
      const changed = await tixIn(dir, ['status', made[1]!, 'pending'])
      expect(changed.code).toBe(0)
      expect(changed.stdout).toMatch(new RegExp(`^${shortId(all, made[1]!)}: `))
      expect((await tixIn(dir, ['history', made[2]!, '--json'])).json().shortId).toBe(shortId(all, made[2]!))
      expect(whole).not.toHaveBeenCalled()
    } finally {
      vi.restoreAllMocks()
    }
  })
})

describe('a cache two writers update at once', () => {
  it('keeps only what one of them counted from the cache as it found it (the unsorted tail of ids.txt stays right)', async () => {
    const {dir, desk} = await makeDesk()
    const made: string[] = []
    for (let i = 0; i < 6; i++) made.push((await newTicket(desk, {title: `Ticket ${i}`})).ticket.ticket.id)
    await listTickets(desk, {all: true}) // the cache is built at this tip
    // A commit the cache has not followed (desk.json only), then a ticket written the same way, so
    // that the next read must fold what changed since the cache's commit
    const config = JSON.parse((await desk.readText('desk.json'))!) as Record<string, unknown>
    await desk.commitFiles([{path: 'desk.json', content: JSON.stringify({...config, name: 'Renamed desk'}, null, 2)}], 'rename')
    const b = Desk.locate(testIO(dir))
    const a = Desk.locate(testIO(dir))
    // While `a` folds what changed, `b` brings the cache up to date and writes two tickets
    const fold = a as unknown as {foldBlobs: (...args: unknown[]) => Promise<unknown>}
    const own = fold.foldBlobs.bind(a)
    fold.foldBlobs = async (...args: unknown[]) => {
      await b.index()
      for (let i = 0; i < 2; i++) made.push((await newTicket(b, {title: `Meanwhile ${i}`})).ticket.ticket.id)
      return own(...args)
    }
    await a.index()
    const all = [...made].sort()
    // twice: the first read may bring the cache to the tip; the second reads it as it stands
    for (let round = 0; round < 2; round++) {
      const fresh = Desk.locate(testIO(dir))
      const index = await fresh.index()
      expect([...fresh.sortedIds(index)]).toEqual(all)
      for (const id of made) expect(idsWithPrefix(fresh.sortedIds(index), id.slice(0, 5))).toEqual([id])
      expect(Object.keys(index.open).sort()).toEqual(all)
    }
    const meta = JSON.parse(readFileSync(join(dir, '.git', 'tix', 'cache', 'tix', 'meta.json'), 'utf8')) as {idsTail?: number; counts: {open: number}}
    expect(meta.counts.open).toBe(made.length)
    // the lines after the sorted head are the tail meta.json counts
    const lines = readFileSync(join(dir, '.git', 'tix', 'cache', 'tix', 'ids.txt'), 'utf8').trim().split('\n')
    const head = lines.slice(0, lines.length - (meta.idsTail ?? 0))
    expect(head).toEqual([...head].sort())
    // ...and exactly the ids appended since the list was written sorted (the 6 of the build): a
    // count made from a stale meta.json says 0 whatever order the random ids fall in
    expect(meta.idsTail ?? 0).toBe(lines.length - 6)
  })
})
