// What a ticket owes its requester by mail, read from its events: an acknowledgement of the
// create, every public reply of an agent, and the resolution with its survey. Internal notes are
// never among them. Claims and deliveries on the ticket say how far each message got.
import type {EventBase} from '../ticket/events.js'
import type {Ticket} from '../ticket/model.js'
import type {OpContext, NewEvent} from '../ticket/ticket-ops.js'
import {type OutKind} from './inbound.js'

export type OutState = 'due' | 'claimed' | 'waiting' | 'sent' | 'bounced' | 'gave-up' | 'stale' | 'held'

export interface OutItem {
  /** `KIND:EVENTID`: one message per event and kind, whatever happens. */
  key: string
  kind: OutKind
  ticket: string
  eventId: string
  /** When the event that calls for it happened. */
  at: string
  state: OutState
  attempts: number
  lastError: string | null
  /** When a failed message is tried again. */
  nextAt: string | null
  /** The live claim, if any. */
  claim: {id: string; by: string; gateway: string; until: string} | null
  /** Why it is held back (no acknowledgement for auto-submitted mail, ...). */
  held: string | null
}

export const MAX_ATTEMPTS = 8
/** Minutes to wait after the n-th failure. */
const BACKOFF_MIN = [1, 5, 15, 60, 180, 360, 720]
export const backoffMs = (attempts: number) => BACKOFF_MIN[Math.min(attempts, BACKOFF_MIN.length) - 1]! * 60_000

export const FINAL: ReadonlySet<OutState> = new Set(['sent', 'bounced', 'gave-up', 'stale', 'held'])

export interface MailFacts {
  messageId?: string
  noAck?: string | null
  [k: string]: unknown
}

export const mailOfEvent = (e: EventBase): MailFacts | null => (typeof e.mail === 'object' && e.mail !== null ? (e.mail as MailFacts) : null)

/** Tickets whose requester is reached by mail. */
export const mailsRequester = (t: Pick<Ticket, 'channel' | 'requester'>) => t.channel === 'email' && t.requester.email !== null

export interface OutOptions {
  now: Date
  leaseMs: number
  maxAgeMs: number
  /** Whether the ticket's department acknowledges new tickets. */
  acknowledge: (department: string | null) => boolean
}

export function outItems(t: Ticket, events: readonly EventBase[], opts: OutOptions): OutItem[] {
  if (!mailsRequester(t)) return []
  const requester = t.requester.email!.toLowerCase()
  const items = new Map<string, OutItem>()
  const add = (kind: OutKind, e: EventBase, held: string | null = null) => {
    const key = `${kind}:${e.id}`
    items.set(key, {key, kind, ticket: t.id, eventId: e.id, at: e.at, state: held ? 'held' : 'due', attempts: 0, lastError: null, nextAt: null, claim: null, held})
  }
  const failures = new Map<string, string>()
  for (const e of events) {
    if (e.type === 'create') {
      const mail = mailOfEvent(e)
      if (!mail) continue // made by hand or by another channel: nothing to acknowledge
      const dept = typeof e.department === 'string' ? e.department : null
      if (mail.noAck) add('ack', e, `no acknowledgement: ${mail.noAck}`)
      else if (!opts.acknowledge(dept)) add('ack', e, 'acknowledgements are off for this department')
      else add('ack', e)
    } else if (e.type === 'reply') {
      const author = (typeof e.author === 'string' ? e.author : e.by).toLowerCase()
      if (author === requester || mailOfEvent(e)) continue // the requester's own words, or mail that came in
      add('reply', e)
    } else if (e.type === 'status' && e.to === 'resolved') {
      add('resolved', e)
    } else if (e.type === 'mail-claim' || e.type === 'delivery') {
      const item = items.get(String(e.key))
      if (!item) continue
      if (e.type === 'mail-claim') {
        if (item.state === 'sent' || item.state === 'bounced') continue
        item.claim = {id: e.id, by: e.by, gateway: String(e.gateway ?? ''), until: String(e.until ?? e.at)}
      } else {
        item.claim = null
        if (e.result === 'sent') item.state = 'sent'
        else if (e.result === 'bounced') {
          item.state = 'bounced'
          item.lastError = typeof e.error === 'string' ? e.error : 'bounced'
        } else if (e.result === 'failed') {
          item.attempts++
          item.lastError = typeof e.error === 'string' ? e.error : 'failed'
          failures.set(item.key, e.at)
        }
      }
    }
  }
  const now = opts.now.getTime()
  for (const item of items.values()) {
    if (FINAL.has(item.state)) continue
    if (item.claim && Date.parse(item.claim.until) > now) {
      item.state = 'claimed'
      continue
    }
    item.claim = null
    if (item.attempts >= MAX_ATTEMPTS) item.state = 'gave-up'
    else if (item.attempts > 0) {
      const next = Date.parse(failures.get(item.key)!) + backoffMs(item.attempts)
      item.nextAt = new Date(next).toISOString()
      item.state = next > now ? 'waiting' : 'due'
    } else if (now - Date.parse(item.at) > opts.maxAgeMs) item.state = 'stale'
  }
  return [...items.values()]
}

/**
 * After our claim reached the shared remote: is the message ours to send? Another live claim for
 * the same key there means another gateway pushed its claim first (and is sending it).
 */
export function claimIsOurs(events: readonly EventBase[], key: string, ourClaimId: string, now: Date): boolean {
  let ours = false
  const others: EventBase[] = []
  for (const e of events) {
    if (e.key !== key) continue
    if (e.type === 'delivery') {
      others.length = 0
      ours = false
      if (e.result === 'sent' || e.result === 'bounced') return false
    } else if (e.type === 'mail-claim') {
      if (e.id === ourClaimId) ours = true
      else if (Date.parse(String(e.until ?? e.at)) > now.getTime()) others.push(e)
    }
  }
  return ours && others.length === 0
}

const base = (ctx: OpContext, type: string) => ({v: 1 as const, id: ctx.newEventId(), at: ctx.at, by: ctx.by, type})

export function claimEvent(key: string, gateway: string, leaseMs: number, ctx: OpContext): NewEvent {
  return {...base(ctx, 'mail-claim'), key, gateway, until: new Date(Date.parse(ctx.at) + leaseMs).toISOString()}
}

export function deliveryEvent(
  key: string,
  result: {result: 'sent' | 'failed' | 'bounced'; messageId: string | null; error?: string | null; to?: string[]},
  ctx: OpContext,
): NewEvent {
  return {
    ...base(ctx, 'delivery'),
    key,
    messageId: result.messageId,
    result: result.result,
    ...(result.error ? {error: result.error.slice(0, 500)} : {}),
    ...(result.to ? {to: result.to.slice(0, 50)} : {}),
  }
}

