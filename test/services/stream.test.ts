// streamTickets (wide reads such as `tix list --all --json` on a large desk) lists exactly what
// listTickets lists, in the same order, also when it keeps only the sort keys (holdUpTo: 0).
import {describe, expect, it} from 'vitest'
import type {SortKey, TicketQuery} from '../../src/domain/queue/query.js'
import {listRows, listTickets, newTicket, streamTickets} from '../../src/services/tickets.js'
import type {TicketRow} from '../../src/domain/ticket/summary-text.js'
import {updateDeskJson} from '../../src/services/workflow/desk-config.js'
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
            const got = await streamTickets(reader, q, {sort, limit, holdUpTo, plainFrom: 0})
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

  it('listRows gives the rows of listTickets’ tickets, in the same order, for every sort and limit, read whole or in pieces', async () => {
    const {dir, desk} = await makeDesk()
    const ids: string[] = []
    const titles = ['Printer "jams"', 'VPN \\ drops', 'Спулер печати', 'الطابعة لا تعمل', 'tab\there']
    for (let i = 0; i < 10; i++) ids.push((await newTicket(desk, {title: titles[i % titles.length]!, priority: (['low', 'normal', 'high', 'urgent'] as const)[i % 4], ...(i % 3 === 0 ? {assignee: 'ana@example.com', department: 'it'} : {})})).ticket.ticket.id)
    for (const id of ids.slice(0, 4)) expect((await tixIn(dir, ['resolve', id, '-m', 'Fixed'])).code).toBe(0)
    expect((await tixIn(dir, ['set', ids[6]!, '--priority', 'urgent'])).code).toBe(0)
    let compared = 0
    for (const q of [{all: true}, {}]) for (const sort of ['created', 'updated', 'priority', 'status', 'age'] as const) {
      for (const limit of [undefined, 4]) {
        const want = await listTickets(Desk.locate(testIO(dir)), q, {sort, limit})
        const pick = (t: TicketRow) => ({id: t.id, title: t.title, status: t.status, priority: t.priority, createdAt: t.createdAt, updatedAt: t.updatedAt, assignee: t.assignee, department: t.department})
        // whole: the buckets read in one piece and the rows kept; else in pieces, only the sort keys kept
        for (const whole of [true, false]) {
          const reader = Desk.locate(testIO(dir))
          if (!whole) reader.cache.wholeUpTo = 0
          const got = await listRows(reader, q, {sort, limit, plainFrom: 0, holdUpTo: whole ? 1000 : 0})
          expect(got).not.toBeNull()
          expect({total: got!.total, count: got!.count, rows: [...got!.rows()].map(pick)}).toEqual({total: want.total, count: want.tickets.length, rows: want.tickets.map(pick)})
          compared++
        }
      }
    }
    expect(compared).toBe(40)
    // a filter, a working view or SLA policies need more than a row: listTickets then
    expect(await listRows(desk, {all: true, priorities: ['urgent']}, {plainFrom: 0})).toBeNull()
    expect(await listRows(desk, {statuses: ['open']}, {plainFrom: 0})).toBeNull()
    expect(await listRows(desk, {all: true}, {sort: 'due', plainFrom: 0})).toBeNull()
    // a short list is parsed (as fast, and the parsing path is the one every filter takes)
    expect(await listRows(desk, {all: true})).toBeNull()
  })

  it('listRows leaves an agent’s working view to listTickets, and lists for others', async () => {
    const {dir, desk} = await makeDesk({TIX_ACTOR: 'Ana Diaz <ana@example.com>'})
    await updateDeskJson(desk, 'Agents', (c) => ({...c, departments: {it: {name: 'IT'}, hr: {name: 'HR'}}, agents: {'ana@example.com': {name: 'Ana Diaz', departments: ['it']}}}))
    await newTicket(desk, {title: 'Printer', department: 'it'})
    await newTicket(desk, {title: 'Payslip', department: 'hr'})
    expect(await listRows(Desk.locate(testIO(dir, {TIX_ACTOR: 'Ana Diaz <ana@example.com>'})), {}, {scope: true, plainFrom: 0})).toBeNull()
    const other = await listRows(Desk.locate(testIO(dir, {TIX_ACTOR: 'Bo Lind <bo@example.com>'})), {}, {scope: true, plainFrom: 0})
    expect([...other!.rows()].map((t) => t.title).sort()).toEqual(['Payslip', 'Printer'])
  })

  it('leaves a word search to listTickets', async () => {
    const {desk} = await makeDesk()
    await newTicket(desk, {title: 'Printer jam'})
    expect(await streamTickets(desk, {words: ['printer']})).toBeNull()
  })
})
