// Filtering and sorting tickets: what `tix list`, `tix search` and the TUI's views share.
import {fieldText} from '../ticket/fields.js'
import {PRIORITY_RANK, STATUSES, UNRESOLVED, type Status, type TicketSummary} from '../ticket/model.js'

export interface TicketQuery {
  statuses?: Status[]
  priorities?: string[]
  types?: string[]
  channels?: string[]
  departments?: string[]
  tags?: string[]
  /** Assignee e-mails; matched case-insensitively. */
  assignees?: string[]
  unassigned?: boolean
  /** E-mail, name or part of either. */
  requester?: string
  /** Include resolved and closed tickets. */
  all?: boolean
  /** Every word must occur in the ticket's search text. */
  words?: string[]
  /** Only these tiers. */
  tiers?: number[]
  /** SLA states: breached, at-risk, ok, none (checked by the `sla` predicate given to matcher). */
  sla?: string[]
  /** Tickets filed under these dedupe keys (exact). */
  dedupeKeys?: string[]
  /** Custom fields: each key must hold one of the values, compared as text (`true`, `3`, `pro`). */
  fields?: Record<string, string[]>
  /** An agent's working view: tickets of these departments, with no department, or assigned to `agent`. */
  scope?: {departments: string[]; agent: string}
}

export const SORT_KEYS = ['created', 'updated', 'priority', 'status', 'age', 'due'] as const
export type SortKey = (typeof SORT_KEYS)[number]

/** Whether a query needs the resolved and closed tickets at all (the default view does not). */
export function needsDone(q: TicketQuery): boolean {
  if (q.all) return true
  return (q.statuses ?? []).some((s) => !UNRESOLVED.includes(s))
}

/**
 * Whether every ticket of the buckets read matches: `list --all` without a filter (both buckets), or
 * the unresolved queue without one (open.jsonl holds exactly the unresolved tickets). A wide read
 * then needs no member of a summary but the sort's.
 */
export function matchesAll(q: TicketQuery): boolean {
  const none = (xs?: readonly unknown[]) => !xs || xs.length === 0
  return none(q.statuses) && none(q.priorities) && none(q.types) && none(q.channels) && none(q.departments) && none(q.tags) && none(q.assignees) && !q.unassigned && !q.requester && none((q.words ?? []).filter((w) => w.trim() !== '')) && none(q.tiers) && none(q.sla) && none(q.dedupeKeys) && Object.keys(q.fields ?? {}).length === 0 && !q.scope
}

export function matcher(q: TicketQuery, text?: Map<string, string>, sla?: (t: TicketSummary) => boolean): (t: TicketSummary) => boolean {
  const lower = (xs?: string[]) => (xs && xs.length > 0 ? new Set(xs.map((x) => x.toLowerCase())) : null)
  const statuses = q.statuses && q.statuses.length > 0 ? new Set(q.statuses) : q.all ? null : new Set<Status>(UNRESOLVED)
  const priorities = lower(q.priorities)
  const types = lower(q.types)
  const channels = lower(q.channels)
  const departments = lower(q.departments)
  const tags = lower(q.tags)
  const assignees = lower(q.assignees)
  const requester = q.requester?.toLowerCase()
  const words = (q.words ?? []).map((w) => w.toLowerCase()).filter((w) => w !== '')
  const tiers = q.tiers && q.tiers.length > 0 ? new Set(q.tiers) : null
  const scopeDepts = q.scope ? new Set(q.scope.departments.map((d) => d.toLowerCase())) : null
  const scopeAgent = q.scope?.agent.toLowerCase()
  const slaTest = q.sla && q.sla.length > 0 ? sla : undefined
  const keys = q.dedupeKeys && q.dedupeKeys.length > 0 ? new Set(q.dedupeKeys) : null
  const fields = q.fields && Object.keys(q.fields).length > 0 ? Object.entries(q.fields).map(([k, vs]) => [k, new Set(vs)] as const) : null
  return (t) => {
    if (keys && (t.dedupeKey === undefined || !keys.has(t.dedupeKey))) return false
    if (tiers && !tiers.has(t.tier)) return false
    if (scopeDepts && !(t.department === null || scopeDepts.has(t.department.toLowerCase()) || t.assignee?.toLowerCase() === scopeAgent)) return false
    if (statuses && !statuses.has(t.status)) return false
    if (priorities && !priorities.has(t.priority)) return false
    if (types && !types.has(t.type)) return false
    if (channels && !channels.has(t.channel)) return false
    if (departments && !departments.has((t.department ?? '').toLowerCase())) return false
    if (tags && !t.tags.some((x) => tags.has(x))) return false
    if (q.unassigned && t.assignee !== null) return false
    if (assignees && !assignees.has((t.assignee ?? '').toLowerCase())) return false
    if (requester) {
      const r = `${t.requester.name ?? ''} <${t.requester.email ?? ''}>`.toLowerCase()
      if (!r.includes(requester)) return false
    }
    if (words.length > 0) {
      const hay = text?.get(t.id) ?? `${t.title} ${t.body}`.toLowerCase()
      for (const w of words) if (!hay.includes(w)) return false
    }
    if (fields) for (const [k, vs] of fields) if (!vs.has(fieldText(t.fields[k]))) return false
    if (slaTest && !slaTest(t)) return false
    return true
  }
}

const STATUS_RANK = Object.fromEntries(STATUSES.map((s, i) => [s, i])) as Record<Status, number>

/** Newest first by default; priority sorts urgent first, then newest. */
/**
 * Newest first by default; priority sorts urgent first, then newest; due sorts the soonest SLA due
 * time first (`dueOf` gives it; tickets with no running clock come last, by priority).
 */
export function sorter(key: SortKey = 'created', opts: {dueOf?: (t: TicketSummary) => string | null} = {}): (a: TicketSummary, b: TicketSummary) => number {
  const newest = (a: TicketSummary, b: TicketSummary) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? -1 : 1)
  switch (key) {
    case 'updated':
      return (a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : newest(a, b))
    case 'priority':
      return (a, b) => PRIORITY_RANK[b.priority] - PRIORITY_RANK[a.priority] || newest(a, b)
    case 'status':
      return (a, b) => STATUS_RANK[a.status] - STATUS_RANK[b.status] || newest(a, b)
    case 'age':
      return (a, b) => -newest(a, b)
    case 'due': {
      const dueOf = opts.dueOf ?? (() => null)
      return (a, b) => {
        const da = dueOf(a)
        const db = dueOf(b)
        if (da !== db) return da === null ? 1 : db === null ? -1 : da < db ? -1 : 1
        return PRIORITY_RANK[b.priority] - PRIORITY_RANK[a.priority] || newest(a, b)
      }
    }
    default:
      return newest
  }
}

/** What sortRows reads of a ticket. */
type SortFields = Pick<TicketSummary, 'id' | 'createdAt' | 'updatedAt' | 'priority' | 'status'>

/** The form the desk writes every time in (`2026-01-02T03:04:05.678Z`): for it, text order is time order. */
const isCanonicalTime = (s: string) => s.length === 24 && s.charCodeAt(10) === 84 && s.charCodeAt(19) === 46 && s.charCodeAt(23) === 90

/**
 * Sorts `rows` in place in sorter(key)'s order (not 'due'), faster on a large list: when every date
 * has the form the desk writes, they are compared as numbers (100,000 string comparisons of dates
 * cost more than parsing each date once). Any other date falls back to sorter's comparison.
 */
export function sortRows<T extends SortFields>(rows: T[], key: Exclude<SortKey, 'due'> = 'created'): T[] {
  const created = new Float64Array(rows.length)
  const updated = key === 'updated' ? new Float64Array(rows.length) : null
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!
    created[i] = isCanonicalTime(r.createdAt) ? Date.parse(r.createdAt) : NaN
    if (updated) updated[i] = isCanonicalTime(r.updatedAt) ? Date.parse(r.updatedAt) : NaN
    if (Number.isNaN(created[i]) || (updated && Number.isNaN(updated[i]))) return rows.sort(sorter(key) as unknown as (a: T, b: T) => number)
  }
  const order = rows.map((_, i) => i)
  const byId = (a: number, b: number) => (rows[a]!.id < rows[b]!.id ? -1 : 1)
  const newest = (a: number, b: number) => created[b]! - created[a]! || byId(a, b)
  const compare: (a: number, b: number) => number =
    key === 'updated' ? (a, b) => updated![b]! - updated![a]! || newest(a, b)
    : key === 'priority' ? (a, b) => PRIORITY_RANK[rows[b]!.priority] - PRIORITY_RANK[rows[a]!.priority] || newest(a, b)
    : key === 'status' ? (a, b) => STATUS_RANK[rows[a]!.status] - STATUS_RANK[rows[b]!.status] || newest(a, b)
    : key === 'age' ? (a, b) => -newest(a, b)
    : newest
  order.sort(compare)
  const sorted = order.map((i) => rows[i]!)
  for (let i = 0; i < rows.length; i++) rows[i] = sorted[i]!
  return rows
}

/**
 * The first `limit` (null: all) of the tickets added, in `order`, and how many were added. While
 * they are added it keeps at most twice `limit` (at least 256): a list over a large desk holds a
 * page, not every match. `order` must be total (sorter()'s is: the id breaks ties), so the result
 * is the one sorting them all would give.
 */
export function firstInOrder(order: (a: TicketSummary, b: TicketSummary) => number, limit: number | null) {
  let kept: TicketSummary[] = []
  let total = 0
  const room = limit === null ? Infinity : Math.max(2 * limit, 256)
  return {
    add(t: TicketSummary): void {
      total++
      kept.push(t)
      if (kept.length >= room) kept = kept.sort(order).slice(0, limit!)
    },
    /** Forgets everything added (the reading starts over). */
    clear(): void {
      kept = []
      total = 0
    },
    result(): {tickets: TicketSummary[]; total: number} {
      kept.sort(order)
      return {tickets: limit === null ? kept : kept.slice(0, limit), total}
    },
  }
}
