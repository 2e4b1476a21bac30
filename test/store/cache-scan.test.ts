// The cache journals are read a piece of whole lines at a time (scanLines), so that a server
// answering searches over 100,000 tickets never holds a whole journal: what they find must be what
// reading the whole file finds, wherever the pieces end.
import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import type {TicketSummary} from '../../src/domain/ticket/model.js'
import {Cache, scanLines} from '../../src/store/cache.js'

const folder = () => mkdtempSync(join(tmpdir(), 'tix-scan-'))

/** Every piece scanLines gives, with the chunk size `chunk`. */
function pieces(path: string, chunk: number): string[] {
  const out: string[] = []
  scanLines(path, (b) => out.push(b.toString('utf8')), chunk)
  return out
}

describe('scanLines', () => {
  it('gives pieces that end at line ends and add up to the file, whatever the buffer size', () => {
    const dir = folder()
    const text = ['a', '', 'bb\tccc', 'a much longer line than the buffer, with ünïcödé', 'x', 'last line without a newline'].join('\n')
    const path = join(dir, 'f')
    writeFileSync(path, text)
    for (const chunk of [1, 2, 3, 7, 16, 1 << 20]) {
      const got = pieces(path, chunk)
      expect(got.join('')).toBe(text)
      for (const p of got.slice(0, -1)) expect(p.endsWith('\n')).toBe(true)
    }
    writeFileSync(path, text + '\n')
    for (const chunk of [1, 5, 64]) expect(pieces(path, chunk).join('')).toBe(text + '\n')
  })

  it('says false for a missing file and gives nothing for an empty one', () => {
    const dir = folder()
    expect(scanLines(join(dir, 'missing'), () => {})).toBe(false)
    writeFileSync(join(dir, 'empty'), '')
    expect(pieces(join(dir, 'empty'), 4)).toEqual([])
  })
})

/** A summary with enough text that 3,000 of them cross the 1 MB pieces several times. */
const summary = (id: string, n: number): TicketSummary => ({id, title: `Ticket ${n} ${'padding '.repeat(120)}`, status: 'resolved'}) as unknown as TicketSummary

describe('the cache journals read in pieces', () => {
  // ids, then later lines for some (the latest wins) and removals (`ID<TAB>-`)
  const ids = Array.from({length: 3000}, (_, i) => `ID${String(i).padStart(8, '0')}`)
  const lines: string[] = ids.map((id, i) => `${id}\t${JSON.stringify(summary(id, i))}`)
  for (let i = 0; i < 3000; i += 7) lines.push(`${ids[i]}\t${JSON.stringify(summary(ids[i]!, i + 100_000))}`)
  for (let i = 0; i < 3000; i += 11) lines.push(`${ids[i]}\t-`)
  for (let i = 0; i < 3000; i += 33) lines.push(`${ids[i]}\t${JSON.stringify(summary(ids[i]!, i + 200_000))}`) // back after a removal
  /** What reading the whole journal gives: the latest line of each id, removals applied. */
  const expected = new Map<string, TicketSummary>()
  for (const l of lines) {
    const [id, value] = l.split('\t') as [string, string]
    if (value === '-') expected.delete(id)
    else expected.set(id, JSON.parse(value) as TicketSummary)
  }

  const cacheWith = (files: Record<string, string>) => {
    const dir = folder()
    const cache = new Cache(dir, 'tix')
    mkdirSync(cache.dir, {recursive: true})
    for (const [name, text] of Object.entries(files)) writeFileSync(join(cache.dir, name), text)
    return cache
  }

  it('a bucket, whole or only some ids, is what the whole file says', async () => {
    const text = lines.join('\n') + '\n'
    expect(text.length).toBeGreaterThan(3 << 20)
    const cache = cacheWith({'done.jsonl': text})
    const all = await cache.done()
    expect(new Map(Object.entries(all!))).toEqual(expected)
    const only = new Set(ids.filter((_, i) => i % 3 === 0))
    const some = await cache.done(only)
    expect(new Map(Object.entries(some!))).toEqual(new Map([...expected].filter(([id]) => only.has(id))))
  })

  it('eachLatest visits the latest summary of each id asked for once, and none that were removed', () => {
    const cache = cacheWith({'done.jsonl': lines.join('\n') + '\n'})
    const only = new Set(ids.filter((_, i) => i % 2 === 0))
    const seen = new Map<string, TicketSummary>()
    expect(cache.eachLatest('done.jsonl', only, (t) => {
      expect(seen.has(t.id)).toBe(false)
      seen.set(t.id, t)
    })).toBe(true)
    expect(seen).toEqual(new Map([...expected].filter(([id]) => only.has(id))))
    expect(cache.eachLatest('open.jsonl', only, () => {})).toBe(false)
  })

  it('eachLatest throws on a damaged line it has to read', () => {
    const cache = cacheWith({'done.jsonl': `${ids[0]}\t{"id":\n${ids[1]}\t{}\n`})
    expect(() => cache.eachLatest('done.jsonl', new Set([ids[1]!]), () => {})).not.toThrow()
    expect(() => cache.eachLatest('done.jsonl', new Set([ids[0]!]), () => {})).toThrow()
  })

  it('a search finds what scanning the whole text journal finds (later lines win)', () => {
    const text: string[] = []
    for (let i = 0; i < 3000; i++) text.push(`${ids[i]}\tticket ${i} ${i % 5 === 0 ? 'printer' : 'scanner'} jams ${'words '.repeat(80)}${i % 3 === 0 ? 'spooler' : ''}`)
    for (let i = 0; i < 3000; i += 10) text.push(`${ids[i]}\tnow it is about a printer only`)
    const cache = cacheWith({'text.tsv': text.join('\n') + '\n'})
    const latest = new Map<string, string>()
    for (const l of text) latest.set(l.slice(0, l.indexOf('\t')), l.slice(l.indexOf('\t') + 1))
    for (const words of [['printer'], ['printer', 'spooler'], ['jams'], ['nothing-like-this'], ['ticket 1']]) {
      const want = new Set([...latest].filter(([, t]) => words.every((w) => t.includes(w))).map(([id]) => id))
      expect(cache.search(words)).toEqual(want)
    }
  })
})
