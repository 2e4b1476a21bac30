// Builds tickets from hand-written events, for domain tests with a fixed clock.
import type {EventBase} from '../../src/domain/ticket/events.js'
import {foldTicket} from '../../src/domain/ticket/fold.js'
import type {Ticket} from '../../src/domain/ticket/model.js'

export type E = {type: string; at: string; by?: string; [k: string]: unknown}

/** Stamps ids and seq in the order given and folds them. */
export function events(list: E[], ticketId = 'T000000001'): EventBase[] {
  // A create names its ticket: the builders' default id is replaced by the ticket being built (the fold refuses another ticket's event).
  return list.map((e, i) => ({v: 1, id: `${ticketId}-e${String(i).padStart(3, '0')}`, seq: i + 1, by: 'agent@example.com', ...e, ...('ticket' in e ? {ticket: ticketId} : {})}) as EventBase)
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

import {compileWorkflow, type Workflow} from '../../src/domain/workflow/workflow-config.js'
import type {OpContext} from '../../src/domain/ticket/ticket-ops.js'
import {deskLoad} from '../../src/domain/workflow/assignment.js'
import {Draft, type WorkflowEnv} from '../../src/domain/workflow/workflow.js'
import type {Macro} from '../../src/domain/workflow/macros.js'

/** Compiles a desk.json value; fails the test on any problem. */
export function wfOf(config: Record<string, unknown>): Workflow {
  const problems: {path: string; message: string}[] = []
  const wf = compileWorkflow({version: 1, timezone: 'UTC', ...config}, problems)
  if (problems.length > 0) throw new Error(`config problems: ${JSON.stringify(problems)}`)
  return wf
}

/** A fixed clock and counter ids: the same input gives the same events. */
export function ctxAt(at: string, by = 'agent@example.com'): OpContext {
  let n = 0
  return {by, at, newEventId: () => `EV${at.replace(/\D/g, '')}${String(++n).padStart(4, '0')}`}
}

export function envOf(wf: Workflow, tickets: Ticket[], at: string, opts: {by?: string; name?: string; macros?: Macro[]} = {}): WorkflowEnv {
  const by = opts.by ?? 'agent@example.com'
  return {wf, load: deskLoad(tickets), ctx: ctxAt(at, by), actor: {email: by, name: opts.name ?? by}, ids: [], macros: new Map((opts.macros ?? []).map((m) => [m.name, m]))}
}

/** A draft of a brand-new ticket (its create event not yet written), as `tix new` builds it. */
export function newDraft(list: E[], id = 'T000000001'): Draft {
  const d = new Draft(id, [])
  d.push(events(list, id).map(({seq: _seq, ...e}) => e))
  return d
}

/** A ticket in the desk (already written events). */
export function draftOf(list: E[], id = 'T000000001'): Draft {
  return new Draft(id, events(list, id))
}
