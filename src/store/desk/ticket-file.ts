// One ticket file on the desk branch: where it lives and how its lines fold into a ticket.
import {parseEventLines, type EventBase} from '../../domain/events.js'
import {foldTicket} from '../../domain/fold.js'
import type {ThreadEntry, Ticket} from '../../domain/model.js'
import type {FileProblem} from '../cache.js'

export const ticketPath = (id: string) => `tickets/${id.slice(0, 2)}/${id}.jsonl`
export const TICKET_PATH = /^tickets\/[0-9A-Z]{2}\/([0-9A-Z]{10})\.jsonl$/

export interface LoadedTicket {
  ticket: Ticket
  thread: ThreadEntry[]
  events: EventBase[]
  problems: FileProblem[]
  /** The file as stored, to append to. */
  raw: string
}

/** Lower-cased words of everything a person might search for in a ticket. */
export function searchText(t: Ticket, thread: readonly ThreadEntry[]): string {
  const parts = [t.title, t.body, t.requester.name ?? '', t.requester.email ?? '', t.resolution ?? '', t.tags.join(' ')]
  for (const e of thread) parts.push(e.body)
  return parts.join(' ').replace(/\s+/g, ' ').toLowerCase()
}

export function foldFile(id: string, path: string, raw: string, asOf?: string): LoadedTicket {
  const parsed = parseEventLines(raw)
  const problems: FileProblem[] = parsed.problems.map((p) => ({path, line: p.line, reason: p.reason}))
  const folded = foldTicket(id, parsed.events, {asOf})
  for (const e of folded.unknown) {
    const line = parsed.lines[parsed.events.indexOf(e)] ?? 0
    problems.push({path, line, reason: `unknown event type "${e.type}" (skipped; a newer tix may know it)`})
  }
  return {ticket: folded.ticket, thread: folded.thread, events: folded.events, problems, raw}
}
