// Filing with a dedupe key: `tix new --dedupe-key K`, and `tix ci` on top of it. One change (one
// commit, rules included) that creates the key's ticket, or records a repeat on it.
import {TixError} from '../errors.js'
import {maxAttachmentBytes} from '../domain/ticket/attachments.js'
import {dedupeIdFromDigest, dedupeSeed, repeatNote, type KeyedAction, type OnRepeat} from '../domain/ticket/dedupe.js'
import {commitMessage} from '../domain/ticket/describe.js'
import {shortIdPrefix} from '../domain/ticket/ids.js'
import type {DeskConfig} from '../domain/config/config.js'
import {createTicket, note, reopen, type NewEvent, type NewTicketInput, type OpContext} from '../domain/ticket/ticket-ops.js'
import type {Desk, LoadedTicket} from '../store/desk.js'
import type {FileChange} from '../store/writer.js'
import {attachEvents, stageAttachments, type AttachmentInput, type StagedAttachments} from './attachments.js'

/** How many closed follow-ups of one key are walked before giving up (a key closed that often is a loop). */
const MAX_FOLLOW_UPS = 1000

/** The name of the desk that key ids derive from: desk.json `deskId`, else the desk branch's first commit. */
export async function deskKey(desk: Desk, config: DeskConfig): Promise<string> {
  return typeof config.deskId === 'string' && config.deskId !== '' ? config.deskId : desk.rootCommit()
}

/** The id of a key's ticket (followUp 0) or of its n-th follow-up: the same on every clone. */
export async function dedupeId(desk: string, key: string, followUp = 0): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(dedupeSeed(desk, key, followUp)))
  return dedupeIdFromDigest(new Uint8Array(digest))
}

export interface KeyedInput extends Omit<NewTicketInput, 'id'> {
  /** Custom fields for the ticket's `fields` (tix ci: provider, repository, run URL, ...). */
  fields?: Record<string, unknown>
}

export interface KeyedOptions {
  key: string
  onRepeat?: OnRepeat
  /** A link to what happened (a CI run): kept as the occurrence's `run`. */
  run?: string | null
  attachments?: readonly AttachmentInput[]
  /** Work out what would happen; write nothing. */
  dryRun?: boolean
}

export interface KeyedResult {
  action: KeyedAction
  /** True when the key already had a ticket (a repeat), false when this filing created it. */
  deduped: boolean
  id: string
  shortId: string
  /** The key's ticket after the change (null on a dry run that would create it). */
  ticket: LoadedTicket | null
  /** Occurrences of the key's ticket, this one included. */
  occurrences: number
  /** The closed ticket a follow-up was opened for. */
  followUpOf: string | null
  commit: string | null
  events: NewEvent[]
  rules: string[]
  messages: string[]
}

const short = shortIdPrefix
const base = (ctx: OpContext, type: string) => ({v: 1 as const, id: ctx.newEventId(), at: ctx.at, by: ctx.by, type})

/** The events a repeat writes on an existing, not closed ticket. */
function repeatEvents(current: LoadedTicket, input: KeyedInput, opts: KeyedOptions, staged: StagedAttachments | null, ctx: OpContext): {events: NewEvent[]; action: KeyedAction} {
  const t = current.ticket
  const mode = opts.onRepeat ?? 'note'
  const count = (t.occurrences?.count ?? 1) + 1
  const events: NewEvent[] = [{...base(ctx, 'occurrence'), ...(opts.run ? {run: opts.run} : {})}]
  const changed = Object.entries(input.fields ?? {}).filter(([k, v]) => t.fields[k] !== v)
  if (changed.length > 0) events.push({...base(ctx, 'set'), fields: {custom: Object.fromEntries(changed)}})
  let action: KeyedAction = 'ignored'
  if (mode !== 'ignore') {
    events.push(...note(t, repeatNote(count, {run: opts.run, title: input.title !== t.title ? input.title : undefined, body: input.body}), ctx))
    action = 'noted'
    if (mode === 'reopen' && t.status === 'resolved') {
      events.push(...reopen(t, ctx))
      action = 'reopened'
    }
  }
  if (staged) events.push(...attachEvents(t, staged, ctx))
  return {events, action}
}

/**
 * Files a ticket under a key, in one commit: creates the key's ticket; or, when it exists, adds an
 * occurrence and (by `onRepeat`) a note or a reopen; or, when it is closed, opens a follow-up linked
 * to it. Runs again on top of another process's commit, so concurrent filings in one clone agree.
 */
export async function fileKeyed(desk: Desk, input: KeyedInput, opts: KeyedOptions): Promise<KeyedResult> {
  const index = await desk.index()
  const dk = await deskKey(desk, index.config)
  const ids = new Map<number, string>()
  const idOf = async (n: number) => {
    if (!ids.has(n)) ids.set(n, await dedupeId(dk, opts.key, n))
    return ids.get(n)!
  }
  const staged = opts.attachments && opts.attachments.length > 0 ? await stageAttachments(opts.attachments, {maxBytes: maxAttachmentBytes(index.config)}) : null
  const {applyTriggers, afterCommit} = await import('./workflow/triggers.js')
  let outcome: Omit<KeyedResult, 'ticket' | 'commit' | 'events'> & {current: LoadedTicket | null; events: NewEvent[]} | null = null

  const plan = async (read: (id: string) => Promise<LoadedTicket | null>, tip: string | null) => {
    const ctx = desk.opContext()
    let previous: LoadedTicket | null = null
    for (let n = 0; n <= MAX_FOLLOW_UPS; n++) {
      const id = await idOf(n)
      const current = await read(id)
      if (current && current.ticket.dedupeKey !== opts.key) {
        throw new TixError(`Ticket ${short(id)} exists but was not filed under the key "${opts.key}".`, {hint: 'Choose another --dedupe-key.'})
      }
      if (current && current.ticket.status === 'closed') {
        previous = current
        continue
      }
      if (current) {
        const r = repeatEvents(current, input, opts, staged, ctx)
        const run = await applyTriggers(desk, id, current.events, r.events, 'update', ctx, tip)
        outcome = {action: r.action, deduped: true, id, shortId: short(id), occurrences: (current.ticket.occurrences?.count ?? 1) + 1, followUpOf: null, current, events: run.events, rules: run.fired, messages: run.messages}
        return {tickets: [{id, events: run.events}], files: staged?.files ?? []}
      }
      const created = {
        ...createTicket({...input, id}, ctx),
        dedupeKey: opts.key,
        ...(opts.run ? {run: opts.run} : {}),
        ...(input.fields && Object.keys(input.fields).length > 0 ? {fields: input.fields} : {}),
        ...(n > 0 ? {followUp: n} : {}),
      }
      const events: NewEvent[] = [created]
      if (previous) events.push({...base(ctx, 'link'), target: previous.ticket.id, as: 'related'})
      if (staged) events.push(...attachEvents(null, staged, ctx))
      const run = await applyTriggers(desk, id, [], events, 'create', ctx, tip)
      const tickets: {id: string; events: NewEvent[]; fresh?: boolean}[] = [{id, events: run.events}]
      if (previous) tickets.push({id: previous.ticket.id, events: [{...base(ctx, 'link'), target: id, as: 'related'}]})
      outcome = {action: previous ? 'follow-up' : 'created', deduped: previous !== null, id, shortId: short(id), occurrences: 1, followUpOf: previous?.ticket.id ?? null, current: null, events: run.events, rules: run.fired, messages: run.messages}
      return {tickets, files: staged?.files ?? []}
    }
    throw new TixError(`The key "${opts.key}" has more than ${MAX_FOLLOW_UPS} closed follow-ups.`, {hint: 'Reopen the last one, or use another key.'})
  }

  if (opts.dryRun) {
    const tip = desk.requireTip()
    await plan((id) => desk.readTicket(id, tip), tip)
    const o = outcome!
    return {...o, ticket: o.current, commit: null}
  }
  const res = await desk.change(async (read, tip) => {
    const p = await plan(read, tip)
    const o = outcome!
    const main = p.tickets[0]!
    const message = commitMessage(o.shortId, main.events) + (p.tickets.length > 1 ? `\n\nfollow-up of ${short(o.followUpOf!)} (key ${JSON.stringify(opts.key)})` : '')
    return {tickets: p.tickets, message, files: (p.files as FileChange[]).filter((f) => main.events.some((e) => e.type === 'attach' && f.path.endsWith(String(e.blob))))}
  })
  const o = outcome!
  if (res === null) return {...o, ticket: o.current, commit: null}
  await afterCommit(desk, res.events, res.tickets, res.commit)
  const ticket = res.tickets.get(o.id)!
  return {...o, ticket, occurrences: ticket.ticket.occurrences?.count ?? o.occurrences, commit: res.commit, events: res.events.get(o.id)!}
}

/** The key's live ticket: the newest of its ticket and follow-ups that exists (null: never filed). */
export async function keyedTicket(desk: Desk, key: string): Promise<LoadedTicket | null> {
  const index = await desk.index()
  const dk = await deskKey(desk, index.config)
  let last: LoadedTicket | null = null
  for (let n = 0; n <= MAX_FOLLOW_UPS; n++) {
    const t = await desk.readTicket(await dedupeId(dk, key, n), index.commit)
    if (!t || t.ticket.dedupeKey !== key) return last
    last = t
    if (t.ticket.status !== 'closed') return t
  }
  return last
}
