// Customers (docs/helpdesk.md "Customers"): a person with several handles (e-mails, chat or social
// handles, phones). Linking handles makes one profile of their tickets; a ticket's requester is never
// rewritten. The links are an append-only event log (customers/links.jsonl on the desk branch), so
// two clones that link handles concurrently converge by the union merge of the file: the profiles
// are the connected groups of handles over every `link` that no later `unlink` took back.
import {usageError} from '../../errors.js'
import {compareEvents, type EventBase} from '../ticket/events.js'
import {CHANNELS, type Channel, type TicketSummary} from '../ticket/model.js'
import type {NewEvent, OpContext} from '../ticket/ticket-ops.js'

export const CUSTOMERS_PATH = 'customers/links.jsonl'

export type HandleKind = 'email' | 'social' | 'phone' | 'chat'

export interface Handle {
  /** Normalised: e-mails lower-cased, "@name" lower-cased, phones as "+" and digits, "chat:name". */
  handle: string
  kind: HandleKind
}

const EMAIL = /^[^\s<>@"(),;:]+@[^\s<>@"(),;:]+\.[^\s<>@"(),;:]+$/
const SOCIAL = /^@[\p{L}\p{N}_.-]{1,64}$/u
const PHONE = /^\+?[\d\s().-]{5,30}$/
const CHAT = /^chat:[\p{L}\p{N}_.@-]{1,64}$/u

/** A handle as a person types it, or null when it is none of the known forms. */
export function parseHandle(input: string): Handle | null {
  const s = input.trim()
  if (EMAIL.test(s)) return {handle: s.toLowerCase(), kind: 'email'}
  if (SOCIAL.test(s)) return {handle: s.toLowerCase(), kind: 'social'}
  if (CHAT.test(s)) return {handle: s.toLowerCase(), kind: 'chat'}
  if (PHONE.test(s)) {
    const digits = s.replace(/\D/g, '')
    if (digits.length >= 5 && digits.length <= 20) return {handle: `${s.startsWith('+') ? '+' : ''}${digits}`, kind: 'phone'}
  }
  return null
}

export function requireHandle(input: string): Handle {
  const h = parseHandle(input)
  if (h === null) {
    throw usageError(
      `"${input}" is not a customer handle: use an e-mail (ana@example.com), a social handle (@ana_d), a phone (+49 30 1234567) or chat:NAME.`,
      'For example: tix customer show ana@example.com, or tix customer link ana@example.com @ana_d --channel social',
    )
  }
  return h
}

/**
 * The handles a ticket's requester is known by: the e-mail, and the name when it is itself a
 * handle (tickets from social, chat or phone channels carry "@ana_d" or "+4930..." as the name).
 */
export function requesterHandles(t: Pick<TicketSummary, 'requester'>): string[] {
  const out: string[] = []
  if (t.requester.email) out.push(t.requester.email.toLowerCase())
  if (t.requester.name) {
    const h = parseHandle(t.requester.name)
    if (h && !out.includes(h.handle)) out.push(h.handle)
  }
  return out
}

/**
 * The handles a link's channel names: those of its kind (phone numbers for phone, @names for social,
 * chat:NAME or @names for chat); for the other channels every handle that is not an e-mail (an
 * e-mail is its own channel). `link ana@x @ana_d +4930... --channel phone` tags the phone only.
 */
export function channelFits(kind: HandleKind, channel: Channel): boolean {
  if (kind === 'email') return false
  if (channel === 'phone') return kind === 'phone'
  if (channel === 'social') return kind === 'social'
  if (channel === 'chat') return kind === 'chat' || kind === 'social'
  return kind !== 'phone'
}

export function linkHandles(handles: Handle[], opts: {channel?: string; name?: string}, ctx: OpContext): NewEvent {
  if (handles.length < 2) throw usageError('Give at least two handles to link.', 'tix customer link ana@example.com @ana_d --channel social')
  const channel = opts.channel === undefined ? null : opts.channel.trim().toLowerCase()
  if (channel !== null && !(CHANNELS as readonly string[]).includes(channel)) {
    throw usageError(`--channel "${opts.channel}" is not valid: expected one of ${CHANNELS.join(', ')}.`)
  }
  if (channel !== null && !handles.some((h) => channelFits(h.kind, channel as Channel))) {
    throw usageError(`--channel ${channel} names none of these handles: ${channel === 'phone' ? 'give a phone number' : channel === 'social' ? 'give an @handle' : 'give a handle that is not an e-mail'}, or leave --channel out.`, 'tix customer link ana@example.com "+49 30 1234567" --channel phone')
  }
  const unique = [...new Set(handles.map((h) => h.handle))]
  if (unique.length < 2) throw usageError('Those are the same handle: give two different ones.')
  const name = opts.name?.trim() || null
  return {v: 1, id: ctx.newEventId(), at: ctx.at, by: ctx.by, type: 'link', handles: unique, channel, name}
}

export function unlinkHandle(handle: Handle, ctx: OpContext): NewEvent {
  return {v: 1, id: ctx.newEventId(), at: ctx.at, by: ctx.by, type: 'unlink', handle: handle.handle}
}

export interface CustomerProfile {
  /** The profile's smallest handle: stable for the same set of handles on every clone. */
  key: string
  name: string | null
  handles: {handle: string; kind: HandleKind; channel: Channel | null}[]
}

export interface CustomerBook {
  /** The profile a handle belongs to (a handle nobody linked is a profile of its own). */
  profile(handle: string): CustomerProfile
  profiles(): CustomerProfile[]
}

/**
 * Folds the link log: dedup by id, canonical order, then union-find over the links that no later
 * unlink of either end cancelled. Pure and total: lines it does not understand are skipped.
 */
export function foldCustomers(input: readonly EventBase[]): CustomerBook {
  const seen = new Set<string>()
  const events = input.filter((e) => (seen.has(e.id) ? false : (seen.add(e.id), true))).sort(compareEvents)
  const unlinkedAt = new Map<string, number>() // handle -> position of its last unlink
  events.forEach((e, i) => {
    if (e.type === 'unlink' && typeof e.handle === 'string') unlinkedAt.set(e.handle, i)
  })
  const parent = new Map<string, string>()
  const find = (h: string): string => {
    let r = h
    while (parent.has(r) && parent.get(r) !== r) r = parent.get(r)!
    parent.set(h, r)
    return r
  }
  const channelOf = new Map<string, Channel>()
  events.forEach((e, i) => {
    if (e.type !== 'link' || !Array.isArray(e.handles)) return
    const hs = (e.handles as unknown[]).filter((h): h is string => typeof h === 'string' && parseHandle(h)?.handle === h)
    const live = hs.filter((h) => (unlinkedAt.get(h) ?? -1) < i)
    if (live.length < 2) return
    for (const h of live) if (!parent.has(h)) parent.set(h, h)
    const root = live.map(find).sort()[0]!
    for (const h of live) parent.set(find(h), root)
    if (typeof e.channel === 'string' && (CHANNELS as readonly string[]).includes(e.channel)) {
      // The channel names the handles that are not e-mails (an e-mail is its own channel).
      for (const h of live) if (channelFits(parseHandle(h)!.kind, e.channel as Channel)) channelOf.set(h, e.channel as Channel)
    }
  })
  // Keys must not depend on link order: re-root every group at its smallest handle.
  const groups = new Map<string, string[]>()
  for (const h of parent.keys()) {
    const r = find(h)
    groups.set(r, [...(groups.get(r) ?? []), h])
  }
  const byHandle = new Map<string, CustomerProfile>()
  const all: CustomerProfile[] = []
  for (const members of groups.values()) {
    members.sort()
    const profile: CustomerProfile = {
      key: members[0]!,
      name: null,
      handles: members.map((h) => ({handle: h, kind: parseHandle(h)!.kind, channel: channelOf.get(h) ?? null})),
    }
    all.push(profile)
    for (const h of members) byHandle.set(h, profile)
  }
  // The latest name given with a link that touches a profile names it.
  const named = new Set<CustomerProfile>()
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!
    if (e.type !== 'link' || typeof e.name !== 'string' || e.name.trim() === '' || !Array.isArray(e.handles)) continue
    for (const h of e.handles as unknown[]) {
      const p = typeof h === 'string' ? byHandle.get(h) : undefined
      if (p && !named.has(p)) {
        p.name = e.name.trim()
        named.add(p)
      }
    }
  }
  all.sort((a, b) => (a.key < b.key ? -1 : 1))
  return {
    profile(handle) {
      const known = byHandle.get(handle)
      if (known) return known
      const h = parseHandle(handle)
      return {key: handle, name: null, handles: [{handle, kind: h?.kind ?? 'email', channel: null}]}
    },
    profiles: () => all,
  }
}
