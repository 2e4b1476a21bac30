// A ticket summary as the cache stores it (one JSON text per line of open.jsonl and done.jsonl),
// written with its members in one fixed order so that the wide reads can copy most of it as it is:
// `tix list --all --json` of 100,000 tickets writes each ticket's contract JSON (ticket-json.ts)
// by splicing its summary's text, not by parsing it and writing it again (docs/scale.md).
//
// The order: the members the contract shows, in the contract's order (the optional ones only when
// set), then `notices`, then what only the workflow reads, starting with `statusLog` (always there).
// So a summary's text is
//
//   {"id":"…","title":…,"reopenCount":N[,optional members…],"notices":[…],"statusLog":[…],…}
//
// and the contract's text is its first part with `shortId` and the optional members' defaults put
// in, the workflow's part left out, and `sla` added. The parts are found by searching forward for
// `,"reopenCount":` and the like: a quote inside a JSON string is always escaped, and no member
// before them holds an object with a member of those names, except perhaps the custom fields (any
// JSON a script set). A summary whose fields do is written with `title` first instead, which the
// reader does not take for this shape, and parses (so does a hand-edited or damaged line).
import {shortId} from './ids.js'
import type {Ticket, TicketSummary} from './model.js'
import {optionalJson} from './ticket-json.js'

/** Every member of a summary in the order written; TypeScript refuses this when Ticket gains a member it does not list. */
export function summaryText(t: TicketSummary): string {
  if (!plainFields(t.fields)) {
    const {title, ...rest} = t
    return JSON.stringify({title, ...rest})
  }
  const ordered: {[K in keyof Required<Ticket>]: Ticket[K] | undefined} = {
    id: t.id,
    title: t.title,
    body: t.body,
    status: t.status,
    priority: t.priority,
    type: t.type,
    channel: t.channel,
    requester: t.requester,
    assignee: t.assignee,
    department: t.department,
    tags: t.tags,
    tier: t.tier,
    fields: t.fields,
    createdAt: t.createdAt,
    createdBy: t.createdBy,
    updatedAt: t.updatedAt,
    firstResponseAt: t.firstResponseAt,
    resolvedAt: t.resolvedAt,
    closedAt: t.closedAt,
    resolution: t.resolution,
    replyCount: t.replyCount,
    noteCount: t.noteCount,
    reopenCount: t.reopenCount,
    satisfaction: t.satisfaction,
    links: t.links,
    mergedInto: t.mergedInto,
    mergedFrom: t.mergedFrom,
    mailFailures: t.mailFailures,
    attachments: t.attachments,
    dedupeKey: t.dedupeKey,
    occurrences: t.occurrences,
    followUp: t.followUp,
    notices: t.notices,
    statusLog: t.statusLog,
    priorityLog: t.priorityLog,
    replies: t.replies,
    assignments: t.assignments,
    escalations: t.escalations,
    slaPolicy: t.slaPolicy,
    rulesApplied: t.rulesApplied,
    automations: t.automations,
    slaAlerts: t.slaAlerts,
    activityAt: t.activityAt,
  }
  return JSON.stringify(ordered)
}

// the members summaryParts and the sort keys search for after the title and body
const SEARCHED = ['"reopenCount":', '"notices":', '"statusLog":', '"createdAt":', '"updatedAt":']

/** Whether the custom fields hold no member named as one summaryParts searches for, at any depth. */
function plainFields(fields: Record<string, unknown>): boolean {
  // most tickets have none: no key list and no JSON made for them (this runs for every summary written)
  for (const _ in fields) {
    const json = JSON.stringify(fields)
    return !SEARCHED.some((m) => json.includes(m))
  }
  return true
}

/**
 * Where the parts of one summary's text are: byte offsets in the buffer holding it (the text is
 * `start` to `end`). Null from summaryParts when the text is not in the written order.
 */
export interface SummaryParts {
  start: number
  end: number
  /** Just after the id's closing quote (the comma before "title"). */
  idEnd: number
  /** Where `,"reopenCount":` starts, and where its number ends. */
  reopenAt: number
  reopenEnd: number
  /** Where `,"notices":` starts, and where `,"statusLog":` starts. */
  noticesAt: number
  statusLogAt: number
}

/** A summary's text where it lies (`bytes[parts.start, parts.end)`), its parts found. */
export interface SummaryLine {
  bytes: Buffer
  parts: SummaryParts
}

/** The same parts for the same text at another offset (`start`). */
export function shiftParts(p: SummaryParts, start: number): SummaryParts {
  const d = start - p.start
  return d === 0 ? p : {start, end: p.end + d, idEnd: p.idEnd + d, reopenAt: p.reopenAt + d, reopenEnd: p.reopenEnd + d, noticesAt: p.noticesAt + d, statusLogAt: p.statusLogAt + d}
}

const QUOTE = 34
const BACKSLASH = 92
const ID_TAG = Buffer.from('{"id":"')
const TITLE_TAG = Buffer.from(',"title":"')
const MEMBER_TAG = Buffer.from(',"')
const REOPEN_TAG = Buffer.from(',"reopenCount":')
const NOTICES_TAG = Buffer.from(',"notices":[')
const STATUS_LOG_TAG = Buffer.from(',"statusLog":[')
const CREATED_TAG = Buffer.from(',"createdAt":"')
const UPDATED_TAG = Buffer.from(',"updatedAt":"')
const STATUS_TAG = Buffer.from(',"status":"')
const PRIORITY_TAG = Buffer.from(',"priority":"')

/** Whether the bytes at `p` (before `end`) are `tag`'s. */
function isAt(b: Buffer, p: number, end: number, tag: Buffer): boolean {
  if (p + tag.length > end) return false
  for (let i = 0; i < tag.length; i++) if (b[p + i] !== tag[i]) return false
  return true
}

/** Finds the parts of the summary text `b[start, end)` (see the top of this file). */
export function summaryParts(b: Buffer, start = 0, end = b.length): SummaryParts | null {
  if (!isAt(b, start, end, ID_TAG)) return null
  const idEnd = b.indexOf(QUOTE, start + 7) + 1
  if (idEnd <= start || !isAt(b, idEnd, end, TITLE_TAG)) return null
  // ids are letters and digits (ids.ts): written as they are, without escaping
  for (let i = start + 7; i < idEnd - 1; i++) {
    const c = b[i]!
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122))) return null
  }
  const reopenAt = b.indexOf(REOPEN_TAG, idEnd)
  if (reopenAt < 0 || reopenAt >= end) return null
  let reopenEnd = reopenAt + REOPEN_TAG.length
  while (b[reopenEnd]! >= 48 && b[reopenEnd]! <= 57) reopenEnd++
  if (reopenEnd === reopenAt + REOPEN_TAG.length) return null
  const noticesAt = b.indexOf(NOTICES_TAG, reopenEnd)
  // what follows the count is an optional member, or notices itself
  if (noticesAt < 0 || noticesAt >= end || (reopenEnd !== noticesAt && !isAt(b, reopenEnd, end, MEMBER_TAG))) return null
  const statusLogAt = b.indexOf(STATUS_LOG_TAG, noticesAt)
  if (statusLogAt < 0 || statusLogAt >= end) return null
  return {start, end, idEnd, reopenAt, reopenEnd, noticesAt, statusLogAt}
}

/** The ticket id (ids are ASCII). */
export const summaryId = (b: Buffer, p: SummaryParts) => b.toString('latin1', p.start + 7, p.idEnd - 1)

/** A string member that comes after `fields` (createdAt, updatedAt): null when it is not a plain string. */
export function laterString(b: Buffer, p: SummaryParts, key: 'createdAt' | 'updatedAt'): string | null {
  const tag = key === 'createdAt' ? CREATED_TAG : UPDATED_TAG
  const at = b.indexOf(tag, p.idEnd)
  return at < 0 || at > p.reopenAt ? null : plainString(b, at + tag.length, p.reopenAt)
}

/** A string member among the first ones (status, priority): only the title and body come before them. */
export function earlyString(b: Buffer, p: SummaryParts, key: 'status' | 'priority'): string | null {
  const tag = key === 'status' ? STATUS_TAG : PRIORITY_TAG
  const at = b.indexOf(tag, p.idEnd)
  return at < 0 || at > p.reopenAt ? null : plainString(b, at + tag.length, p.reopenAt)
}

const ASSIGNEE_TAG = Buffer.from(',"assignee":')
const DEPARTMENT_TAG = Buffer.from(',"department":')

/** The members a ticket table shows (`tix list`), read from a summary's text without parsing it. */
export type TicketRow = Pick<TicketSummary, 'id' | 'title' | 'status' | 'priority' | 'createdAt' | 'updatedAt' | 'assignee' | 'department'>

/** A table row of the summary text `b[p.start, p.end)`, or null when a member is not where the written order puts it. */
export function summaryRow(b: Buffer, p: SummaryParts): TicketRow | null {
  const title = stringAt(b, p.idEnd + TITLE_TAG.length - 1)
  const status = earlyString(b, p, 'status')
  const priority = earlyString(b, p, 'priority')
  const createdAt = laterString(b, p, 'createdAt')
  const updatedAt = laterString(b, p, 'updatedAt')
  const a = b.indexOf(ASSIGNEE_TAG, p.idEnd)
  const assignee = a < 0 || a > p.reopenAt ? undefined : stringOrNullAt(b, a + ASSIGNEE_TAG.length)
  const d = b.indexOf(DEPARTMENT_TAG, p.idEnd)
  const department = d < 0 || d > p.reopenAt ? undefined : stringOrNullAt(b, d + DEPARTMENT_TAG.length)
  if (title === null || status === null || priority === null || createdAt === null || updatedAt === null || assignee === undefined || department === undefined) return null
  return {id: summaryId(b, p), title, status: status as TicketRow['status'], priority: priority as TicketRow['priority'], createdAt, updatedAt, assignee, department}
}

/** The JSON string whose opening quote is at `q`, decoded; null when there is none. */
function stringAt(b: Buffer, q: number): string | null {
  if (b[q] !== QUOTE) return null
  let end = q
  for (;;) {
    end = b.indexOf(QUOTE, end + 1)
    if (end < 0) return null
    let slashes = 0
    for (let i = end - 1; b[i] === BACKSLASH; i--) slashes++
    if ((slashes & 1) === 0) break
  }
  for (let i = q + 1; i < end; i++) if (b[i] === BACKSLASH) return JSON.parse(b.toString('utf8', q, end + 1)) as string
  return b.toString('utf8', q + 1, end)
}

/** A member that is a string or null, its value starting at `v`; undefined when it is neither. */
function stringOrNullAt(b: Buffer, v: number): string | null | undefined {
  if (b[v] === 110 && b[v + 1] === 117 && b[v + 2] === 108 && b[v + 3] === 108) return null // null
  return stringAt(b, v) ?? undefined
}

/** The text from `start` to the next quote, when it holds no escape and no byte past ASCII (dates, statuses). */
function plainString(b: Buffer, start: number, limit: number): string | null {
  const end = b.indexOf(QUOTE, start)
  if (end < 0 || end > limit) return null
  for (let i = start; i < end; i++) if (b[i]! >= 0x80 || b[i] === BACKSLASH) return null
  return b.toString('latin1', start, end)
}

// what the contract shows for a summary with none of the optional members set
const NO_OPTIONAL = Buffer.from(`,${JSON.stringify(optionalJson({}, [])).slice(1, -1)}`)
const SLA_NULL = Buffer.from(',"sla":null}')

/**
 * Writes the contract's JSON of a ticket (`{...ticketJson(t, ids), sla}`) from its summary's
 * UTF-8 text: the same bytes JSON.stringify would write, without parsing the summary (only its
 * optional members, when it has any). `slaText`: its SLA's JSON. False when the optional members
 * do not parse (nothing is written then).
 */
export function writeTicketJson(b: Buffer, p: SummaryParts, ids: readonly string[], slaText: string, out: ByteSink): boolean {
  let optional = NO_OPTIONAL
  if (p.reopenEnd !== p.noticesAt) {
    let set: Partial<TicketSummary>
    try {
      set = JSON.parse(`{${b.toString('utf8', p.reopenEnd + 1, p.noticesAt)}}`) as Partial<TicketSummary>
    } catch {
      return false
    }
    optional = Buffer.from(`,${JSON.stringify(optionalJson(set, ids)).slice(1, -1)}`)
  }
  const id = summaryId(b, p)
  out.ascii(`{"id":"${id}","shortId":"${shortId(ids, id)}"`) // ids are ASCII letters and digits
  out.bytes(b, p.idEnd, p.reopenEnd)
  out.bytes(optional, 0, optional.length)
  out.bytes(b, p.noticesAt, p.statusLogAt)
  if (slaText === 'null') out.bytes(SLA_NULL, 0, SLA_NULL.length)
  else out.text(`,"sla":${slaText}}`)
  return true
}

/** Where writeTicketJson puts its pieces. */
export interface ByteSink {
  bytes(b: Buffer, start: number, end: number): void
  ascii(s: string): void
  text(s: string): void
}
