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
// The shape is /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/, checked a character at a
// time: it runs for every event of every fold (a regular expression's captures cost about a tenth
// of an index build's parsing).
export const isIsoInstant = (s: string): boolean => !Number.isNaN(instantMs(s))

const isDigit = (c: number) => c >= 48 && c <= 57

/** The number written by `count` ASCII digits of `s` from `at`; -1 when one is not a digit. */
function digits(s: string, at: number, count: number): number {
  let v = 0
  for (let i = at; i < at + count; i++) {
    const c = s.charCodeAt(i)
    if (!isDigit(c)) return -1
    v = v * 10 + c - 48
  }
  return v
}

/**
 * The time an instant as tix writes it stands for (ms since 1970), as Date.parse says, without
 * Date.parse (which costs several times more: reports take a dozen times from every ticket).
 * Anything isIsoInstant refuses goes to Date.parse.
 */
export function isoTimeMs(s: string): number {
  const t = instantMs(s)
  return Number.isNaN(t) ? Date.parse(s) : t
}

/** isIsoInstant and isoTimeMs in one pass over the characters: the time, or NaN when `s` is not such an instant. */
function instantMs(s: string): number {
  const n = s.length
  // 20 characters without a fraction; 22 to 30 with a dot and 1 to 9 digits
  if (n !== 20 && (n < 22 || n > 30)) return NaN
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58 || s.charCodeAt(n - 1) !== 90) return NaN
  // the fraction to milliseconds: Date.parse reads its first three digits
  let ms = 0
  if (n > 20) {
    if (s.charCodeAt(19) !== 46) return NaN
    for (let i = 20; i < n - 1; i++) {
      const c = s.charCodeAt(i)
      if (!isDigit(c)) return NaN
      if (i < 23) ms = ms * 10 + c - 48
    }
    if (n === 22) ms *= 100
    else if (n === 23) ms *= 10
  }
  const y = digits(s, 0, 4)
  const mo = digits(s, 5, 2)
  const d = digits(s, 8, 2)
  const h = digits(s, 11, 2)
  const mi = digits(s, 14, 2)
  const sec = digits(s, 17, 2)
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59) return NaN
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0
  if (d > (mo === 2 ? (leap ? 29 : 28) : mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31)) return NaN
  // days from 1970-01-01 to the date (the proleptic Gregorian calendar, years from 0)
  const yy = mo <= 2 ? y - 1 : y
  const era = Math.floor(yy / 400)
  const yoe = yy - era * 400
  const doy = Math.floor((153 * (mo > 2 ? mo - 3 : mo + 9) + 2) / 5) + d - 1
  const days = era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468
  return ((days * 24 + h) * 60 + mi) * 60_000 + sec * 1000 + ms
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
  const whole = parseWhole(text)
  if (whole !== null) {
    for (let i = 0; i < whole.length; i++) checkEvent(whole[i] as Record<string, unknown>, i + 1, events, lines, problems)
    return {events, lines, problems}
  }
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
    checkEvent(value, i + 1, events, lines, problems)
  }
  return {events, lines, problems}
}

// Two lines written by one writer that are not split between `}` and `{` at the top level: the
// only way lines joined by commas can parse as one list other than line by line (see parseWhole).
const OBJECTS_IN_A_LINE = /\}[ \t\r]*,[ \t\r]*\{/

/**
 * The file's lines as one JSON list, parsed at once (one JSON.parse a file instead of one a line:
 * about half the time of an index build's parsing), or null when the file must be read line by line
 * to say what is wrong with which line. Exactly the values a line-by-line parse would find, or null:
 * - a blank line, or a line that is not JSON by itself where its neighbours would not make it JSON,
 *   leaves the list unparseable;
 * - a line that holds no object, or two (`{...},{...}`), shows in the count and kinds of the values;
 * - a value that spans two lines (`{"a":[{...}` then `{...}]}`) is compensated in the count only by
 *   a line that holds two, which OBJECTS_IN_A_LINE finds (commas between lines are the only others).
 */
function parseWhole(text: string): unknown[] | null {
  if (text === '') return null
  const body = text.charCodeAt(text.length - 1) === 10 ? text.slice(0, -1) : text
  let count = 1
  for (let at = body.indexOf('\n'); at >= 0; at = body.indexOf('\n', at + 1)) count++
  let values: unknown
  try {
    values = JSON.parse(`[${body.replaceAll('\n', ',')}]`)
  } catch {
    return null
  }
  if (!Array.isArray(values) || values.length !== count) return null
  for (const v of values) if (!isObj(v)) return null
  if (count > 1 && OBJECTS_IN_A_LINE.test(body)) return null
  return values
}

/** Checks the common fields of one parsed line (line number `line`) and files it as an event or a problem. */
function checkEvent(value: Record<string, unknown>, line: number, events: EventBase[], lines: number[], problems: ParseProblem[]): void {
  if (typeof value.id !== 'string' || typeof value.at !== 'string' || typeof value.by !== 'string' || typeof value.type !== 'string' || typeof value.seq !== 'number' || !Number.isFinite(value.seq)) {
    const missing = ['id', 'at', 'by', 'type'].filter((k) => typeof value[k] !== 'string')
    if (typeof value.seq !== 'number' || !Number.isFinite(value.seq)) missing.push('seq')
    problems.push({line, reason: `missing or invalid ${missing.join(', ')}`})
    return
  }
  const wrong = eventShapeProblem(value as EventBase)
  if (wrong !== null) {
    problems.push({line, reason: `${wrong} (skipped)`})
    return
  }
  events.push(value as EventBase)
  lines.push(line)
}

export const serializeEvent = (e: EventBase): string => JSON.stringify(e)
