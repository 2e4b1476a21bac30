// Ranking over the knowledge base's compact lookup (store/kb-index.ts writes it from the MiniSearch
// index), pure: no IO. It is MiniSearch 7's search, term for term, so that a warm `tix kb search`
// need not load and rebuild the whole MiniSearch index to answer ten hits:
//
// - each query term matches itself, the terms it begins (prefix, weight 0.375 * len / (len + 0.3 * extra))
//   and the terms within an edit distance (fuzzy, weight 0.45 * len / (len + distance));
// - each match scores BM25+ (k 1.2, b 0.7, d 0.5) per field, times the field's boost;
// - terms are combined with OR, and a document's score is multiplied by the number of query terms it
//   matched.
//
// Derived terms are visited in the index's own term order (the depth-first order of MiniSearch's
// radix tree, kept in the lookup as `rank`) and documents in the order MiniSearch keeps them, so
// the sums, and the order of equal scores, are MiniSearch's own (test/kb/rank.test.ts compares).
import {lowerBound} from '../common/sorted.js'

/** What the ranking reads: the terms, sorted by code unit, with their postings decoded on demand. */
export interface RankSource {
  /** Every index term, sorted (JavaScript string order). */
  readonly sorted: readonly string[]
  /** The index's own order of each sorted term (MiniSearch's iteration order). */
  rank(i: number): number
  /** The postings of sorted term `i`: per field (in `boosts` order), document numbers ascending and their term frequencies. */
  postings(i: number): ReadonlyArray<{docs: ArrayLike<number>; freqs: ArrayLike<number>}>
  /** Words per field of each document: document `doc`'s count for field `f` at doc * fields + f. */
  readonly lengths: ArrayLike<number>
  /** Document numbers run from 0 to size - 1. */
  readonly size: number
  readonly documentCount: number
  /** Average words per field (MiniSearch's running average). */
  readonly avgFieldLength: readonly number[]
}

export interface RankOptions {
  /** Per field, in the source's field order. */
  boosts: readonly number[]
  /** A term of at least this many characters (code points) also matches longer terms it begins. */
  prefixFrom: number
  /** A term of at least this many characters (code points) also matches terms this fraction of its length away. */
  fuzzyFrom: number
  fuzzy: number
  maxFuzzy?: number
  filter?: (doc: number) => boolean
}

export interface Ranked {
  doc: number
  score: number
  /** Index terms that matched (MiniSearch's `terms`). */
  terms: string[]
}

const K = 1.2
const B = 0.7
const D = 0.5
const PREFIX_WEIGHT = 0.375
const FUZZY_WEIGHT = 0.45


/** Index just past the sorted terms that begin with `prefix`, searching from `from`. */
function prefixEnd(sorted: readonly string[], prefix: string, from: number): number {
  let lo = from
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    const s = sorted[mid]!
    if (s < prefix || s.startsWith(prefix)) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Sorted indexes of the terms that begin with `term` (itself included when present). */
export function prefixMatches(sorted: readonly string[], term: string): number[] {
  const from = lowerBound(sorted, term)
  const to = prefixEnd(sorted, term, from)
  const out: number[] = []
  for (let i = from; i < to; i++) out.push(i)
  return out
}

/**
 * Sorted indexes of the terms within Levenshtein distance `max` of `term` (in UTF-16 code units,
 * as MiniSearch counts), with their distance. Only the band of the distance matrix within `max` of
 * its diagonal is computed; terms sharing a prefix share its rows, and a prefix whose row is
 * already past `max` skips every term it begins.
 */
export function fuzzyMatches(sorted: readonly string[], term: string, max: number): Array<[number, number]> {
  const n = term.length
  const far = max + 1 // any cell outside the band: more than `max`
  const q = new Uint16Array(n)
  for (let j = 0; j < n; j++) q[j] = term.charCodeAt(j)
  const out: Array<[number, number]> = []
  const first = new Int32Array(n + 2).fill(far)
  for (let j = 0; j <= Math.min(n, max); j++) first[j] = j
  // rows[k]: the distance row after the first k characters of the current term
  const rows: Int32Array[] = [first]
  let valid = 1 // rows[0..valid-1] hold the rows of `prev`'s first characters
  let prev = ''
  let i = 0
  while (i < sorted.length) {
    const t = sorted[i]!
    let k = 0
    const limit = Math.min(prev.length, t.length, valid - 1)
    while (k < limit && prev.charCodeAt(k) === t.charCodeAt(k)) k++
    let pruned = -1
    for (; k < t.length; k++) {
      const up = rows[k]!
      const row = (rows[k + 1] ??= new Int32Array(n + 2))
      const r = k + 1
      const lo = Math.max(0, r - max)
      const hi = Math.min(n, r + max)
      let min = far
      if (lo > 0) row[lo - 1] = far
      let j = lo
      if (j === 0) {
        row[0] = r <= max ? r : far
        min = row[0]
        j = 1
      }
      const c = t.charCodeAt(k)
      for (; j <= hi; j++) {
        let v = up[j - 1]! + (q[j - 1] === c ? 0 : 1)
        const del = up[j]! + 1
        if (del < v) v = del
        const ins = row[j - 1]! + 1
        if (ins < v) v = ins
        if (v > far) v = far
        row[j] = v
        if (v < min) min = v
      }
      row[hi + 1] = far
      if (min > max) {
        pruned = r
        break
      }
    }
    if (pruned >= 0) {
      // no term that begins with these characters can come within `max`
      prev = t.slice(0, pruned - 1)
      valid = pruned
      i = prefixEnd(sorted, t.slice(0, pruned), i + 1)
      continue
    }
    valid = t.length + 1
    if (Math.abs(t.length - n) <= max) {
      const d = rows[t.length]![n]!
      if (d <= max) out.push([i, d])
    }
    prev = t
    i++
  }
  return out
}

const byRank = (src: RankSource) => (a: number, b: number) => src.rank(a) - src.rank(b)

/** Whether ascending `docs` holds `doc`. */
function holds(docs: ArrayLike<number>, doc: number): boolean {
  let lo = 0
  let hi = docs.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    const v = docs[mid]!
    if (v === doc) return true
    if (v < doc) lo = mid + 1
    else hi = mid
  }
  return false
}

/**
 * The documents matching the (already analysed) query terms, best first. A document's score is
 * summed per query term, then across query terms, as MiniSearch sums it (the same floating-point
 * result), and documents of equal score keep the order they were first matched in.
 */
export function rank(src: RankSource, queryTerms: readonly string[], opts: RankOptions): Ranked[] {
  const maxFuzzy = opts.maxFuzzy ?? 6
  const n = src.size
  const total = new Float64Array(n)
  const sub = new Float64Array(n)
  const quality = new Uint32Array(n)
  const mark = new Int32Array(n).fill(-1)
  const seen = new Uint8Array(n)
  const order: number[] = []
  const touched: number[] = []
  /** Derived terms (sorted indexes) in the order they were scored: a hit's matched terms are read back from them. */
  const derived: number[] = []
  const boosts = opts.boosts
  const fields = boosts.length
  const lengths = src.lengths
  const score = (q: number, i: number, weight: number) => {
    derived.push(i)
    const postings = src.postings(i)
    for (let f = 0; f < fields; f++) {
      const p = postings[f]
      if (!p || p.docs.length === 0) continue
      const matching = p.docs.length
      const idf = Math.log(1 + (src.documentCount - matching + 0.5) / (matching + 0.5))
      const avg = src.avgFieldLength[f]!
      const boost = boosts[f]!
      for (let x = 0; x < p.docs.length; x++) {
        const doc = p.docs[x]!
        const tf = p.freqs[x]!
        const raw = idf * (D + (tf * (K + 1)) / (tf + K * (1 - B + (B * lengths[doc * fields + f]!) / avg)))
        // MiniSearch: termWeight * termBoost * fieldBoost * docBoost * rawScore, both boosts 1
        const weighted = weight * 1 * boost * 1 * raw
        if (mark[doc] === q) sub[doc] = sub[doc]! + weighted
        else {
          mark[doc] = q
          sub[doc] = weighted
          touched.push(doc)
          if (!seen[doc]) {
            seen[doc] = 1
            order.push(doc)
          }
        }
      }
    }
  }
  for (let q = 0; q < queryTerms.length; q++) {
    const term = queryTerms[q]!
    if (term === '') continue
    touched.length = 0
    const chars = [...term].length
    const at = lowerBound(src.sorted, term)
    if (at < src.sorted.length && src.sorted[at] === term) score(q, at, 1)
    const inPrefix = new Set<number>()
    if (chars >= opts.prefixFrom) {
      for (const i of prefixMatches(src.sorted, term).sort(byRank(src))) {
        const t = src.sorted[i]!
        const distance = t.length - term.length
        if (!distance) continue
        inPrefix.add(i)
        score(q, i, (PREFIX_WEIGHT * t.length) / (t.length + 0.3 * distance))
      }
    }
    if (chars >= opts.fuzzyFrom) {
      const maxDistance = opts.fuzzy < 1 ? Math.min(maxFuzzy, Math.round(term.length * opts.fuzzy)) : opts.fuzzy
      const fuzzy = maxDistance ? fuzzyMatches(src.sorted, term, maxDistance).sort((a, b) => src.rank(a[0]) - src.rank(b[0])) : []
      for (const [i, distance] of fuzzy) {
        if (!distance || inPrefix.has(i)) continue
        const t = src.sorted[i]!
        score(q, i, (FUZZY_WEIGHT * t.length) / (t.length + distance))
      }
    }
    // a repeated query term adds its score again but is one matched term
    const repeated = queryTerms.indexOf(term) < q
    for (const doc of touched) {
      total[doc] = total[doc]! + sub[doc]!
      if (!repeated) quality[doc] = quality[doc]! + 1
    }
  }
  const out: Ranked[] = []
  for (const doc of order) {
    if (opts.filter && !opts.filter(doc)) continue
    out.push(new Hit(doc, total[doc]! * (quality[doc]! || 1), src, derived))
  }
  return out.sort((a, b) => b.score - a.score)
}

class Hit implements Ranked {
  private matched: string[] | null = null
  constructor(
    readonly doc: number,
    readonly score: number,
    private readonly src: RankSource,
    private readonly derived: readonly number[],
  ) {}

  /** The index terms that matched, in the order MiniSearch lists them (its `match` object's keys). */
  get terms(): string[] {
    if (!this.matched) {
      const match: Record<string, true> = Object.create(null) as Record<string, true>
      for (const i of this.derived) {
        const t = this.src.sorted[i]!
        if (!(t in match) && this.src.postings(i).some((p) => holds(p.docs, this.doc))) match[t] = true
      }
      this.matched = Object.keys(match)
    }
    return this.matched
  }
}
