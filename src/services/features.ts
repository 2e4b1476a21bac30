// The actions the TUI offers beyond the core ticket operations (sync, escalation, macros, ratings,
// auto-assignment), each the same service call as its CLI command.
import type {Desk} from '../store/desk.js'
import type {TicketChange} from './tickets.js'

export interface Features {
  /** `tix sync`: fetch, merge, push. */
  sync?: (desk: Desk) => Promise<unknown>
  /** `tix escalate ID --reason`: the reason is required. */
  escalate?: (desk: Desk, id: string, opts: {reason: string}) => Promise<TicketChange>
  /** `tix macro apply NAME ID`, and the macro names to pick from. */
  macro?: {apply: (desk: Desk, id: string, name: string) => Promise<TicketChange>; list: (desk: Desk) => Promise<string[]>}
  /** `tix rate ID good|neutral|bad`. */
  rate?: (desk: Desk, id: string, opts: {rating: string; comment?: string}) => Promise<TicketChange>
  /** `tix assign ID --auto`: by the department's strategy. */
  autoAssign?: (desk: Desk, id: string) => Promise<TicketChange>
  /** The knowledge base: search published articles, the reply text citing one, and the reply (`tix reply ID --article SLUG`). */
  kb?: {
    search: (desk: Desk, query: string) => Promise<Array<{slug: string; lang: string; title: string; matched: string[]}>>
    compose: (desk: Desk, ticketId: string, slug: string) => Promise<{text: string; slug: string; lang: string}>
    reply: (desk: Desk, ticketId: string, text: string, article: {slug: string; lang: string}) => Promise<TicketChange>
  }
}

export type FeatureName = keyof Features

/**
 * The optional actions, wired to the same services as their commands (`tix sync`, `tix escalate`,
 * `tix macro apply`, `tix rate`, `tix assign --auto`). Loaded lazily: the TUI starts without them.
 */
export async function detectFeatures(): Promise<Features> {
  const [{syncDesk}, {escalateTicket, autoAssign}, {applyMacroTo, listMacros}, {rate}, {updateTicket}, kb] = await Promise.all([
    import('./sync.js'),
    import('./workflow/routing.js'),
    import('./workflow/macros.js'),
    import('../domain/ticket/relations.js'),
    import('./tickets.js'),
    import('./kb/search.js'),
  ])
  return {
    sync: async (desk) => (await syncDesk(desk.io)).result,
    escalate: (desk, id, opts) => escalateTicket(desk, id, {reason: opts.reason}),
    macro: {
      apply: (desk, id, name) => applyMacroTo(desk, name, id),
      list: async (desk) => (await listMacros(desk)).filter((m) => m.macro !== null).map((m) => m.name),
    },
    rate: (desk, id, opts) => updateTicket(desk, id, (t, ctx) => rate(t, opts.rating, {comment: opts.comment}, ctx)),
    autoAssign: (desk, id) => autoAssign(desk, id),
    kb: {
      search: async (desk, query) => (await kb.searchArticles(desk, query, {status: 'published', perSlug: true, limit: 20})).hits.map((h) => ({slug: h.article.slug, lang: h.article.lang, title: h.article.title, matched: h.matched})),
      compose: (desk, id, slug) => kb.composeArticleReply(desk, id, slug),
      reply: (desk, id, text, article) => kb.replyWithArticle(desk, id, text, article),
    },
  }
}

/** A sync result as one line, whatever its exact shape. */
export function describeSyncResult(result: unknown): string {
  if (typeof result === 'string') return result
  if (typeof result !== 'object' || result === null) return 'Synced.'
  const r = result as Record<string, unknown>
  if (typeof r.merged === 'string' && typeof r.remote === 'string') {
    const tickets = Array.isArray(r.tickets) ? r.tickets.length : 0
    const conflicts = Array.isArray(r.conflicts) && r.conflicts.length > 0 ? `; ${r.conflicts.length} conflict(s): run tix sync in a shell` : ''
    return `Synced with ${r.remote} (${r.merged}): ${r.fetched} commits in (${tickets} tickets), ${r.pushed} out${conflicts}.`
  }
  for (const k of ['summary', 'message']) if (typeof r[k] === 'string' && r[k] !== '') return r[k] as string
  const parts = Object.entries(r)
    .filter(([, v]) => typeof v === 'number' || typeof v === 'boolean' || (typeof v === 'string' && v.length < 60))
    .slice(0, 6)
    .map(([k, v]) => `${k} ${v}`)
  return parts.length > 0 ? `Synced: ${parts.join(', ')}.` : 'Synced.'
}
