// streamTickets (wide reads such as `tix list --all --json` on a large desk) lists exactly what
// listTickets lists, in the same order, also when it keeps only the sort keys (holdUpTo: 0).
import {describe, expect, it} from 'vitest'
import type {SortKey, TicketQuery} from '../../src/domain/queue/query.js'
import {listTickets, newTicket, streamTickets} from '../../src/services/tickets.js'
import {Desk} from '../../src/store/desk.js'
import {makeDesk, testIO, tixIn} from '../helpers.js'

describe('streamTickets', () => {
  it('gives listTickets’ tickets and totals for every sort, filter and limit, from a journal with superseded lines', async () => {
    const {dir, desk} = await makeDesk()
    const ids: string[] = []
    for (let i = 0; i < 9; i++) ids.push((await newTicket(desk, {title: `Ticket ${i}`, priority: (['low', 'normal', 'high', 'urgent'] as const)[i % 4]})).ticket.ticket.id)
    // changes append lines to the buckets: later lines win, resolved tickets move to done.jsonl
    for (const id of ids.slice(0, 4)) expect((await tixIn(dir, ['resolve', id, '-m', 'Fixed'])).code).toBe(0)
    expect((await tixIn(dir, ['set', ids[5]!, '--priority', 'urgent'])).code).toBe(0)
    expect((await tixIn(dir, ['reopen', ids[1]!])).code).toBe(0)
    expect((await tixIn(dir, ['status', ids[7]!, 'pending'])).code).toBe(0)
    const queries: TicketQuery[] = [{all: true}, {}, {statuses: ['resolved']}, {all: true, priorities: ['urgent']}, {statuses: ['pending', 'open']}]
    const sorts: SortKey[] = ['created', 'updated', 'priority', 'status', 'age', 'due']
    let compared = 0
    for (const q of queries) {
      for (const sort of sorts) {
        for (const limit of [undefined, 3]) {
          const reader = Desk.locate(testIO(dir))
          const want = await listTickets(reader, q, {sort, limit})
          for (const holdUpTo of [0, 1000]) {
            const reader = Desk.locate(testIO(dir))
            // holdUpTo 0: the buckets are also read a piece at a time and lines by offset, not whole
            if (holdUpTo === 0) reader.cache.wholeUpTo = 0
            const got = await streamTickets(reader, q, {sort, limit, holdUpTo})
            expect(got, JSON.stringify({q, sort})).not.toBeNull()
            expect({total: got!.total, count: got!.count, tickets: [...got!.tickets()]}).toEqual({total: want.total, count: want.tickets.length, tickets: want.tickets})
            compared++
          }
        }
      }
    }
    expect(compared).toBe(queries.length * sorts.length * 2 * 2)
    // the status changes above are all there
    const all = await listTickets(Desk.locate(testIO(dir)), {all: true})
    expect(all.tickets.filter((t) => t.status === 'resolved')).toHaveLength(3)
  })

  it('leaves a word search to listTickets', async () => {
    const {desk} = await makeDesk()
    await newTicket(desk, {title: 'Printer jam'})
    expect(await streamTickets(desk, {words: ['printer']})).toBeNull()
  })
})
