// What a report needs to know about one ticket, boiled down from its folded events: a few numbers
// and short logs, so that 100,000 tickets fit in a small cache file and memory (docs/architecture.md).
// Everything here is derived from the ticket's events (and, for calendars and SLA, the desk's
// configuration); figures for any period are then computed from these facts alone (report.ts).
import {isoTimeMs, type EventBase} from '../ticket/events.js'
import {CHANNELS, PRIORITIES, RATINGS, STATUSES, type Channel, type Priority, type Status, type Ticket} from '../ticket/model.js'

export const SLA_METRICS = ['first-response', 'next-response', 'resolution'] as const
export type SlaMetric = (typeof SLA_METRICS)[number]

/** One SLA target of a ticket: when it was due and when (if) it was fulfilled. */
export interface SlaTarget {
  metric: SlaMetric
  due: number
  fulfilled: number | null
}

export interface TicketFacts {
  id: string
  created: number
  /** Group keys: the ticket's values at the time of the report (as of --as-of). */
  department: string | null
  channel: Channel
  priority: Priority
  tier: number
  assignee: string | null
  /** Status changes [time, status] in log order; the first is "new" at creation. */
  status: [number, Status][]
  /** Assignee changes [time, agent or null] in log order; the first is the assignee at creation. */
  assign: [number, string | null][]
  firstResponse: number | null
  /** Times of the status changes into "closed" that a merge made (not resolutions). */
  merges: number[]
  /** The tier went up at least once (docs/reports.md: escalation rate). */
  escalated: boolean
  /** The latest rating: [time, good | neutral | bad]. */
  rating: [number, 'good' | 'neutral' | 'bad'] | null
  /** Which of the report context's calendars business-time durations use. */
  calendar: number
  sla: SlaTarget[]
  /** Custom fields (for `report --by field:KEY`); absent when the ticket has none. */
  fields?: Record<string, unknown>
}

/** What facts need from the desk's configuration (report-sla.ts builds it). */
export interface FactsContext {
  calendarOf: (t: Ticket, events: readonly EventBase[]) => number
  slaTargets: (t: Ticket, events: readonly EventBase[]) => SlaTarget[]
  /** Whether a reply's author is an agent of the desk (the requester never is). */
  isAgent: (who: string, t: Ticket) => boolean
}

/**
 * First response (docs/reports.md): the first public reply by an agent. Replies that rules and
 * automations send (`auto`) are not responses, and neither is anything the requester writes.
 */
function firstResponse(t: Ticket, ctx: FactsContext): number | null {
  const requester = (t.requester.email ?? '').toLowerCase()
  for (const r of t.replies ?? []) {
    if (r.auto === true || (requester !== '' && r.by.toLowerCase() === requester)) continue
    if (ctx.isAgent(r.by, t)) return ms(r.at)
  }
  return null
}

const ms = isoTimeMs

/** The assignee over time, from the fold's log of assignments (escalations that reassign included). */
function assignLog(t: Ticket): [number, string | null][] {
  const out: [number, string | null][] = [[ms(t.createdAt), null]]
  for (const a of t.assignments ?? []) {
    if (out.length === 1 && ms(a.at) === out[0]![0]) out[0] = [ms(a.at), a.to]
    else out.push([ms(a.at), a.to])
  }
  return out
}

/** Whether the tier ever went up: an escalation to a higher tier, or the tier set higher by hand. */
function wasEscalated(t: Ticket, events: readonly EventBase[]): boolean {
  if (t.escalations?.some((x) => x.toTier > x.fromTier)) return true
  let tier = 1
  for (const e of events) {
    const f = e.type === 'set' ? (e.fields as Record<string, unknown> | undefined) : undefined
    const next = f && typeof f.tier === 'number' ? f.tier : e.type === 'escalate' && typeof e.toTier === 'number' ? e.toTier : null
    if (next === null) continue
    if (next > tier) return true
    tier = next
  }
  return false
}

export function ticketFacts(t: Ticket, events: readonly EventBase[], ctx: FactsContext): TicketFacts {
  const mergeTimes = new Set(events.filter((e) => e.type === 'merge').map((e) => e.at))
  const merges: number[] = []
  let prev: Status = 'new'
  for (const s of t.statusLog) {
    if (s.status === 'closed' && prev !== 'resolved' && prev !== 'closed' && mergeTimes.has(s.at)) merges.push(ms(s.at))
    prev = s.status
  }
  return {
    id: t.id,
    created: ms(t.createdAt),
    department: t.department,
    channel: t.channel,
    priority: t.priority,
    tier: t.tier,
    assignee: t.assignee,
    status: t.statusLog.map((s) => [ms(s.at), s.status]),
    assign: assignLog(t),
    firstResponse: firstResponse(t, ctx),
    merges,
    escalated: wasEscalated(t, events),
    rating: t.satisfaction ? [ms(t.satisfaction.at), t.satisfaction.rating] : null,
    calendar: ctx.calendarOf(t, events),
    // A merged duplicate's request lives on in its target: its own clocks are not the desk's record.
    sla: t.mergedInto === undefined ? ctx.slaTargets(t, events) : [],
    ...(Object.keys(t.fields).length > 0 ? {fields: {...t.fields}} : {}),
  }
}

// ------------------------------------------------------------------ compact rows for the cache file

type Row = [
  string, // id
  number, // created
  string | null, // department
  number, // channel
  number, // priority
  number, // tier
  string | null, // assignee
  number[], // status: flat [dt, code, dt, code, ...], times relative to created
  (number | string | null)[], // assign: flat [dt, agent, ...]
  number | null, // first response (relative)
  number[], // merges (relative)
  0 | 1, // escalated
  [number, number] | null, // rating [relative time, code]
  number, // calendar
  (number | null)[], // sla flat [metric, due, fulfilled, ...] (absolute)
  Record<string, unknown>?, // custom fields, only when the ticket has some
]

const idx = <T>(list: readonly T[], v: T) => Math.max(0, list.indexOf(v))

export function encodeFacts(f: TicketFacts): Row {
  const c = f.created
  // plain loops, not flatMap: this runs for every ticket of an index build (flatMap's arrays were a tenth of the facts' cost)
  const status: number[] = []
  for (let i = 0; i < f.status.length; i++) status.push(f.status[i]![0] - c, idx(STATUSES, f.status[i]![1]))
  const assign: (number | string | null)[] = []
  for (let i = 0; i < f.assign.length; i++) assign.push(f.assign[i]![0] - c, f.assign[i]![1])
  const merges: number[] = []
  for (let i = 0; i < f.merges.length; i++) merges.push(f.merges[i]! - c)
  const sla: (number | null)[] = []
  for (let i = 0; i < f.sla.length; i++) sla.push(idx(SLA_METRICS, f.sla[i]!.metric), f.sla[i]!.due, f.sla[i]!.fulfilled)
  const row: Row = [
    f.id,
    c,
    f.department,
    idx(CHANNELS, f.channel),
    idx(PRIORITIES, f.priority),
    f.tier,
    f.assignee,
    status,
    assign,
    f.firstResponse === null ? null : f.firstResponse - c,
    merges,
    f.escalated ? 1 : 0,
    f.rating ? [f.rating[0] - c, idx(RATINGS, f.rating[1])] : null,
    f.calendar,
    sla,
  ]
  if (f.fields) row.push(f.fields)
  return row
}

export type FactsRow = Row
