// Ticket rules: each operation validates its input against the ticket and returns the events to
// append. Time, actor and ids come in as arguments; nothing here reads the clock or the environment.
import {TixError, usageError} from '../../errors.js'
import type {EventBase} from './events.js'
import {
  CHANNELS,
  PRIORITIES,
  STATUSES,
  TYPES,
  type Channel,
  type Person,
  type Priority,
  type Status,
  type Ticket,
  type TicketType,
} from './model.js'
import {shortIdPrefix} from './ids.js'

export interface OpContext {
  by: string
  at: string
  newEventId: () => string
}

export type NewEvent = Omit<EventBase, 'seq'> & {seq?: number}

const base = (ctx: OpContext, type: string) => ({v: 1 as const, id: ctx.newEventId(), at: ctx.at, by: ctx.by, type})

export function oneOf<T extends string>(list: readonly T[], value: string, what: string): T {
  if ((list as readonly string[]).includes(value)) return value as T
  throw usageError(`${what} "${value}" is not valid: expected one of ${list.join(', ')}.`)
}

const EMAIL = /^[^\s<>@"(),;:]+@[^\s<>@"(),;:]+\.[^\s<>@"(),;:]+$/

/** "Ana Diaz <ana@example.com>", "ana@example.com" or a plain name. */
export function parsePerson(input: string, what = '--requester'): Person {
  const s = input.trim()
  const angle = /^(.*?)\s*<([^<>]*)>$/.exec(s)
  if (angle) {
    const name = angle[1]!.trim().replace(/^"(.*)"$/, '$1')
    const email = angle[2]!.trim()
    if (!EMAIL.test(email)) throw usageError(`${what} "${input}" has no valid e-mail address between < and >.`, 'Write it as "Ana Diaz <ana@example.com>" or just ana@example.com.')
    return {name: name === '' ? null : name, email: email.toLowerCase()}
  }
  if (EMAIL.test(s)) return {name: null, email: s.toLowerCase()}
  if (s !== '' && !/[<>@\p{Cc}]/u.test(s) && s.length <= 200) return {name: s, email: null}
  // A social handle is how requesters from social channels are known (tix customer links it to a person).
  if (/^@[\p{L}\p{N}_.-]{1,64}$/u.test(s)) return {name: s, email: null}
  throw usageError(`${what} "${input}" is not a name or an e-mail address.`, 'Write it as "Ana Diaz <ana@example.com>" or just ana@example.com.')
}

export const formatPerson = (p: Person): string =>
  p.name && p.email ? `${p.name} <${p.email}>` : (p.email ?? p.name ?? '')

export function cleanTitle(title: string): string {
  const t = title.replace(/\s+/g, ' ').trim()
  if (t === '') throw usageError('The title is empty.', 'Give the ticket a short description: tix new "Printer on 3rd floor jams".')
  if (t.length > 300) throw usageError(`The title is ${t.length} characters long; keep it under 300 and put details in --body.`)
  return t
}

export function cleanTag(tag: string): string {
  const t = tag.trim().toLowerCase()
  if (!/^[\p{L}\p{N}][\p{L}\p{N}._:/+-]{0,63}$/u.test(t)) {
    throw usageError(`Tag "${tag}" is not valid: use letters, digits and . _ : / + - (up to 64 characters).`)
  }
  return t
}

export interface NewTicketInput {
  id: string
  title: string
  body?: string
  requester?: Person | null
  channel?: string
  priority?: string
  type?: string
  tags?: string[]
  department?: string | null
  assignee?: string | null
  /** Custom fields, already converted (fields.ts). */
  fields?: Record<string, unknown>
}

export function createTicket(input: NewTicketInput, ctx: OpContext): NewEvent {
  return {
    ...base(ctx, 'create'),
    ticket: input.id,
    title: cleanTitle(input.title),
    body: input.body ?? '',
    requester: input.requester ?? {name: null, email: ctx.by.includes('@') ? ctx.by : null},
    channel: oneOf<Channel>(CHANNELS, input.channel ?? 'cli', 'Channel'),
    priority: oneOf<Priority>(PRIORITIES, input.priority ?? 'normal', 'Priority'),
    ticketType: oneOf<TicketType>(TYPES, input.type ?? 'question', 'Type'),
    tags: [...new Set((input.tags ?? []).map(cleanTag))],
    department: input.department ?? null,
    assignee: input.assignee ?? null,
    ...(input.fields && Object.keys(input.fields).length > 0 ? {fields: input.fields} : {}),
  }
}

export interface SetInput {
  title?: string
  body?: string
  priority?: string
  type?: string
  department?: string | null
  requester?: Person
  tier?: number
  addTags?: string[]
  removeTags?: string[]
  /** Custom fields to set (converted values) and to remove. */
  fields?: Record<string, unknown>
  unsetFields?: string[]
}

/** Only what actually changes becomes an event; an empty result means "nothing to do". */
export function setFields(t: Ticket, input: SetInput, ctx: OpContext): NewEvent[] {
  const fields: Record<string, unknown> = {}
  if (input.title !== undefined && cleanTitle(input.title) !== t.title) fields.title = cleanTitle(input.title)
  if (input.body !== undefined && input.body !== t.body) fields.body = input.body
  if (input.priority !== undefined && oneOf(PRIORITIES, input.priority, 'Priority') !== t.priority) fields.priority = input.priority
  if (input.type !== undefined && oneOf(TYPES, input.type, 'Type') !== t.type) fields.ticketType = input.type
  if (input.department !== undefined && input.department !== t.department) fields.department = input.department
  if (input.tier !== undefined && input.tier !== t.tier) fields.tier = input.tier
  if (input.requester !== undefined && formatPerson(input.requester) !== formatPerson(t.requester)) fields.requester = input.requester
  const custom: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(input.fields ?? {})) if (JSON.stringify(t.fields[k]) !== JSON.stringify(v)) custom[k] = v
  for (const k of input.unsetFields ?? []) if (k in t.fields && !(k in custom)) custom[k] = null
  if (Object.keys(custom).length > 0) fields.custom = custom
  const out: NewEvent[] = []
  if (Object.keys(fields).length > 0) out.push({...base(ctx, 'set'), fields})
  const add = (input.addTags ?? []).map(cleanTag).filter((x) => !t.tags.includes(x))
  const remove = (input.removeTags ?? []).map(cleanTag).filter((x) => t.tags.includes(x))
  if (add.length > 0 || remove.length > 0) out.push({...base(ctx, 'tags'), add: [...new Set(add)], remove: [...new Set(remove)]})
  return out
}

export function assign(t: Ticket, to: string | null, ctx: OpContext): NewEvent[] {
  if (to === t.assignee) return []
  return [{...base(ctx, 'assign'), from: t.assignee, to}]
}

export const isDone = (s: Status) => s === 'resolved' || s === 'closed'

/** The lifecycle of docs/helpdesk.md: resolve needs a resolution; close needs one unless resolved. */
export function changeStatus(t: Ticket, toInput: string, opts: {resolution?: string}, ctx: OpContext): NewEvent[] {
  const to = oneOf<Status>(STATUSES, toInput, 'Status')
  const resolution = opts.resolution?.trim() || undefined
  const id = shortIdPrefix(t.id)
  if (to === t.status) return []
  if (to === 'new') throw new TixError(`A ticket cannot go back to "new" (it means nobody has acted on it yet).`, {hint: `Use: tix status ${id} open`})
  if (to === 'resolved' && resolution === undefined) {
    throw usageError('Resolving needs a resolution: what solved it stays on the ticket for next time.', `tix resolve ${id} --resolution "Replaced the fuser"`)
  }
  if (to === 'closed' && t.status !== 'resolved' && resolution === undefined) {
    throw usageError(`Closing a ${t.status} ticket needs a resolution.`, `tix close ${id} --resolution "..."`)
  }
  if (t.status === 'closed' && to !== 'open') {
    throw new TixError(`Ticket ${id} is closed; a closed ticket only reopens.`, {hint: `tix reopen ${id}`})
  }
  return [{...base(ctx, 'status'), from: t.status, to, ...(resolution === undefined ? {} : {resolution})}]
}

export function reopen(t: Ticket, ctx: OpContext): NewEvent[] {
  if (!isDone(t.status)) {
    throw new TixError(`Ticket ${shortIdPrefix(t.id)} is ${t.status}; only resolved or closed tickets reopen.`)
  }
  return [{...base(ctx, 'status'), from: t.status, to: 'open'}]
}

const cleanBody = (body: string, what: string) => {
  if (body.trim() === '') throw usageError(`The ${what} is empty.`)
  return body.replace(/\s+$/, '')
}

/**
 * A public reply. From an agent, it moves a `new` ticket to `open`; from the requester, it moves a
 * pending or resolved ticket back to `open` (the requester answered). Closed tickets take no replies.
 */
export function reply(t: Ticket, body: string, ctx: OpContext, opts: {author?: string} = {}): NewEvent[] {
  const text = cleanBody(body, 'reply')
  const id = shortIdPrefix(t.id)
  if (t.status === 'closed') {
    throw new TixError(`Ticket ${id} is closed: closed is final.`, {hint: `Reopen it (tix reopen ${id}) or open a follow-up ticket (tix new "...").`})
  }
  const author = opts.author ?? ctx.by
  const fromRequester = t.requester.email !== null && author.toLowerCase() === t.requester.email.toLowerCase()
  const out: NewEvent[] = [{...base(ctx, 'reply'), body: text, ...(opts.author ? {author: opts.author} : {})}]
  let to: Status | null = null
  if (!fromRequester && t.status === 'new') to = 'open'
  if (fromRequester && (t.status === 'pending' || t.status === 'resolved')) to = 'open'
  if (to) out.push({...base(ctx, 'status'), id: ctx.newEventId(), from: t.status, to})
  return out
}

export function note(t: Ticket, body: string, ctx: OpContext): NewEvent[] {
  return [{...base(ctx, 'note'), body: cleanBody(body, 'note')}]
}
