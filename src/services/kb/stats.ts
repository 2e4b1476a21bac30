// How articles are used: replies that cited them (the `article` field of reply events), tickets
// resolved with them, and the portal's views and "helpful" votes.
//
// Views and votes are kept per article in kb/<slug>/feedback.jsonl on the desk branch, one
// event-shaped line each ({"v":1,"id","seq","at","by","type":"kb-view"|"kb-vote","lang","helpful"?,
// "count"?}), so `tix sync` merges two clones' logs by union like ticket logs. The portal calls
// recordArticleFeedback (a vote, or a view) or recordArticleViews (many views at once).
import {randomBytes} from 'node:crypto'
import {TixError} from '../../errors.js'
import {checkLang, checkSlug, feedbackPath} from '../../domain/kb/article.js'
import {parseEventLines, serializeEvent, type EventBase} from '../../domain/ticket/events.js'
import {isUnresolved} from '../../domain/ticket/model.js'
import type {Desk} from '../../store/desk.js'
import {ticketCitations, readFeedback, articleFiles, type Citation} from '../../store/kb-index.js'
import {newId} from '../../domain/ticket/ids.js'

export interface FeedbackInput {
  slug: string
  lang: string
  /** true / false: a "was this helpful?" vote; null: a view. */
  helpful: boolean | null
  /** For views: how many (a portal may count views and write them in batches). */
  count?: number
}

/** Appends views and votes to the articles' feedback logs in one commit. Unknown articles are refused. */
export async function recordArticleViews(desk: Desk, inputs: readonly FeedbackInput[]): Promise<string | null> {
  const items = inputs.map((i) => ({...i, slug: checkSlug(i.slug), lang: checkLang(i.lang)}))
  for (const i of items) {
    if (i.count !== undefined && (!Number.isInteger(i.count) || i.count < 1 || i.count > 1_000_000)) throw new TixError(`A view count must be a whole number from 1 to 1000000, not ${i.count}.`, {exitCode: 2, code: 'usage'})
  }
  if (items.length === 0) return null
  const ctx = desk.opContext()
  const res = await desk.change(async (_read, tip) => {
    if (tip === null) return null
    const known = new Set((await articleFiles(desk, tip)).map((f) => f.slug))
    const bySlug = new Map<string, typeof items>()
    for (const i of items) {
      if (!known.has(i.slug)) throw new TixError(`There is no article "${i.slug}".`, {exitCode: 3, code: 'not-found', hint: 'See `tix kb list`.'})
      bySlug.set(i.slug, [...(bySlug.get(i.slug) ?? []), i])
    }
    const files = []
    for (const [slug, list] of bySlug) {
      const raw = (await desk.readFile(feedbackPath(slug), tip))?.toString('utf8') ?? ''
      let seq = Math.max(0, ...parseEventLines(raw).events.map((e) => e.seq))
      const lines = list.map((i) => {
        const e: EventBase = {v: 1, id: newId(randomBytes(10), 16), seq: ++seq, at: ctx.at, by: ctx.by, type: i.helpful === null ? 'kb-view' : 'kb-vote', lang: i.lang}
        if (i.helpful !== null) e.helpful = i.helpful
        else if (i.count !== undefined && i.count > 1) e.count = i.count
        return serializeEvent(e)
      })
      files.push({path: feedbackPath(slug), content: (raw === '' || raw.endsWith('\n') ? raw : raw + '\n') + lines.join('\n') + '\n'})
    }
    const votes = items.filter((i) => i.helpful !== null).length
    return {tickets: [], files, message: `kb: ${votes > 0 ? `${votes} vote${votes > 1 ? 's' : ''}` : ''}${votes > 0 && votes < items.length ? ', ' : ''}${items.length > votes ? `${items.length - votes} view record${items.length - votes > 1 ? 's' : ''}` : ''} for ${[...bySlug.keys()].join(', ')}`}
  })
  return res?.commit ?? null
}

/** One vote (helpful true/false) or one view (helpful null) of an article, as the portal records it. */
export function recordArticleFeedback(desk: Desk, slug: string, lang: string, helpful: boolean | null): Promise<string | null> {
  return recordArticleViews(desk, [{slug, lang, helpful}])
}

export interface ArticleStats {
  slug: string
  title: string | null
  /** Public replies that cited it (by hand, macro or rule). */
  replies: number
  /** Tickets now resolved or closed that had a reply citing it. */
  resolved: number
  views: number
  helpful: number
  notHelpful: number
}

export interface KbUse {
  citations: Citation[]
  stats: ArticleStats[]
}

/** Use of every article (and of cited slugs that no longer exist), most used first. */
export async function kbStats(desk: Desk, opts: {from?: string; to?: string} = {}): Promise<KbUse> {
  const tip = desk.requireTip()
  const index = await desk.index({done: true})
  const all = {...index.open, ...(index.done ?? {})}
  const inRange = (at: string) => (opts.from === undefined || at >= opts.from) && (opts.to === undefined || at < opts.to)
  const citations = (await ticketCitations(desk, tip)).filter((c) => inRange(c.at))
  const stats = new Map<string, ArticleStats>()
  const get = (slug: string) => {
    let s = stats.get(slug)
    if (!s) {
      s = {slug, title: null, replies: 0, resolved: 0, views: 0, helpful: 0, notHelpful: 0}
      stats.set(slug, s)
    }
    return s
  }
  const files = await articleFiles(desk, tip)
  const {openKbIndex} = await import('../../store/kb-index.js')
  const kb = await openKbIndex(desk, tip)
  for (const f of files) {
    const s = get(f.slug)
    const d = kb.docs.get(`${f.slug}/${f.lang}`)
    if (d && (s.title === null || d.source === null)) s.title = d.title
  }
  const resolvedWith = new Map<string, Set<string>>()
  for (const c of citations) {
    get(c.slug).replies++
    const t = all[c.ticket]
    if (t && !isUnresolved(t.status)) {
      const set = resolvedWith.get(c.slug) ?? new Set()
      set.add(c.ticket)
      resolvedWith.set(c.slug, set)
    }
  }
  for (const [slug, set] of resolvedWith) get(slug).resolved = set.size
  for (const f of await readFeedback(desk, tip, [...new Set(files.map((x) => x.slug))])) {
    if (!inRange(f.at)) continue
    const s = get(f.slug)
    if (f.type === 'kb-view') s.views += f.count
    else if (f.helpful === true) s.helpful++
    else if (f.helpful === false) s.notHelpful++
  }
  const list = [...stats.values()].sort((a, b) => b.resolved - a.resolved || b.replies - a.replies || b.views - a.views || a.slug.localeCompare(b.slug))
  return {citations, stats: list}
}

/** `tix report --metric kb`: tickets resolved in the range, how many with an article, and by article. */
export async function kbReport(desk: Desk, opts: {from?: string; to?: string} = {}) {
  const tip = desk.requireTip()
  const index = await desk.index({done: true})
  const done = Object.values(index.done ?? {}).filter((t) => t.resolvedAt !== null && (opts.from === undefined || t.resolvedAt! >= opts.from) && (opts.to === undefined || t.resolvedAt! < opts.to))
  const citations = await ticketCitations(desk, tip)
  const byTicket = new Map<string, Set<string>>()
  for (const c of citations) {
    const t = done.find((x) => x.id === c.ticket)
    if (!t || c.at > t.resolvedAt!) continue
    byTicket.set(c.ticket, (byTicket.get(c.ticket) ?? new Set()).add(c.slug))
  }
  const byArticle = new Map<string, number>()
  for (const slugs of byTicket.values()) for (const s of slugs) byArticle.set(s, (byArticle.get(s) ?? 0) + 1)
  return {
    resolved: done.length,
    resolvedWithArticle: byTicket.size,
    share: done.length === 0 ? null : Math.round((byTicket.size / done.length) * 1000) / 10,
    byArticle: [...byArticle].map(([slug, tickets]) => ({slug, tickets})).sort((a, b) => b.tickets - a.tickets || a.slug.localeCompare(b.slug)),
  }
}

