// The knowledge base's articles: write (new, translate, edit, publish, unpublish) and read (list,
// show). Every change is one commit on the desk branch, built against the tip it lands on.
import {TixError, usageError} from '../../errors.js'
import {
  articleLink,
  articlePath,
  checkLang,
  checkSlug,
  firstLanguage,
  languagesOf,
  pickLanguage,
  serializeArticle,
  summaryOf,
  type Article,
  type ArticleMeta,
  type ArticleStatus,
} from '../../domain/kb/article.js'
import type {Desk} from '../../store/desk.js'
import {articleFiles, deskConfigAt, openKbIndex, parseArticle, readArticleFiles, type KbDoc, type KbIndex, type KbProblem} from '../../store/kb-index.js'
import type {FileChange} from '../../store/writer.js'

/** What a command prints about one article file (the `kb-article` JSON kind's `article`). */
export interface ArticleView {
  slug: string
  lang: string
  title: string
  category: string | null
  tags: string[]
  status: ArticleStatus
  author: string | null
  updated: string | null
  summary: string
  source: string | null
  /** Every language the article has, the first language first. */
  languages: string[]
  path: string
  link: string
  body?: string
}

const notFound = (slug: string) =>
  new TixError(`There is no article "${slug}".`, {exitCode: 3, code: 'not-found', hint: 'See `tix kb list`, or write it with `tix kb new ' + slug + ' --title "..." --lang en`.'})

/** Commits files computed against the tip (re-run if the branch moved meanwhile). */
async function commitAt(desk: Desk, build: (tip: string | null) => Promise<{files: FileChange[]; message: string} | null>): Promise<string | null> {
  const res = await desk.change(async (_read, tip) => {
    const plan = await build(tip)
    return plan === null ? null : {tickets: [], message: plan.message, files: plan.files}
  })
  return res?.commit ?? null
}

/** The article's files at `tip`, parsed (problems thrown). */
async function filesOf(desk: Desk, tip: string | null, slug: string): Promise<Article[]> {
  if (tip === null) return []
  const paths = (await articleFiles(desk, tip)).filter((f) => f.slug === slug).map((f) => f.path)
  const read = await readArticleFiles(desk, tip, paths)
  const bad = read.find((r) => r.problem !== null)
  if (bad) throw new TixError(bad.problem!, {exitCode: 2, code: 'usage', hint: `Fix the file (tix kb edit ${slug} --lang ...), then try again.`})
  return read.map((r) => r.article).filter((a): a is Article => a !== null)
}

export interface NewArticleInput {
  slug: string
  lang: string
  title: string
  body: string
  category?: string
  tags?: string[]
  summary?: string
  status?: ArticleStatus
}

function metaFrom(desk: Desk, input: Omit<NewArticleInput, 'slug' | 'lang' | 'body'>, source: string | null): ArticleMeta {
  return {
    title: input.title.trim(),
    category: input.category?.trim() || null,
    tags: [...new Set((input.tags ?? []).map((t) => t.trim().toLowerCase()).filter(Boolean))],
    status: input.status ?? 'draft',
    author: desk.actor().email,
    updated: desk.now().toISOString(),
    summary: input.summary?.trim() || null,
    source,
  }
}

/** Validates the text as the file will be read back (front matter rules included). */
async function checked(slug: string, lang: string, text: string): Promise<Article> {
  const a = await parseArticle(slug, lang, text)
  if (a.body.trim() === '') throw usageError(`The article ${slug} (${lang}) has no text.`, 'Give the text with --body-file FILE (or - for standard input).')
  return a
}

export async function newArticle(desk: Desk, input: NewArticleInput): Promise<{article: Article; commit: string}> {
  const slug = checkSlug(input.slug)
  const lang = checkLang(input.lang)
  if (input.title.trim() === '') throw usageError('An article needs a title.', `tix kb new ${slug} --title "..." --lang ${lang}`)
  const text = serializeArticle(metaFrom(desk, input, null), input.body)
  const article = await checked(slug, lang, text)
  const commit = await commitAt(desk, async (tip) => {
    const existing = await filesOf(desk, tip, slug)
    if (existing.length > 0) {
      throw new TixError(`The article "${slug}" already exists (${existing.map((a) => a.lang).join(', ')}).`, {
        exitCode: 2,
        code: 'usage',
        hint: `Change it with \`tix kb edit ${slug}\`, add a language with \`tix kb translate ${slug} --lang xx\`, or pick another slug.`,
      })
    }
    return {files: [{path: articlePath(slug, lang), content: text}], message: `kb: new article ${slug} (${lang})`}
  })
  return {article, commit: commit!}
}

/** The article's first language (the translator's source): title, body, and the languages it has. */
export async function translationSource(desk: Desk, slug: string, from?: string): Promise<{source: Article; languages: string[]}> {
  checkSlug(slug)
  const files = await filesOf(desk, desk.tip(), slug)
  if (files.length === 0) throw notFound(slug)
  const source = (from ? files.find((f) => f.lang === checkLang(from)) : null) ?? firstLanguage(files)!
  return {source, languages: files.map((f) => f.lang)}
}

/** Adds a language: the translation keeps the source's category and tags, and starts as a draft. */
export async function translateArticle(desk: Desk, input: {slug: string; lang: string; body: string; title?: string; from?: string; summary?: string}): Promise<{article: Article; commit: string}> {
  const slug = checkSlug(input.slug)
  const lang = checkLang(input.lang)
  const {source} = await translationSource(desk, slug, input.from)
  const text = serializeArticle(metaFrom(desk, {title: input.title ?? source.title, category: source.category ?? undefined, tags: source.tags, summary: input.summary}, source.lang), input.body)
  const article = await checked(slug, lang, text)
  const commit = await commitAt(desk, async (tip) => {
    const files = await filesOf(desk, tip, slug)
    if (files.length === 0) throw notFound(slug)
    if (files.some((f) => f.lang === lang)) {
      throw new TixError(`The article "${slug}" already has ${lang}.`, {exitCode: 2, code: 'usage', hint: `Change it with \`tix kb edit ${slug} --lang ${lang}\`.`})
    }
    return {files: [{path: articlePath(slug, lang), content: text}], message: `kb: translate ${slug} into ${lang} (from ${source.lang})`}
  })
  return {article, commit: commit!}
}

/** The current text of one language of an article (for the editor), with the language picked. */
export async function articleText(desk: Desk, slug: string, lang?: string): Promise<{article: Article; text: string; languages: string[]}> {
  checkSlug(slug)
  const files = await filesOf(desk, desk.tip(), slug)
  if (files.length === 0) throw notFound(slug)
  const want = lang === undefined ? null : checkLang(lang)
  const article = want === null ? firstLanguage(files)! : files.find((f) => f.lang === want)
  if (!article) {
    throw new TixError(`The article "${slug}" has no ${want} version (it has ${files.map((f) => f.lang).join(', ')}).`, {exitCode: 3, code: 'not-found', hint: `Add it with \`tix kb translate ${slug} --lang ${want}\`.`})
  }
  return {article, text: serializeArticle(article, article.body), languages: files.map((f) => f.lang)}
}

/**
 * Saves an edit: either a new body (front matter kept) or a whole new file text. `updated` is
 * stamped now, and the author is kept. Returns a null commit when nothing changed.
 */
export async function editArticle(desk: Desk, input: {slug: string; lang?: string; body?: string; text?: string}): Promise<{article: Article; commit: string | null}> {
  const {article: current} = await articleText(desk, input.slug, input.lang)
  const lang = current.lang
  let next: Article
  if (input.text !== undefined) next = await checked(current.slug, lang, input.text)
  else next = {...current, body: input.body ?? current.body}
  if (serializeArticle({...next, updated: null}, next.body) === serializeArticle({...current, updated: null}, current.body)) return {article: current, commit: null}
  const stamped: Article = {...next, updated: desk.now().toISOString()}
  const text = serializeArticle(stamped, stamped.body)
  const article = await checked(current.slug, lang, text)
  const commit = await commitAt(desk, async (tip) => {
    const files = await filesOf(desk, tip, current.slug)
    if (!files.some((f) => f.lang === lang)) throw notFound(current.slug)
    return {files: [{path: articlePath(current.slug, lang), content: text}], message: `kb: edit ${current.slug} (${lang})`}
  })
  return {article, commit}
}

/** Publishes or unpublishes every language of an article (or one, with `lang`), in one commit. */
export async function setArticleStatus(desk: Desk, slugInput: string, status: ArticleStatus, lang?: string): Promise<{changed: string[]; commit: string | null}> {
  const slug = checkSlug(slugInput)
  const only = lang === undefined ? null : checkLang(lang)
  let changed: string[] = []
  const commit = await commitAt(desk, async (tip) => {
    const files = await filesOf(desk, tip, slug)
    if (files.length === 0) throw notFound(slug)
    const targets = files.filter((f) => only === null || f.lang === only)
    if (targets.length === 0) throw new TixError(`The article "${slug}" has no ${only} version.`, {exitCode: 3, code: 'not-found', hint: `It has ${files.map((f) => f.lang).join(', ')}.`})
    const now = desk.now().toISOString()
    const out = targets.filter((f) => f.status !== status).map((f) => ({path: articlePath(slug, f.lang), content: serializeArticle({...f, status, updated: now}, f.body), lang: f.lang}))
    changed = out.map((f) => f.lang)
    if (out.length === 0) return null
    return {files: out.map(({path, content}) => ({path, content})), message: `kb: ${status === 'published' ? 'publish' : 'unpublish'} ${slug} (${changed.join(', ')})`}
  })
  return {changed, commit}
}

// ------------------------------------------------------------------ reading

export function viewOf(desk: Desk, config: Record<string, unknown>, doc: KbDoc | Article, languages: string[], body?: string): ArticleView {
  const excerpt = 'excerpt' in doc ? doc.excerpt : summaryOf(doc)
  return {
    slug: doc.slug,
    lang: doc.lang,
    title: doc.title,
    category: doc.category,
    tags: doc.tags,
    status: doc.status,
    author: doc.author,
    updated: doc.updated,
    summary: excerpt,
    source: doc.source,
    languages,
    path: articlePath(doc.slug, doc.lang),
    link: articleLink(config, desk.branch, doc.slug, doc.lang),
    ...(body !== undefined ? {body} : {}),
  }
}

/** Languages of each slug, first language first. */
function languagesBySlug(index: KbIndex): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const [slug, files] of index.slugs()) out.set(slug, languagesOf(files))
  return out
}

export interface ListFilter {
  lang?: string
  category?: string
  status?: ArticleStatus
}

/** Article files matching the filters, by slug then language (first language first). */
export async function listArticles(desk: Desk, filter: ListFilter = {}): Promise<{articles: ArticleView[]; problems: KbProblem[]}> {
  const lang = filter.lang === undefined ? undefined : checkLang(filter.lang)
  const index = await openKbIndex(desk)
  const config = await deskConfigAt(desk, index.commit)
  const langs = languagesBySlug(index)
  const out: ArticleView[] = []
  for (const slug of [...langs.keys()].sort()) {
    for (const l of langs.get(slug)!) {
      const d = index.docs.get(`${slug}/${l}`)!
      if (lang !== undefined && d.lang !== lang) continue
      if (filter.category !== undefined && (d.category ?? '').toLowerCase() !== filter.category.toLowerCase()) continue
      if (filter.status !== undefined && d.status !== filter.status) continue
      out.push(viewOf(desk, config, d, langs.get(slug)!))
    }
  }
  return {articles: out, problems: index.problems}
}

/** One article in a language; falls back to its first language (and says so) when that one is missing. */
export async function showArticle(desk: Desk, slugInput: string, lang?: string): Promise<{article: ArticleView; fallback: boolean; wanted: string | null}> {
  const slug = checkSlug(slugInput)
  const want = lang === undefined ? null : checkLang(lang)
  const tip = desk.tip()
  const files = await filesOf(desk, tip, slug)
  const pick = pickLanguage(files, want)
  if (!pick) throw notFound(slug)
  const config = await deskConfigAt(desk, tip)
  const first = firstLanguage(files)!
  const languages = [first.lang, ...files.filter((f) => f !== first).map((f) => f.lang).sort()]
  return {article: viewOf(desk, config, pick.file, languages, pick.file.body), fallback: pick.fallback, wanted: want}
}
