// The lookup a warm search reads (kb-lookup.bin, ranked by src/domain/kb/rank.ts) answers as the
// MiniSearch index it is written from: the same articles, in the same order, with the same scores
// (to the last bit) and the same matched terms, for exact, prefix and fuzzy matches, with filters.
import {beforeAll, describe, expect, test} from 'vitest'
import {serializeArticle} from '../../src/domain/kb/article.js'
import {fuzzyMatches, prefixMatches} from '../../src/domain/kb/rank.js'
import {queryTerms} from '../../src/domain/kb/normalize.js'
import {openKbIndex, openKbLookup, type KbIndex, type KbLookup, type KbReader} from '../../src/store/kb-index.js'
import {KB_FIXTURE} from '../fixtures/kb-articles.js'
import {makeDesk} from '../helpers.js'

let index: KbIndex
let lookup: KbLookup

// Synthetic articles beside the real ones: many documents share terms, so that ties and long postings occur.
const WORDS = 'printer paper jam queue restart password reset account locked portal code phone vpn client connection drops protocol invoice billing download wireless guest laptop slow disk browser tabs 2024 12 drivers driver driving'.split(' ')
let seed = 7
const rnd = (n: number) => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff
  return seed % n
}
const pick = (n: number) => Array.from({length: n}, () => WORDS[rnd(WORDS.length)]).join(' ')

beforeAll(async () => {
  const {desk} = await makeDesk()
  const meta = (lang: string, title: string, tags: string[], category: string | null, status: 'draft' | 'published') => ({title, category, tags, status, author: null, updated: '2026-11-01T10:00:00.000Z', summary: null, source: lang === 'en' ? null : 'en'})
  await desk.commitFiles(
    [
      ...KB_FIXTURE.map((a) => ({path: `kb/${a.slug}/${a.lang}.md`, content: serializeArticle(meta(a.lang, a.title, a.tags, a.category, 'published'), a.body)})),
      ...Array.from({length: 120}, (_, i) => ({
        path: `kb/synthetic-${i}/en.md`,
        content: serializeArticle(meta('en', pick(3), [pick(1)], null, i % 3 === 0 ? 'draft' : 'published'), `${pick(30)}.\n\n${pick(20)}.\n`),
      })),
    ],
    'kb: fixture',
  )
  index = await openKbIndex(desk)
  lookup = await openKbLookup(desk)
})

const run = (r: KbReader, query: string, lang: string | null, filter?: (d: {lang: string; status: string}) => boolean) =>
  r.search([...queryTerms(query, lang, r.stemmers).keys()], {filter}).map((h) => ({id: h.doc.id, score: h.score, terms: h.terms}))

const QUERIES = [
  'vpn keeps dropping',
  'printer paper jam queue',
  'forgot my pasword',
  'connection drop protocol vpn client',
  'driv',
  'drivers 2024',
  'prin',
  'laptops slowing down browser tabs',
  'invoice invoices billing download 12',
  'принтер не печатает',
  'сбросить пароли',
  'الطابعة لا تطبع',
  'نَسِيتُ كَلِمَةَ المُرُورِ',
  'چاپگر چاپ نمیکند',
  'vpn vpn',
  'zebra giraffe',
]

describe('the lookup ranks as MiniSearch', () => {
  test.each(QUERIES)('%s', (q) => {
    const a = run(index, q, null)
    expect(a.length).toBeGreaterThanOrEqual(q.startsWith('zebra') ? 0 : 1)
    expect(run(lookup, q, null)).toEqual(a)
  })
  test('with filters (language, status), as search and suggest use them', () => {
    for (const q of QUERIES) {
      const published = (d: {status: string}) => d.status === 'published'
      expect(run(lookup, q, null, published)).toEqual(run(index, q, null, published))
      const en = (d: {lang: string}) => d.lang === 'en'
      expect(run(lookup, q, 'en', en)).toEqual(run(index, q, 'en', en))
    }
  })
  test('the same metadata for every article', () => {
    for (const d of index.docs.values()) expect(lookup.doc(d.id)).toEqual(d)
    expect(lookup.files('vpn-setup').map((d) => d.lang).sort()).toEqual(['ar', 'en', 'fa', 'ru'])
    expect(lookup.size).toBe(index.size)
  })
})

describe('term matching', () => {
  const sorted = ['ab', 'abc', 'abd', 'b', 'ba', 'driv', 'driver', 'drive', 'кот', 'кошка'].sort()
  test('prefix: every term that begins with the word', () => {
    expect(prefixMatches(sorted, 'ab').map((i) => sorted[i])).toEqual(['ab', 'abc', 'abd'])
    expect(prefixMatches(sorted, 'driv').map((i) => sorted[i])).toEqual(['driv', 'drive', 'driver'])
    expect(prefixMatches(sorted, 'x')).toEqual([])
  })
  test('fuzzy: every term within the edit distance (Levenshtein), with it', () => {
    const lev = (a: string, b: string): number => {
      const d = Array.from({length: a.length + 1}, (_, i) => [i, ...Array<number>(b.length).fill(0)])
      for (let j = 1; j <= b.length; j++) d[0]![j] = j
      for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
      return d[a.length]![b.length]!
    }
    for (const q of ['abx', 'drvier', 'driver', 'b', 'кт', 'кошки', 'zzzz']) {
      for (const max of [1, 2, 3]) {
        const want = sorted.map((t, i) => [i, lev(q, t)] as [number, number]).filter(([, d]) => d <= max)
        expect(fuzzyMatches(sorted, q, max)).toEqual(want)
      }
    }
    // many random terms over a small alphabet: shared prefixes, every length
    const word = () => Array.from({length: 1 + rnd(8)}, () => 'abcd'[rnd(4)]).join('')
    const many = [...new Set(Array.from({length: 400}, word))].sort()
    for (let k = 0; k < 60; k++) {
      const q = word()
      const max = 1 + rnd(3)
      expect(fuzzyMatches(many, q, max), `${q} ${max}`).toEqual(many.map((t, i) => [i, lev(q, t)] as [number, number]).filter(([, d]) => d <= max))
    }
  })
})
