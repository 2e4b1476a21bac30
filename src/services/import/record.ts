// One imported ticket, whatever it came from: the shape every reader (CSV, JSON, GitHub, Zendesk,
// Backlog.md) produces, checked before anything is written, then turned into the ticket's events.
import {createHash} from 'node:crypto'
import type {EventBase} from '../../domain/ticket/events.js'
import {fieldValue, type FieldSpec} from '../../domain/ticket/fields.js'
import {newId} from '../../domain/ticket/ids.js'
import {CHANNELS, PRIORITIES, STATUSES, TYPES, type Person, type Status} from '../../domain/ticket/model.js'
import {cleanTag, cleanTitle, parsePerson} from '../../domain/ticket/ticket-ops.js'
import {TixError} from '../../errors.js'

export const IMPORT_FORMATS = ['csv', 'json', 'jsonl', 'github', 'zendesk', 'backlog'] as const
export type ImportFormat = (typeof IMPORT_FORMATS)[number]

export interface ImportEntry {
  kind: 'reply' | 'note'
  author: string | null
  at: string | null
  body: string
}

/** A ticket as a reader found it: loose values, checked by `checkRecord`. */
export interface RawRecord {
  /** The id in the source (issue number, Zendesk id, column `id`); null: derived from the content. */
  sourceId: string | null
  title?: unknown
  body?: unknown
  status?: unknown
  priority?: unknown
  type?: unknown
  channel?: unknown
  requester?: unknown
  assignee?: unknown
  department?: unknown
  tags?: unknown
  createdAt?: unknown
  createdBy?: unknown
  updatedAt?: unknown
  resolvedAt?: unknown
  closedAt?: unknown
  resolution?: unknown
  fields?: Record<string, unknown>
  thread?: ImportEntry[]
  /** A tix export: the ticket's own events, written back as they are (round trip). */
  events?: EventBase[]
  /** A tix export: the ticket's id. */
  id?: string
}

/** A checked ticket, ready to become events. */
export interface ImportTicket {
  id: string
  source: {format: ImportFormat; id: string}
  title: string
  body: string
  status: Status
  priority: string
  type: string
  channel: string
  requester: Person
  assignee: string | null
  department: string | null
  tags: string[]
  createdAt: string
  createdBy: string
  /** When the ticket reached its status (resolved/closed: the source's time; else its last update). */
  closedOrResolvedAt: string | null
  resolution: string | null
  fields: Record<string, unknown>
  thread: {kind: 'reply' | 'note'; author: string; at: string; body: string}[]
  events?: EventBase[]
  /** Who ran the import: the author of the status change that gives the source's status. */
  importedBy: string
}

const STATUS_WORDS: Record<string, Status> = {
  new: 'new',
  open: 'open',
  opened: 'open',
  'in progress': 'open',
  'in-progress': 'open',
  doing: 'open',
  'to do': 'new',
  todo: 'new',
  pending: 'pending',
  waiting: 'pending',
  hold: 'on-hold',
  'on hold': 'on-hold',
  'on-hold': 'on-hold',
  onhold: 'on-hold',
  solved: 'resolved',
  resolved: 'resolved',
  done: 'resolved',
  fixed: 'resolved',
  closed: 'closed',
}
const PRIORITY_WORDS: Record<string, string> = {low: 'low', normal: 'normal', medium: 'normal', high: 'high', urgent: 'urgent', critical: 'urgent'}
const TYPE_WORDS: Record<string, string> = {question: 'question', incident: 'incident', problem: 'problem', task: 'task', bug: 'incident', feature: 'task'}

const str = (v: unknown): string | null => (v === undefined || v === null ? null : typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : null)

function word<T extends string>(v: unknown, words: Record<string, T>, list: readonly string[], what: string, fallback: T): T {
  const s = str(v)?.trim().toLowerCase()
  if (s === undefined || s === null || s === '') return fallback
  const w = words[s] ?? ((list as readonly string[]).includes(s) ? (s as T) : undefined)
  if (w === undefined) throw new TixError(`${what} "${str(v)}" is not one of ${list.join(', ')}`)
  return w
}

/** An ISO time from what sources write: ISO 8601, "2025-06-01 10:00" (UTC), or epoch seconds/ms. */
export function isoTime(v: unknown, what: string): string | null {
  if (v === undefined || v === null || v === '') return null
  let d: Date
  if (typeof v === 'number') d = new Date(v < 1e11 ? v * 1000 : v)
  else if (typeof v === 'string') {
    const s = v.trim()
    const local = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2})?))?$/.exec(s)
    d = new Date(local ? `${local[1]}T${local[2] ?? '00:00'}${local[2]?.length === 5 ? ':00' : ''}Z` : s)
  } else throw new TixError(`${what} is not a time`)
  if (Number.isNaN(d.getTime())) throw new TixError(`${what} "${String(v)}" is not a time (expected ISO 8601, e.g. 2026-03-01T09:30:00Z)`)
  return d.toISOString()
}

/** Tags as sources write them ("good first issue", "Billing"): lower case, spaces to dashes. */
export function tagOf(raw: string): string {
  const t = raw.trim().toLowerCase().replace(/\s+/g, '-').replace(/[^\p{L}\p{N}._:/+-]/gu, '').replace(/^[^\p{L}\p{N}]+/u, '').slice(0, 64)
  return cleanTag(t === '' ? raw : t)
}

function personOf(v: unknown, what: string): Person | null {
  if (v === undefined || v === null || v === '') return null
  if (typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>
    const email = str(o.email)?.trim() || null
    const name = str(o.name)?.trim() || null
    if (email === null && name === null) return null
    return email ? {...parsePerson(email, what), name: name ?? parsePerson(email, what).name} : parsePerson(name!, what)
  }
  const s = str(v)
  return s === null || s.trim() === '' ? null : parsePerson(s, what)
}

/** The ticket id an import gives a source record: the same record always gets the same id, so a second import finds it. */
export function importedId(format: ImportFormat, sourceId: string): string {
  const family = format === 'jsonl' || format === 'json' || format === 'csv' ? 'rows' : format
  const digest = createHash('sha256').update(`tix-import\0${family}\0${sourceId}`).digest()
  return newId(digest.subarray(0, 7))
}

/** A stable source id for a record without one: its content. */
export function contentKey(r: RawRecord): string {
  const h = createHash('sha256')
  h.update(JSON.stringify([str(r.title), str(r.createdAt), JSON.stringify(r.requester ?? null), str(r.body)]))
  return `sha256:${h.digest('hex').slice(0, 24)}`
}

/**
 * Checks a record and converts it. Throws a TixError whose message is the reason (the caller adds
 * FILE:LINE). `now` fills a missing creation time; `actor` stands in for a missing author.
 */
export function checkRecord(r: RawRecord, format: ImportFormat, ctx: {specs: Record<string, FieldSpec>; now: string; actor: string}): ImportTicket {
  const sourceId = r.sourceId ?? contentKey(r)
  if (r.events && r.id) {
    // A tix export: its events are the ticket. Only the id and the create event are checked.
    if (!/^[0-9A-Z]{10}$/.test(r.id)) throw new TixError(`id "${r.id}" is not a tix ticket id`)
    const create = r.events.find((e) => e && e.type === 'create')
    if (!create) throw new TixError('the events have no create event')
    for (const e of r.events) {
      if (typeof e !== 'object' || e === null || typeof e.id !== 'string' || typeof e.at !== 'string' || typeof e.by !== 'string' || typeof e.type !== 'string' || typeof e.seq !== 'number') {
        throw new TixError('an event lacks id, seq, at, by or type')
      }
    }
    return {id: r.id, source: {format, id: r.id}, title: String(create.title ?? ''), body: '', status: 'new', priority: 'normal', type: 'question', channel: 'api', requester: {name: null, email: null}, assignee: null, department: null, tags: [], createdAt: create.at, createdBy: create.by, closedOrResolvedAt: null, resolution: null, fields: {}, thread: [], events: r.events, importedBy: ctx.actor}
  }
  const rawTitle = str(r.title)
  if (rawTitle === null || rawTitle.trim() === '') throw new TixError('the title is empty')
  const title = cleanTitle(rawTitle)
  const createdAt = isoTime(r.createdAt, 'createdAt') ?? ctx.now
  const requester = personOf(r.requester, 'requester') ?? {name: null, email: null}
  const status = word(r.status, STATUS_WORDS, STATUSES, 'status', 'new')
  const priority = word(r.priority, PRIORITY_WORDS, PRIORITIES, 'priority', 'normal')
  const type = word(r.type, TYPE_WORDS, TYPES, 'type', 'question')
  const channel = word(r.channel, {} as Record<string, string>, CHANNELS, 'channel', format === 'github' || format === 'backlog' ? 'web' : 'api')
  const tagList = Array.isArray(r.tags) ? r.tags.map((t) => str(t) ?? '') : (str(r.tags) ?? '').split(/[,;]/)
  const tags = [...new Set(tagList.filter((t) => t.trim() !== '').map(tagOf))]
  const assigneeText = str(r.assignee)?.trim() || null
  if (assigneeText !== null && /[\s<>]/.test(assigneeText)) throw new TixError(`assignee "${assigneeText}" is not an agent id (an e-mail)`)
  const fields: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(r.fields ?? {})) {
    if (v === undefined || v === null || v === '') continue
    fields[k] = fieldValue(k, typeof v === 'string' ? v : JSON.stringify(v), ctx.specs, 'field')
  }
  const done = status === 'resolved' || status === 'closed'
  const closedOrResolvedAt = done ? (isoTime(status === 'closed' ? (r.closedAt ?? r.resolvedAt) : (r.resolvedAt ?? r.closedAt), 'closedAt') ?? isoTime(r.updatedAt, 'updatedAt')) : null
  const thread = (r.thread ?? []).map((e, i) => {
    const body = str(e.body) ?? ''
    return {kind: e.kind, author: (e.author ?? '').trim() || requester.email || requester.name || ctx.actor, at: isoTime(e.at, `comment ${i + 1} time`) ?? createdAt, body}
  }).filter((e) => e.body.trim() !== '')
  for (const e of thread) if (e.at < createdAt) e.at = createdAt // a comment never precedes its ticket
  const last = thread.reduce((m, e) => (e.at > m ? e.at : m), createdAt)
  const createdBy = str(r.createdBy)?.trim() || requester.email || ctx.actor
  return {
    id: importedId(format, sourceId),
    source: {format, id: sourceId},
    title,
    body: str(r.body) ?? '',
    status,
    priority,
    type,
    channel,
    requester,
    assignee: assigneeText,
    department: str(r.department)?.trim() || null,
    tags,
    createdAt,
    createdBy,
    closedOrResolvedAt: done ? (closedOrResolvedAt !== null && closedOrResolvedAt > last ? closedOrResolvedAt : last) : latest(last, isoTime(r.updatedAt, 'updatedAt')),
    resolution: str(r.resolution)?.trim() || null,
    fields,
    thread,
    importedBy: ctx.actor,
  }
}

const latest = (a: string, b: string | null) => (b !== null && b > a ? b : a)

/** The events of an imported ticket, in time order, with the source's times and authors. */
export function ticketEvents(t: ImportTicket, eventId: () => string): EventBase[] {
  if (t.events) return t.events
  let seq = 0
  const ev = (at: string, by: string, type: string, rest: Record<string, unknown>): EventBase => ({v: 1, id: eventId(), seq: ++seq, at, by, type, ...rest})
  const out: EventBase[] = [
    ev(t.createdAt, t.createdBy, 'create', {
      ticket: t.id,
      title: t.title,
      body: t.body,
      requester: t.requester,
      channel: t.channel,
      priority: t.priority,
      ticketType: t.type,
      tags: t.tags,
      department: t.department,
      assignee: t.assignee,
      ...(Object.keys(t.fields).length > 0 ? {fields: t.fields} : {}),
      source: t.source,
    }),
  ]
  const thread = [...t.thread].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
  for (const e of thread) {
    if (e.kind === 'reply') out.push(ev(e.at, e.author, 'reply', {body: e.body, author: e.author}))
    else out.push(ev(e.at, e.author, 'note', {body: e.body}))
  }
  if (t.status !== 'new') {
    const at = t.closedOrResolvedAt ?? thread.at(-1)?.at ?? t.createdAt
    out.push(ev(at, t.assignee ?? t.importedBy, 'status', {from: 'new', to: t.status, ...(t.resolution ? {resolution: t.resolution} : {})}))
  }
  return out
}
