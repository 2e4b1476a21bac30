// Links and merges: changes that touch two tickets, written in one commit. And the thread of a
// merge target, which shows the messages of the tickets merged into it (read from their files).
import {TixError} from '../errors.js'
import {commitMessage} from '../domain/ticket/describe.js'
import {shortIdPrefix} from '../domain/ticket/ids.js'
import type {Ticket} from '../domain/ticket/model.js'
import {link, merge, unlink} from '../domain/ticket/relations.js'
import type {LinkKind} from '../domain/ticket/model.js'
import type {NewEvent, OpContext} from '../domain/ticket/ticket-ops.js'
import {formatPerson} from '../domain/ticket/ticket-ops.js'
import type {Desk, LoadedTicket} from '../store/desk.js'

const short = shortIdPrefix

export interface PairChange {
  a: LoadedTicket
  b: LoadedTicket
  events: {a: NewEvent[]; b: NewEvent[]}
  commit: string | null
}

/** Applies `op` to two tickets as they are at the moment of writing, and commits both sides at once. */
async function changePair(
  desk: Desk,
  aInput: string,
  bInput: string,
  op: (a: Ticket, b: Ticket, ctx: OpContext) => {a: NewEvent[]; b: NewEvent[]},
  message: (a: string, b: string, events: {a: NewEvent[]; b: NewEvent[]}) => string,
): Promise<PairChange> {
  const index = await desk.index()
  const aId = await desk.resolveId(aInput, index)
  const bId = await desk.resolveId(bInput, index)
  let unchanged: {a: LoadedTicket; b: LoadedTicket} | null = null
  let events: {a: NewEvent[]; b: NewEvent[]} = {a: [], b: []}
  const res = await desk.change(async (read) => {
    const a = await read(aId)
    const b = await read(bId)
    if (!a || !b) throw new TixError(`Ticket ${short(a ? bId : aId)} is listed but its file is missing on the desk branch.`, {hint: 'Run `tix doctor`.'})
    events = op(a.ticket, b.ticket, desk.opContext())
    if (events.a.length === 0 && events.b.length === 0) {
      unchanged = {a, b}
      return null
    }
    return {
      tickets: [
        {id: aId, events: events.a},
        {id: bId, events: events.b},
      ],
      message: message(short(aId), short(bId), events),
    }
  })
  if (res === null) return {...unchanged!, events: {a: [], b: []}, commit: null}
  const get = async (id: string) => res.tickets.get(id) ?? (await desk.readTicket(id, res.commit))!
  return {a: await get(aId), b: await get(bId), events, commit: res.commit}
}

export function linkTickets(desk: Desk, a: string, b: string, kind: LinkKind): Promise<PairChange> {
  return changePair(
    desk,
    a,
    b,
    (x, y, ctx) => link(x, y, kind, ctx),
    (sa, sb, ev) => commitMessage(ev.a.length > 0 ? sa : sb, (ev.a.length > 0 ? ev.a : ev.b) as never),
  )
}

export function unlinkTickets(desk: Desk, a: string, b: string): Promise<PairChange> {
  return changePair(
    desk,
    a,
    b,
    (x, y, ctx) => unlink(x, y, ctx),
    (sa, sb, ev) => commitMessage(ev.a.length > 0 ? sa : sb, (ev.a.length > 0 ? ev.a : ev.b) as never),
  )
}

export function mergeTickets(desk: Desk, source: string, target: string, opts: {reason?: string}): Promise<PairChange> {
  return changePair(
    desk,
    source,
    target,
    (s, t, ctx) => {
      const r = merge(s, t, opts, ctx)
      return {a: r.source, b: r.target}
    },
    (ss, st, ev) => `${commitMessage(ss, ev.a as never)}\n\n${st}: merged ${ss} into this ticket`,
  )
}

/** A message of a ticket merged into another, as the target's thread shows it. */
export interface MergedEntry {
  /** The merged ticket it comes from. */
  from: string
  fromTitle: string
  eventId: string
  /** `request`: the merged ticket's own description. */
  kind: 'request' | 'reply' | 'note'
  public: boolean
  author: string
  at: string
  body: string
}

/**
 * The messages of every ticket merged into `l` (and of tickets merged into those), in time order.
 * Read from the merged tickets' own files: merging never copies or rewrites an event.
 */
export async function mergedThread(desk: Desk, l: LoadedTicket, commit: string, asOf?: string): Promise<MergedEntry[]> {
  const out: MergedEntry[] = []
  const seen = new Set<string>([l.ticket.id])
  const queue = [...(l.ticket.mergedFrom ?? [])]
  while (queue.length > 0) {
    const id = queue.shift()!
    if (seen.has(id)) continue
    seen.add(id)
    const src = await desk.readTicket(id, commit, asOf).catch(() => null)
    if (!src || src.events.length === 0) continue
    const t = src.ticket
    if (t.body.trim() !== '' || t.title !== '') {
      out.push({
        from: id,
        fromTitle: t.title,
        eventId: src.events.find((e) => e.type === 'create')?.id ?? `${id}:create`,
        kind: 'request',
        public: true,
        author: formatPerson(t.requester) || t.createdBy,
        at: t.createdAt,
        body: t.body.trim() === '' ? t.title : t.body,
      })
    }
    for (const e of src.thread) out.push({from: id, fromTitle: t.title, eventId: e.eventId, kind: e.kind, public: e.public, author: e.author, at: e.at, body: e.body})
    queue.push(...(t.mergedFrom ?? []))
  }
  return out.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.eventId < b.eventId ? -1 : 1))
}
