// Issue 9, item 7: the fold validates the fields it folds. A line that would turn into "NaNy ago",
// a seq of 1e+308, "[object Object]" or another ticket's event is reported and skipped.
import {describe, expect, it} from 'vitest'
import {isIsoInstant, MAX_SEQ, nextSeq, parseEventLines, type EventBase} from '../../src/domain/ticket/events.js'
import {foldTicket} from '../../src/domain/ticket/fold.js'
import {foldFile, ticketPath} from '../../src/store/desk.js'

const ID = '7K3F9AAAAA'
const create = {v: 1, id: 'E1', seq: 1, at: '2026-11-02T09:00:00.000Z', by: 'ana@example.com', type: 'create', ticket: ID, title: 'Printer jams', body: 'x', requester: {name: null, email: 'ana@example.com'}}
const reply = (over: Record<string, unknown> = {}) => ({v: 1, id: 'E2', seq: 2, at: '2026-11-02T10:00:00.000Z', by: 'agent@example.com', type: 'reply', body: 'Restarted it', ...over})
const file = (...events: object[]) => events.map((e) => JSON.stringify(e)).join('\n') + '\n'
const fold = (...events: object[]) => foldFile(ID, ticketPath(ID), file(...events))

describe('events that cannot be folded are reported and skipped', () => {
  it('an event type named like a member of every object is unknown, and the rest of the file folds', () => {
    for (const type of ['constructor', 'toString', 'valueOf', '__proto__', '__defineGetter__', 'hasOwnProperty']) {
      const l = fold(create, {v: 1, id: 'E5', seq: 2, at: '2026-11-02T10:00:00.000Z', by: 'a@example.com', type}, reply({id: 'E6', seq: 3}))
      expect(l.ticket.replyCount, type).toBe(1)
      expect(l.problems, type).toEqual([{path: ticketPath(ID), line: 2, reason: `unknown event type "${type}" (skipped; a newer tix may know it)`}])
    }
  })

  it('a time that is not ISO-8601 UTC', () => {
    for (const at of ['not-a-date', '2026-02-30T00:00:00Z', '2026-11-02', '2026-11-02T10:00:00+02:00', '']) {
      const l = fold(create, reply({at}))
      expect(l.ticket.replyCount, at).toBe(0)
      expect(l.ticket.updatedAt).toBe('2026-11-02T09:00:00.000Z')
      expect(l.problems, at).toEqual([{path: ticketPath(ID), line: 2, reason: expect.stringMatching(/"at" is not an ISO-8601 UTC time/)}])
    }
    expect(isIsoInstant('2026-11-02T10:00:00Z')).toBe(true)
    expect(isIsoInstant('2026-11-02T10:00:00.123Z')).toBe(true)
    expect(isIsoInstant('2024-02-29T00:00:00Z')).toBe(true)
    expect(isIsoInstant('2026-02-29T00:00:00Z')).toBe(false)
    for (const bad of ['1900-02-29T00:00:00Z', '2026-04-31T00:00:00Z', '2026-13-01T00:00:00Z', '2026-00-10T00:00:00Z', '2026-01-00T00:00:00Z', '2026-01-01T24:00:00Z', '2026-01-01T10:60:00Z', '2026-01-01T10:00:60Z']) expect(isIsoInstant(bad), bad).toBe(false)
    for (const good of ['2000-02-29T00:00:00Z', '2026-12-31T23:59:59.999Z', '2026-06-30T12:00:00Z']) expect(isIsoInstant(good), good).toBe(true)
  })

  it('a seq that is huge, negative or not whole', () => {
    for (const seq of [1e308, -1, 1.5, MAX_SEQ + 1]) {
      const l = fold(create, reply({seq}))
      expect(l.ticket.replyCount, String(seq)).toBe(0)
      expect(l.problems[0]?.reason, String(seq)).toMatch(/"seq" must be a whole number/)
    }
    // a writer never goes past the largest seq, so a log that reached it stays writable
    expect(nextSeq(MAX_SEQ)).toBe(MAX_SEQ)
    expect(nextSeq(41)).toBe(42)
    const atMax = fold(create, reply({seq: MAX_SEQ}), reply({id: 'E3', seq: nextSeq(MAX_SEQ), at: '2026-11-02T11:00:00.000Z', body: 'later'}))
    expect(atMax.thread.map((t) => t.body)).toEqual(['Restarted it', 'later'])
    expect(atMax.problems).toEqual([])
  })

  it('an object where text belongs', () => {
    const l = fold(create, reply({body: {html: '<b>hi</b>'}}), reply({id: 'E3', seq: 3, type: 'note', body: ['a']}))
    expect(l.thread).toEqual([])
    expect(l.problems.map((p) => [p.line, p.reason])).toEqual([
      [2, expect.stringMatching(/"body" of a reply event must be text, not an object/)],
      [3, expect.stringMatching(/"body" of a note event must be text, not a list/)],
    ])
    const set = fold(create, {v: 1, id: 'E4', seq: 2, at: '2026-11-02T10:00:00.000Z', by: 'a@example.com', type: 'set', fields: {title: {x: 1}}})
    expect(set.ticket.title).toBe('Printer jams')
    expect(set.problems[0]?.reason).toMatch(/fields.title/)
  })

  it('an event naming another ticket', () => {
    const other = {...create, id: 'E9', ticket: 'ZZZZZZZZZZ', title: 'Someone else'}
    const l = fold(create, other)
    expect(l.ticket.title).toBe('Printer jams')
    expect(l.ticket.notices).toEqual([]) // not even "a second create event": it was never this ticket's
    expect(l.problems[0]).toMatchObject({line: 2, reason: expect.stringMatching(/names another ticket/)})
  })

  it('a duplicate id with other contents: the same one kept on every clone, the other reported', () => {
    const a = reply({body: 'genuine'})
    const b = reply({body: 'forged'})
    const one = foldTicket(ID, [create, a, b] as EventBase[])
    const two = foldTicket(ID, [create, b, a] as EventBase[])
    expect(one.thread.map((t) => t.body)).toEqual(two.thread.map((t) => t.body))
    expect(one.thread).toHaveLength(1)
    expect(one.rejected).toHaveLength(1)
    expect(one.rejected[0]!.reason).toMatch(/a second event with id "E2" and other contents/)
    // the same line twice (a union merge may repeat one) is one event and no problem
    const same = foldTicket(ID, [create, a, {...a}] as EventBase[])
    expect(same.thread).toHaveLength(1)
    expect(same.rejected).toEqual([])
  })

  it('parseEventLines keeps a valid log untouched', () => {
    const parsed = parseEventLines(file(create, reply()))
    expect(parsed.problems).toEqual([])
    expect(parsed.events).toHaveLength(2)
  })
})
