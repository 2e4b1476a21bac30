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
    events.push(value as EventBase)
    lines.push(i + 1)
  }
  return {events, lines, problems}
}

export const serializeEvent = (e: EventBase): string => JSON.stringify(e)
