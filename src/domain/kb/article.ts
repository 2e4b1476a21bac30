// Knowledge-base articles, pure (no IO): the slug and language rules, the front matter model and
// its validation, the file text, summaries and links.
//
// Each language of an article is one markdown file on the desk branch, kb/<slug>/<lang>.md:
//
//   ---
//   title: "Set up the VPN"
//   category: "network"
//   tags: ["vpn", "remote"]
//   status: "published"
//   author: "ana@example.com"
//   updated: "2026-11-02T09:00:00.000Z"
//   ---
//   Open the VPN client...
//
// The front matter is written one key a line in a fixed order, so that `tix sync` merges two
// clones' edits line by line (see alignUpdated for the one line both sides always change).
import {usageError} from '../../errors.js'

export const KB_DIR = 'kb'
export const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$/
/** The desk's own languages first; any other 2-3 letter ISO 639 code (optionally with a region) is accepted. */
export const KNOWN_LANGS = ['en', 'ar', 'fa', 'ru'] as const
export const LANG = /^[a-z]{2,3}(?:-[A-Z]{2})?$/
export const STATUSES = ['draft', 'published'] as const
export type ArticleStatus = (typeof STATUSES)[number]
/** Languages written right to left (for display hints). */
export const RTL = new Set(['ar', 'fa', 'he', 'ur', 'ps', 'ckb', 'yi'])

export const articlePath = (slug: string, lang: string) => `${KB_DIR}/${slug}/${lang}.md`
/** The feedback log of an article (portal views and votes): event-shaped lines, merged by union on sync. */
export const feedbackPath = (slug: string) => `${KB_DIR}/${slug}/feedback.jsonl`
const ARTICLE_PATH = /^kb\/([a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?)\/([a-z]{2,3}(?:-[A-Z]{2})?)\.md$/

/** slug and lang of an article file path, or null for anything else (conflict copies, feedback logs, stray files). */
export function parseArticlePath(path: string): {slug: string; lang: string} | null {
  const m = ARTICLE_PATH.exec(path)
  return m && !m[1]!.includes('--') ? {slug: m[1]!, lang: m[2]!} : null
}

export function checkSlug(slug: string): string {
  if (!SLUG.test(slug) || slug.includes('--')) {
    throw usageError(
      `"${slug.slice(0, 100)}" is not a usable article slug: use lower-case letters a-z, digits and single hyphens (up to 80), starting and ending with a letter or digit.`,
      'e.g. tix kb new vpn-setup --title "Set up the VPN" --lang en',
    )
  }
  return slug
}

export function checkLang(lang: string): string {
  const l = lang.trim()
  if (!LANG.test(l)) {
    throw usageError(`"${lang.slice(0, 40)}" is not a language code: use a 2-3 letter code such as ${KNOWN_LANGS.join(', ')} (a region may follow: pt-BR).`, 'e.g. --lang ar')
  }
  return l
}

export interface ArticleMeta {
  title: string
  category: string | null
  tags: string[]
  status: ArticleStatus
  author: string | null
  /** ISO time of the last change. */
  updated: string | null
  /** A one-paragraph summary for replies; when absent, the body's first paragraph is used. */
  summary: string | null
  /** For a translation: the language it was translated from (the article's first language has none). */
  source: string | null
}

export interface Article extends ArticleMeta {
  slug: string
  lang: string
  body: string
}

export const FRONT_KEYS = ['title', 'category', 'tags', 'status', 'author', 'updated', 'summary', 'source'] as const

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x)
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/

/**
 * Validates parsed front matter (from gray-matter) into ArticleMeta. Every problem is named at once,
 * as `kb/<slug>/<lang>.md is not valid: <key>: expected ...`.
 */
export function checkFront(file: string, data: unknown): ArticleMeta {
  const problems: string[] = []
  const d = isObj(data) ? data : {}
  if (!isObj(data)) problems.push('front matter: expected key: value lines between --- lines')
  for (const k of Object.keys(d)) if (!(FRONT_KEYS as readonly string[]).includes(k)) problems.push(`${k.slice(0, 40)}: unknown key (expected ${FRONT_KEYS.join(', ')})`)
  const text = (k: string, max: number, required = false): string | null => {
    const v = d[k]
    if (v === undefined || v === null || v === '') {
      if (required) problems.push(`${k}: required`)
      return null
    }
    if (typeof v !== 'string' && typeof v !== 'number') {
      problems.push(`${k}: expected a text`)
      return null
    }
    const s = String(v).trim()
    if (s.length > max) problems.push(`${k}: longer than ${max} characters`)
    if (CONTROL.test(s) || (k !== 'summary' && /[\n\r]/.test(s))) problems.push(`${k}: control characters and line breaks are not allowed`)
    return s
  }
  const title = text('title', 200, true) ?? ''
  const category = text('category', 60)
  if (category !== null && !/^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u.test(category)) problems.push('category: expected letters, digits, spaces, . _ -')
  const author = text('author', 200)
  const summary = text('summary', 1000)
  const source = text('source', 12)
  if (source !== null && !LANG.test(source)) problems.push('source: expected a language code such as en')
  let updated: string | null = null
  const u = d.updated
  if (u instanceof Date) updated = Number.isNaN(u.getTime()) ? null : u.toISOString()
  else if (typeof u === 'string' && u !== '') {
    if (Number.isNaN(Date.parse(u))) problems.push('updated: expected an ISO time such as 2026-11-02T09:00:00Z')
    else updated = new Date(u).toISOString()
  } else if (u !== undefined && u !== null) problems.push('updated: expected an ISO time')
  let tags: string[] = []
  if (d.tags !== undefined && d.tags !== null) {
    const raw = typeof d.tags === 'string' ? d.tags.split(',') : Array.isArray(d.tags) ? d.tags : null
    if (raw === null || raw.some((t) => typeof t !== 'string' && typeof t !== 'number')) problems.push('tags: expected a list of words, e.g. ["vpn", "remote"]')
    else {
      tags = [...new Set(raw.map((t) => String(t).trim().toLowerCase()).filter(Boolean))]
      if (tags.some((t) => t.length > 40 || CONTROL.test(t) || /[\n\r,]/.test(t))) problems.push('tags: each tag is one line of up to 40 characters, no commas')
    }
  }
  let status: ArticleStatus = 'draft'
  if (d.status !== undefined && d.status !== null) {
    if (typeof d.status !== 'string' || !(STATUSES as readonly string[]).includes(d.status)) problems.push(`status: expected ${STATUSES.join(' or ')}`)
    else status = d.status as ArticleStatus
  }
  if (problems.length > 0) {
    throw usageError(`${file} is not valid: ${problems.join('; ')}.`, 'Fix the front matter (see `tix kb new --help`), e.g. with `tix kb edit SLUG --lang LANG`.', {problems})
  }
  return {title, category, tags, status, author, updated, summary, source}
}

const q = (s: string) => JSON.stringify(s) // a JSON string is a valid YAML double-quoted scalar

/** The file text: the front matter one key a line in a fixed order, then the body. */
export function serializeArticle(meta: ArticleMeta, body: string): string {
  const lines = [`title: ${q(meta.title)}`]
  if (meta.category) lines.push(`category: ${q(meta.category)}`)
  if (meta.tags.length > 0) lines.push(`tags: [${meta.tags.map(q).join(', ')}]`)
  lines.push(`status: ${q(meta.status)}`)
  if (meta.author) lines.push(`author: ${q(meta.author)}`)
  if (meta.updated) lines.push(`updated: ${q(meta.updated)}`)
  if (meta.summary) lines.push(`summary: ${q(meta.summary)}`)
  if (meta.source) lines.push(`source: ${q(meta.source)}`)
  const b = body.replace(/\r\n?/g, '\n').replace(/^\n+/, '')
  return `---\n${lines.join('\n')}\n---\n${b.endsWith('\n') || b === '' ? b : b + '\n'}`
}

/**
 * Front matter the YAML engine is allowed to see. gray-matter would run `---js` front matter
 * through eval(); only plain YAML (`---` alone, or `---yaml`) is accepted.
 */
export function checkFrontLanguage(file: string, text: string): void {
  const first = text.replace(/^\uFEFF/, '').split('\n', 1)[0]!.trim()
  if (first.startsWith('---') && !/^---\s*(yaml)?$/.test(first)) {
    throw usageError(`${file} is not valid: front matter must be YAML (the first line is exactly ---), not "${first.slice(0, 20)}".`, 'Start the file with --- on a line of its own.')
  }
}

/** Markdown reduced to plain text (for summaries and the search index): no markup, links as their text. */
export function plainText(md: string): string {
  return md
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/<[^<>]{0,200}>/g, ' ')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^\s{0,3}(#{1,6}|>|[-*+]|\d+[.)])\s+/gm, '')
    .replace(/[*_`~]+/g, '')
}

/** The summary: the front matter's, else the body's first paragraph, cut at a word near `max`. */
export function summaryOf(a: {summary: string | null; body: string}, max = 280): string {
  const src = a.summary ?? plainText(a.body).split(/\n\s*\n/).map((p) => p.replace(/\s+/g, ' ').trim()).find((p) => p !== '') ?? ''
  const s = src.replace(/\s+/g, ' ').trim()
  if (s.length <= max) return s
  const cut = s.slice(0, max)
  const sp = cut.lastIndexOf(' ')
  return (sp > max * 0.6 ? cut.slice(0, sp) : cut) + '…'
}

/**
 * Where a person reads the article: the portal's page when desk.json has web.baseUrl, else the
 * file on the desk branch (`tix:kb/<slug>/<lang>.md`, which `git show` opens).
 */
export function articleLink(config: Record<string, unknown>, branch: string, slug: string, lang: string): string {
  const base = webBaseUrl(config)
  if (base) return `${base}/kb/${encodeURIComponent(slug)}?lang=${encodeURIComponent(lang)}`
  return `${branch}:${articlePath(slug, lang)}`
}

/** desk.json "web": {"baseUrl": "https://help.example.com"}: the portal's address (http or https only). */
export function webBaseUrl(config: Record<string, unknown>): string | null {
  const web = config.web
  if (!isObj(web) || typeof web.baseUrl !== 'string') return null
  try {
    const u = new URL(web.baseUrl)
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return null
    return u.toString().replace(/\/+$/, '')
  } catch {
    return null
  }
}

/**
 * Sync help: both clones stamp `updated:` on every edit, so that line alone would make every
 * concurrent edit a conflict. Before the three-way line merge, the three versions' `updated:`
 * lines are set to the later of ours and theirs; the other lines merge as usual.
 */
export function alignUpdated(base: string, ours: string, theirs: string): [string, string, string] {
  const re = /^updated: "?([^"\n]*)"?$/m
  const head = (text: string) => {
    const end = text.startsWith('---\n') ? text.indexOf('\n---', 3) : -1
    return end < 0 ? null : end
  }
  const find = (text: string) => {
    const end = head(text)
    if (end === null) return undefined
    return re.exec(text.slice(0, end))?.[1]
  }
  const o = find(ours)
  const t = find(theirs)
  if (o === undefined || t === undefined) return [base, ours, theirs]
  const latest = o > t ? o : t
  const set = (text: string) => {
    const end = head(text)
    if (end === null || !re.test(text.slice(0, end))) return text
    return text.slice(0, end).replace(re, `updated: ${q(latest)}`) + text.slice(end)
  }
  return [set(base), set(ours), set(theirs)]
}

/**
 * The article's first language among its files: the one that is no translation (no `source`),
 * the earliest updated if several; a lone translation's source when that file is gone.
 */
export function firstLanguage<T extends {lang: string; source: string | null; updated: string | null}>(files: readonly T[]): T | null {
  if (files.length === 0) return null
  const originals = files.filter((f) => f.source === null)
  const pool = originals.length > 0 ? originals : files
  return [...pool].sort((a, b) => (a.updated ?? '').localeCompare(b.updated ?? '') || a.lang.localeCompare(b.lang))[0]!
}

/** The languages of one article's files, its first language first, then the others in order. */
export function languagesOf(files: ReadonlyArray<{lang: string; source: string | null; updated: string | null}>): string[] {
  const first = firstLanguage(files)
  return first ? [first.lang, ...files.filter((f) => f !== first).map((f) => f.lang).sort()] : []
}

/** The file to show for a wanted language: that one, else the first language (fallback: true). */
export function pickLanguage<T extends {lang: string; source: string | null; updated: string | null}>(files: readonly T[], want: string | null): {file: T; fallback: boolean} | null {
  if (want !== null) {
    const exact = files.find((f) => f.lang === want) ?? files.find((f) => f.lang.split('-')[0] === want.split('-')[0])
    if (exact) return {file: exact, fallback: false}
  }
  const first = firstLanguage(files)
  return first ? {file: first, fallback: want !== null} : null
}
