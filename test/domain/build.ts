// Builds tickets from hand-written events, for domain tests with a fixed clock.
import type {EventBase} from '../../src/domain/events.js'
import {foldTicket} from '../../src/domain/fold.js'
import type {Ticket} from '../../src/domain/model.js'

export type E = {type: string; at: string; by?: string; [k: string]: unknown}

/** Stamps ids and seq in the order given and folds them. */
export function events(list: E[], ticketId = 'T000000001'): EventBase[] {
  return list.map((e, i) => ({v: 1, id: `${ticketId}-e${String(i).padStart(3, '0')}`, seq: i + 1, by: 'agent@example.com', ...e}) as EventBase)
}

export function ticketOf(list: E[], id = 'T000000001'): Ticket {
  return foldTicket(id, events(list, id)).ticket
}

export const create = (at: string, extra: Record<string, unknown> = {}): E => ({
  type: 'create',
  at,
  by: 'ana@example.com',
  ticket: 'T000000001',
  title: 'Printer jams',
  body: '',
  requester: {name: 'Ana Diaz', email: 'ana@example.com'},
  channel: 'email',
  priority: 'normal',
  ticketType: 'incident',
  tags: [],
  department: 'it',
  assignee: null,
  ...extra,
})

export const status = (at: string, from: string, to: string, extra: Record<string, unknown> = {}): E => ({type: 'status', at, from, to, ...extra})
export const reply = (at: string, by: string, extra: Record<string, unknown> = {}): E => ({type: 'reply', at, by, body: 'text', ...extra})
export const priority = (at: string, p: string): E => ({type: 'set', at, fields: {priority: p}})
