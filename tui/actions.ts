// What each action on a ticket asks for and which service it calls: the same service and rule as
// its CLI command (src/services/queue.ts). An action is a small flow: a prompt, a list to pick
// from, a question, or nothing; its result is one line saying what changed. Actions that belong to
// features still being built (escalate, macro, rate, auto-assign) are entries here too, guarded by
// the feature: hidden (their keys do nothing) until the service exists.
import type {DeskConfig} from '../src/domain/config/config.js'
import {shortId} from '../src/domain/ticket/ids.js'
import {PRIORITIES, STATUSES, type TicketSummary} from '../src/domain/ticket/model.js'
import {safeLine} from '../src/output/text.js'
import type {Features} from '../src/services/features.js'
import {
  addNote,
  assignTo,
  changeLine,
  checkAssignee,
  editTags,
  knownAssignees,
  reopenTicket,
  replyTo,
  setPriority,
  setStatus,
} from '../src/services/queue.js'
import type {TicketChange} from '../src/services/tickets.js'
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
  features: Features
  me: string
  config: DeskConfig
  ids: readonly string[]
  tickets: readonly TicketSummary[]
}

const NONE = ':nobody'

/** What the person last read on the ticket, below the scissors line in $EDITOR. */
const contextOf = (t: TicketSummary) => `${t.title}\n\n${t.body}`.slice(0, 2000)

export interface ActionSpec {
  feature?: keyof Features
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
  // Features being built elsewhere: present only when their service is (src/services/features.ts).
  escalate: {
    feature: 'escalate',
    start: (ctx, t) => ({
      kind: 'prompt',
      title: `Escalate ${shortId(ctx.ids, t.id)}: why? (the reason is required and stays on the ticket)`,
      multiline: false,
      editor: false,
      run: async (reason) => done(ctx, await ctx.features.escalate!(ctx.desk, t.id, {reason})),
    }),
  },
  macro: {
    feature: 'macro',
    start: async (ctx, t) => ({
      kind: 'picker',
      title: `Apply a macro to ${shortId(ctx.ids, t.id)}`,
      options: (await ctx.features.macro!.list(ctx.desk)).map((name) => ({value: name, label: name})),
      run: async (name) => done(ctx, await ctx.features.macro!.apply(ctx.desk, t.id, name)),
    }),
  },
  kb: {
    feature: 'kb',
    start: (ctx, t) => ({
      kind: 'prompt',
      title: `Search the knowledge base for ${shortId(ctx.ids, t.id)} (published articles)`,
      initial: t.title,
      multiline: false,
      editor: false,
      run: async (query) => {
        const hits = await ctx.features.kb!.search(ctx.desk, query)
        if (hits.length === 0) return {message: `No published article matches "${safeLine(query)}".`}
        return {
          message: '',
          next: {
            kind: 'picker',
            title: `Insert which article into a reply to ${shortId(ctx.ids, t.id)}?`,
            options: hits.map((h) => ({value: h.slug, label: `${h.slug} [${h.lang}] ${safeLine(h.title)}  (${safeLine(h.matched.join(', '))})`})),
            run: async (slug) => {
              const draft = await ctx.features.kb!.compose(ctx.desk, t.id, slug)
              return {
                message: '',
                next: {
                  kind: 'prompt',
                  title: `Reply to ${shortId(ctx.ids, t.id)} citing ${draft.slug} (${draft.lang}); the requester sees it`,
                  initial: draft.text,
                  multiline: true,
                  editor: true,
                  context: contextOf(t),
                  run: async (text) => done(ctx, await ctx.features.kb!.reply(ctx.desk, t.id, text, {slug: draft.slug, lang: draft.lang})),
                },
              }
            },
          },
        }
      },
    }),
  },
  rate: {
    feature: 'rate',
    start: (ctx, t) => ({
      kind: 'picker',
      title: `Rating for ${shortId(ctx.ids, t.id)}`,
      options: ['good', 'neutral', 'bad'].map((r) => ({value: r, label: r})),
      run: async (rating) => done(ctx, await ctx.features.rate!(ctx.desk, t.id, {rating})),
    }),
  },
  'auto-assign': {
    feature: 'autoAssign',
    start: (ctx, t) => ({kind: 'run', title: 'Assigning', run: async () => done(ctx, await ctx.features.autoAssign!(ctx.desk, t.id))}),
  },
}

const STATUS_HINTS: Record<string, string> = {
  open: 'being worked on',
  pending: 'waiting on the requester',
  'on-hold': 'waiting on a third party',
  resolved: 'solution given (asks for the resolution)',
  closed: 'final',
}
