// The knowledge base on the portal: the published articles (never a draft) by category, search
// through the desk's KB index (the same MiniSearch index and normalisation as `tix kb search`), one
// article in the reader's language, and the readers' views and votes.
//
// Views are counted in memory and written in batches (flushViews, every 30 s and on shutdown), so
// a busy article costs one commit per batch, not one per page view. Votes arriving together are
// written as one commit. Both go through the server's writer (GroupWriter.exclusive), between two
// ticket commits, so every write to the branch stays serialised.
import {checkLang, firstLanguage, LANG, pickLanguage, SLUG, type Article} from '../../domain/kb/article.js'
import type {Desk} from '../../store/desk.js'
import {articleFiles, deskConfigAt, openKbIndex, readArticleFiles, type KbDoc, type KbIndex} from '../../store/kb-index.js'
import {recordArticleViews, type FeedbackInput} from '../kb/stats.js'
import {searchIndex} from '../kb/search.js'
import type {GroupWriter} from './writer.js'

/** A slug as the portal takes it from a URL: the article slug rules, nothing else (never a path). */
export const portalSlug = (s: string): string | null => (SLUG.test(s) && !s.includes('--') ? s : null)
/** An article language from a URL (?lang=pt-BR), or null. */
export const portalArticleLang = (s: string | undefined): string | null => (s !== undefined && LANG.test(s) ? s : null)

export interface PortalArticle {
  doc: KbDoc
  /** The wanted language was missing: this is the article's first (published) language. */
  fallback: boolean
  /** Published languages of the article, first language first. */
  languages: string[]
}

export interface PortalHit extends PortalArticle {
  score: number
}

export class PortalKb {
  private cached: {tip: string; index: KbIndex; config: Record<string, unknown>} | null = null
  private loading: Promise<{index: KbIndex; config: Record<string, unknown>}> | null = null
  private bodies = new Map<string, Article>()

  constructor(private readonly desk: Desk) {}

  /** The index at the branch tip (kept in memory while the tip does not move). */
  async index(): Promise<{index: KbIndex; config: Record<string, unknown>}> {
    const tip = this.desk.tip()
    if (tip === null) return {index: await openKbIndex(this.desk, null), config: {}}
    if (this.cached?.tip === tip) return this.cached
    if (!this.loading) {
      this.loading = (async () => {
        const index = await openKbIndex(this.desk, tip)
        const config = await deskConfigAt(this.desk, tip)
        this.cached = {tip, index, config}
        return this.cached
      })().finally(() => (this.loading = null))
    }
    return this.loading
  }

  /** Published files of each article. */
  private published(index: KbIndex): Map<string, KbDoc[]> {
    const out = new Map<string, KbDoc[]>()
    for (const [slug, files] of index.slugs()) {
      const pub = files.filter((f) => f.status === 'published')
      if (pub.length > 0) out.set(slug, pub)
    }
    return out
  }

  private choose(files: KbDoc[], lang: string): PortalArticle {
    const pick = pickLanguage(files, lang)!
    const first = firstLanguage(files)!
    return {doc: pick.file, fallback: pick.fallback, languages: [first.lang, ...files.filter((f) => f !== first).map((f) => f.lang).sort()]}
  }

  async hasArticles(): Promise<boolean> {
    const {index} = await this.index()
    return [...index.docs.values()].some((d) => d.status === 'published')
  }

  /** Every published article once, in `lang` when it has it. */
  async list(lang: string): Promise<PortalArticle[]> {
    const {index} = await this.index()
    return [...this.published(index).values()].map((files) => this.choose(files, lang))
  }

  /** Published articles matching `query`, best first, one per article (shown in `lang` when it has it). */
  async search(query: string, lang: string, limit = 30): Promise<PortalHit[]> {
    const {index, config} = await this.index()
    const pub = this.published(index)
    const out: PortalHit[] = []
    for (const h of searchIndex(this.desk, index, config, query, {status: 'published', perSlug: true})) {
      const files = pub.get(h.article.slug)
      if (!files) continue
      out.push({...this.choose(files, lang), score: h.score})
      if (out.length >= limit) break
    }
    return out
  }

  /** One published article in `lang` (or its first language), with its body; null for unknown or draft. */
  async article(slug: string, lang: string): Promise<(PortalArticle & {article: Article}) | null> {
    const {index} = await this.index()
    const files = this.published(index).get(slug)
    if (!files) return null
    const chosen = this.choose(files, lang)
    let article = this.bodies.get(chosen.doc.oid)
    if (!article) {
      const tip = this.desk.tip()
      if (tip === null) return null
      const [read] = await readArticleFiles(this.desk, tip, [`kb/${slug}/${chosen.doc.lang}.md`])
      if (!read?.article) return null
      article = read.article
      if (this.bodies.size >= 500) this.bodies.clear()
      this.bodies.set(chosen.doc.oid, article)
    }
    return {...chosen, article}
  }
}

interface QueuedVote {
  input: FeedbackInput
  resolve: () => void
  reject: (e: unknown) => void
}

/** Views counted in memory and written in batches; votes written together (one commit per batch). */
export class KbFeedback {
  private views = new Map<string, number>()
  private votes: QueuedVote[] = []
  private voteScheduled = false
  /** Commits written and views waiting (for /healthz and the tests). */
  readonly stats = {viewCommits: 0, voteCommits: 0}

  constructor(
    private readonly desk: Desk,
    private readonly writer: GroupWriter,
  ) {}

  get pendingViews(): number {
    let n = 0
    for (const v of this.views.values()) n += v
    return n
  }

  view(slug: string, lang: string): void {
    this.add(slug, lang, 1)
  }

  /** Resolves once the vote is on the branch. */
  vote(slug: string, lang: string, helpful: boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      this.votes.push({input: {slug, lang: checkLang(lang), helpful}, resolve, reject})
      if (!this.voteScheduled) {
        this.voteScheduled = true
        void this.writer.exclusive(() => this.writeVotes())
      }
    })
  }

  private async writeVotes(): Promise<void> {
    this.voteScheduled = false
    const batch = this.votes.splice(0)
    if (batch.length === 0) return
    try {
      await recordArticleViews(this.desk, batch.map((v) => v.input))
      this.stats.voteCommits++
      for (const v of batch) v.resolve()
    } catch (error) {
      for (const v of batch) v.reject(Object.assign(error as Error, {status: 503}))
    }
  }

  /** Writes the views counted so far as one commit (nothing when there are none). */
  flushViews(): Promise<void> {
    return this.writer.exclusive(() => this.writeViews())
  }

  private async writeViews(): Promise<void> {
    if (this.views.size === 0) return
    const taken = this.views
    this.views = new Map()
    const MAX = 1_000_000 // the most one view record may count
    const list: FeedbackInput[] = []
    for (const [key, total] of taken) {
      const [slug, lang] = key.split('\t') as [string, string]
      for (let left = total; left > 0; left -= MAX) list.push({slug, lang, helpful: null, count: Math.min(left, MAX)})
    }
    try {
      await recordArticleViews(this.desk, list)
      this.stats.viewCommits++
    } catch (error) {
      // An article deleted since it was viewed (a sync): its views are dropped, the others written.
      const tip = this.desk.tip()
      const known = tip === null ? new Set<string>() : new Set((await articleFiles(this.desk, tip).catch(() => [])).map((f) => f.slug))
      const kept = list.filter((v) => known.has(v.slug))
      try {
        if (kept.length === list.length) throw error
        if (kept.length > 0) {
          await recordArticleViews(this.desk, kept)
          this.stats.viewCommits++
        }
      } catch (again) {
        // Kept for the next flush.
        for (const v of kept) this.add(v.slug, v.lang, v.count ?? 1)
        this.desk.io.warn(`tix serve: could not write article views: ${(again as Error).message}`)
      }
    }
  }

  private add(slug: string, lang: string, n: number) {
    const key = `${slug}\t${lang}`
    this.views.set(key, (this.views.get(key) ?? 0) + n)
  }
}
