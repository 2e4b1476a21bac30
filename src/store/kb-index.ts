// The knowledge base's full-text index (MiniSearch), cached beside the ticket cache in
// <git common dir>/tix/cache/<branch>/kb-index.json with the commit it was built from. A command
// that searches loads it, diffs the kb/ tree from that commit to the tip, re-indexes only the
// article files that changed, and writes it back. Deleting the file changes no output.
//
// Articles are read here (git + gray-matter); the text rules live in src/domain/kb.
import {existsSync, mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import type MiniSearchType from 'minisearch'
import type {Options as MiniSearchOptions, SearchResult} from 'minisearch'
import {TixError} from '../errors.js'
import {checkFront, checkFrontLanguage, parseArticlePath, plainText, summaryOf, type Article, type ArticleMeta} from '../domain/kb/article.js'
import {analyze, type Stemmers} from '../domain/kb/normalize.js'
import {parseConfig} from '../domain/config.js'
import {parseEventLines} from '../domain/events.js'
import {requireModule} from '../runtime.js'
import type {Desk} from './desk.js'
import {git} from './git.js'
import {catFileBatch, diffTree, lsTree} from './objects.js'
import {repoCwd, repoEnv} from './repo.js'

export const KB_INDEX_VERSION = 1
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

let stemmersValue: Stemmers | null = null
/** The snowball stemmers (English, Russian), loaded on first use: `tix list` never pays for them. */
export async function loadStemmers(): Promise<Stemmers> {
  if (!stemmersValue) {
    // CommonJS, 870 kB: require() compiles it; import() would first run Node's CommonJS export
    // scanner over all of it (measured: 120 ms of a 430 ms `tix kb search`).
    const mod = requireModule<typeof import('snowball-stemmers') | {default: typeof import('snowball-stemmers')}>('snowball-stemmers')
    const api = ((mod as {default?: unknown}).default ?? mod) as typeof import('snowball-stemmers').default
    const en = api.newStemmer('english')
    const ru = api.newStemmer('russian')
    const memo = (s: {stem(w: string): string}) => {
      const seen = new Map<string, string>()
      return (w: string) => {
        let r = seen.get(w)
        if (r === undefined) {
          r = s.stem(w)
          seen.set(w, r)
        }
        return r
      }
    }
    stemmersValue = {english: memo(en), russian: memo(ru)}
  }
  return stemmersValue
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

/** Terms are analysed before MiniSearch sees them (per article language), so it only splits on spaces. */
const MS_OPTIONS: MiniSearchOptions<IndexedDoc> = {
  fields: ['title', 'tags', 'body'],
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

export interface KbSearchHit {
  doc: KbDoc
  score: number
  /** Index terms that matched (analysed forms). */
  terms: string[]
}

/** The loaded index of one commit: the articles' metadata and the MiniSearch instance. */
export class KbIndex {
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

  /**
   * Runs analysed terms against the index: each term also matches its prefixes' completions and
   * words within a small edit distance (typos), title and tags weigh more than the body.
   */
  search(terms: readonly string[], opts: {filter?: (d: KbDoc) => boolean; fuzzy?: number; limit?: number} = {}): KbSearchHit[] {
    if (terms.length === 0 || this.docs.size === 0) return []
    const results: SearchResult[] = this.ms.search(terms.join(' '), {
      boost: {title: 3, tags: 2, body: 1},
      prefix: (term) => [...term].length >= 3,
      fuzzy: (term) => ([...term].length >= 4 ? (opts.fuzzy ?? 0.2) : false),
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

function cacheFile(desk: Desk): string {
  return join(desk.cache.dir, 'kb-index.json')
}

function readStored(desk: Desk): Stored | null {
  try {
    const s = JSON.parse(readFileSync(cacheFile(desk), 'utf8')) as Stored
    return s.version === KB_INDEX_VERSION && typeof s.commit === 'string' && s.docs && s.index ? s : null
  } catch {
    return null // missing or corrupt: rebuilt from git
  }
}

function writeStored(desk: Desk, s: Stored, light: QuickStored | null = null): void {
  try {
    mkdirSync(desk.cache.dir, {recursive: true})
    const write = (file: string, value: unknown) => {
      const tmp = `${file}.${process.pid}.tmp`
      writeFileSync(tmp, JSON.stringify(value))
      renameSync(tmp, file) // atomic: a reader sees the old index or the new one
    }
    if (light) write(quickFile(desk), light)
    write(cacheFile(desk), s)
  } catch {
    // The cache is an optimisation only (a read-only clone still searches).
  }
}

// ------------------------------------------------------------------ the quick index (tix new)

function writeQuick(desk: Desk, q: QuickStored): void {
  try {
    mkdirSync(desk.cache.dir, {recursive: true})
    const tmp = `${quickFile(desk)}.${process.pid}.tmp`
    writeFileSync(tmp, JSON.stringify(q))
    renameSync(tmp, quickFile(desk))
  } catch {
    // an optimisation only
  }
}

/**
 * A second, small index of the published articles' titles, tags and summaries only (a tenth of
 * the full one), in kb-quick.json: what `tix new` on a terminal searches, so that the suggestions
 * it prints cost little. Written with the full index; valid for the same kb/ tree.
 */
interface QuickStored {
  version: number
  tree: string | null
  /** id -> [slug, lang, title] */
  docs: Record<string, [string, string, string]>
  index: unknown
}

const QUICK_OPTIONS: MiniSearchOptions<{id: string; title: string; tags: string; summary: string}> = {
  fields: ['title', 'tags', 'summary'],
  idField: 'id',
  tokenize: (text) => text.split(' ').filter(Boolean),
  processTerm: (term) => term,
  autoVacuum: false,
}

const quickFile = (desk: Desk) => join(desk.cache.dir, 'kb-quick.json')

function quickOf(MiniSearch: MiniSearchCtor, tree: string | null, docs: Map<string, KbDoc>, stemmers: Stemmers): QuickStored {
  const ms = new MiniSearch(QUICK_OPTIONS)
  const out: Record<string, [string, string, string]> = {}
  const batch = []
  for (const d of docs.values()) {
    if (d.status !== 'published') continue
    out[d.id] = [d.slug, d.lang, d.title]
    batch.push({id: d.id, title: analyze(d.title, d.lang, stemmers).join(' '), tags: analyze([...d.tags, d.category ?? ''].join(' '), d.lang, stemmers).join(' '), summary: analyze(d.excerpt, d.lang, stemmers).join(' ')})
  }
  ms.addAll(batch)
  return {version: KB_INDEX_VERSION, tree, docs: out, index: ms.toJSON()}
}

export interface QuickHit {
  slug: string
  lang: string
  title: string
  score: number
  /** Index terms that matched. */
  terms: string[]
}

/**
 * The best published articles for a text from the quick index (one per article), or null when
 * that index is missing or was built for another kb/ tree (the caller then uses the full index).
 */
export async function quickSuggest(desk: Desk, commit: string, terms: (stemmers: Stemmers) => string[], limit: number): Promise<QuickHit[] | null> {
  let q: QuickStored
  try {
    q = JSON.parse(readFileSync(quickFile(desk), 'utf8')) as QuickStored
  } catch {
    return null
  }
  if (q.version !== KB_INDEX_VERSION || q.tree !== (await kbTree(desk, commit))) return null
  const [MiniSearch, stemmers] = await Promise.all([loadMiniSearch(), loadStemmers()])
  const ms = MiniSearch.loadJS(q.index as never, QUICK_OPTIONS)
  const words = terms(stemmers)
  if (words.length === 0) return []
  const out: QuickHit[] = []
  const seen = new Set<string>()
  for (const r of ms.search(words.join(' '), {boost: {title: 3, tags: 2, summary: 1}, prefix: (t) => [...t].length >= 3, fuzzy: (t) => ([...t].length >= 4 ? 0.2 : false), combineWith: 'OR'})) {
    const d = q.docs[String(r.id)]
    if (!d || seen.has(d[0])) continue
    seen.add(d[0])
    out.push({slug: d[0], lang: d[1], title: d[2], score: r.score, terms: r.terms})
    if (out.length >= limit) break
  }
  return out
}

/**
 * The index at the desk's tip (or `commit`): from the cache when it was built there; updated from
 * the changed article files when it was built from an older commit; built from scratch otherwise.
 */
export async function openKbIndex(desk: Desk, commit: string | null = desk.tip()): Promise<KbIndex> {
  const [MiniSearch, stemmers] = await Promise.all([loadMiniSearch(), loadStemmers()])
  if (commit === null) return new KbIndex(null, new Map(), [], new MiniSearch(MS_OPTIONS), stemmers)
  const stored = readStored(desk)
  const load = (s: Stored) => new KbIndex(commit, new Map(Object.entries(s.docs)), s.problems ?? [], MiniSearch.loadJS(s.index as never, MS_OPTIONS), stemmers)
  if (stored && (stored.commit === commit || stored.tree === (await kbTree(desk, commit)))) {
    // the same commit, or only tickets changed since: nothing to re-index (and nothing to rewrite)
    const index = load(stored)
    if (!existsSync(quickFile(desk))) writeQuick(desk, quickOf(MiniSearch, stored.tree, index.docs, stemmers))
    return index
  }
  const tree = await kbTree(desk, commit)
  if (stored) {
    const updated = await updateFrom(desk, stored, commit, tree, MiniSearch, stemmers).catch(() => null)
    if (updated) return updated
  }
  return rebuildKbIndex(desk, commit, tree, MiniSearch, stemmers)
}

/** The object id of the kb/ tree at `commit`, or null when there is none. */
async function kbTree(desk: Desk, commit: string): Promise<string | null> {
  const r = await git(['rev-parse', '--verify', '-q', `${commit}:kb`], {cwd: repoCwd(desk.repo), env: repoEnv(desk.repo), okCodes: [1, 128]})
  return r.code === 0 ? r.stdout.toString('utf8').trim() : null
}

/** Whether the desk has any article at its tip, without loading the index (for `tix new`). */
export async function hasArticles(desk: Desk): Promise<boolean> {
  const tip = desk.tip()
  if (tip === null) return false
  const stored = readStored(desk)
  if (stored && stored.commit === tip) return Object.keys(stored.docs).length > 0
  const tree = await kbTree(desk, tip)
  if (tree === null) return false
  return stored && stored.tree === tree ? Object.keys(stored.docs).length > 0 : true
}

async function rebuildKbIndex(desk: Desk, commit: string, tree: string | null, MiniSearch: MiniSearchCtor, stemmers: Stemmers): Promise<KbIndex> {
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
  writeStored(desk, {version: KB_INDEX_VERSION, commit, tree, docs: Object.fromEntries(docs), problems, index: ms.toJSON()}, quickOf(MiniSearch, tree, docs, stemmers))
  return new KbIndex(commit, docs, problems, ms, stemmers)
}

async function updateFrom(desk: Desk, stored: Stored, commit: string, tree: string | null, MiniSearch: MiniSearchCtor, stemmers: Stemmers): Promise<KbIndex> {
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
  writeStored(desk, {version: KB_INDEX_VERSION, commit, tree, docs: Object.fromEntries(docs), problems, index: ms.toJSON()}, quickOf(MiniSearch, tree, docs, stemmers))
  return new KbIndex(commit, docs, problems, ms, stemmers)
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
