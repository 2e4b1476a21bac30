// Use cases of the interactive queue (the TUI). Every change goes through the same service and the
// same rule as its CLI command (updateTicket + src/domain/ticket/ticket-ops.ts, newTicket), so a change
// made in the TUI is exactly the change `tix reply|note|assign|status|resolve|close|reopen|set|new` makes.
import {usageError} from '../errors.js'
import type {DeskConfig} from '../domain/config/config.js'
import {describeEvent} from '../domain/ticket/describe.js'
import {shortId} from '../domain/ticket/ids.js'
import {CHANNELS, PRIORITIES, TYPES, type TicketSummary} from '../domain/ticket/model.js'
import {rate} from '../domain/ticket/relations.js'
import * as ops from '../domain/ticket/ticket-ops.js'
import type {Desk, DeskIndex, LoadedTicket} from '../store/desk.js'
import {newTicket, updateTicket, type TicketChange} from './tickets.js'

/** The index the queue shows, with the resolved/closed and search-text parts only when asked for. */
export function loadQueue(desk: Desk, want: {done?: boolean; text?: boolean} = {}): Promise<DeskIndex> {
  return desk.index(want)
}

/** One ticket with its thread, at a given commit (the one the queue shows). */
export async function loadTicket(desk: Desk, id: string, commit?: string): Promise<LoadedTicket | null> {
  return desk.readTicket(id, commit)
}

/** One line saying what changed, the same words as the CLI prints after a mutation. */
export function changeLine(res: TicketChange, ids: readonly string[]): string {
  const sid = shortId(ids.includes(res.ticket.ticket.id) ? ids : [...ids, res.ticket.ticket.id].sort(), res.ticket.ticket.id)
  if (res.events.length === 0) return `${sid}: nothing changed.`
  return `${sid}: ${res.events.map((e) => describeEvent(e as never)).join('; ')}.`
}

// ------------------------------------------------------------------ agents

// The assignee and department rules live in the domain (src/domain/ticket/values.ts): the CLI, the TUI's
// picker and every write (services/tickets.ts) use the same ones.
export {checkAssignee, configuredAgents, type AgentChoice} from '../domain/ticket/values.js'
import {checkAssignee, checkDepartment, configuredAgents, type AgentChoice} from '../domain/ticket/values.js'

/** Who a ticket can be handed to: you first, then the desk's agents, then everyone seen assigned. */
export function knownAssignees(tickets: Iterable<TicketSummary>, config: DeskConfig, me: string): AgentChoice[] {
  const seen = new Map<string, AgentChoice>()
  seen.set(me.toLowerCase(), {id: me, label: `me (${me})`})
  for (const a of configuredAgents(config)) if (!seen.has(a.id)) seen.set(a.id, a)
  const counts = new Map<string, number>()
  for (const t of tickets) if (t.assignee) counts.set(t.assignee, (counts.get(t.assignee) ?? 0) + 1)
  const others = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
  for (const [id] of others) if (!seen.has(id.toLowerCase())) seen.set(id.toLowerCase(), {id, label: id})
  return [...seen.values()]
}

// ------------------------------------------------------------------ changes (one per CLI command)

export const replyTo = (desk: Desk, id: string, body: string) => updateTicket(desk, id, (t, ctx) => ops.reply(t, body, ctx))
export const addNote = (desk: Desk, id: string, body: string) => updateTicket(desk, id, (t, ctx) => ops.note(t, body, ctx))
export const assignTo = (desk: Desk, id: string, to: string | null) => updateTicket(desk, id, (t, ctx) => ops.assign(t, to, ctx))
export const setStatus = (desk: Desk, id: string, status: string, resolution?: string) =>
  updateTicket(desk, id, (t, ctx) => ops.changeStatus(t, status, {resolution}, ctx))
export const reopenTicket = (desk: Desk, id: string) => updateTicket(desk, id, (t, ctx) => ops.reopen(t, ctx))
export const rateTicket = (desk: Desk, id: string, rating: string, comment?: string) => updateTicket(desk, id, (t, ctx) => rate(t, rating, {comment}, ctx))
export const setPriority = (desk: Desk, id: string, priority: string) => updateTicket(desk, id, (t, ctx) => ops.setFields(t, {priority}, ctx))

/** "+vpn -printer hw" -> add vpn and hw, remove printer (commas work too). */
export function parseTagEdit(text: string): {add: string[]; remove: string[]} {
  const add: string[] = []
  const remove: string[] = []
  for (const word of text.split(/[\s,]+/).filter(Boolean)) {
    if (word.startsWith('-')) remove.push(ops.cleanTag(word.slice(1)))
    else add.push(ops.cleanTag(word.startsWith('+') ? word.slice(1) : word))
  }
  if (add.length === 0 && remove.length === 0) throw usageError('Type tags to add (vpn or +vpn) or remove (-vpn).')
  return {add, remove}
}

export function editTags(desk: Desk, id: string, text: string): Promise<TicketChange> {
  const {add, remove} = parseTagEdit(text)
  return updateTicket(desk, id, (t, ctx) => ops.setFields(t, {addTags: add, removeTags: remove}, ctx))
}

// ------------------------------------------------------------------ new ticket

export interface NewTicketForm {
  title: string
  body: string
  requester: string
  priority: string
  type: string
  channel: string
  department: string
  tags: string
  assignee: string
}

export const EMPTY_FORM: NewTicketForm = {title: '', body: '', requester: '', priority: 'normal', type: 'question', channel: 'cli', department: '', tags: '', assignee: ''}

export const FORM_CHOICES = {priority: PRIORITIES, type: TYPES, channel: CHANNELS} as const

export type FormErrors = Partial<Record<keyof NewTicketForm, string>>

/**
 * Checks the form with the same rules `tix new` applies (title, requester, tags, priority, type,
 * channel), so every problem can be shown next to its field before anything is written.
 */
export function checkNewTicket(form: NewTicketForm, ctx: {me: string; config: DeskConfig}): {input: Parameters<typeof newTicket>[1] | null; errors: FormErrors} {
  const errors: FormErrors = {}
  const attempt = <T>(field: keyof NewTicketForm, fn: () => T): T | undefined => {
    try {
      return fn()
    } catch (error) {
      errors[field] = (error as Error).message
      return undefined
    }
  }
  const title = attempt('title', () => ops.cleanTitle(form.title))
  const requester = form.requester.trim() === '' ? undefined : attempt('requester', () => ops.parsePerson(form.requester, 'The requester'))
  const tags = attempt('tags', () => form.tags.split(/[\s,]+/).filter(Boolean).map(ops.cleanTag))
  attempt('priority', () => ops.oneOf(PRIORITIES, form.priority, 'Priority'))
  attempt('type', () => ops.oneOf(TYPES, form.type, 'Type'))
  attempt('channel', () => ops.oneOf(CHANNELS, form.channel, 'Channel'))
  const assignee = form.assignee.trim() === '' ? null : attempt('assignee', () => checkAssignee(form.assignee, ctx))
  const department = form.department.trim() === '' ? null : attempt('department', () => checkDepartment(form.department, ctx.config))
  if (Object.keys(errors).length > 0) return {input: null, errors}
  return {
    input: {
      title: title!,
      body: form.body.replace(/\s+$/, ''),
      requester,
      channel: form.channel,
      priority: form.priority,
      type: form.type,
      tags,
      department: department ?? null,
      assignee: assignee ?? null,
    },
    errors,
  }
}

export async function createTicket(desk: Desk, form: NewTicketForm, ctx: {me: string; config: DeskConfig}): Promise<TicketChange> {
  const {input, errors} = checkNewTicket(form, ctx)
  if (!input) {
    const [field, message] = Object.entries(errors)[0]!
    throw usageError(message, undefined, {field, errors})
  }
  return newTicket(desk, input)
}
