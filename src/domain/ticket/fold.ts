// A ticket is the fold of its events (docs/storage.md). The fold is total: it never throws on a
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
import {shortIdPrefix} from './ids.js'

type Reducer = (t: Ticket, e: any, thread: ThreadEntry[]) => void // eslint-disable-line @typescript-eslint/no-explicit-any -- each reducer checks the fields it reads

const oneOf = <T extends string>(list: readonly T[], v: unknown, fallback: T): T =>
  typeof v === 'string' && (list as readonly string[]).includes(v) ? (v as T) : fallback
const str = (v: unknown, fallback: string | null = null) => (typeof v === 'string' ? v : fallback)
const person = (v: unknown): Person => {
  const o = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>
  return {name: str(o.name), email: str(o.email)}
}
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [])

/** Custom fields: a value of null removes the key (`tix set --unset-field`); keys never reach the prototype. */
function setCustom(t: Ticket, custom: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(custom)) {
    if (k === '__proto__' || k === 'constructor' || k === 'prototype') continue
    if (v === null) delete t.fields[k]
    else t.fields[k] = v
  }
}

/** The 5-point scale of docs/helpdesk.md: 4-5 good, 3 neutral, 1-2 bad. */
export const ratingOfScore = (score: number): Rating => (score >= 4 ? 'good' : score === 3 ? 'neutral' : 'bad')

/** The author of a thread entry counts as a responder when they are not the requester. */
const isResponder = (t: Ticket, author: string) =>
  author.toLowerCase() !== (t.requester.email ?? '').toLowerCase()

const reducers: Record<string, Reducer> = {
  create(t, e) {
    if (t.createdBy !== '') {
      // Two clones (or two CI runs) that filed the same dedupe key made the same ticket: the later
      // create is one more occurrence of the problem, not a conflict.
      if (t.dedupeKey !== undefined && e.dedupeKey === t.dedupeKey) occur(t, e)
      else t.notices.push(`a second create event (${e.id}) was ignored`)
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
    if (typeof e.fields === 'object' && e.fields !== null && !Array.isArray(e.fields)) setCustom(t, e.fields)
    t.statusLog.push({at: e.at, status: 'new'})
    if (t.assignee !== null) (t.assignments ??= []).push({at: e.at, to: t.assignee})
    if (typeof e.fields === 'object' && e.fields !== null && !Array.isArray(e.fields)) Object.assign(t.fields, e.fields)
    if (typeof e.dedupeKey === 'string' && e.dedupeKey !== '') {
      t.dedupeKey = e.dedupeKey
      occur(t, e)
      if (typeof e.followUp === 'number' && Number.isInteger(e.followUp) && e.followUp > 0) t.followUp = e.followUp
    }
  },
  occurrence(t, e) {
    occur(t, e)
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
    if (typeof f.custom === 'object' && f.custom !== null) setCustom(t, f.custom as Record<string, unknown>)
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
        t.notices.push(`${e.at}: ${e.by} changed the status ${from} -> ${to}, not knowing it was merged into ${shortIdPrefix(t.mergedInto)}; it stays closed`)
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
      t.notices.push(`${e.at}: merged into ${shortIdPrefix(into)} although already merged into ${shortIdPrefix(t.mergedInto)} (concurrent merges; the later one stands)`)
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
  // The mail gateway (src/services/mail): a claim on an outgoing message, then its delivery.
  'mail-claim'() {
    // only the outbox reads claims (src/domain/mail/outbound.ts)
  },
  delivery(t, e) {
    const key = str(e.key)
    if (key === null) return
    const rest = (t.mailFailures ?? []).filter((f) => f.key !== key)
    const result = str(e.result)
    if (result === 'failed' || result === 'bounced') {
      const attempts = ((t.mailFailures ?? []).find((f) => f.key === key)?.attempts ?? 0) + 1
      rest.push({key, at: e.at, result, error: str(e.error), attempts})
    }
    if (rest.length > 0) t.mailFailures = rest
    else delete t.mailFailures
  },
}

/** One more occurrence of a keyed ticket's problem (a repeated create, or an `occurrence` event). */
function occur(t: Ticket, e: EventBase): void {
  const run = typeof e.run === 'string' && e.run !== '' ? e.run : null
  const o = (t.occurrences ??= {count: 0, lastAt: e.at, lastRun: null})
  o.count++
  if (e.at >= o.lastAt) {
    o.lastAt = e.at
    if (run !== null) o.lastRun = run
  }
  if (o.lastRun === null && run !== null) o.lastRun = run
}

/** Events an automation wrote do not count as activity (so `idleFor` is not reset by the automation itself). */
const isAutomated = (e: EventBase) =>
  e.type === 'automation' || e.type === 'sla-alert' || e.type === 'mail-claim' || e.type === 'delivery' || (typeof e.via === 'object' && e.via !== null && 'automation' in e.via)

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

/** Fields that hold text where an event type has them: a value of another kind is not folded. */
const TEXT_FIELDS: Record<string, {text?: string[]; textOrNull?: string[]}> = {
  create: {text: ['title', 'body'], textOrNull: ['department', 'assignee']},
  reply: {text: ['body', 'author']},
  note: {text: ['body']},
  status: {text: ['to'], textOrNull: ['from', 'resolution']},
  assign: {textOrNull: ['from', 'to']},
  rate: {textOrNull: ['comment']},
}

/** Why `e` cannot be part of ticket `id`'s log (null: it can). */
export function ticketEventProblem(id: string, e: EventBase): string | null {
  if ('ticket' in e && e.ticket !== id) return `the event names another ticket (${JSON.stringify(String(e.ticket).slice(0, 20))}), not ${id}`
  const spec = TEXT_FIELDS[e.type]
  for (const k of spec?.text ?? []) if (k in e && typeof e[k] !== 'string') return `"${k}" of a ${e.type} event must be text, not ${kind(e[k])}`
  for (const k of spec?.textOrNull ?? []) if (k in e && e[k] !== null && typeof e[k] !== 'string') return `"${k}" of a ${e.type} event must be text or null, not ${kind(e[k])}`
  if (e.type === 'set') {
    const f = e.fields
    if (typeof f !== 'object' || f === null || Array.isArray(f)) return `"fields" of a set event must be an object, not ${kind(f)}`
    for (const k of ['title', 'body']) if (k in f && typeof (f as Record<string, unknown>)[k] !== 'string') return `"fields.${k}" of a set event must be text, not ${kind((f as Record<string, unknown>)[k])}`
  }
  return null
}

const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'an object' : typeof v)

export interface RejectedEvent {
  event: EventBase
  reason: string
}

/**
 * Folds a ticket's events: dedup by event id, canonical order, last writer wins for fields,
 * thread accumulates. `asOf` (ISO time) ignores later events, for `--as-of` views and reports.
 * Events that cannot belong to this ticket (another ticket's, text fields holding objects, a
 * second event with the same id but other contents) are skipped and returned in `rejected`.
 */
export function foldTicket(id: string, input: readonly EventBase[], opts: {asOf?: string} = {}): TicketDetail & {unknown: EventBase[]; rejected: RejectedEvent[]} {
  const byId = new Map<string, EventBase>()
  // the line of an event whose id came again (made only then: almost no id does)
  let lineOf: Map<EventBase, string> | null = null
  const rejected: RejectedEvent[] = []
  let kept: EventBase[] = []
  for (const e of input) {
    const wrong = ticketEventProblem(id, e)
    if (wrong !== null) {
      rejected.push({event: e, reason: wrong})
      continue
    }
    const seen = byId.get(e.id)
    if (seen === undefined) {
      byId.set(e.id, e)
      kept.push(e)
      continue
    }
    // The same id twice: identical lines are one event (a union merge may repeat a line). Different
    // contents should never happen; keep the same one on every clone (the smaller line, as a sync's
    // union does) and report the other.
    lineOf ??= new Map()
    let seenLine = lineOf.get(seen)
    if (seenLine === undefined) lineOf.set(seen, (seenLine = JSON.stringify(seen)))
    const line = JSON.stringify(e)
    if (line === seenLine) continue
    const reason = `a second event with id ${JSON.stringify(e.id)} and other contents (kept the one that sorts first)`
    if (line < seenLine) {
      // it takes the other one's place (the order is the sort's below)
      kept[kept.indexOf(seen)] = e
      byId.set(e.id, e)
      lineOf.set(e, line)
      rejected.push({event: seen, reason})
    } else rejected.push({event: e, reason})
  }
  if (opts.asOf !== undefined) {
    const asOf = opts.asOf
    kept = kept.filter((e) => !(e.at > asOf))
  }
  const events = kept
  if (!inOrder(events)) events.sort(compareEvents)
  const t = emptyTicket(id)
  const thread: ThreadEntry[] = []
  const unknown: EventBase[] = []
  let activityAt = ''
  for (const e of events) {
    // an own member only: a type named like one of Object's (`valueOf`, `__proto__`) is unknown, not a crash
    const reduce = Object.hasOwn(reducers, e.type) ? reducers[e.type] : undefined
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
  return {ticket: t, thread, events: (unknown.length === 0 ? events : events.filter((e) => !unknown.includes(e))) as TixEvent[], unknown, rejected}
}

/** Whether events are in the canonical order already (as a file tix wrote holds them): no sort then. */
function inOrder(events: readonly EventBase[]): boolean {
  for (let i = 1; i < events.length; i++) if (compareEvents(events[i - 1]!, events[i]!) > 0) return false
  return true
}
