// The per-clone cache (docs/storage.md): folded ticket summaries and the commit they were built from,
// in <git common dir>/tix/cache. It is an optimisation only: deleting it changes no output.
//
// The default view must not parse what it does not show, so the unresolved tickets (open.jsonl,
// small) are kept apart from the resolved and closed ones (done.jsonl, large). Both hold one ticket
// a line (`ID<TAB>summary JSON`), so a search parses only the lines it matched, and a rewrite of
// 100,000 summaries never builds one giant string. All four files are journals: a change appends
// (a later line for an id wins, `ID<TAB>-` removes it from that bucket), so a write costs what it
// touches, not the size of the desk; a bucket is compacted when it holds twice the lines it needs.
// ids.txt is kept sorted (readers need it so). meta.json is a lowdb file.
import {appendFileSync, closeSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync, writeSync} from 'node:fs'
import {join} from 'node:path'
import {DataFileSync} from 'lowdb/node'
import {lowerBoundAt} from '../domain/common/sorted.js'
import {hasSortedId, ID_LENGTH, isValidId, mergeSortedIds} from '../domain/ticket/ids.js'
import type {TicketSummary} from '../domain/ticket/model.js'
import {summaryText} from '../domain/ticket/summary-text.js'

export const CACHE_VERSION = 9 // 5: file sizes in meta; 6: summaries carry attachments, dedupeKey, occurrences and followUp; 7: buckets are journals (later lines win, `ID<TAB>-` removes); 8: summaries written in one order (summary-text.ts); 9: agents' load in meta

export interface FileProblem {
  path: string
  line: number
  reason: string
}

export interface CacheMeta {
  version: number
  commit: string
  /** The desk.json text at `commit` (null when the desk has none). */
  desk: string | null
  problems: Record<string, FileProblem[]>
  counts: {open: number; done: number}
  textLines: number
  /** Ids appended to ids.txt out of order since it was last written sorted (absent: 0). */
  idsTail?: number
  /** Lines in open.jsonl / done.jsonl (journals: a change appends; compacted when they double). Absent: the counts. */
  bucketLines?: {open: number; done: number}
  /**
   * Active tickets per agent and each agent's latest assignment over every ticket (what assignment
   * strategies read: DeskIndex.agents), kept up to date by every change so that assigning reads
   * neither bucket. Pairs, not an object: the keys are e-mail addresses from the desk's events.
   */
  agents: {load: [string, number][]; lastAssigned: [string, string][]}
  /** Set while files are being rewritten; a meta left dirty by a crash forces a rebuild. */
  dirty?: boolean
  /**
   * The byte size of every cache file when this meta was written. A file that was emptied, cut
   * short or lost a line no longer matches, and the cache is rebuilt instead of trusted.
   */
  sizes?: Record<CacheFile, number>
}

export const CACHE_FILES = ['open.jsonl', 'done.jsonl', 'ids.txt', 'text.tsv'] as const
export type CacheFile = (typeof CACHE_FILES)[number]

/**
 * lowdb's synchronous file adapter with compact JSON: its async JSONFile reads through fs/promises
 * (chunked string decoding, ~2x slower on a 10 MB done.json) and pretty-prints (a third larger,
 * slower to parse). Writes stay atomic (temp file + rename).
 */
const jsonFile = <T>(path: string) => new DataFileSync<T>(path, {parse: JSON.parse, stringify: (data) => JSON.stringify(data)})

export class Cache {
  readonly dir: string
  /** The piece size of scans (scanLines); tests make it tiny to cross line ends. */
  chunkSize = SCAN_CHUNK
  /** Up to this size openBucket reads a bucket whole; a larger one a piece at a time (tests set 0). */
  wholeUpTo = WHOLE_UP_TO
  private readonly metaFile: DataFileSync<CacheMeta>

  constructor(commonDir: string, branch: string) {
    this.dir = join(commonDir, 'tix', 'cache', branch.replace(/[^A-Za-z0-9._-]/g, '_'))
    this.metaFile = jsonFile(join(this.dir, 'meta.json'))
  }

  /** The commit the cache was last built from, whatever its version or state (null: none recorded). */
  builtFrom(): string | null {
    try {
      const commit = (JSON.parse(readFileSync(join(this.dir, 'meta.json'), 'utf8')) as {commit?: unknown}).commit
      return typeof commit === 'string' && /^[0-9a-f]{40,64}$/.test(commit) ? commit : null
    } catch {
      return null
    }
  }

  async meta(): Promise<CacheMeta | null> {
    try {
      const m = await this.metaFile.read()
      return m && m.version === CACHE_VERSION && !m.dirty && Array.isArray(m.agents?.load) && Array.isArray(m.agents.lastAssigned) ? m : null
    } catch {
      return null // corrupt: rebuilt from git
    }
  }

  /** The unresolved tickets; with `only`, parses just those ids' lines. */
  async open(only?: ReadonlySet<string>): Promise<Record<string, TicketSummary> | null> {
    return this.bucket('open.jsonl', only)
  }

  /** The unresolved tickets, read now (null: missing or damaged). */
  readOpen(): Record<string, TicketSummary> | null {
    return this.bucket('open.jsonl')
  }

  /** Drops meta.json, so that the next command rebuilds the cache from git. */
  forget(): void {
    rmSync(join(this.dir, 'meta.json'), {force: true})
  }

  /** The resolved and closed tickets; with `only`, parses just those ids' lines. */
  async done(only?: ReadonlySet<string>): Promise<Record<string, TicketSummary> | null> {
    return this.bucket('done.jsonl', only)
  }

  private bucket(name: string, only?: ReadonlySet<string>): Record<string, TicketSummary> | null {
    const out: Record<string, TicketSummary> = {}
    try {
      if (only) {
        // Decode only the lines asked for: turning 10 MB of UTF-8 into a string costs more than the rest.
        const found = eachEntry(join(this.dir, name), this.chunkSize, (id, bytes, value, end) => {
          if (!only.has(id)) return
          if (isRemoval(bytes, value, end)) delete out[id]
          else out[id] = JSON.parse(bytes.toString('utf8', value, end)) as TicketSummary
        })
        return found ? out : null
      }
      const read = scanLines(join(this.dir, name), (buf) => {
        const raw = buf.toString('utf8')
        for (let at = 0; at < raw.length; ) {
          let nl = raw.indexOf('\n', at)
          if (nl < 0) nl = raw.length
          const tab = raw.indexOf('\t', at)
          if (tab > at && tab < nl) {
            if (nl === tab + 2 && raw.charCodeAt(tab + 1) === 45) delete out[raw.slice(at, tab)] // "-": removed
            else out[raw.slice(at, tab)] = JSON.parse(raw.slice(tab + 1, nl)) as TicketSummary
          }
          at = nl + 1
        }
      }, this.chunkSize)
      return read ? out : null
    } catch {
      return null // damaged: rebuilt from git
    }
  }

  /**
   * Calls `visit` with the summary on the latest line of each id of `only` in a bucket journal (an
   * id whose latest line removes it is left out), in file order, parsing only those lines and
   * keeping none. Two passes over one open file: the first finds each id's latest line, the second
   * parses it. False when the bucket is missing; throws on a damaged line.
   */
  eachLatest(name: 'open.jsonl' | 'done.jsonl', only: ReadonlySet<string>, visit: (t: TicketSummary) => void): boolean {
    let fd: number
    try {
      fd = openSync(join(this.dir, name), 'r')
    } catch {
      return false
    }
    try {
      const live = latestRanges(fd, this.chunkSize, only)
      if (live.size === 0) return true
      let seen = 0
      eachLatestLine(fd, this.chunkSize, live, (_id, text) => {
        visit(JSON.parse(text) as TicketSummary)
        seen++
      })
      if (seen !== live.size) throw new Error(`${name} changed while it was read`)
      return true
    } finally {
      closeSync(fd)
    }
  }

  /**
   * A bucket opened once for a wide read: its live lines (for each id, the file offsets of its last
   * line; a removed id is left out), read from the file as it was opened even if it is replaced
   * meanwhile. A bucket of up to WHOLE_UP_TO bytes is read whole at once; a larger one a piece at a
   * time and single lines by offset (a 100,000-ticket done.jsonl is 100 MB). Null when it is missing.
   */
  openBucket(name: 'open.jsonl' | 'done.jsonl'): BucketReader | null {
    let fd: number
    try {
      fd = openSync(join(this.dir, name), 'r')
    } catch {
      return null
    }
    try {
      const size = fstatSync(fd).size
      const whole = size <= this.wholeUpTo ? readRangeOf(fd, 0, size) : null
      const live = latestRanges(whole ?? fd, this.chunkSize)
      return new BucketReader(fd, whole, live, this.chunkSize)
    } catch {
      closeSync(fd)
      return null
    }
  }

  /**
   * Every ticket id, sorted; null when the file is missing. ids.txt is written sorted, then new ids
   * are appended: the sorted head is kept as it is and only the tail is sorted and merged in.
   */
  ids(): string[] | null {
    let lines: string[]
    try {
      lines = readFileSync(join(this.dir, 'ids.txt'), 'utf8').split('\n')
    } catch {
      return null
    }
    if (lines[lines.length - 1] === '') lines.pop()
    let head = 1
    while (head < lines.length && lines[head - 1]! < lines[head]!) head++
    if (head >= lines.length) return lines[0] === '' ? [] : lines
    const sorted = lines.slice(0, head).filter((x) => x.length > 0)
    const tail = [...new Set(lines.slice(head))].filter((x) => x.length > 0 && !hasSortedId(sorted, x))
    return mergeSortedIds(sorted, tail)
  }

  /**
   * The same sorted list as ids(), without making a string of every id: ids.txt is read as bytes
   * (when it still has the size meta.json recorded; else null, and it is read whole), and each
   * line is an id of ID_LENGTH characters and a newline, so the sorted head is searched by offset (a binary search decodes about 17 lines of a 100,000-line file) and only the
   * unsorted tail of `tail` lines (the meta's idsTail) is decoded whole. For `tix show` and id
   * prefixes: a short id needs an id's two neighbours, not 100,000 strings. Read at once, it is the
   * list as it was when the index was loaded, whatever writers do to the file later. Null when the
   * file is not made of such lines (read it whole then); `damaged` (forget the cache and throw) for
   * a line that is not an id.
   */
  idsView(tail: number, size: number, damaged: () => never): readonly string[] | null {
    let bytes: Buffer
    try {
      bytes = readFileSync(join(this.dir, 'ids.txt'))
    } catch {
      return null
    }
    const width = ID_LENGTH + 1
    // Another size: a writer appended or rewrote the file after meta.json was read. A rewrite sorts
    // the tail into the head, so the recorded split no longer holds: read it whole instead.
    if (bytes.length !== size || size % width !== 0 || tail < 0 || tail * width > size) return null
    const headLength = size / width - tail
    const line = (i: number): string => {
      const id = bytes.toString('latin1', i * width, i * width + ID_LENGTH)
      return bytes[i * width + ID_LENGTH] === 10 && isValidId(id) ? id : damaged()
    }
    const head: SortedList = {length: headLength, at: line}
    const seen = new Set<string>()
    for (let i = headLength; i < headLength + tail; i++) {
      const id = line(i)
      const at = lowerBoundAt(head.length, head.at, id)
      if (!(at < headLength && head.at(at) === id)) seen.add(id)
    }
    return mergedView(head, [...seen].sort())
  }

  /** Search text per ticket (later lines win); null when the journal is missing. */
  text(): Map<string, string> | null {
    let raw: string
    try {
      raw = readFileSync(join(this.dir, 'text.tsv'), 'utf8')
    } catch {
      return null
    }
    const out = new Map<string, string>()
    let at = 0
    while (at < raw.length) {
      let nl = raw.indexOf('\n', at)
      if (nl < 0) nl = raw.length
      const tab = raw.indexOf('\t', at)
      if (tab > at && tab < nl) out.set(raw.slice(at, tab), raw.slice(tab + 1, nl))
      at = nl + 1
    }
    return out
  }

  /** Takes the writer's lock; false when another live process holds it (then we don't write). */
  lock(): boolean {
    mkdirSync(this.dir, {recursive: true})
    const path = join(this.dir, 'lock')
    try {
      closeSync(openSync(path, 'wx'))
      return true
    } catch {
      try {
        if (Date.now() - statSync(path).mtimeMs > 30_000) {
          rmSync(path, {force: true}) // left by a crashed process
          closeSync(openSync(path, 'wx'))
          return true
        }
      } catch {
        // raced with another process: let it write
      }
      return false
    }
  }

  unlock(): void {
    rmSync(join(this.dir, 'lock'), {force: true})
  }

  /** Whether meta.json still says what `meta` says (read before the lock was taken: nobody wrote since). */
  async stillAt(meta: CacheMeta): Promise<boolean> {
    const now = await this.meta()
    return now !== null && JSON.stringify(now) === JSON.stringify(meta)
  }

  async markDirty(meta: CacheMeta | null): Promise<void> {
    if (meta) await this.metaFile.write({...meta, dirty: true})
  }

  /** Records `meta` with the sizes the cache files have now (call it last, holding the lock). */
  async writeMeta(meta: CacheMeta): Promise<void> {
    await this.metaFile.write({...meta, dirty: false, sizes: this.sizes()})
  }

  private sizes(): Record<CacheFile, number> {
    const out = {} as Record<CacheFile, number>
    for (const name of CACHE_FILES) {
      try {
        out[name] = statSync(join(this.dir, name)).size
      } catch {
        out[name] = -1
      }
    }
    return out
  }

  /** True when every cache file is as `meta` recorded it (a stat each: no reading). */
  intact(meta: CacheMeta): boolean {
    if (!meta.sizes) return false
    const now = this.sizes()
    return CACHE_FILES.every((name) => now[name] === meta.sizes![name])
  }

  async writeOpen(tickets: Record<string, TicketSummary>): Promise<void> {
    this.writeBucket('open.jsonl', tickets)
  }

  async writeDone(tickets: Record<string, TicketSummary>): Promise<void> {
    this.writeBucket('done.jsonl', tickets)
  }

  /**
   * Appends changes to a bucket journal: a summary, or null to remove the id from this bucket. One
   * append (readers see the file before or after it; a cut-short append fails the size check).
   */
  appendBucket(name: 'open.jsonl' | 'done.jsonl', changes: readonly (readonly [string, TicketSummary | null])[]): void {
    if (changes.length === 0) return
    mkdirSync(this.dir, {recursive: true})
    appendFileSync(join(this.dir, name), changes.map(([id, t]) => `${id}\t${t === null ? '-' : summaryText(t)}\n`).join(''))
  }

  /** Written in pieces to a temp file, then renamed over the old one (readers see old or new). */
  private writeBucket(name: 'open.jsonl' | 'done.jsonl', tickets: Record<string, TicketSummary>): void {
    const w = this.lineWriter(name)
    for (const id in tickets) w.add(id, summaryText(tickets[id]!))
    w.close()
  }

  /**
   * `ID<TAB>value` lines into `name`, through a temp file renamed into place on close(): a rebuild
   * of 100,000 tickets streams through it instead of holding every summary until the end.
   */
  lineWriter(name: 'done.jsonl' | 'open.jsonl' | 'text.tsv'): {add: (id: string, value: string) => void; addLines: (lines: Uint8Array) => void; close: () => void} {
    mkdirSync(this.dir, {recursive: true})
    const path = join(this.dir, name)
    const tmp = `${path}.${process.pid}.tmp`
    const fd = openSync(tmp, 'w')
    let chunk = ''
    return {
      add: (id, value) => {
        chunk += `${id}\t${value}\n`
        if (chunk.length > 1 << 20) {
          writeSync(fd, chunk)
          chunk = ''
        }
      },
      /** Whole `ID<TAB>value\n` lines as UTF-8, as the index build's fold hands them over. */
      addLines: (lines) => {
        if (chunk !== '') {
          writeSync(fd, chunk)
          chunk = ''
        }
        if (lines.length > 0) writeSync(fd, lines)
      },
      close: () => {
        try {
          if (chunk !== '') writeSync(fd, chunk)
        } finally {
          closeSync(fd)
        }
        renameSync(tmp, path)
      },
    }
  }

  /** Ids whose search text (their latest line) contains every word; null when the journal is missing. */
  search(words: readonly string[]): Set<string> | null {
    // Searched as bytes (UTF-8 of lower-cased text), a piece of whole lines at a time: no decoding,
    // and never the whole journal in memory (34 MB at 100,000 tickets). In each piece, every word's
    // positions in one pass each, then one walk over the lines: linear in the file.
    const needles = words.map((w) => Buffer.from(w, 'utf8'))
    // The ids whose latest line so far matches: a later line that does not match takes its id out
    // (no verdict kept for every id: at 100,000 tickets that map was a large object per search).
    const out = new Set<string>()
    let read: boolean
    try {
      read = scanLines(join(this.dir, 'text.tsv'), (raw) => {
        const hits = needles.map((w) => {
          const pos: number[] = []
          for (let i = raw.indexOf(w); i >= 0; i = raw.indexOf(w, i + 1)) pos.push(i)
          return pos
        })
        const next = words.map(() => 0)
        for (let at = 0; at < raw.length; ) {
          let nl = raw.indexOf(10, at)
          if (nl < 0) nl = raw.length
          const tab = raw.indexOf(9, at)
          if (tab > at && tab < nl) {
            let ok = true
            for (let k = 0; k < needles.length; k++) {
              const pos = hits[k]!
              let j = next[k]!
              while (j < pos.length && pos[j]! <= tab) j++
              next[k] = j
              if (j >= pos.length || pos[j]! + needles[k]!.length > nl) ok = false
            }
            if (ok) out.add(raw.toString('latin1', at, tab))
            else if (out.size > 0) out.delete(raw.toString('latin1', at, tab))
          }
          at = nl + 1
        }
      }, this.chunkSize)
    } catch {
      return null
    }
    return read ? out : null
  }

  appendIds(ids: readonly string[], reset = false): void {
    const path = join(this.dir, 'ids.txt')
    if (reset) rmSync(path, {force: true})
    if (ids.length === 0) return
    // In pieces of 4,096 ids: a server rewrites the sorted list after each commit of new tickets,
    // and one 1 MB string a commit (at 100,000 tickets) is garbage only a full GC frees.
    const fd = openSync(path, 'a')
    try {
      for (let i = 0; i < ids.length; i += 4096) writeSync(fd, ids.slice(i, i + 4096).join('\n') + '\n')
    } finally {
      closeSync(fd)
    }
  }

  appendText(entries: readonly [string, string][], reset = false): void {
    const path = join(this.dir, 'text.tsv')
    if (reset) rmSync(path, {force: true})
    if (entries.length > 0) appendFileSync(path, entries.map(([id, t]) => `${id}\t${t}`).join('\n') + '\n')
  }

  clear(): void {
    rmSync(this.dir, {recursive: true, force: true})
  }
}

/** The piece of a file scanLines() reads at a time (a longer line gets a larger buffer). */
const SCAN_CHUNK = 1 << 20

/**
 * Calls `each` with consecutive pieces of a file (a path, or an open file read from its start)
 * that end at a line end (the file's last piece may lack its newline), read through one buffer of
 * `chunk` bytes, grown only for a line longer than that. A journal of 100 MB is scanned in 1 MB of
 * memory instead of read whole (a server answering several searches held one copy each until the
 * next GC). False when the file cannot be opened; a read error throws.
 */
export function scanLines(file: string | number, each: (piece: Buffer) => void, chunk = SCAN_CHUNK): boolean {
  let fd: number
  try {
    fd = typeof file === 'number' ? file : openSync(file, 'r')
  } catch {
    return false
  }
  try {
    let buf = Buffer.allocUnsafe(chunk)
    let filled = 0
    let scanned = 0 // bytes at the start of buf known to hold no newline
    let position = 0
    for (;;) {
      if (filled === buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2)
        buf.copy(bigger, 0, 0, filled)
        buf = bigger
      }
      const n = readSync(fd, buf, filled, buf.length - filled, position)
      position += n
      if (n === 0) {
        if (filled > 0) each(buf.subarray(0, filled))
        return true
      }
      filled += n
      const last = buf.subarray(scanned, filled).lastIndexOf(10)
      if (last < 0) {
        scanned = filled
        continue
      }
      const end = scanned + last + 1
      each(buf.subarray(0, end))
      buf.copy(buf, 0, end, filled)
      filled -= end
      scanned = filled // what is left follows the last newline
    }
  } finally {
    if (typeof file !== 'number') closeSync(fd)
  }
}

/**
 * Each `ID<TAB>value` line of a cache file (a path, or an open file read from its start): its id,
 * the piece holding it, where its value lies in the piece, and the value's offset in the file.
 * False when the file cannot be opened.
 */
function eachEntry(file: string | number | Buffer, chunk: number, each: (id: string, bytes: Buffer, value: number, end: number, offset: number) => void): boolean {
  let base = 0 // the file offset of the piece's first byte
  const entries = (bytes: Buffer) => {
    for (let at = 0; at < bytes.length; ) {
      let nl = bytes.indexOf(10, at)
      if (nl < 0) nl = bytes.length
      const tab = bytes.indexOf(9, at)
      if (tab > at && tab < nl) each(bytes.toString('latin1', at, tab), bytes, tab + 1, nl, base + tab + 1)
      at = nl + 1
    }
    base += bytes.length
  }
  if (Buffer.isBuffer(file)) {
    entries(file)
    return true
  }
  return scanLines(file, entries, chunk)
}

/** The lines latestRanges found, in file order (a line appended since is not among them). */
function eachLatestLine(file: number, chunk: number, live: ReadonlyMap<string, readonly [number, number]>, visit: (id: string, text: string) => void): void {
  const read = eachEntry(file, chunk, (id, bytes, value, end, offset) => {
    if (live.get(id)?.[0] === offset) visit(id, bytes.toString('utf8', value, end))
  })
  if (!read) throw new Error('the bucket is gone')
}

/** Up to this size a bucket is read whole for a wide read (openBucket); a larger one a piece at a time. */
const WHOLE_UP_TO = 32 << 20

/** Where a line's bytes are: `bytes[start, end)`. */
export interface LineRef {
  bytes: Buffer
  start: number
  end: number
}

/** One bucket opened by openBucket. */
export class BucketReader {
  constructor(
    private readonly fd: number,
    private readonly whole: Buffer | null,
    /** For each live id, the file offsets of its line's value. */
    readonly live: ReadonlyMap<string, readonly [number, number]>,
    private readonly chunk: number,
  ) {}

  /** The live lines in file order: each value is `bytes[start, end)`, valid during the call only. */
  eachLine(visit: (id: string, bytes: Buffer, start: number, end: number) => void): void {
    const live = this.live
    if (this.whole) {
      for (const [id, [start, end]] of live) visit(id, this.whole, start, end)
      return
    }
    eachEntry(this.fd, this.chunk, (id, bytes, value, end, offset) => {
      if (live.get(id)?.[0] === offset) visit(id, bytes, value, end)
    })
  }

  /** One line's value by its file offsets, read without reading the rest of the file: `into` is set to where its bytes are. */
  line(start: number, end: number, into: LineRef): LineRef {
    if (this.whole) {
      into.bytes = this.whole
      into.start = start
      into.end = end
    } else {
      into.bytes = readRangeOf(this.fd, start, end)
      into.start = 0
      into.end = into.bytes.length
    }
    return into
  }

  close(): void {
    closeSync(this.fd)
  }
}

function readRangeOf(fd: number, start: number, end: number): Buffer {
  const buf = Buffer.allocUnsafe(end - start)
  let got = 0
  while (got < buf.length) {
    const n = readSync(fd, buf, got, buf.length - got, start + got)
    if (n === 0) break
    got += n
  }
  return buf.subarray(0, got)
}

/** A bucket line whose value is "-": the id left this bucket. */
const isRemoval = (bytes: Buffer, value: number, end: number) => end === value + 1 && bytes[value] === 45

/** For each id (of `only`, if given), the file offsets of its latest line's value; removed ids are left out. Throws when the file is missing. */
function latestRanges(file: string | number | Buffer, chunk: number, only?: ReadonlySet<string>): Map<string, [number, number]> {
  const at = new Map<string, [number, number]>()
  const read = eachEntry(file, chunk, (id, bytes, value, end, offset) => {
    if (only && !only.has(id)) return
    at.delete(id) // a later line moves the id to the end, as the parsed bucket orders it
    if (!isRemoval(bytes, value, end)) at.set(id, [offset, offset + end - value])
  })
  if (!read) throw new Error('the bucket is missing')
  return at
}

/** A sorted list read on demand (ids.txt's head). */
interface SortedList {
  length: number
  at(i: number): string
}


/**
 * A read-only array of `head` and `rest` (sorted, disjoint) merged in order, without reading `head`
 * whole: item k is computed from where each of `rest` falls in `head` (a binary search each). It
 * answers indexing and `length`, which is all the domain's sorted-id searches (shortId,
 * idsWithPrefix) use; anything else works too, but reads the head a line at a time.
 */
function mergedView(head: SortedList, rest: readonly string[]): readonly string[] {
  // pos[j]: the merged index of rest[j]
  const pos = rest.map((id, j) => lowerBoundAt(head.length, head.at, id) + j)
  const length = head.length + rest.length
  const item = (k: number): string | undefined => {
    if (!(k >= 0 && k < length)) return undefined
    const lo = lowerBoundAt(pos.length, (j) => pos[j]!, k) // how many of rest come before k
    return pos[lo] === k ? rest[lo] : head.at(k - lo)
  }
  return new Proxy([] as string[], {
    get(target, key, receiver) {
      if (key === 'length') return length
      if (typeof key === 'string') {
        const k = Number(key)
        if (Number.isInteger(k) && String(k) === key) return item(k)
      }
      return Reflect.get(target, key, receiver)
    },
    has(target, key) {
      if (typeof key === 'string' && Number.isInteger(Number(key)) && String(Number(key)) === key) return Number(key) >= 0 && Number(key) < length
      return Reflect.has(target, key)
    },
  })
}
