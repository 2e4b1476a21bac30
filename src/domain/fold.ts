// A ticket is the fold of its events (DESIGN.md §2). The fold is total: it never throws on a
// strange but valid history; it writes down what it noticed in `notices` and goes on.
import {attachmentOf} from './attachments.js'
import {compareEvents, type EventBase, type TixEvent} from './events.js'
import {
  CHANNELS,
  INVERSE_LINK,
  PRIORITIES,
  RATINGS,
  STATUSES,
  TYPES,
  type LinkAs,
  type Rating,
  type Person,
  type Status,
  type ThreadEntry,
  type Ticket,
  type TicketDetail,
} from './model.js'

type Reducer = (t: Ticket, e: any, thread: ThreadEntry[]) => void

const oneOf = <T extends string>(list: readonly T[], v: unknown, fallback: T): T =>
  typeof v === 'string' && (list as readonly string[]).includes(v) ? (v as T) : fallback
const str = (v: unknown, fallback: string | null = null) => (typeof v === 'string' ? v : fallback)
const person = (v: unknown): Person => {
  const o = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>
  return {name: str(o.name), email: str(o.email)}
}
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [])

/** The 5-point scale of HELPDESK.md: 4-5 good, 3 neutral, 1-2 bad. */
export const ratingOfScore = (score: number): Rating => (score >= 4 ? 'good' : score === 3 ? 'neutral' : 'bad')

/** The author of a thread entry counts as a responder when they are not the requester. */
const isResponder = (t: Ticket, author: string) =>
  author.toLowerCase() !== (t.requester.email ?? '').toLowerCase()

const reducers: Record<string, Reducer> = {
  create(t, e) {
    if (t.createdBy !== '') {
      t.notices.push(`a second create event (${e.id}) was ignored`)
      return
    }
    t.title = str(e.title, '') ?? ''
    t.body = str(e.body, '') ?? ''
    t.requester = person(e.requester)
    t.channel = oneOf(CHANNELS, e.channel, 'cli')
    t.priority = oneOf(PRIORITIES, e.priority, 'normal')
    t.type = oneOf(TYPES, e.ticketType, 'question')
    t.tags = [...new Set(strings(e.tags))]
    t.department = str(e.department)
    t.assignee = str(e.assignee)
    t.createdAt = e.at
    t.createdBy = e.by
    t.statusLog.push({at: e.at, status: 'new'})
    if (t.assignee !== null) (t.assignments ??= []).push({at: e.at, to: t.assignee})
  },
  attach(t, e) {
    const a = attachmentOf(e)
    if (a === null) {
      t.notices.push(`${e.at}: an attach event without a valid blob or name was ignored`)
      return
    }
    ;(t.attachments ??= []).push(a)
  },
  set(t, e) {
    const f = (e.fields ?? {}) as Record<string, unknown>
    if (typeof f.title === 'string') t.title = f.title
    if (typeof f.body === 'string') t.body = f.body
    if ('priority' in f) {
      const p = oneOf(PRIORITIES, f.priority, t.priority)
      if (p !== t.priority) (t.priorityLog ??= [{at: t.createdAt, priority: t.priority}]).push({at: e.at, priority: p})
      t.priority = p
    }
    if ('ticketType' in f) t.type = oneOf(TYPES, f.ticketType, t.type)
    if ('department' in f) t.department = str(f.department)
    if ('requester' in f) t.requester = person(f.requester)
    if (typeof f.tier === 'number') t.tier = f.tier
    if (typeof f.custom === 'object' && f.custom !== null) Object.assign(t.fields, f.custom)
  },
  tags(t, e) {
    const remove = new Set(strings(e.remove))
    t.tags = [...new Set([...t.tags.filter((x) => !remove.has(x)), ...strings(e.add)])]
  },
  status(t, e) {
    const to = oneOf<Status>(STATUSES, e.to, t.status)
    const from = str(e.from)
    if (from !== null && from !== t.status) {
      // A merge closes the ticket for good unless someone reopens it knowingly (from "closed"): a
      // status change written on another clone before it knew of the merge does not undo it.
      if (t.mergedInto !== undefined && t.status === 'closed') {
        t.notices.push(`${e.at}: ${e.by} changed the status ${from} -> ${to}, not knowing it was merged into ${t.mergedInto.slice(0, 5)}; it stays closed`)
        return
      }
      t.notices.push(`${e.at}: ${e.by} changed the status ${from} -> ${to} while it was ${t.status} (concurrent edits; the later one stands)`)
    }
    if (to === t.status) return
    const wasDone = t.status === 'resolved' || t.status === 'closed'
    if (wasDone && to !== 'resolved' && to !== 'closed') {
      t.reopenCount++
      t.resolvedAt = null
      t.closedAt = null
    }
    if (typeof e.resolution === 'string' && e.resolution !== '') t.resolution = e.resolution
    if (to === 'resolved') t.resolvedAt = e.at
    if (to === 'closed') {
      t.closedAt = e.at
      t.resolvedAt ??= e.at
    }
    t.status = to
    t.statusLog.push({at: e.at, status: to})
  },
  assign(t, e) {
    t.assignee = str(e.to)
    ;(t.assignments ??= []).push({at: e.at, to: t.assignee})
  },
  reply(t, e, thread) {
    const author = str(e.author) ?? e.by
    thread.push({eventId: e.id, kind: 'reply', public: true, author, at: e.at, body: str(e.body, '') ?? ''})
    t.replyCount++
    ;(t.replies ??= []).push(e.auto === true ? {at: e.at, by: author, auto: true} : {at: e.at, by: author})
    if (t.firstResponseAt === null && isResponder(t, author)) t.firstResponseAt = e.at
    if (t.status === 'closed') t.notices.push(`${e.at}: a reply was added to a closed ticket`)
  },
  note(t, e, thread) {
    thread.push({eventId: e.id, kind: 'note', public: false, author: e.by, at: e.at, body: str(e.body, '') ?? ''})
    t.noteCount++
  },
  // Ratings accumulate in the log; the summary keeps the latest (a requester may change their mind).
  rate(t, e) {
    const score = typeof e.score === 'number' && Number.isInteger(e.score) && e.score >= 1 && e.score <= 5 ? e.score : null
    const rating = (RATINGS as readonly unknown[]).includes(e.rating) ? (e.rating as Rating) : score !== null ? ratingOfScore(score) : null
    if (rating === null) {
      t.notices.push(`${e.at}: a rating that is neither good, neutral, bad nor 1-5 was ignored`)
      return
    }
    t.satisfaction = {rating, score, comment: str(e.comment), at: e.at, by: e.by}
  },
  link(t, e) {
    const id = str(e.target)
    const as = str(e.as) as LinkAs | null
    if (id === null || as === null || !(as in INVERSE_LINK)) return
    if (!t.links?.some((l) => l.id === id && l.as === as)) (t.links ??= []).push({id, as})
  },
  unlink(t, e) {
    const id = str(e.target)
    const as = str(e.as)
    const links = (t.links ?? []).filter((l) => l.id !== id || (as !== null && l.as !== as))
    if (links.length > 0) t.links = links
    else delete t.links
  },
  // The source of a merge: it points at the target and is closed by the same event.
  merge(t, e) {
    const into = str(e.into)
    if (into === null) return
    if (t.mergedInto !== undefined && t.mergedInto !== into) {
      t.notices.push(`${e.at}: merged into ${into.slice(0, 5)} although already merged into ${t.mergedInto.slice(0, 5)} (concurrent merges; the later one stands)`)
    }
    t.mergedInto = into
    if (t.status !== 'closed') {
      t.status = 'closed'
      t.closedAt = e.at
      t.resolvedAt ??= e.at
      t.statusLog.push({at: e.at, status: 'closed'})
    }
    t.resolution ??= `Merged into ${into}`
  },
  // The target of a merge: the source's messages show in this ticket's thread (read from its file).
  'merged-in'(t, e) {
    const from = str(e.from)
    if (from !== null && !t.mergedFrom?.includes(from)) (t.mergedFrom ??= []).push(from)
  },
  // The help-desk workflow (workflow.ts, sla.ts): escalations, rules, SLA policies, automations.
  escalate(t, e) {
    const toTier = typeof e.toTier === 'number' && Number.isInteger(e.toTier) && e.toTier > 0 ? e.toTier : t.tier
    const toDept = 'toDept' in e ? str(e.toDept) : t.department
    const to = 'to' in e ? str(e.to) : t.assignee
    ;(t.escalations ??= []).push({at: e.at, by: e.by, fromTier: t.tier, toTier, fromDept: t.department, toDept, from: t.assignee, to})
    t.tier = toTier
    t.department = toDept
    if (to !== t.assignee) {
      t.assignee = to
      ;(t.assignments ??= []).push({at: e.at, to})
    }
  },
  route(t, e) {
    const rule = str(e.rule)
    if (rule !== null && !t.rulesApplied?.includes(rule)) (t.rulesApplied ??= []).push(rule)
  },
  'sla-policy'(t, e) {
    t.slaPolicy = str(e.policy)
  },
  automation(t, e) {
    const key = str(e.key)
    if (key !== null && !t.automations?.includes(key)) (t.automations ??= []).push(key)
  },
  macro() {
    // a marker: the reply and changes it made follow as their own events
  },
  'sla-alert'(t, e) {
    const key = str(e.key)
    if (key !== null && !t.slaAlerts?.includes(key)) (t.slaAlerts ??= []).push(key)
  },
}

/** Events an automation wrote do not count as activity (so `idleFor` is not reset by the automation itself). */
const isAutomated = (e: EventBase) =>
  e.type === 'automation' || e.type === 'sla-alert' || (typeof e.via === 'object' && e.via !== null && 'automation' in e.via)

/** Event types this version understands. */
export const KNOWN_EVENT_TYPES = new Set(Object.keys(reducers))

export function emptyTicket(id: string): Ticket {
  return {
    id,
    title: '',
    body: '',
    status: 'new',
    priority: 'normal',
    type: 'question',
    channel: 'cli',
    requester: {name: null, email: null},
    assignee: null,
    department: null,
    tags: [],
    tier: 1,
    fields: {},
    createdAt: '',
    createdBy: '',
    updatedAt: '',
    firstResponseAt: null,
    resolvedAt: null,
    closedAt: null,
    resolution: null,
    reopenCount: 0,
    replyCount: 0,
    noteCount: 0,
    statusLog: [],
    notices: [],
  }
}

/**
 * Folds a ticket's events: dedup by event id, canonical order, last writer wins for fields,
 * thread accumulates. `asOf` (ISO time) ignores later events, for `--as-of` views and reports.
 */
export function foldTicket(id: string, input: readonly EventBase[], opts: {asOf?: string} = {}): TicketDetail & {unknown: EventBase[]} {
  const seen = new Set<string>()
  const events: EventBase[] = []
  for (const e of input) {
    if (seen.has(e.id)) continue
    seen.add(e.id)
    if (opts.asOf !== undefined && e.at > opts.asOf) continue
    events.push(e)
  }
  events.sort(compareEvents)
  const t = emptyTicket(id)
  const thread: ThreadEntry[] = []
  const unknown: EventBase[] = []
  let activityAt = ''
  for (const e of events) {
    const reduce = reducers[e.type]
    if (reduce === undefined) {
      unknown.push(e)
      continue
    }
    reduce(t, e, thread)
    if (e.at > t.updatedAt) t.updatedAt = e.at
    if (e.at > activityAt && !isAutomated(e)) activityAt = e.at
  }
  if (activityAt !== t.updatedAt) t.activityAt = activityAt
  if (t.createdBy === '') {
    t.notices.push('the create event is missing; fields shown are what later events set')
    t.createdAt = events[0]?.at ?? ''
    t.title ||= '(no title: create event missing)'
  }
  return {ticket: t, thread, events: events.filter((e) => !unknown.includes(e)) as TixEvent[], unknown}
}
