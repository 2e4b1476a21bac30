// Event lines (docs/storage.md): {"v":1,"id","seq","at","by","type",...}. One JSON object a line,
// appended, never rewritten. Unknown fields are kept as they are (newer versions may write them).
import type {Channel, Person, Priority, Status, TicketType} from './model.js'

export interface EventBase {
  v: 1
  id: string
  seq: number
  at: string
  by: string
  type: string
  [extra: string]: unknown
}

export interface CreateEvent extends EventBase {
  type: 'create'
  ticket: string
  title: string
  body: string
  requester: Person
  channel: Channel
  priority: Priority
  ticketType: TicketType
  tags: string[]
  department: string | null
  assignee: string | null
}

/** Field changes, last writer wins per field. */
export interface SetEvent extends EventBase {
  type: 'set'
  fields: Partial<{
    title: string
    body: string
    priority: Priority
    ticketType: TicketType
    department: string | null
    requester: Person
    tier: number
  }> & {custom?: Record<string, unknown>}
}

/** Tags are added and removed, not replaced, so concurrent tagging on two clones keeps both. */
export interface TagsEvent extends EventBase {
  type: 'tags'
  add: string[]
  remove: string[]
}

export interface StatusEvent extends EventBase {
  type: 'status'
  from: Status
  to: Status
  resolution?: string | null
}

export interface AssignEvent extends EventBase {
  type: 'assign'
  from: string | null
  to: string | null
}

export interface ReplyEvent extends EventBase {
  type: 'reply'
  body: string
  /** Who wrote it when that is not the actor (a gateway filing the requester's e-mail). */
  author?: string
}

export interface NoteEvent extends EventBase {
  type: 'note'
  body: string
}

export type TixEvent = CreateEvent | SetEvent | TagsEvent | StatusEvent | AssignEvent | ReplyEvent | NoteEvent

/** Canonical order: (seq, at, id). The same on every clone, whatever order lines arrived in. */
export function compareEvents(a: EventBase, b: EventBase): number {
  if (a.seq !== b.seq) return a.seq - b.seq
  if (a.at !== b.at) return a.at < b.at ? -1 : 1
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

export interface ParseProblem {
  line: number
  reason: string
}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x)

/**
 * The largest sequence number an event may carry. Sequence numbers only order a ticket's events;
 * a huge one (1e308) would otherwise stick to every later event (1e308 + 1 === 1e308). Writers
 * never go beyond it (`nextSeq`), so a log that reached it stays writable.
 */
export const MAX_SEQ = 2 ** 31 - 1

/** An instant as tix writes it: ISO-8601 in UTC (`2026-11-20T09:00:00.000Z`), and a real date. */
const ISO_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?Z$/

export function isIsoInstant(s: string): boolean {
  // Run for every event of every fold: plain arithmetic, no Date and no arrays.
  const m = ISO_UTC.exec(s)
  if (!m) return false
  const y = +m[1]!
  const mo = +m[2]!
  const d = +m[3]!
  if (mo < 1 || mo > 12 || d < 1 || +m[4]! > 23 || +m[5]! > 59 || +m[6]! > 59) return false
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0
  return d <= (mo === 2 ? (leap ? 29 : 28) : mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31)
}

/** Why an event's common fields cannot be folded (null: they can). */
export function eventShapeProblem(e: EventBase): string | null {
  if (!isIsoInstant(e.at)) return `"at" is not an ISO-8601 UTC time: ${JSON.stringify(e.at.slice(0, 40))}`
  if (!Number.isInteger(e.seq) || e.seq < 0 || e.seq > MAX_SEQ) return `"seq" must be a whole number from 0 to ${MAX_SEQ}, not ${String(e.seq)}`
  if (e.id === '') return '"id" is empty'
  return null
}

/** The sequence number after `seqs` (the events already in a log), never beyond MAX_SEQ. */
export const nextSeq = (current: number): number => Math.min(MAX_SEQ, Math.max(0, current) + 1)

/** Parses a ticket file: every good line, and a problem for every bad one (never throws). */
export function parseEventLines(text: string): {events: EventBase[]; lines: number[]; problems: ParseProblem[]} {
  const events: EventBase[] = []
  const lines: number[] = []
  const problems: ParseProblem[] = []
  const rows = text.split('\n')
  for (let i = 0; i < rows.length; i++) {
    const raw = rows[i]!
    if (raw.trim() === '') continue
    let value: unknown
    try {
      value = JSON.parse(raw)
    } catch (error) {
      problems.push({line: i + 1, reason: `not valid JSON (${(error as Error).message})`})
      continue
    }
    if (!isObj(value)) {
      problems.push({line: i + 1, reason: 'not a JSON object'})
      continue
    }
    const missing = ['id', 'at', 'by', 'type'].filter((k) => typeof value[k] !== 'string')
    if (typeof value.seq !== 'number' || !Number.isFinite(value.seq)) missing.push('seq')
    if (missing.length > 0) {
      problems.push({line: i + 1, reason: `missing or invalid ${missing.join(', ')}`})
      continue
    }
    const wrong = eventShapeProblem(value as EventBase)
    if (wrong !== null) {
      problems.push({line: i + 1, reason: `${wrong} (skipped)`})
      continue
    }
    events.push(value as EventBase)
    lines.push(i + 1)
  }
  return {events, lines, problems}
}

export const serializeEvent = (e: EventBase): string => JSON.stringify(e)
