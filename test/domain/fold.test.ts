import {describe, expect, it} from 'vitest'
import {parseEventLines, serializeEvent, type EventBase} from '../../src/domain/ticket/events.js'
import {foldTicket} from '../../src/domain/ticket/fold.js'
import * as ops from '../../src/domain/ticket/ticket-ops.js'

const ID = '7K3F9AAAAA'
let n = 0
const ctx = (at: string, by = 'agent@example.com'): ops.OpContext => ({at, by, newEventId: () => `E${String(++n).padStart(4, '0')}`})

/** Appends events the way the store does: seq = 1 + the largest seq so far. */
function log(...batches: ops.NewEvent[][]): EventBase[] {
  const out: EventBase[] = []
  for (const b of batches) {
    let seq = Math.max(0, ...out.map((e) => e.seq))
    for (const e of b) out.push({...e, seq: ++seq} as EventBase)
  }
  return out
}

const created = () =>
  ops.createTicket(
    {id: ID, title: ' Printer  jams ', body: 'Since Monday', requester: ops.parsePerson('Ana Diaz <ANA@example.com>'), channel: 'email', priority: 'high', type: 'incident', tags: ['Printer'], department: 'it'},
    ctx('2026-11-02T09:00:00.000Z', 'ci@example.com'),
  )

describe('fold', () => {
  it('given a create, folds the fields as given', () => {
    const {ticket} = foldTicket(ID, log([created()]))
    expect(ticket).toMatchObject({
      id: ID,
      title: 'Printer jams',
      status: 'new',
      priority: 'high',
      type: 'incident',
      channel: 'email',
      requester: {name: 'Ana Diaz', email: 'ana@example.com'},
      tags: ['printer'],
      department: 'it',
      createdAt: '2026-11-02T09:00:00.000Z',
      createdBy: 'ci@example.com',
      firstResponseAt: null,
    })
  })

  it('when an agent replies to a new ticket, it opens and counts as the first response', () => {
    const t0 = foldTicket(ID, log([created()])).ticket
    const replied = ops.reply(t0, 'Restarted the spooler', ctx('2026-11-02T10:00:00.000Z'))
    expect(replied.map((e) => e.type)).toEqual(['reply', 'status'])
    const {ticket, thread} = foldTicket(ID, log([created()], replied))
    expect(ticket.status).toBe('open')
    expect(ticket.firstResponseAt).toBe('2026-11-02T10:00:00.000Z')
    expect(thread).toEqual([expect.objectContaining({kind: 'reply', public: true, author: 'agent@example.com', body: 'Restarted the spooler'})])
  })

  it('a reply from the requester is not a response, and moves pending back to open', () => {
    const base = log([created()])
    const t0 = foldTicket(ID, base).ticket
    const pending = ops.changeStatus(t0, 'pending', {}, ctx('2026-11-02T10:00:00.000Z'))
    const t1 = foldTicket(ID, log([created()], pending)).ticket
    const answer = ops.reply(t1, 'Still broken', ctx('2026-11-02T11:00:00.000Z', 'system'), {author: 'ana@example.com'})
    const {ticket} = foldTicket(ID, log([created()], pending, answer))
    expect(ticket.firstResponseAt).toBeNull()
    expect(ticket.status).toBe('open')
  })

  it('enforces the lifecycle: resolution required, reopen only from resolved/closed, closed takes no replies', () => {
    const t0 = foldTicket(ID, log([created()])).ticket
    expect(() => ops.changeStatus(t0, 'resolved', {}, ctx('2026-11-02T10:00:00.000Z'))).toThrow(/resolution/)
    expect(() => ops.changeStatus(t0, 'closed', {}, ctx('2026-11-02T10:00:00.000Z'))).toThrow(/resolution/)
    expect(() => ops.reopen(t0, ctx('2026-11-02T10:00:00.000Z'))).toThrow(/only resolved or closed/)
    expect(() => ops.changeStatus(t0, 'done', {}, ctx('2026-11-02T10:00:00.000Z'))).toThrow(/not valid/)
    const resolve = ops.changeStatus(t0, 'resolved', {resolution: 'Replaced the fuser'}, ctx('2026-11-02T10:00:00.000Z'))
    const t1 = foldTicket(ID, log([created()], resolve)).ticket
    expect(t1).toMatchObject({status: 'resolved', resolution: 'Replaced the fuser', resolvedAt: '2026-11-02T10:00:00.000Z'})
    const close = ops.changeStatus(t1, 'closed', {}, ctx('2026-11-03T10:00:00.000Z'))
    const t2 = foldTicket(ID, log([created()], resolve, close)).ticket
    expect(t2).toMatchObject({status: 'closed', closedAt: '2026-11-03T10:00:00.000Z', resolution: 'Replaced the fuser'})
    expect(() => ops.reply(t2, 'hello', ctx('2026-11-04T10:00:00.000Z'))).toThrow(/closed/)
    const reopen = ops.reopen(t2, ctx('2026-11-05T10:00:00.000Z'))
    const t3 = foldTicket(ID, log([created()], resolve, close, reopen)).ticket
    expect(t3).toMatchObject({status: 'open', reopenCount: 1, resolvedAt: null, closedAt: null, resolution: 'Replaced the fuser'})
  })

  it('is the same whatever order the lines arrived in, and ignores repeated lines', () => {
    const t0 = foldTicket(ID, log([created()])).ticket
    const a = ops.setFields(t0, {priority: 'urgent', addTags: ['hw']}, ctx('2026-11-02T10:00:00.000Z'))
    const b = ops.assign(t0, 'bob@example.com', ctx('2026-11-02T10:00:01.000Z'))
    const events = log([created()], a, b)
    expect(events).toHaveLength(4)
    const shuffled = [events[3]!, events[0]!, events[2]!, events[1]!, events[3]!, events[0]!]
    expect(foldTicket(ID, shuffled)).toEqual(foldTicket(ID, events))
    expect(foldTicket(ID, events).ticket).toMatchObject({priority: 'urgent', tags: ['printer', 'hw'], assignee: 'bob@example.com'})
  })

  it('concurrent edits: last writer wins by (seq, at, id), and concurrent tag adds both survive', () => {
    const c = created()
    const base: EventBase = {...c, seq: 1} as EventBase
    const t0 = foldTicket(ID, [base]).ticket
    // Two clones write seq 2 at the same time.
    const left = {...ops.setFields(t0, {priority: 'low', addTags: ['left']}, ctx('2026-11-02T10:00:00.000Z'))[0]!, seq: 2} as EventBase
    const leftTags = {...ops.setFields(t0, {addTags: ['left']}, ctx('2026-11-02T10:00:00.000Z'))[0]!, seq: 3} as EventBase
    const right = {...ops.setFields(t0, {priority: 'urgent'}, ctx('2026-11-02T10:00:05.000Z'))[0]!, seq: 2} as EventBase
    const rightTags = {...ops.setFields(t0, {addTags: ['right']}, ctx('2026-11-02T10:00:05.000Z'))[0]!, seq: 3} as EventBase
    const {ticket} = foldTicket(ID, [base, right, rightTags, left, leftTags])
    expect(ticket.priority).toBe('urgent') // later `at` wins the tie on seq
    expect(ticket.tags.sort()).toEqual(['left', 'printer', 'right'])
  })

  it('two concurrent closes fold without throwing and are noticed', () => {
    const c = {...created(), seq: 1} as EventBase
    const t0 = foldTicket(ID, [c]).ticket
    const x = {...ops.changeStatus(t0, 'closed', {resolution: 'A'}, ctx('2026-11-02T10:00:00.000Z'))[0]!, seq: 2} as EventBase
    const y = {...ops.changeStatus(t0, 'resolved', {resolution: 'B'}, ctx('2026-11-02T10:00:01.000Z'))[0]!, seq: 2} as EventBase
    const {ticket} = foldTicket(ID, [c, x, y])
    expect(ticket.status).toBe('resolved')
    expect(ticket.notices.join('\n')).toMatch(/concurrent/)
  })

  it('--as-of ignores later events', () => {
    const t0 = foldTicket(ID, log([created()])).ticket
    const events = log([created()], ops.changeStatus(t0, 'pending', {}, ctx('2026-11-10T10:00:00.000Z')))
    expect(foldTicket(ID, events, {asOf: '2026-11-05T00:00:00.000Z'}).ticket.status).toBe('new')
    expect(foldTicket(ID, events).ticket.status).toBe('pending')
  })

  it('reports bad lines with their line number, keeps unknown fields, and skips unknown events', () => {
    const good = serializeEvent({...created(), seq: 1, future: {x: 1}} as unknown as EventBase)
    const text = [good, '{not json', '[1,2]', '{"v":1,"id":"x"}', JSON.stringify({v: 1, id: 'Z1', seq: 2, at: '2026-11-03T00:00:00.000Z', by: 'a', type: 'teleport'})].join('\n')
    const parsed = parseEventLines(text)
    expect(parsed.problems.map((p) => p.line)).toEqual([2, 3, 4])
    expect(parsed.problems[0]!.reason).toMatch(/not valid JSON/)
    expect(parsed.events[0]!.future).toEqual({x: 1})
    const folded = foldTicket(ID, parsed.events)
    expect(folded.unknown.map((e) => e.type)).toEqual(['teleport'])
    expect(folded.ticket.title).toBe('Printer jams')
  })

  it('a history without its create event still folds', () => {
    const e = {v: 1, id: 'X1', seq: 5, at: '2026-11-03T00:00:00.000Z', by: 'a', type: 'status', from: 'new', to: 'open'} as EventBase
    const {ticket} = foldTicket(ID, [e])
    expect(ticket.status).toBe('open')
    expect(ticket.notices.join()).toMatch(/create event is missing/)
  })
})

describe('input rules', () => {
  it('parses requesters and rejects what is not a name or an e-mail', () => {
    expect(ops.parsePerson('Ana Diaz <ana@example.com>')).toEqual({name: 'Ana Diaz', email: 'ana@example.com'})
    expect(ops.parsePerson('"Diaz, Ana" <ana@example.com>')).toEqual({name: 'Diaz, Ana', email: 'ana@example.com'})
    expect(ops.parsePerson('ana@example.com')).toEqual({name: null, email: 'ana@example.com'})
    expect(ops.parsePerson('Ana')).toEqual({name: 'Ana', email: null})
    for (const bad of ['<>', 'Ana <not-an-email>', 'a@b', '', 'x\u001b[2Jy']) expect(() => ops.parsePerson(bad)).toThrow()
  })

  it('rejects empty titles and bad tags', () => {
    expect(() => ops.cleanTitle('   ')).toThrow(/empty/)
    expect(() => ops.cleanTag('has space')).toThrow(/not valid/)
    expect(ops.cleanTag('VPN')).toBe('vpn')
  })

  it('setFields writes only what changes', () => {
    const t = foldTicket(ID, log([created()])).ticket
    expect(ops.setFields(t, {priority: 'high', addTags: ['printer'], department: 'it'}, ctx('2026-11-02T10:00:00.000Z'))).toEqual([])
    expect(ops.assign(t, null, ctx('2026-11-02T10:00:00.000Z'))).toEqual([])
  })
})
