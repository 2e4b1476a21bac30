// Finding articles: `tix kb search`, `tix kb suggest` (a ticket's title and body against the
// published articles), the best article for a rule's automatic answer, and the article text a
// reply cites.
import {TixError} from '../../errors.js'
import {checkLang, checkSlug, languagesOf, pickLanguage} from '../../domain/kb/article.js'
import {queryTerms} from '../../domain/kb/normalize.js'
import type {Ticket} from '../../domain/ticket/model.js'
import {articleSlugs} from '../../domain/workflow/template.js'
import type {Desk} from '../../store/desk.js'
import {deskConfigAt, openKbLookup, type KbKey, type KbReader} from '../../store/kb-index.js'
import {viewOf, type ArticleView} from './articles.js'

export interface KbHit {
  article: ArticleView
  score: number
  /** The words of the query (as the user wrote them) that matched. */
  matched: string[]
}

/** The user's words behind the index terms that matched (a typo or prefix match is named by the word typed). */
function matchedWords(terms: Map<string, string>, hitTerms: readonly string[]): string[] {
  const out = new Set<string>()
  for (const t of hitTerms) {
    const direct = terms.get(t)
    if (direct) {
      out.add(direct)
      continue
    }
    // prefix or fuzzy: the query term closest in spelling
    let best: string | null = null
    let bestLen = -1
    for (const [q, word] of terms) {
      const common = commonPrefix(q, t)
      if (common > bestLen) {
        bestLen = common
        best = word
      }
    }
    if (best) out.add(best)
  }
  return [...out]
}

function commonPrefix(a: string, b: string): number {
  let i = 0
  while (i < a.length && i < b.length && a[i] === b[i]) i++
  return i
}

export interface SearchOptions {
  lang?: string
  /** Default: published only for suggest, any status for search. */
  status?: 'draft' | 'published'
  limit?: number
  /** One hit per article (its best language) instead of one per file. */
  perSlug?: boolean
}

export function searchIndex(desk: Desk, index: KbReader, config: Record<string, unknown>, query: string, opts: SearchOptions = {}): KbHit[] {
  return rankedHits(desk, index, config, query, opts).hits
}

/** The hits, best first, with every match counted in `total` but a view built only for the first `limit`. */
function rankedHits(desk: Desk, index: KbReader, config: Record<string, unknown>, query: string, opts: SearchOptions): {hits: KbHit[]; total: number} {
  const lang = opts.lang === undefined ? null : checkLang(opts.lang)
  const terms = queryTerms(query, lang, index.stemmers)
  const hits = index.search([...terms.keys()], {
    filter: (d: KbKey) => (lang === null || d.lang === lang) && (opts.status === undefined || d.status === opts.status),
  })
  const seen = new Set<string>()
  const out: KbHit[] = []
  let total = 0
  for (const h of hits) {
    if (opts.perSlug) {
      if (seen.has(h.doc.slug)) continue
      seen.add(h.doc.slug)
    }
    total++
    if (opts.limit !== undefined && out.length >= opts.limit) continue
    const doc = index.doc(h.doc.id)
    if (!doc) continue // gone from a lookup another process replaced meanwhile
    out.push({article: viewOf(desk, config, doc, index.languages(h.doc.slug)), score: Math.round(h.score * 100) / 100, matched: matchedWords(terms, h.terms)})
  }
  return {hits: out, total}
}

export async function searchArticles(desk: Desk, query: string, opts: SearchOptions = {}): Promise<{hits: KbHit[]; total: number}> {
  const index = await openKbLookup(desk)
  const config = await deskConfigAt(desk, index.commit)
  return rankedHits(desk, index, config, query, opts)
}

/** The text a ticket is matched on: its title (twice: it says what the ticket is about) and body. */
export const ticketQuery = (t: Pick<Ticket, 'title' | 'body'>) => `${t.title} ${t.title} ${t.body.slice(0, 4000)}`

/** The requester's language when one is known: the ticket's `lang` (or custom field `lang`/`language`). */
export function requesterLang(t: Ticket): string | null {
  const candidates = [(t as unknown as {lang?: unknown}).lang, t.fields?.lang, t.fields?.language]
  for (const c of candidates) {
    if (typeof c === 'string') {
      try {
        return checkLang(c.trim().replace(/_/g, '-'))
      } catch {
        // not a language code: ignored
      }
    }
  }
  return null
}

/** Published articles that fit a ticket, best first (one per article, in the requester's language when it has one). */
export function suggestFor(desk: Desk, index: KbReader, config: Record<string, unknown>, t: Ticket, limit = 3): KbHit[] {
  const hits = searchIndex(desk, index, config, ticketQuery(t), {status: 'published', perSlug: true, limit})
  const lang = requesterLang(t)
  if (lang === null) return hits
  return hits.map((h) => {
    if (h.article.lang === lang) return h
    const doc = index.doc(`${h.article.slug}/${lang}`)
    return doc && doc.status === 'published' ? {...h, article: viewOf(desk, config, doc, h.article.languages)} : h
  })
}

export async function suggestArticles(desk: Desk, idInput: string, limit = 3): Promise<{ticket: Ticket; hits: KbHit[]}> {
  const index = await desk.index()
  const id = await desk.resolveId(idInput, index)
  // the cache's copy when it is at the tip: no git process
  const ticket = (await desk.cachedTicket(id, index)) ?? (await desk.readTicket(id, index.commit))?.ticket
  if (!ticket) throw new TixError(`No ticket matches "${idInput}".`, {exitCode: 3, code: 'not-found', hint: 'List tickets with `tix list --all`.'})
  const kb = await openKbLookup(desk, index.commit)
  return {ticket, hits: suggestFor(desk, kb, index.config, ticket, limit)}
}

/** A published article, in `lang` when it has it, else its first language; for replies and placeholders. */
export function citeFrom(desk: Desk, index: KbReader, config: Record<string, unknown>, slugInput: string, lang: string | null): ArticleView {
  const slug = checkSlug(slugInput)
  const files = index.files(slug)
  if (files.length === 0) {
    throw new TixError(`There is no article "${slug}".`, {exitCode: 3, code: 'not-found', hint: 'Find one with `tix kb search WORDS` or `tix kb list`.'})
  }
  const published = files.filter((d) => d.status === 'published')
  if (published.length === 0) {
    throw new TixError(`The article "${slug}" is a draft: requesters cannot read it yet.`, {exitCode: 1, code: 'draft', hint: `Publish it first: tix kb publish ${slug}`})
  }
  const pick = pickLanguage(published, lang)!
  return viewOf(desk, config, pick.file, languagesOf(files))
}

/** The reply text citing an article: an optional message, then the title, summary and link. */
export function articleReplyText(a: Pick<ArticleView, 'title' | 'summary' | 'link'>, message?: string): string {
  const parts = [message?.trim() ?? '', `${a.title}\n${a.summary}\n${a.link}`].filter((p) => p !== '')
  return parts.join('\n\n')
}

/**
 * The knowledge base as the workflow sees it (rules' automatic answers, macros' article
 * placeholders): synchronous functions over an index loaded once for the batch.
 */
export async function kbHelpers(desk: Desk, commit: string, config: Record<string, unknown>): Promise<import('../../domain/workflow/workflow.js').KbHelpers> {
  const index = await openKbLookup(desk, commit)
  return {
    values(t, text) {
      const out: Record<string, string> = {}
      for (const slug of articleSlugs(text)) {
        const a = citeFrom(desk, index, config, slug, requesterLang(t))
        out[`article.${slug}.link`] = a.link
        out[`article.${slug}.summary`] = a.summary
        out[`article.${slug}.title`] = a.title
        out[`article.${slug}.lang`] = a.lang
      }
      return out
    },
    best(t, minScore) {
      const top = suggestFor(desk, index, config, t, 1)[0]
      if (!top || top.score < minScore) return null
      return {slug: top.article.slug, lang: top.article.lang, score: top.score, text: articleReplyText(top.article)}
    },
  }
}

/** The reply text citing an article for one ticket (in the requester's language when known): for the TUI to edit before sending. */
export async function composeArticleReply(desk: Desk, idInput: string, slug: string): Promise<{text: string; slug: string; lang: string}> {
  const index = await desk.index()
  const id = await desk.resolveId(idInput, index)
  const loaded = await desk.readTicket(id, index.commit)
  if (!loaded) throw new TixError(`No ticket matches "${idInput}".`, {exitCode: 3, code: 'not-found'})
  const kb = await openKbLookup(desk, index.commit)
  const a = citeFrom(desk, kb, index.config, slug, requesterLang(loaded.ticket))
  return {text: articleReplyText(a), slug: a.slug, lang: a.lang}
}

/** A public reply that cites an article (recorded on the reply event as `article`). */
export async function replyWithArticle(desk: Desk, idInput: string, text: string, article: {slug: string; lang: string}) {
  const {updateTicket} = await import('../tickets.js')
  const ops = await import('../../domain/ticket/ticket-ops.js')
  const slug = checkSlug(article.slug)
  const lang = checkLang(article.lang)
  return updateTicket(desk, idInput, (t, ctx) => ops.reply(t, text, ctx).map((e) => (e.type === 'reply' ? {...e, article: {slug, lang}} : e)))
}
