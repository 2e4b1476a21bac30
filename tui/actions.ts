// What each action of the TUI asks for and which service it calls: the same service and rule as
// its CLI command (src/services/queue.ts, workflow.ts, sync.ts, kb/). An action is a small flow: a
// prompt, a list to pick from, a question, or nothing; its result is one line saying what changed.
// The services that the first frame does not need (sync, the knowledge base) load when first used.
import type {DeskConfig} from '../src/domain/config/config.js'
import {shortId} from '../src/domain/ticket/ids.js'
import {PRIORITIES, STATUSES, type TicketSummary} from '../src/domain/ticket/model.js'
import {safeLine} from '../src/output/text.js'
import {
  addNote,
  assignTo,
  changeLine,
  checkAssignee,
  editTags,
  knownAssignees,
  rateTicket,
  reopenTicket,
  replyTo,
  setPriority,
  setStatus,
} from '../src/services/queue.js'
import type {TicketChange} from '../src/services/tickets.js'
import {applyMacroTo, listMacros} from '../src/services/workflow/macros.js'
import {autoAssign, escalateTicket} from '../src/services/workflow/routing.js'
import type {SyncResult} from '../src/store/sync.js'
import type {Desk} from '../src/store/desk.js'
import type {PickOption} from './components/Picker.js'
import type {ActionId} from './keys.js'

export interface Outcome {
  message: string
  /** The ticket to select afterwards. */
  select?: string
  /** A follow-up step (status "resolved" asks for the resolution next). */
  next?: Flow
}

export type Flow =
  | {kind: 'prompt'; title: string; placeholder?: string; multiline: boolean; editor: boolean; initial?: string; context?: string; run: (text: string) => Promise<Outcome>}
  | {kind: 'picker'; title: string; options: PickOption[]; custom?: (typed: string) => PickOption | null; initialValue?: string; run: (value: string) => Promise<Outcome>}
  | {kind: 'confirm'; title: string; run: () => Promise<Outcome>}
  | {kind: 'run'; title: string; run: () => Promise<Outcome>}
  // (not `then`: a flow with a `then` method would be taken for a promise)
  | {kind: 'editor'; title: string; context?: string; compose: (text: string) => Flow}
  | {kind: 'form'}

export interface ActionContext {
  desk: Desk
  me: string
  config: DeskConfig
  ids: readonly string[]
  tickets: readonly TicketSummary[]
}

const NONE = ':nobody'

/** What the person last read on the ticket, below the scissors line in $EDITOR. */
const contextOf = (t: TicketSummary) => `${t.title}\n\n${t.body}`.slice(0, 2000)

export interface ActionSpec {
  /** Works without a selected ticket. */
  global?: boolean
  start: (ctx: ActionContext, t: TicketSummary) => Flow | Promise<Flow>
}

const done = (ctx: ActionContext, res: TicketChange): Outcome => ({message: changeLine(res, ctx.ids), select: res.ticket.ticket.id})

function replyFlow(ctx: ActionContext, t: TicketSummary, sid: string, initial = ''): Flow {
  return {
    kind: 'prompt',
    title: `Reply to ${sid} · public: the requester sees it`,
    placeholder: 'Type the reply; Enter sends, Alt-Enter new line, Ctrl-E $EDITOR, Esc cancels',
    multiline: true,
    editor: true,
    initial,
    context: contextOf(t),
    run: async (text) => done(ctx, await replyTo(ctx.desk, t.id, text)),
  }
}

function resolutionFlow(ctx: ActionContext, t: TicketSummary, sid: string, to: 'resolved' | 'closed'): Flow {
  return {
    kind: 'prompt',
    title: `${to === 'resolved' ? 'Resolve' : 'Close'} ${sid}: what solved it? (kept on the ticket for next time)`,
    placeholder: 'e.g. Replaced the fuser',
    multiline: false,
    editor: false,
    run: async (text) => done(ctx, await setStatus(ctx.desk, t.id, to, text)),
  }
}

function closeFlow(ctx: ActionContext, t: TicketSummary, sid: string): Flow {
  if (t.status !== 'resolved') return resolutionFlow(ctx, t, sid, 'closed')
  return {
    kind: 'confirm',
    title: `Close ${sid}? Closed is final: a new message will need a follow-up ticket.`,
    run: async () => done(ctx, await setStatus(ctx.desk, t.id, 'closed')),
  }
}

export const ACTIONS: Partial<Record<ActionId, ActionSpec>> = {
  reply: {start: (ctx, t) => replyFlow(ctx, t, shortId(ctx.ids, t.id))},
  'reply-editor': {
    start: (ctx, t) => ({kind: 'editor', title: 'reply', context: contextOf(t), compose: (text: string) => replyFlow(ctx, t, shortId(ctx.ids, t.id), text)}),
  },
  note: {
    start: (ctx, t) => ({
      kind: 'prompt',
      title: `Internal note on ${shortId(ctx.ids, t.id)} · agents only, the requester never sees it`,
      placeholder: 'Type the note; Enter saves, Alt-Enter new line, Ctrl-E $EDITOR, Esc cancels',
      multiline: true,
      editor: true,
      context: contextOf(t),
      run: async (text) => done(ctx, await addNote(ctx.desk, t.id, text)),
    }),
  },
  assign: {
    start: (ctx, t) => ({
      kind: 'picker',
      title: `Assign ${shortId(ctx.ids, t.id)} (now: ${safeLine(t.assignee ?? 'nobody')}); type an e-mail for someone new`,
      options: [...knownAssignees(ctx.tickets, ctx.config, ctx.me).map((a) => ({value: a.id, label: a.label})), {value: NONE, label: 'nobody (unassign)'}],
      custom: (typed) => ({value: typed, label: `${typed}`, hint: 'assign to this address'}),
      initialValue: t.assignee ?? undefined,
      run: async (value) => {
        const to = value === NONE ? null : checkAssignee(value, {me: ctx.me, config: ctx.config})
        return done(ctx, await assignTo(ctx.desk, t.id, to))
      },
    }),
  },
  status: {
    start: (ctx, t) => {
      const sid = shortId(ctx.ids, t.id)
      return {
        kind: 'picker',
        title: `Status of ${sid} (now: ${t.status})`,
        options: STATUSES.filter((s) => s !== 'new' && s !== t.status).map((s) => ({value: s, label: s, hint: STATUS_HINTS[s]})),
        run: async (value) => {
          if (value === 'resolved') return {message: '', next: resolutionFlow(ctx, t, sid, 'resolved')}
          if (value === 'closed') return {message: '', next: closeFlow(ctx, t, sid)}
          return done(ctx, await setStatus(ctx.desk, t.id, value))
        },
      }
    },
  },
  resolve: {start: (ctx, t) => resolutionFlow(ctx, t, shortId(ctx.ids, t.id), 'resolved')},
  close: {start: (ctx, t) => closeFlow(ctx, t, shortId(ctx.ids, t.id))},
  reopen: {start: (ctx, t) => ({kind: 'run', title: 'Reopening', run: async () => done(ctx, await reopenTicket(ctx.desk, t.id))})},
  priority: {
    start: (ctx, t) => ({
      kind: 'picker',
      title: `Priority of ${shortId(ctx.ids, t.id)} (now: ${t.priority})`,
      options: [...PRIORITIES].reverse().map((p) => ({value: p, label: p})),
      initialValue: t.priority,
      run: async (value) => done(ctx, await setPriority(ctx.desk, t.id, value)),
    }),
  },
  tags: {
    start: (ctx, t) => ({
      kind: 'prompt',
      title: `Tags of ${shortId(ctx.ids, t.id)} (now: ${t.tags.length > 0 ? safeLine(t.tags.join(', ')) : 'none'})`,
      placeholder: 'vpn adds, -vpn removes; several at once: vpn -printer',
      multiline: false,
      editor: false,
      run: async (text) => done(ctx, await editTags(ctx.desk, t.id, text)),
    }),
  },
  new: {global: true, start: () => ({kind: 'form'})},
  sync: {
    global: true,
    start: (ctx) => ({
      kind: 'run',
      title: 'Syncing with the remote…',
      run: async () => {
        const {syncDesk} = await import('../src/services/sync.js')
        return {message: syncLine((await syncDesk(ctx.desk.io)).result)}
      },
    }),
  },
  escalate: {
    start: (ctx, t) => ({
      kind: 'prompt',
      title: `Escalate ${shortId(ctx.ids, t.id)}: why? (the reason is required and stays on the ticket)`,
      multiline: false,
      editor: false,
      run: async (reason) => done(ctx, await escalateTicket(ctx.desk, t.id, {reason})),
    }),
  },
  macro: {
    start: async (ctx, t) => ({
      kind: 'picker',
      title: `Apply a macro to ${shortId(ctx.ids, t.id)}`,
      options: (await listMacros(ctx.desk)).filter((m) => m.macro !== null).map((m) => ({value: m.name, label: m.name})),
      run: async (name) => done(ctx, await applyMacroTo(ctx.desk, name, t.id)),
    }),
  },
  kb: {
    start: (ctx, t) => ({
      kind: 'prompt',
      title: `Search the knowledge base for ${shortId(ctx.ids, t.id)} (published articles)`,
      initial: t.title,
      multiline: false,
      editor: false,
      run: async (query) => {
        const kb = await import('../src/services/kb/search.js')
        const {hits} = await kb.searchArticles(ctx.desk, query, {status: 'published', perSlug: true, limit: 20})
        if (hits.length === 0) return {message: `No published article matches "${safeLine(query)}".`}
        return {
          message: '',
          next: {
            kind: 'picker',
            title: `Insert which article into a reply to ${shortId(ctx.ids, t.id)}?`,
            options: hits.map(({article: a, matched}) => ({value: a.slug, label: `${a.slug} [${a.lang}] ${safeLine(a.title)}  (${safeLine(matched.join(', '))})`})),
            run: async (slug) => {
              const draft = await kb.composeArticleReply(ctx.desk, t.id, slug)
              return {
                message: '',
                next: {
                  kind: 'prompt',
                  title: `Reply to ${shortId(ctx.ids, t.id)} citing ${draft.slug} (${draft.lang}); the requester sees it`,
                  initial: draft.text,
                  multiline: true,
                  editor: true,
                  context: contextOf(t),
                  run: async (text) => done(ctx, await kb.replyWithArticle(ctx.desk, t.id, text, {slug: draft.slug, lang: draft.lang})),
                },
              }
            },
          },
        }
      },
    }),
  },
  rate: {
    start: (ctx, t) => ({
      kind: 'picker',
      title: `Rating for ${shortId(ctx.ids, t.id)}`,
      options: ['good', 'neutral', 'bad'].map((r) => ({value: r, label: r})),
      run: async (rating) => done(ctx, await rateTicket(ctx.desk, t.id, rating)),
    }),
  },
  'auto-assign': {
    start: (ctx, t) => ({kind: 'run', title: 'Assigning', run: async () => done(ctx, await autoAssign(ctx.desk, t.id))}),
  },
}

/** A sync as one line, in the words of `tix sync`. */
export function syncLine(r: SyncResult): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
  const how = r.merged === 'up-to-date' ? 'up to date' : r.merged
  const tickets = r.tickets.length > 0 ? ` (${plural(r.tickets.length, 'ticket')})` : ''
  const left = r.conflicts.length > 0 ? `; ${plural(r.conflicts.length, 'conflict')} to settle: run tix sync in a shell` : r.ahead > 0 ? `; ${plural(r.ahead, 'commit')} not pushed` : ''
  return `Synced with ${r.remote} (${how}): ${plural(r.fetched, 'commit')} in${tickets}, ${r.pushed} out${left}.`
}

const STATUS_HINTS: Record<string, string> = {
  open: 'being worked on',
  pending: 'waiting on the requester',
  'on-hold': 'waiting on a third party',
  resolved: 'solution given (asks for the resolution)',
  closed: 'final',
}

/** An error as the one line the TUI shows: its message, and its hint unless that is a command to type. */
export function errorLine(e: Error): string {
  const hint = (e as {hint?: string}).hint
  return safeLine(`${e.message}${hint && !/^tix /.test(hint) ? ` ${hint}` : ''}`)
}
