// Issue 9, item 6: a damaged cache is not trusted, and a ticket file at a wrong path is reported.
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {Desk} from '../../src/store/desk.js'
import {listTickets, newTicket} from '../../src/services/tickets.js'
import {git, makeDesk, testIO, tix} from '../helpers.js'

describe('the cache knows when it is incomplete', () => {
  it('an emptied open.jsonl, or one line deleted from it, does not hide tickets', async () => {
    const {dir, desk} = await makeDesk()
    for (let i = 0; i < 3; i++) await newTicket(desk, {title: `T${i}`})
    const titles = (await listTickets(Desk.locate(testIO(dir)), {})).tickets.map((t) => t.title).sort()
    expect(titles).toEqual(['T0', 'T1', 'T2'])
    const open = join(desk.cache.dir, 'open.jsonl')
    writeFileSync(open, '')
    expect((await listTickets(Desk.locate(testIO(dir)), {})).tickets.map((t) => t.title).sort()).toEqual(titles)
    const lines = readFileSync(open, 'utf8').split('\n')
    writeFileSync(open, lines.slice(1).join('\n'))
    expect((await listTickets(Desk.locate(testIO(dir)), {})).tickets.map((t) => t.title).sort()).toEqual(titles)
  })

  it('a ticket file at a wrong path is ignored the same way by every reader, and doctor reports it', async () => {
    const {dir, desk} = await makeDesk()
    const res = await newTicket(desk, {title: 'Real'})
    const id = res.ticket.ticket.id
    const raw = git(dir, 'show', `tix:tickets/${id.slice(0, 2)}/${id}.jsonl`).replace(id, 'QQQQQQQQQQ')
    const fake = `tickets/ZZ/QQQQQQQQQQ.jsonl`
    await desk.commitFiles([{path: fake, content: raw}], 'a file at a wrong path')
    const cold = Desk.locate(testIO(dir))
    cold.clearCache()
    expect((await listTickets(cold, {})).tickets.map((t) => t.title)).toEqual(['Real'])
    const d = tix(dir, ['doctor', '--json'])
    expect(d.code).toBe(1)
    expect(d.json().problems).toEqual([expect.objectContaining({path: fake, reason: expect.stringMatching(/not a ticket file/)})])
  })
})
