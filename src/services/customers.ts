// Customer profiles: the link log on the desk branch, and every ticket whose requester is one of a
// profile's handles. Tickets are only read; their requester fields are never rewritten.
import {channelFits, CUSTOMERS_PATH, foldCustomers, linkHandles, requesterHandles, requireHandle, unlinkHandle, type CustomerBook, type CustomerProfile} from '../domain/customers/customers.js'
import {parseEventLines, serializeEvent, type EventBase} from '../domain/ticket/events.js'
import type {Channel, TicketSummary} from '../domain/ticket/model.js'
import type {NewEvent} from '../domain/ticket/ticket-ops.js'
import type {Desk, DeskIndex} from '../store/desk.js'

async function readLog(desk: Desk, commit: string | null): Promise<{raw: string; events: EventBase[]}> {
  if (commit === null) return {raw: '', events: []}
  const raw = (await desk.readFile(CUSTOMERS_PATH, commit))?.toString('utf8') ?? ''
  const parsed = parseEventLines(raw)
  for (const p of parsed.problems.slice(0, 3)) desk.io.warn(`${CUSTOMERS_PATH}:${p.line}: ${p.reason}`)
  return {raw, events: parsed.events}
}

export async function customerBook(desk: Desk, commit = desk.requireTip()): Promise<CustomerBook> {
  return foldCustomers((await readLog(desk, commit)).events)
}

export interface CustomerView {
  profile: CustomerProfile
  /** Newest first. */
  tickets: TicketSummary[]
  index: DeskIndex
}

export async function showCustomer(desk: Desk, handleInput: string): Promise<CustomerView> {
  const handle = requireHandle(handleInput)
  const index = await desk.index({done: true})
  const book = await customerBook(desk, index.commit)
  const profile = book.profile(handle.handle)
  const mine = new Set(profile.handles.map((h) => h.handle))
  const tickets = [...Object.values(index.open), ...Object.values(index.done ?? {})].filter((t) => requesterHandles(t).some((h) => mine.has(h)))
  tickets.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? -1 : 1))
  return {profile, tickets, index}
}

/** Appends to the link log in one commit (re-read and retried if the branch moved meanwhile). */
async function appendLog(desk: Desk, make: (book: CustomerBook) => NewEvent | null, message: (e: NewEvent) => string): Promise<{event: NewEvent | null; book: CustomerBook; commit: string | null}> {
  let event: NewEvent | null = null
  let after: CustomerBook = foldCustomers([])
  const res = await desk.change(async (_read, tip) => {
    const log = await readLog(desk, tip)
    event = make(foldCustomers(log.events))
    if (event === null) {
      after = foldCustomers(log.events)
      return null
    }
    const stamped = {...event, seq: Math.max(0, ...log.events.map((e) => e.seq)) + 1} as EventBase
    let raw = log.raw
    if (raw !== '' && !raw.endsWith('\n')) raw += '\n'
    raw += serializeEvent(stamped) + '\n'
    after = foldCustomers([...log.events, stamped])
    return {tickets: [], message: message(event), files: [{path: CUSTOMERS_PATH, content: raw}]}
  })
  return {event: res === null ? null : event, book: after, commit: res?.commit ?? null}
}

export async function linkCustomer(desk: Desk, inputs: string[], opts: {channel?: string; name?: string}) {
  const handles = inputs.map(requireHandle)
  const res = await appendLog(
    desk,
    (book) => {
      const e = linkHandles(handles, opts, desk.opContext())
      // Already one profile, and no new name or channel to record: nothing to write.
      const p = book.profile(handles[0]!.handle)
      const together = handles.every((h) => p.handles.some((x) => x.handle === h.handle))
      const sameName = !opts.name || p.name === opts.name.trim()
      const sameChannel = !opts.channel || handles.every((h) => !channelFits(h.kind, opts.channel as Channel) || p.handles.find((x) => x.handle === h.handle)?.channel === opts.channel)
      return together && sameName && sameChannel ? null : e
    },
    () => `Customer: link ${handles.map((h) => h.handle).join(' + ')}${opts.channel ? ` (${opts.channel})` : ''}`,
  )
  return {...res, profile: res.book.profile(handles[0]!.handle)}
}

export async function unlinkCustomer(desk: Desk, input: string) {
  const handle = requireHandle(input)
  const res = await appendLog(
    desk,
    (book) => (book.profile(handle.handle).handles.length > 1 ? unlinkHandle(handle, desk.opContext()) : null),
    () => `Customer: unlink ${handle.handle}`,
  )
  return {...res, profile: res.book.profile(handle.handle)}
}
