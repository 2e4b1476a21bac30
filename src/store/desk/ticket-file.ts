// One ticket file on the desk branch: where it lives and how its lines fold into a ticket.
import {parseEventLines, type EventBase} from '../../domain/ticket/events.js'
import {foldTicket} from '../../domain/ticket/fold.js'
import type {ThreadEntry, Ticket} from '../../domain/ticket/model.js'
import type {FileProblem} from '../cache.js'

export const ticketPath = (id: string) => `tickets/${id.slice(0, 2)}/${id}.jsonl`
const TICKET_PATH = /^tickets\/([0-9A-Z]{2})\/(\1[0-9A-Z]{8})\.jsonl$/

/** The ticket id a path on the branch holds, or null: only `tickets/<first two>/<id>.jsonl` is a ticket. */
export function ticketIdOfPath(path: string): string | null {
  return TICKET_PATH.exec(path)?.[2] ?? null
}

/** A file under tickets/ that is not at a ticket's path (e.g. tickets/ZZ/<id>.jsonl): never folded, but reported. */
export const isStrayTicketFile = (path: string) => path.startsWith('tickets/') && ticketIdOfPath(path) === null

export const strayProblem = (path: string) => ({
  path,
  line: 0,
  reason: `not a ticket file: a ticket lives at tickets/<first two characters of its id>/<id>.jsonl (ignored)`,
})

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
  let text = `${t.title} ${t.body} ${t.requester.name ?? ''} ${t.requester.email ?? ''} ${t.resolution ?? ''} ${t.tags.join(' ')}`
  for (const e of thread) text += ` ${e.body}`
  // Every run of white space becomes one space. Only the runs that are not one space already are
  // replaced: replacing every space by itself was most of the cost (an index build writes this for
  // every ticket).
  return text.replace(SPACES, ' ').toLowerCase()
}

/** A white-space character other than a space, with the white space after it; or two or more. */
const SPACES = /[^\S ]\s*|\s\s+/g

export function foldFile(id: string, path: string, raw: string, asOf?: string): LoadedTicket {
  const parsed = parseEventLines(raw)
  const problems: FileProblem[] = parsed.problems.map((p) => ({path, line: p.line, reason: p.reason}))
  const folded = foldTicket(id, parsed.events, {asOf})
  const lineOf = (e: EventBase) => parsed.lines[parsed.events.indexOf(e)] ?? 0
  for (const r of folded.rejected) problems.push({path, line: lineOf(r.event), reason: `${r.reason} (skipped)`})
  for (const e of folded.unknown) problems.push({path, line: lineOf(e), reason: `unknown event type "${e.type}" (skipped; a newer tix may know it)`})
  problems.sort((a, b) => a.line - b.line)
  return {ticket: folded.ticket, thread: folded.thread, events: folded.events, problems, raw}
}
