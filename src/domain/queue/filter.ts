// The filter line people type in the TUI (`/`): words plus `key:value` terms, parsed as they type.
//   printer jam status:pending,open assignee:me dept:it tag:vpn priority:high channel:email -tag:spam
// Enum values accept a unique prefix (`status:pen`), free values match by prefix (`dept:fac`),
// a leading `-` negates a term or a word, and a half-typed term (`status:`) is simply ignored.
import {CHANNELS, PRIORITIES, STATUSES, TYPES, isUnresolved, type Status, type TicketSummary} from '../ticket/model.js'

type EnumField = 'status' | 'priority' | 'channel' | 'type'
type FreeField = 'assignee' | 'department' | 'tag' | 'requester' | 'id'

export type Clause =
  | {field: EnumField; values: string[]; negate: boolean}
  | {field: FreeField; values: string[]; none: boolean; negate: boolean}
  | {field: 'word'; value: string; negate: boolean}

export interface Filter {
  clauses: Clause[]
  /** Terms that could not be used, in words a person can act on (shown under the filter line). */
  problems: string[]
}

const ENUMS: Record<EnumField, readonly string[]> = {status: STATUSES, priority: PRIORITIES, channel: CHANNELS, type: TYPES}

/** Every key the filter understands, with its aliases: the help overlay lists these. */
export const FILTER_KEYS: Record<string, EnumField | FreeField> = {
  status: 'status',
  s: 'status',
  priority: 'priority',
  pri: 'priority',
  p: 'priority',
  channel: 'channel',
  via: 'channel',
  type: 'type',
  assignee: 'assignee',
  a: 'assignee',
  dept: 'department',
  department: 'department',
  d: 'department',
  tag: 'tag',
  t: 'tag',
  requester: 'requester',
  from: 'requester',
  id: 'id',
}

export const FILTER_HELP = 'words  status:pending  assignee:me|none  dept:it  tag:vpn  priority:high  channel:email  type:incident  from:ana  id:7K3  -term'

/** Splits on spaces, keeping "quoted phrases" (also as values: requester:"ana diaz"). */
function tokenize(text: string): string[] {
  const out: string[] = []
  const re = /(-?)((?:[^\s"]*"[^"]*"?)+|[^\s"]+)/g
  for (const m of text.matchAll(re)) out.push(m[1]! + m[2]!)
  return out
}

const unquote = (s: string) => s.replace(/"/g, '')

function pickEnum(field: EnumField, value: string, problems: string[]): string | null {
  const list = ENUMS[field]
  const v = value.toLowerCase()
  if (list.includes(v)) return v
  const hits = list.filter((x) => x.startsWith(v))
  if (hits.length === 1) return hits[0]!
  problems.push(
    hits.length > 1
      ? `${field}:${value} could be ${hits.join(' or ')}; type more.`
      : `${field}:${value} is not a ${field}: use one of ${list.join(', ')}.`,
  )
  return null
}

export function parseFilter(text: string, ctx: {me: string}): Filter {
  const clauses: Clause[] = []
  const problems: string[] = []
  for (const token of tokenize(text)) {
    const negate = token.startsWith('-') && token.length > 1
    const body = negate ? token.slice(1) : token
    const colon = body.indexOf(':')
    const field = colon > 0 ? FILTER_KEYS[body.slice(0, colon).toLowerCase()] : undefined
    if (field === undefined) {
      const value = unquote(body).trim().toLowerCase()
      if (value !== '' && value !== '-') clauses.push({field: 'word', value, negate})
      continue
    }
    const raw = unquote(body.slice(colon + 1))
    const parts = raw.split(',').map((p) => p.trim()).filter((p) => p !== '')
    if (parts.length === 0) continue // still being typed
    if (field in ENUMS) {
      const values = parts.map((p) => pickEnum(field as EnumField, p, problems)).filter((v): v is string => v !== null)
      if (values.length > 0) clauses.push({field: field as EnumField, values, negate})
      continue
    }
    let none = false
    const values: string[] = []
    for (const p of parts) {
      const v = p.toLowerCase()
      if (field === 'assignee' && (v === 'none' || v === 'nobody')) none = true
      else if (field === 'department' && v === 'none') none = true
      else if (field === 'assignee' && v === 'me') values.push(`=${ctx.me.toLowerCase()}`)
      else values.push(field === 'id' ? v.toUpperCase() : v)
    }
    clauses.push({field: field as FreeField, values, none, negate})
  }
  return {clauses, problems}
}

/** Whether the filter asks for resolved or closed tickets (so they must be loaded). */
export function filterWantsDone(f: Filter): boolean {
  return f.clauses.some((c) => c.field === 'status' && !c.negate && c.values.some((s) => !isUnresolved(s as Status)))
}

/** Whether the filter chooses statuses itself (then a view's "unresolved only" default steps aside). */
export function filterHasStatus(f: Filter): boolean {
  return f.clauses.some((c) => c.field === 'status' && !c.negate)
}

/** Whether word clauses need the search text (thread bodies, requester...) rather than title and body. */
export const filterHasWords = (f: Filter): boolean => f.clauses.some((c) => c.field === 'word')

const ID_PREFIX = /^[0-9a-hjkmnp-tv-z]{4,10}$/i

/** A predicate for a parsed filter; `text` is the per-ticket search text when loaded. */
export function filterMatcher(f: Filter, text?: Map<string, string> | null): (t: TicketSummary) => boolean {
  if (f.clauses.length === 0) return () => true
  const tests = f.clauses.map((c): ((t: TicketSummary) => boolean) => {
    let test: (t: TicketSummary) => boolean
    switch (c.field) {
      case 'status':
        test = (t) => c.values.includes(t.status)
        break
      case 'priority':
        test = (t) => c.values.includes(t.priority)
        break
      case 'channel':
        test = (t) => c.values.includes(t.channel)
        break
      case 'type':
        test = (t) => c.values.includes(t.type)
        break
      case 'assignee':
        test = (t) => {
          const a = (t.assignee ?? '').toLowerCase()
          if (c.none && a === '') return true
          return a !== '' && c.values.some((v) => (v.startsWith('=') ? a === v.slice(1) : a.includes(v)))
        }
        break
      case 'department':
        test = (t) => {
          const d = (t.department ?? '').toLowerCase()
          if (c.none && d === '') return true
          return d !== '' && c.values.some((v) => d.startsWith(v))
        }
        break
      case 'tag':
        test = (t) => t.tags.some((x) => c.values.some((v) => x.startsWith(v)))
        break
      case 'requester':
        test = (t) => {
          const r = `${t.requester.name ?? ''} <${t.requester.email ?? ''}>`.toLowerCase()
          return c.values.some((v) => r.includes(v))
        }
        break
      case 'id':
        test = (t) => c.values.some((v) => t.id.startsWith(v))
        break
      case 'word': {
        const w = c.value
        const asId = ID_PREFIX.test(w) ? w.toUpperCase().replace(/O/g, '0').replace(/[IL]/g, '1') : null
        test = (t) => {
          if (asId !== null && t.id.startsWith(asId)) return true
          const hay = text?.get(t.id) ?? `${t.title} ${t.body}`.toLowerCase()
          return hay.includes(w)
        }
        break
      }
    }
    return c.negate ? (t) => !test(t) : test
  })
  return (t) => {
    for (const test of tests) if (!test(t)) return false
    return true
  }
}
