// The knowledge base's full-text index (MiniSearch), cached beside the ticket cache in
// <git common dir>/tix/cache/<branch>/:
//
//   kb-index.json   the MiniSearch index with the articles' metadata and the commit it was built
//                   from: what an update starts from (the kb/ tree is diffed from that commit to the
//                   tip and only the article files that changed are re-indexed);
//   kb-lookup.bin   the same index in a form a query reads without rebuilding it (sorted terms,
//                   postings decoded only for the terms a query matches, one article's metadata
//                   decoded only when it is shown), written with kb-index.json, for one kb/ tree;
//   kb-tip.json     the last commit whose kb/ tree is known, so a warm search asks git nothing
//                   (ticket commits made here move it along: kb-tip.ts).
//
// Searching reads only kb-lookup.bin (src/domain/kb/rank.ts ranks exactly as MiniSearch does).
// Deleting the files changes no output.
//
// Articles are read here (git + gray-matter); the text rules live in src/domain/kb.
import {appendFileSync, closeSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import type MiniSearchType from 'minisearch'
import type {Options as MiniSearchOptions, SearchResult} from 'minisearch'
import {TixError} from '../errors.js'
import {checkFront, checkFrontLanguage, languagesOf, parseArticlePath, plainText, summaryOf, type Article, type ArticleMeta} from '../domain/kb/article.js'
import {analyze, type Stemmers} from '../domain/kb/normalize.js'
import {rank, type RankSource} from '../domain/kb/rank.js'
import {parseConfig} from '../domain/config/config.js'
import {parseEventLines} from '../domain/ticket/events.js'
import {loadDist, requireModule} from '../runtime.js'
import type {Desk} from './desk.js'
import {git} from './git.js'
import {catFileBatch, diffTree, lsTree} from './objects.js'
import {readKbTip, writeKbTip} from './kb-tip.js'
import {repoCwd, repoEnv} from './repo.js'

/** 3: kb-lookup.bin (postings 32-bit, in place), kb-tip.json and kb-stems.tsv beside kb-index.json (kb-quick.json is gone). */
export const KB_INDEX_VERSION = 3
const MAX_ARTICLE_BYTES = 512 * 1024

/** What the index keeps about each article file (shown by list and search without reading git). */
export interface KbDoc extends ArticleMeta {
  /** `<slug>/<lang>` */
  id: string
  slug: string
  lang: string
  /** The summary a reply uses (front matter's, else the first paragraph). */
  excerpt: string
  /** Blob id, to tell whether a file changed. */
  oid: string
}

/** A file under kb/ that could not be read as an article (kept out of the index, reported by `kb list`). */
export interface KbProblem {
  path: string
  message: string
}

interface Stored {
  version: number
  commit: string
  /** The kb/ tree at `commit` (null: none): commits that change only tickets leave it as it is. */
  tree: string | null
  docs: Record<string, KbDoc>
  problems: KbProblem[]
  index: unknown
}

// ------------------------------------------------------------------ reading articles

type Matter = typeof import('gray-matter')
let matterFn: Matter | null = null
async function loadMatter(): Promise<Matter> {
  if (!matterFn) {
    const m = requireModule<Matter | {default: Matter}>('gray-matter')
    matterFn = (typeof m === 'function' ? m : (m as {default: Matter}).default) as Matter
  }
  return matterFn
}

const refuse = () => {
  throw new Error('only YAML front matter is accepted')
}

/** Parses an article file; throws a usage error (exit 2) naming the file and every problem. */
export async function parseArticle(slug: string, lang: string, text: string): Promise<Article> {
  const file = `kb/${slug}/${lang}.md`
  if (Buffer.byteLength(text) > MAX_ARTICLE_BYTES) throw new TixError(`${file} is larger than ${MAX_ARTICLE_BYTES / 1024} KB.`, {exitCode: 2, code: 'usage', hint: 'Split it into several articles.'})
  checkFrontLanguage(file, text)
  const matter = await loadMatter()
  let parsed: {data: unknown; content: string}
  try {
    // Options on every call: gray-matter then neither caches (a shared, mutable object) nor runs any engine but YAML.
    parsed = matter(text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n'), {engines: {js: refuse, javascript: refuse, coffee: refuse, coffeescript: refuse, cson: refuse}} as never)
  } catch (error) {
    throw new TixError(`${file} is not valid: the front matter is not valid YAML (${(error as Error).message.split('\n')[0]}).`, {
      exitCode: 2,
      code: 'usage',
      hint: 'Fix the front matter (see `tix kb new --help`).',
    })
  }
  const meta = checkFront(file, parsed.data)
  return {...meta, slug, lang, body: parsed.content.replace(/^\n+/, '')}
}

/** Reads article files at `commit` with one git process: each parsed, or the problem that stopped it. */
export async function readArticleFiles(desk: Desk, commit: string, paths: readonly string[]): Promise<Array<{path: string; article: Article | null; problem: string | null}>> {
  const raw: (Buffer | null)[] = []
  await catFileBatch(desk.repo, paths.map((p) => `${commit}:${p}`), (i, content) => {
    raw[i] = content
  })
  const out: Array<{path: string; article: Article | null; problem: string | null}> = []
  for (let i = 0; i < paths.length; i++) {
    const path = paths[i]!
    const where = parseArticlePath(path)!
    const content = raw[i]
    if (!content) {
      out.push({path, article: null, problem: null})
      continue
    }
    try {
      out.push({path, article: await parseArticle(where.slug, where.lang, content.toString('utf8')), problem: null})
    } catch (error) {
      out.push({path, article: null, problem: (error as Error).message})
    }
  }
  return out
}

/** Every article file at `commit` (path and blob id); conflict copies and other files are left out. */
export async function articleFiles(desk: Desk, commit: string): Promise<Array<{path: string; oid: string; slug: string; lang: string}>> {
  const entries = await lsTree(desk.repo, commit, 'kb')
  const out: Array<{path: string; oid: string; slug: string; lang: string}> = []
  for (const e of entries) {
    const w = e.type === 'blob' ? parseArticlePath(e.path) : null
    if (w) out.push({path: e.path, oid: e.oid, ...w})
  }
  return out
}

// ------------------------------------------------------------------ the index

type Snowball = typeof import('snowball-stemmers').default
const stemCache = new Map<string, (w: string) => string>()

/** A snowball stemmer: the built CLI's own file for that language (dist/stemmer-<name>.cjs), else the whole package. */
function snowballStemmer(name: 'english' | 'russian'): {stem(word: string): string} {
  const cut = loadDist<{newStemmer(): {stem(word: string): string}}>(`stemmer-${name}`)
  if (cut) return cut.newStemmer()
  // CommonJS, 870 kB: require() compiles it; import() would first run Node's CommonJS export
  // scanner over all of it (measured: 120 ms of a 430 ms `tix kb search`).
  const mod = requireModule<Snowball | {default: Snowball}>('snowball-stemmers')
  return (((mod as {default?: unknown}).default ?? mod) as Snowball).newStemmer(name)
}

/** One snowball stemmer, loaded when a word of its script is first stemmed (memoised per word). */
function stemmer(name: 'english' | 'russian'): (w: string) => string {
  let fn = stemCache.get(name)
  if (!fn) {
    const s = snowballStemmer(name)
    const seen = new Map<string, string>()
    fn = (w: string) => {
      let r = seen.get(w)
      if (r === undefined) {
        r = s.stem(w)
        seen.set(w, r)
      }
      return r
    }
    stemCache.set(name, fn)
  }
  return fn
}

/**
 * The snowball stemmers (English, Russian), each loaded when a word of its script is first
 * stemmed: `tix list` never pays for them, and an Arabic or Persian query for neither.
 */
export function loadStemmers(): Stemmers {
  return {
    get english() {
      return stemmer('english')
    },
    get russian() {
      return stemmer('russian')
    },
  }
}

/** The snowball-stemmers version the index is built with: a memo of stems (kb-stems.tsv) is only trusted for it. */
function snowballVersion(): string {
  try {
    return requireModule<{version: string}>('snowball-stemmers/package.json').version
  } catch {
    return 'unknown'
  }
}

const STEMS_MAX_BYTES = 256 * 1024

/**
 * The stemmers a query uses: each word's stem is looked up in kb-stems.tsv first (a line
 * `e|r<TAB>word<TAB>stem` per word a query of this clone stemmed before), so that a query made of
 * words seen before loads no stemmer at all; a new word is stemmed and appended. The file names the
 * index version and the snowball-stemmers version it was made with, and is started again when either
 * differs or it grows past 256 kB. Index building never uses it (it stems every word of every article).
 */
function queryStemmers(cacheDir: string, snowball: string): Stemmers {
  const file = join(cacheDir, 'kb-stems.tsv')
  const header = `tix-stems\t${KB_INDEX_VERSION}\t${snowball}\n`
  let text: string | null = null
  const memo = (name: 'english' | 'russian', tag: string) => (w: string): string => {
    if (text === null) {
      try {
        const t = readFileSync(file, 'utf8')
        text = t.startsWith(header) && t.length < STEMS_MAX_BYTES ? t : ''
      } catch {
        text = ''
      }
    }
    const key = `\n${tag}\t${w}\t`
    const at = text.indexOf(key)
    if (at >= 0) {
      const end = text.indexOf('\n', at + key.length)
      if (end > at) return text.slice(at + key.length, end)
    }
    const stem = stemmer(name)(w)
    const line = `${tag}\t${w}\t${stem}\n`
    try {
      if (text === '') {
        mkdirSync(cacheDir, {recursive: true})
        writeAtomic(file, header + line)
        text = header + line
      } else {
        appendFileSync(file, line)
        text += line
      }
    } catch {
      // read-only: stemmed again next time
    }
    return stem
  }
  const english = memo('english', 'e')
  const russian = memo('russian', 'r')
  return {english, russian}
}

type MiniSearchCtor = typeof MiniSearchType
async function loadMiniSearch(): Promise<MiniSearchCtor> {
  const mod = requireModule<MiniSearchCtor | {default: MiniSearchCtor}>('minisearch')
  return ((mod as {default?: MiniSearchCtor}).default ?? mod) as MiniSearchCtor
}

interface IndexedDoc {
  id: string
  title: string
  tags: string
  body: string
}

const FIELDS = ['title', 'tags', 'body'] as const
/** Title and tags weigh more than the body. */
const BOOST = {title: 3, tags: 2, body: 1}
/** A term of 3 characters or more also matches longer terms it begins; of 4 or more, terms a fifth of its length away (typos). */
const PREFIX_FROM = 3
const FUZZY_FROM = 4
const FUZZY = 0.2

/** Terms are analysed before MiniSearch sees them (per article language), so it only splits on spaces. */
const MS_OPTIONS: MiniSearchOptions<IndexedDoc> = {
  fields: [...FIELDS],
  idField: 'id',
  tokenize: (text) => text.split(' ').filter(Boolean),
  processTerm: (term) => term,
  autoVacuum: false,
}

function indexedDoc(a: Article, stemmers: Stemmers): IndexedDoc {
  return {
    id: `${a.slug}/${a.lang}`,
    title: analyze(a.title, a.lang, stemmers).join(' '),
    tags: analyze([...a.tags, a.category ?? ''].join(' '), a.lang, stemmers).join(' '),
    body: analyze(plainText(a.body), a.lang, stemmers).join(' '),
  }
}

function docOf(a: Article, oid: string): KbDoc {
  return {
    id: `${a.slug}/${a.lang}`,
    slug: a.slug,
    lang: a.lang,
    title: a.title,
    category: a.category,
    tags: a.tags,
    status: a.status,
    author: a.author,
    updated: a.updated,
    summary: a.summary,
    source: a.source,
    excerpt: summaryOf(a),
    oid,
  }
}

/** What a search filters on, known for every match without decoding the article's metadata. */
export type KbKey = Pick<KbDoc, 'id' | 'slug' | 'lang' | 'status'>

export interface KbSearchHit {
  doc: KbKey
  score: number
  /** Index terms that matched (analysed forms). */
  terms: string[]
}

export interface KbSearchOptions {
  filter?: (d: KbKey) => boolean
  fuzzy?: number
  limit?: number
}

/** The knowledge base as searching and citing read it: the full index (KbIndex) or its lookup (KbLookup). */
export interface KbReader {
  readonly commit: string | null
  readonly stemmers: Stemmers
  readonly size: number
  /**
   * Runs analysed terms against the index: each term also matches its prefixes' completions and
   * words within a small edit distance (typos), title and tags weigh more than the body.
   */
  search(terms: readonly string[], opts?: KbSearchOptions): KbSearchHit[]
  /** One article file's metadata. */
  doc(id: string): KbDoc | undefined
  /** The files of one article, in index order. */
  files(slug: string): KbDoc[]
  /** The languages of one article, its first language first. */
  languages(slug: string): string[]
}

/** The loaded index of one commit: the articles' metadata and the MiniSearch instance. */
export class KbIndex implements KbReader {
  constructor(
    readonly commit: string | null,
    readonly docs: Map<string, KbDoc>,
    readonly problems: KbProblem[],
    private readonly ms: MiniSearchType<IndexedDoc>,
    readonly stemmers: Stemmers,
  ) {}

  get size(): number {
    return this.docs.size
  }

  doc(id: string): KbDoc | undefined {
    return this.docs.get(id)
  }

  private bySlug: Map<string, KbDoc[]> | null = null
  files(slug: string): KbDoc[] {
    this.bySlug ??= this.slugs()
    return this.bySlug.get(slug) ?? []
  }

  languages(slug: string): string[] {
    return languagesOf(this.files(slug))
  }

  /** Articles by slug: their languages in the order first written (the first is the source). */
  slugs(): Map<string, KbDoc[]> {
    const out = new Map<string, KbDoc[]>()
    for (const d of this.docs.values()) {
      const list = out.get(d.slug) ?? []
      list.push(d)
      out.set(d.slug, list)
    }
    return out
  }

  search(terms: readonly string[], opts: KbSearchOptions = {}): KbSearchHit[] {
    if (terms.length === 0 || this.docs.size === 0) return []
    const results: SearchResult[] = this.ms.search(terms.join(' '), {
      boost: BOOST,
      prefix: (term) => [...term].length >= PREFIX_FROM,
      fuzzy: (term) => ([...term].length >= FUZZY_FROM ? (opts.fuzzy ?? FUZZY) : false),
      combineWith: 'OR',
      filter: opts.filter ? (r) => {
        const d = this.docs.get(String(r.id))
        return d !== undefined && opts.filter!(d)
      } : undefined,
    })
    const out: KbSearchHit[] = []
    for (const r of results) {
      const doc = this.docs.get(String(r.id))
      if (doc) out.push({doc, score: r.score, terms: r.terms})
      if (opts.limit !== undefined && out.length >= opts.limit) break
    }
    return out
  }
}

// ------------------------------------------------------------------ the lookup (kb-lookup.bin)

/**
 * kb-lookup.bin: the head's length (4 bytes, little-endian), a random stamp (8 bytes: a reader
 * that comes back for an article's metadata knows the file was not replaced meanwhile), this head
 * as JSON, then the body: each term's postings (a count per field, then per field the document
 * numbers and the term frequencies, all 32-bit little-endian, so a query uses them in place, without
 * decoding) and each article file's metadata as JSON. A query reads the head and the postings, and
 * the metadata only of the articles it shows.
 */
interface LookupHead {
  version: number
  /** The kb/ tree it was built for (null: none). */
  tree: string | null
  /** The snowball-stemmers version its terms were stemmed with. */
  snowball: string
  documentCount: number
  /** Average words per field, in FIELDS order. */
  avg: number[]
  /** The terms, sorted, separated by spaces (terms never hold one). */
  terms: string
  /** Per sorted term: its place in MiniSearch's own term order. */
  rank: number[]
  /** Per sorted term: where its postings start in the body (one more entry: the end). */
  post: number[]
  /** Per document number: `<slug>/<lang>`. */
  ids: string[]
  /** Per document number: p (published) or d (draft). */
  status: string
  /** Per document number, FIELDS.length words counts. */
  lens: number[]
  /** Per document number: where its metadata starts in the body (one more entry: the end). */
  rec: number[]
  /** Per document number: its article's languages, first language first (an index into `langs`). */
  li: number[]
  /** The distinct language lists, comma-separated. */
  langs: string[]
}

interface MiniSearchJson {
  documentCount: number
  documentIds: Record<string, string>
  fieldIds: Record<string, number>
  fieldLength: Record<string, number[]>
  averageFieldLength: number[]
  index: Array<[string, Record<string, Record<string, number>>]>
}

class Bytes {
  buf = Buffer.allocUnsafe(1 << 16)
  length = 0
  private room(n: number) {
    if (this.length + n <= this.buf.length) return
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + n))
    this.buf.copy(next, 0, 0, this.length)
    this.buf = next
  }
  u32(v: number) {
    this.room(4)
    this.buf.writeUInt32LE(v, this.length)
    this.length += 4
  }
  text(s: string) {
    const b = Buffer.from(s, 'utf8')
    this.room(b.length)
    b.copy(this.buf, this.length)
    this.length += b.length
  }
}

/** The lookup of a MiniSearch index (its toJSON()) and the articles' metadata. */
function lookupOf(tree: string | null, json: unknown, docs: Map<string, KbDoc>): Buffer {
  const js = json as MiniSearchJson
  // Document numbers follow MiniSearch's short ids (the order its postings are read in); a
  // discarded document (left in the postings until a vacuum) gets none and its postings are dropped.
  const shortIds = Object.keys(js.documentIds).map(Number).sort((a, b) => a - b).filter((s) => docs.has(js.documentIds[s]!))
  const dense = new Map(shortIds.map((s, i) => [s, i]))
  const fieldIds = FIELDS.map((f) => js.fieldIds[f]!)
  const order = js.index.map((_, i) => i).sort((a, b) => (js.index[a]![0] < js.index[b]![0] ? -1 : 1))
  const body = new Bytes()
  const post: number[] = []
  for (const i of order) {
    post.push(body.length)
    const data = js.index[i]![1]
    const kept = fieldIds.map((fid) => Object.keys(data[fid] ?? {}).filter((k) => dense.has(Number(k))))
    for (const keep of kept) body.u32(keep.length)
    fieldIds.forEach((fid, f) => {
      for (const k of kept[f]!) body.u32(dense.get(Number(k))!)
      for (const k of kept[f]!) body.u32(data[fid]![k]!)
    })
  }
  post.push(body.length)
  const ids = shortIds.map((s) => js.documentIds[s]!)
  const rec: number[] = []
  for (const id of ids) {
    rec.push(body.length)
    body.text(JSON.stringify(docs.get(id)))
  }
  rec.push(body.length)
  const langs: string[] = []
  const langsOf = new Map<string, number>()
  const bySlug = new Map<string, KbDoc[]>()
  for (const d of docs.values()) bySlug.set(d.slug, [...(bySlug.get(d.slug) ?? []), d])
  const li = ids.map((id) => {
    const l = languagesOf(bySlug.get(docs.get(id)!.slug)!).join(',')
    if (!langsOf.has(l)) {
      langsOf.set(l, langs.length)
      langs.push(l)
    }
    return langsOf.get(l)!
  })
  const head: LookupHead = {
    version: KB_INDEX_VERSION,
    tree,
    snowball: snowballVersion(),
    documentCount: js.documentCount,
    avg: fieldIds.map((f) => js.averageFieldLength[f] ?? 0),
    terms: order.map((i) => js.index[i]![0]).join(' '),
    rank: order,
    post,
    ids,
    status: ids.map((id) => (docs.get(id)!.status === 'published' ? 'p' : 'd')).join(''),
    lens: shortIds.flatMap((s) => fieldIds.map((f) => js.fieldLength[String(s)]?.[f] ?? 0)),
    rec,
    li,
    langs,
  }
  const headBytes = Buffer.from(JSON.stringify(head), 'utf8')
  const out = Buffer.allocUnsafe(PRELUDE + headBytes.length + body.length)
  out.writeUInt32LE(headBytes.length, 0)
  globalThis.crypto.getRandomValues(out.subarray(4, PRELUDE))
  headBytes.copy(out, PRELUDE)
  body.buf.copy(out, PRELUDE + headBytes.length, 0, body.length)
  return out
}

/** The head's length and the stamp. */
const PRELUDE = 12

interface ParsedLookup {
  head: LookupHead
  stamp: Buffer
  /** The body from its start: at least the postings. */
  body: Buffer
}

function checkHead(text: string): LookupHead | null {
  const head = JSON.parse(text) as LookupHead
  return head.version === KB_INDEX_VERSION && Array.isArray(head.ids) && Array.isArray(head.li) && typeof head.snowball === 'string' ? head : null
}

/** A whole lookup in memory (just built). */
function parseLookup(buf: Buffer): ParsedLookup | null {
  try {
    const n = buf.readUInt32LE(0)
    const head = checkHead(buf.toString('utf8', PRELUDE, PRELUDE + n))
    return head ? {head, stamp: buf.subarray(4, PRELUDE), body: aligned(buf.subarray(PRELUDE + n))} : null
  } catch {
    return null // damaged: rebuilt
  }
}

/** A copy of `buf` at the start of memory of its own (4-byte aligned: the postings are read in place). */
function aligned(buf: Buffer): Buffer {
  const out = Buffer.allocUnsafeSlow(buf.length)
  buf.copy(out)
  return out
}

/** Reads `length` bytes at `position` (short: the file is damaged), into memory of its own. */
function readAt(fd: number, length: number, position: number): Buffer {
  const buf = Buffer.allocUnsafeSlow(length)
  if (readSync(fd, buf, 0, length, position) !== length) throw new Error('short read')
  return buf
}

/** The head and the postings of kb-lookup.bin, not the articles' metadata; null when missing or damaged. */
function readLookupFile(file: string): ParsedLookup | null {
  let fd: number
  try {
    fd = openSync(file, 'r')
  } catch {
    return null
  }
  try {
    const prelude = readAt(fd, PRELUDE, 0)
    const n = prelude.readUInt32LE(0)
    const head = checkHead(readAt(fd, n, PRELUDE).toString('utf8'))
    if (!head) return null
    return {head, stamp: prelude.subarray(4), body: readAt(fd, head.post.at(-1) ?? 0, PRELUDE + n)}
  } catch {
    return null
  } finally {
    closeSync(fd)
  }
}

/**
 * The articles' metadata of a lookup read from kb-lookup.bin, read one article at a time. The file
 * is opened once for the reads of one turn of the event loop, and only when its stamp is still the
 * one read with the head; a file replaced meanwhile (another process re-indexed) is asked by id.
 */
class FileRecords {
  private fd: number | null = null

  constructor(
    private readonly file: string,
    private readonly lookup: ParsedLookup,
  ) {}

  read(n: number, again = true): KbDoc | undefined {
    const {head} = this.lookup
    const fd = this.open()
    if (fd === null) return again ? this.fromCurrent(head.ids[n]!) : undefined
    return JSON.parse(readAt(fd, head.rec[n + 1]! - head.rec[n]!, this.bodyAt + head.rec[n]!).toString('utf8')) as KbDoc
  }

  private bodyAt = 0

  private open(): number | null {
    if (this.fd !== null) return this.fd
    let fd: number
    try {
      fd = openSync(this.file, 'r')
    } catch {
      return null
    }
    try {
      const prelude = readAt(fd, PRELUDE, 0)
      if (!prelude.subarray(4).equals(this.lookup.stamp)) {
        closeSync(fd)
        return null
      }
      this.bodyAt = PRELUDE + prelude.readUInt32LE(0)
    } catch {
      closeSync(fd)
      return null
    }
    this.fd = fd
    setImmediate(() => {
      closeSync(fd)
      this.fd = null
    }).unref()
    return fd
  }

  /** The file was replaced or removed: that article in the current one, if it is there. */
  private fromCurrent(id: string): KbDoc | undefined {
    const current = readLookupFile(this.file)
    const n = current?.head.ids.indexOf(id) ?? -1
    if (!current || n < 0) return undefined
    return new FileRecords(this.file, current).read(n, false)
  }
}

/**
 * The index as a query reads it: sorted terms, postings decoded only for the terms a query
 * matches, and an article's metadata decoded only when it is shown. Ranks exactly as KbIndex.
 */
export class KbLookup implements KbReader, RankSource {
  readonly sorted: readonly string[]
  private readonly keys: Array<KbKey | undefined> = []
  private readonly decoded = new Map<number, KbDoc | undefined>()
  private readonly decodedPostings = new Map<number, Array<{docs: Uint32Array; freqs: Uint32Array}>>()
  private numbers: Map<string, number> | null = null
  private bySlug: Map<string, number[]> | null = null

  constructor(
    readonly commit: string | null,
    private readonly head: LookupHead,
    /** The body from its start: the postings at least. */
    private readonly body: Buffer,
    private readonly records: (n: number) => KbDoc | undefined,
    readonly stemmers: Stemmers,
    /** The file it was read from (null: built in memory). */
    private readonly file: string | null = null,
  ) {
    this.sorted = head.terms === '' ? [] : head.terms.split(' ')
  }

  get size(): number {
    return this.head.ids.length
  }

  get documentCount(): number {
    return this.head.documentCount
  }

  get avgFieldLength(): readonly number[] {
    return this.head.avg
  }

  rank(i: number): number {
    return this.head.rank[i]!
  }

  get lengths(): readonly number[] {
    return this.head.lens
  }

  postings(i: number): Array<{docs: Uint32Array; freqs: Uint32Array}> {
    let out = this.decodedPostings.get(i)
    if (!out) {
      out = this.decodePostings(i)
      this.decodedPostings.set(i, out)
    }
    return out
  }

  private decodePostings(i: number): Array<{docs: Uint32Array; freqs: Uint32Array}> {
    // in place: the body is a buffer of its own, and every value in it is 4-byte aligned
    const buffer = this.body.buffer
    const end = this.body.byteOffset + this.head.post[i + 1]!
    let at = this.body.byteOffset + this.head.post[i]!
    const counts = new Uint32Array(buffer, at, FIELDS.length)
    at += 4 * FIELDS.length
    if (at + 8 * counts.reduce((a, b) => a + b, 0) !== end) throw this.damaged()
    const out: Array<{docs: Uint32Array; freqs: Uint32Array}> = []
    for (let f = 0; f < FIELDS.length; f++) {
      const count = counts[f]!
      const docs = new Uint32Array(buffer, at, count)
      at += 4 * count
      const freqs = new Uint32Array(buffer, at, count)
      at += 4 * count
      out.push({docs, freqs})
    }
    return out
  }

  /** A lookup whose postings do not add up: dropped, so the next command builds it again. */
  private damaged(): TixError {
    if (this.file) rmSync(this.file, {force: true})
    return new TixError('The knowledge base cache was damaged and has been dropped; nothing on the desk is lost.', {hint: 'Run the command again: the cache is rebuilt from git.'})
  }

  private key(n: number): KbKey {
    let k = this.keys[n]
    if (!k) {
      const id = this.head.ids[n]!
      const slash = id.indexOf('/')
      k = {id, slug: id.slice(0, slash), lang: id.slice(slash + 1), status: this.head.status[n] === 'p' ? 'published' : 'draft'}
      this.keys[n] = k
    }
    return k
  }

  private record(n: number): KbDoc | undefined {
    if (!this.decoded.has(n)) this.decoded.set(n, this.records(n))
    return this.decoded.get(n)
  }

  doc(id: string): KbDoc | undefined {
    this.numbers ??= new Map(this.head.ids.map((x, n) => [x, n]))
    const n = this.numbers.get(id)
    return n === undefined ? undefined : this.record(n)
  }

  private numbersOf(slug: string): number[] {
    if (!this.bySlug) {
      const map = new Map<string, number[]>()
      this.head.ids.forEach((id, n) => {
        const s = id.slice(0, id.indexOf('/'))
        const list = map.get(s)
        if (list) list.push(n)
        else map.set(s, [n])
      })
      this.bySlug = map
    }
    return this.bySlug.get(slug) ?? []
  }

  files(slug: string): KbDoc[] {
    return this.numbersOf(slug).map((n) => this.record(n)).filter((d) => d !== undefined)
  }

  languages(slug: string): string[] {
    const n = this.numbersOf(slug)[0]
    return n === undefined ? [] : this.head.langs[this.head.li[n]!]!.split(',')
  }

  search(terms: readonly string[], opts: KbSearchOptions = {}): KbSearchHit[] {
    if (terms.length === 0 || this.size === 0) return []
    const filter = opts.filter
    const ranked = rank(this, terms, {
      boosts: FIELDS.map((f) => BOOST[f]),
      prefixFrom: PREFIX_FROM,
      fuzzyFrom: FUZZY_FROM,
      fuzzy: opts.fuzzy ?? FUZZY,
      filter: filter ? (n) => filter(this.key(n)) : undefined,
    })
    const out: KbSearchHit[] = []
    for (const r of ranked) {
      const doc = this.key(r.doc)
      // the matched terms are worked out only for the hits that are shown
      out.push({
        doc,
        score: r.score,
        get terms() {
          return r.terms
        },
      })
      if (opts.limit !== undefined && out.length >= opts.limit) break
    }
    return out
  }
}

function cacheFile(desk: Desk): string {
  return join(desk.cache.dir, 'kb-index.json')
}

const lookupFile = (desk: Desk) => join(desk.cache.dir, 'kb-lookup.bin')

function readStored(desk: Desk): Stored | null {
  try {
    const s = JSON.parse(readFileSync(cacheFile(desk), 'utf8')) as Stored
    return s.version === KB_INDEX_VERSION && typeof s.commit === 'string' && s.docs && s.index ? s : null
  } catch {
    return null // missing or corrupt: rebuilt from git
  }
}

function writeAtomic(file: string, value: string | Buffer): void {
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, value)
  renameSync(tmp, file) // atomic: a reader sees the old file or the new one
}

/** Writes the lookup, then the index (best effort: the cache is an optimisation only, a read-only clone still searches). */
function writeStored(desk: Desk, s: Stored | null, lookup: Buffer): void {
  try {
    mkdirSync(desk.cache.dir, {recursive: true})
    writeAtomic(lookupFile(desk), lookup)
    if (s) writeAtomic(cacheFile(desk), JSON.stringify(s))
    rmSync(join(desk.cache.dir, 'kb-quick.json'), {force: true}) // version 1's index for tix new

  } catch {
    // read-only: built again next time
  }
}

/** The object id of the kb/ tree at `commit`, or null when there is none. */
async function kbTree(desk: Desk, commit: string): Promise<string | null> {
  const r = await git(['rev-parse', '--verify', '-q', `${commit}:kb`], {cwd: repoCwd(desk.repo), env: repoEnv(desk.repo), okCodes: [1, 128]})
  return r.code === 0 ? r.stdout.toString('utf8').trim() : null
}

/** The kb/ tree at `commit`: remembered in kb-tip.json for the last commit asked about, else from git. */
async function treeAt(desk: Desk, commit: string): Promise<string | null> {
  const known = readKbTip(desk.cache.dir)
  if (known && known.commit === commit) return known.tree
  const tree = await kbTree(desk, commit)
  writeKbTip(desk.cache.dir, commit, tree, await desk.deskText(commit))
  return tree
}

/**
 * The lookup at the desk's tip (or `commit`): kb-lookup.bin when it was built for that commit's
 * kb/ tree (no git process when kb-tip.json knows the commit), else the index is brought up to
 * date (openKbIndex) and the lookup written with it.
 */
export async function openKbLookup(desk: Desk, commit: string | null = desk.tip()): Promise<KbLookup> {
  if (commit === null) return emptyLookup(loadStemmers())
  const tree = await treeAt(desk, commit)
  const file = lookupFile(desk)
  const read = readLookupFile(file)
  if (read && read.head.tree === tree) {
    const records = new FileRecords(file, read)
    return new KbLookup(commit, read.head, read.body, (n) => records.read(n), queryStemmers(desk.cache.dir, read.head.snowball), file)
  }
  const built = parseLookup((await bringUpToDate(desk, commit, tree, true)).lookup!)!
  const {head, body} = built
  const records = (n: number) => JSON.parse(body.toString('utf8', head.rec[n]!, head.rec[n + 1]!)) as KbDoc
  return new KbLookup(commit, head, body, records, queryStemmers(desk.cache.dir, head.snowball))
}

function emptyLookup(stemmers: Stemmers): KbLookup {
  const head: LookupHead = {version: KB_INDEX_VERSION, tree: null, snowball: '', documentCount: 0, avg: FIELDS.map(() => 0), terms: '', rank: [], post: [0], ids: [], status: '', lens: [], rec: [0], li: [], langs: []}
  return new KbLookup(null, head, Buffer.alloc(0), () => undefined, stemmers)
}

/**
 * The index at the desk's tip (or `commit`): from the cache when it was built there; updated from
 * the changed article files when it was built from an older commit; built from scratch otherwise.
 */
export async function openKbIndex(desk: Desk, commit: string | null = desk.tip()): Promise<KbIndex> {
  const stemmers = loadStemmers()
  if (commit === null) return new KbIndex(null, new Map(), [], new (await loadMiniSearch())(MS_OPTIONS), stemmers)
  return (await bringUpToDate(desk, commit, await treeAt(desk, commit))).index
}

/** The index brought up to `commit`, and the lookup when it was written now (or `lookup` asks for it). */
async function bringUpToDate(desk: Desk, commit: string, tree: string | null, lookup = false): Promise<{index: KbIndex; lookup: Buffer | null}> {
  const MiniSearch = await loadMiniSearch()
  const stemmers = loadStemmers()
  const stored = readStored(desk)
  if (stored && (stored.commit === commit || stored.tree === tree)) {
    // the same commit, or only tickets changed since: nothing to re-index (and nothing to rewrite
    // but a missing or stale lookup)
    const docs = new Map(Object.entries(stored.docs))
    const index = new KbIndex(commit, docs, stored.problems ?? [], MiniSearch.loadJS(stored.index as never, MS_OPTIONS), stemmers)
    if (!lookup && readLookupFile(lookupFile(desk))?.head.tree === tree) return {index, lookup: null}
    const written = lookupOf(tree, stored.index, docs)
    writeStored(desk, null, written)
    return {index, lookup: written}
  }
  if (stored) {
    const updated = await updateFrom(desk, stored, commit, tree, MiniSearch, stemmers).catch(() => null)
    if (updated) return updated
  }
  return rebuildKbIndex(desk, commit, tree, MiniSearch, stemmers)
}

async function rebuildKbIndex(desk: Desk, commit: string, tree: string | null, MiniSearch: MiniSearchCtor, stemmers: Stemmers): Promise<{index: KbIndex; lookup: Buffer}> {
  const files = await articleFiles(desk, commit)
  const read = await readArticleFiles(desk, commit, files.map((f) => f.path))
  const ms = new MiniSearch(MS_OPTIONS)
  const docs = new Map<string, KbDoc>()
  const problems: KbProblem[] = []
  const batch: IndexedDoc[] = []
  read.forEach((r, i) => {
    if (r.article) {
      const d = docOf(r.article, files[i]!.oid)
      docs.set(d.id, d)
      batch.push(indexedDoc(r.article, stemmers))
    } else if (r.problem) problems.push({path: r.path, message: r.problem})
  })
  ms.addAll(batch)
  return saved(desk, commit, tree, ms, docs, problems, stemmers)
}

function saved(desk: Desk, commit: string, tree: string | null, ms: MiniSearchType<IndexedDoc>, docs: Map<string, KbDoc>, problems: KbProblem[], stemmers: Stemmers): {index: KbIndex; lookup: Buffer} {
  const json = ms.toJSON()
  const lookup = lookupOf(tree, json, docs)
  writeStored(desk, {version: KB_INDEX_VERSION, commit, tree, docs: Object.fromEntries(docs), problems, index: json}, lookup)
  return {index: new KbIndex(commit, docs, problems, ms, stemmers), lookup}
}

async function updateFrom(desk: Desk, stored: Stored, commit: string, tree: string | null, MiniSearch: MiniSearchCtor, stemmers: Stemmers): Promise<{index: KbIndex; lookup: Buffer}> {
  const changes = (await diffTree(desk.repo, stored.commit, commit)).filter((c) => c.path.startsWith('kb/') && parseArticlePath(c.path) !== null)
  const ms = MiniSearch.loadJS(stored.index as never, MS_OPTIONS)
  const docs = new Map(Object.entries(stored.docs))
  const changed = new Set(changes.map((c) => c.path))
  let problems = (stored.problems ?? []).filter((p) => !changed.has(p.path))
  if (changes.length > 0) {
    const paths = [...changed]
    const read = await readArticleFiles(desk, commit, paths)
    const oids = new Map((await lsTree(desk.repo, commit, 'kb')).map((e) => [e.path, e.oid]))
    for (const r of read) {
      const w = parseArticlePath(r.path)!
      const id = `${w.slug}/${w.lang}`
      if (docs.has(id)) {
        ms.discard(id)
        docs.delete(id)
      }
      if (r.article) {
        docs.set(id, docOf(r.article, oids.get(r.path) ?? ''))
        ms.add(indexedDoc(r.article, stemmers))
      } else if (r.problem) problems = [...problems, {path: r.path, message: r.problem}]
    }
    if (ms.dirtCount > Math.max(20, 0.1 * ms.documentCount)) await ms.vacuum()
  }
  return saved(desk, commit, tree, ms, docs, problems, stemmers)
}

// ------------------------------------------------------------------ use of articles

/** A public reply that cited an article (the `article` field of a reply event). */
export interface Citation {
  ticket: string
  slug: string
  lang: string | null
  at: string
  by: string
}

const TICKET_FILE = /^tickets\/[0-9A-Z]{2}\/([0-9A-Z]{10})\.jsonl$/

/** Every reply that cited an article, across all tickets at `commit` (only lines naming an article are parsed). */
export async function ticketCitations(desk: Desk, commit: string): Promise<Citation[]> {
  const entries = (await lsTree(desk.repo, commit, 'tickets')).filter((e) => e.type === 'blob' && TICKET_FILE.test(e.path))
  const out: Citation[] = []
  await catFileBatch(desk.repo, entries.map((e) => e.oid), (i, content) => {
    if (!content || !content.includes('"article"')) return
    const ticket = TICKET_FILE.exec(entries[i]!.path)![1]!
    for (const line of content.toString('utf8').split('\n')) {
      if (!line.includes('"article"')) continue
      try {
        const e = JSON.parse(line) as {type?: unknown; article?: {slug?: unknown; lang?: unknown}; at?: unknown; by?: unknown}
        if (e.type !== 'reply' || typeof e.article !== 'object' || e.article === null || typeof e.article.slug !== 'string' || typeof e.at !== 'string') continue
        out.push({ticket, slug: e.article.slug, lang: typeof e.article.lang === 'string' ? e.article.lang : null, at: e.at, by: typeof e.by === 'string' ? e.by : ''})
      } catch {
        // a damaged line: `tix doctor` reports it
      }
    }
  })
  return out
}

export interface FeedbackRecord {
  slug: string
  lang: string | null
  type: 'kb-view' | 'kb-vote'
  helpful: boolean | null
  count: number
  at: string
}

/** The portal's views and votes of the given articles (kb/<slug>/feedback.jsonl). */
export async function readFeedback(desk: Desk, commit: string, slugs: readonly string[]): Promise<FeedbackRecord[]> {
  const out: FeedbackRecord[] = []
  await catFileBatch(desk.repo, slugs.map((s) => `${commit}:kb/${s}/feedback.jsonl`), (i, content) => {
    if (!content) return
    for (const e of parseEventLines(content.toString('utf8')).events) {
      if (e.type !== 'kb-view' && e.type !== 'kb-vote') continue
      const count = typeof e.count === 'number' && Number.isInteger(e.count) && e.count > 0 ? e.count : 1
      out.push({slug: slugs[i]!, lang: typeof e.lang === 'string' ? e.lang : null, type: e.type, helpful: typeof e.helpful === 'boolean' ? e.helpful : null, count, at: e.at})
    }
  })
  return out
}

/** desk.json at `commit` (the cache's copy when it was built there: no git call), for article links. */
export async function deskConfigAt(desk: Desk, commit: string | null = desk.tip()): Promise<Record<string, unknown>> {
  if (commit === null) return parseConfig(null)
  const meta = await desk.cache.meta()
  if (meta && meta.commit === commit) return parseConfig(meta.desk)
  const known = readKbTip(desk.cache.dir) // a warm kb search: desk.json as recorded with the kb/ tree
  if (known && known.commit === commit && known.desk !== undefined) return parseConfig(known.desk)
  const blob = await catFileText(desk, `${commit}:desk.json`)
  return parseConfig(blob)
}

async function catFileText(desk: Desk, name: string): Promise<string | null> {
  let out: string | null = null
  await catFileBatch(desk.repo, [name], (_i, content) => {
    out = content ? content.toString('utf8') : null
  })
  return out
}
