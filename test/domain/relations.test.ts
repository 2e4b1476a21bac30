// Ratings, links, merges and customer profiles: the rules (what events they write, what they
// refuse) and the fold (what a ticket or a profile looks like after them), with a fixed clock.
import {describe, expect, it} from 'vitest'
import {foldCustomers, parseHandle, requesterHandles} from '../../src/domain/customers/customers.js'
import {describeEvent} from '../../src/domain/ticket/describe.js'
import type {EventBase} from '../../src/domain/ticket/events.js'
import {link, merge, parseRating, rate, unlink} from '../../src/domain/ticket/relations.js'
import type {OpContext} from '../../src/domain/ticket/ticket-ops.js'
import {create, status, ticketOf, type E} from './build.js'

let n = 0
const ctx = (at = '2026-11-20T10:00:00.000Z'): OpContext => ({by: 'bob@example.com', at, newEventId: () => `EV${String(++n).padStart(6, '0')}`})
const ticket = (id: string, extra: E[] = []) => ticketOf([create('2026-11-20T08:00:00Z'), ...extra], id)

describe('rate', () => {
  it('maps a 1-5 score (4-5 good, 3 neutral, 1-2 bad) and keeps the raw score', () => {
    expect([1, 2, 3, 4, 5].map((s) => parseRating(String(s)))).toEqual([
      {rating: 'bad', score: 1},
      {rating: 'bad', score: 2},
      {rating: 'neutral', score: 3},
      {rating: 'good', score: 4},
      {rating: 'good', score: 5},
    ])
    expect(parseRating('Good')).toEqual({rating: 'good', score: null})
    expect(() => parseRating('6')).toThrow(/good, neutral, bad or a score from 1 to 5/)
    expect(() => parseRating('great')).toThrow(/Rating "great" is not valid/)
  })

  it('keeps the latest rating on the ticket; every rating stays in the log', () => {
    const t = ticketOf([
      create('2026-11-20T08:00:00Z'),
      {type: 'rate', at: '2026-11-21T08:00:00Z', rating: 'bad', score: 1, comment: 'slow'},
      {type: 'rate', at: '2026-11-22T08:00:00Z', rating: 'good', score: null, comment: 'fixed after all'},
    ])
    expect(t.satisfaction).toEqual({rating: 'good', score: null, comment: 'fixed after all', at: '2026-11-22T08:00:00Z', by: 'agent@example.com'})
    // A score without a word still counts; nonsense is ignored with a notice
    expect(ticketOf([create('2026-11-20T08:00:00Z'), {type: 'rate', at: '2026-11-21T08:00:00Z', score: 2}]).satisfaction?.rating).toBe('bad')
    const odd = ticketOf([create('2026-11-20T08:00:00Z'), {type: 'rate', at: '2026-11-21T08:00:00Z', rating: 'meh'}])
    expect(odd.satisfaction).toBeUndefined()
    expect(odd.notices[0]).toMatch(/neither good, neutral, bad nor 1-5/)
  })

  it('writes one event, and refuses a merged ticket', () => {
    const [e] = rate(ticket('TK00000001'), '4', {comment: ' thanks '}, ctx())
    expect(e).toMatchObject({type: 'rate', rating: 'good', score: 4, comment: 'thanks', at: '2026-11-20T10:00:00.000Z'})
    expect(describeEvent(e as EventBase)).toBe('rated good (4/5): thanks')
    const merged = ticket('TK00000002', [{type: 'merge', at: '2026-11-20T09:00:00Z', into: 'TK00000001'}])
    expect(() => rate(merged, 'good', {}, ctx())).toThrow(/was merged into TK000; rate that one/)
  })
})

describe('link', () => {
  it('records the relation on both tickets, each from its own end', () => {
    const a = ticket('TK00000001')
    const b = ticket('TK00000002')
    const ev = link(a, b, 'blocks', ctx())
    expect(ev.a).toMatchObject([{type: 'link', target: 'TK00000002', as: 'blocks'}])
    expect(ev.b).toMatchObject([{type: 'link', target: 'TK00000001', as: 'blocked-by'}])
    const a2 = ticketOf([create('2026-11-20T08:00:00Z'), ...(ev.a as E[])], 'TK00000001')
    expect(a2.links).toEqual([{id: 'TK00000002', as: 'blocks'}])
    // Linking again changes nothing; unlinking takes it off
    const b2 = ticketOf([create('2026-11-20T08:00:00Z'), ...(ev.b as E[])], 'TK00000002')
    expect(link(a2, b2, 'blocks', ctx())).toEqual({a: [], b: []})
    const un = unlink(a2, b2, ctx())
    expect(ticketOf([create('2026-11-20T08:00:00Z'), ...(ev.a as E[]), ...(un.a as E[])], 'TK00000001').links).toBeUndefined()
    expect(() => link(a, a, 'related', ctx())).toThrow(/cannot be linked to itself/)
  })
})

describe('merge', () => {
  const target = ticket('TK00000001')
  it('closes the source with a pointer to the target, and marks the target', () => {
    const source = ticket('TK00000002', [status('2026-11-20T09:00:00Z', 'new', 'open')])
    const ev = merge(source, target, {reason: 'same printer'}, ctx())
    expect(ev.source).toMatchObject([{type: 'merge', into: 'TK00000001', reason: 'same printer'}])
    expect(ev.target).toMatchObject([{type: 'merged-in', from: 'TK00000002', reason: 'same printer'}])
    const s = ticketOf([create('2026-11-20T08:00:00Z'), status('2026-11-20T09:00:00Z', 'new', 'open'), ...(ev.source as E[])], 'TK00000002')
    expect(s).toMatchObject({status: 'closed', mergedInto: 'TK00000001', closedAt: '2026-11-20T10:00:00.000Z', resolution: 'Merged into TK00000001'})
    expect(s.statusLog.at(-1)).toEqual({at: '2026-11-20T10:00:00.000Z', status: 'closed'})
    const t = ticketOf([create('2026-11-20T08:00:00Z'), ...(ev.target as E[])], 'TK00000001')
    expect(t.mergedFrom).toEqual(['TK00000002'])
    expect(describeEvent(ev.source[0] as EventBase)).toBe('merged into TK000 (same printer); closed')
  })

  it('refuses what would lose or tangle history', () => {
    const closed = ticket('TK00000003', [status('2026-11-20T09:00:00Z', 'new', 'closed', {resolution: 'x'})])
    expect(() => merge(closed, target, {}, ctx())).toThrow(/closed is final/)
    expect(() => merge(target, closed, {}, ctx())).toThrow(/is closed and takes no more messages/)
    expect(() => merge(target, target, {}, ctx())).toThrow(/into itself/)
    const merged = ticket('TK00000004', [{type: 'merge', at: '2026-11-20T09:00:00Z', into: 'TK00000005'}])
    expect(() => merge(merged, target, {}, ctx())).toThrow(/already merged into TK000/)
    expect(() => merge(target, merged, {}, ctx())).toThrow(/merge into that one/)
  })

  it('folds two concurrent merges of the same ticket to the later one, with a notice', () => {
    const s = ticketOf([
      create('2026-11-20T08:00:00Z'),
      {type: 'merge', at: '2026-11-20T09:00:00Z', into: 'TK00000001'},
      {type: 'merge', at: '2026-11-20T09:00:01Z', into: 'TK00000009'},
    ])
    expect(s.mergedInto).toBe('TK00000009')
    expect(s.notices.join()).toMatch(/concurrent merges/)
  })
})

describe('customers', () => {
  const ev = (id: string, at: string, type: string, extra: Record<string, unknown>): EventBase => ({v: 1, id, seq: 1, at, by: 'bob@example.com', type, ...extra})

  it('normalises handles', () => {
    expect(parseHandle('Ana@Example.COM')).toEqual({handle: 'ana@example.com', kind: 'email'})
    expect(parseHandle('@Ana_D')).toEqual({handle: '@ana_d', kind: 'social'})
    expect(parseHandle('+49 (30) 123-4567')).toEqual({handle: '+49301234567', kind: 'phone'})
    expect(parseHandle('chat:ana')).toEqual({handle: 'chat:ana', kind: 'chat'})
    expect(parseHandle('Ana Diaz')).toBeNull()
    expect(requesterHandles({requester: {name: '@ana_d', email: null}})).toEqual(['@ana_d'])
    expect(requesterHandles({requester: {name: 'Ana', email: 'Ana@example.com'}})).toEqual(['ana@example.com'])
  })

  it('joins linked handles into one profile, whatever order the links arrive in', () => {
    const links = [
      ev('L1', '2026-11-20T10:00:00Z', 'link', {handles: ['ana@example.com', '@ana_d'], channel: 'social', name: null}),
      ev('L2', '2026-11-20T11:00:00Z', 'link', {handles: ['+49301234567', '@ana_d'], channel: 'phone', name: 'Ana Diaz'}),
      ev('L3', '2026-11-20T12:00:00Z', 'link', {handles: ['ben@example.com', 'chat:ben'], channel: 'chat', name: null}),
    ]
    const a = foldCustomers(links)
    const b = foldCustomers([...links].reverse().concat(links)) // shuffled and duplicated (a union merge)
    for (const book of [a, b]) {
      const p = book.profile('@ana_d')
      expect(p.key).toBe('+49301234567')
      expect(p.name).toBe('Ana Diaz')
      expect(p.handles).toEqual([
        {handle: '+49301234567', kind: 'phone', channel: 'phone'},
        {handle: '@ana_d', kind: 'social', channel: 'social'}, // L2's "phone" names the phone number only
        {handle: 'ana@example.com', kind: 'email', channel: null},
      ])
      expect(book.profile('ana@example.com')).toBe(p)
      expect(book.profiles()).toHaveLength(2)
    }
    // --channel phone never retags the other handles of the link (it used to make @ana_d a phone)
    const one = foldCustomers([ev('L4', '2026-11-20T13:00:00Z', 'link', {handles: ['cy@example.com', '@cy', '+4930999999', 'chat:cy'], channel: 'phone', name: null})])
    expect(one.profile('@cy').handles.map((h) => `${h.handle}=${h.channel}`)).toEqual(['+4930999999=phone', '@cy=null', 'chat:cy=null', 'cy@example.com=null'])
    // A handle nobody linked is a profile of its own
    expect(foldCustomers(links).profile('zoe@example.com').handles).toEqual([{handle: 'zoe@example.com', kind: 'email', channel: null}])
  })

  it('unlink takes back the earlier links of that handle, not later ones', () => {
    const book = foldCustomers([
      ev('L1', '2026-11-20T10:00:00Z', 'link', {handles: ['ana@example.com', '@ana_d']}),
      ev('U1', '2026-11-20T11:00:00Z', 'unlink', {handle: '@ana_d'}),
      ev('L2', '2026-11-20T12:00:00Z', 'link', {handles: ['ana@example.com', '+49301234567']}),
    ])
    expect(book.profile('ana@example.com').handles.map((h) => h.handle)).toEqual(['+49301234567', 'ana@example.com'])
    expect(book.profile('@ana_d').handles.map((h) => h.handle)).toEqual(['@ana_d'])
  })
})

describe('merge and concurrent status changes', () => {
  it('a status change written without knowing of the merge does not reopen it; a deliberate reopen does', () => {
    const base = [create('2026-11-20T08:00:00Z'), {type: 'merge', at: '2026-11-20T09:00:00Z', into: 'TK00000001'} as E]
    const stale = ticketOf([...base, status('2026-11-20T09:01:00Z', 'new', 'open')])
    expect(stale.status).toBe('closed')
    expect(stale.notices.join()).toMatch(/not knowing it was merged into TK000; it stays closed/)
    expect(ticketOf([...base, status('2026-11-20T09:01:00Z', 'closed', 'open')]).status).toBe('open')
  })
})
