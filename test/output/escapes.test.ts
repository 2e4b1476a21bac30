// Item: raw escape sequences must not reach a terminal by any path: table cells in pipes, commit
// messages and authors (`git log tix`), and JSON (a raw U+009B is a one-byte CSI).
import {describe, expect, it} from 'vitest'
import {Chalk} from 'chalk'
import {writeJsonLine} from '../../commands/base.js'
import type {TicketSummary} from '../../src/domain/ticket/model.js'
import * as ops from '../../src/domain/ticket/ticket-ops.js'
import {escapeJsonControls, jsonText} from '../../src/output/json.js'
import {ticketTable} from '../../src/output/tickets.js'
import {newTicket, updateTicket} from '../../src/services/tickets.js'
import {Desk} from '../../src/store/desk.js'
import {git, makeDesk, testIO, tixIn} from '../helpers.js'

 
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/
const EVIL = 'x\u001b]0;pwned\u0007\u001b[2J\u009b31m\ry'

function ticket(over: Partial<TicketSummary>): TicketSummary {
  return {
    id: '0123456789', title: 'Printer', body: '', status: 'open', priority: 'normal', type: 'question', channel: 'email',
    requester: {name: null, email: 'a@example.com'}, assignee: null, department: null, tags: [], tier: 1, fields: {},
    createdAt: '2026-01-01T00:00:00.000Z', createdBy: 'a@example.com', updatedAt: '2026-01-01T00:00:00.000Z',
    firstResponseAt: null, resolvedAt: null, closedAt: null, resolution: null, replyCount: 0, noteCount: 0, reopenCount: 0,
    satisfaction: null, notices: [], ...over,
  } as TicketSummary
}

describe('no raw control sequence reaches the terminal', () => {
  it('table cells: assignee, department and extra columns, in a pipe and on a terminal', () => {
    const t = ticket({assignee: EVIL, department: EVIL, title: EVIL})
    const extra = [{header: 'SLA', cell: () => ({text: EVIL})}]
    for (const tty of [false, true]) {
      const lines = ticketTable([t], [t.id], {now: new Date('2026-01-02T00:00:00Z'), color: new Chalk({level: 0}), columns: 200, tty, extra})
      for (const l of lines) expect(l, JSON.stringify(l)).not.toMatch(RAW)
      expect(lines.at(-1)).toContain('\\x1b]0;pwned')
    }
  })

  it('JSON: C1 controls and DEL are written as \\u escapes; the document parses to the same text', () => {
    const value = {title: EVIL, list: Array.from({length: 300}, () => 'a\u009bb\u007f')}
    expect(jsonText(value)).not.toMatch(RAW)
    expect(JSON.parse(jsonText(value))).toEqual(value)
    expect(escapeJsonControls(JSON.stringify('\u0085'))).toBe('"\\u0085"')
    let out = ''
    writeJsonLine(value, (c) => (out += escapeJsonControls(c)))
    expect(out).not.toMatch(RAW)
    expect(JSON.parse(out)).toEqual(value)
  })

  it('commit messages and authors: reply and note bodies, titles and the actor, as `git log tix` shows them', async () => {
    // TIX_ACTOR with controls is refused (test/domain/values.test.ts); git's user.name is not ours to refuse
    const {dir} = await makeDesk()
    git(dir, 'config', 'user.name', 'Mal\u001b[31mory\u009b2J')
    git(dir, 'config', 'user.email', 'mallory@example.com')
    const desk = await Desk.open(testIO(dir, {TIX_ACTOR: ''}))
    const made = await newTicket(desk, {title: `Hello ${EVIL}`})
    await updateTicket(desk, made.ticket.ticket.id, (t, ctx) => ops.reply(t, `Thanks ${EVIL}\nsecond line`, ctx))
    await updateTicket(desk, made.ticket.ticket.id, (t, ctx) => ops.note(t, `Internal ${EVIL}`, ctx))
    const log = git(dir, 'log', '--format=%an <%ae>%n%B', 'tix')
    expect(log).not.toMatch(RAW)
    expect(log).toContain('Thanks x\\x1b]0;pwned')
    expect(log).toContain('Mal\\x1b[31mory')
    // the events themselves keep the text as written: only what is shown is neutralised
    const file = git(dir, 'show', `tix:${(await import('../../src/store/desk.js')).ticketPath(made.ticket.ticket.id)}`)
    expect(file).toContain('\\u001b]0;pwned')
  })

  it('the built CLI: --json in a pipe and the pipe table of tix list', async () => {
    const {dir} = await makeDesk()
    const made = await tixIn(dir, ['new', `Raw \u009b31m CSI`, '--json'])
    expect(made.code).toBe(0)
    expect(made.stdout).not.toMatch(RAW)
    expect(made.stdout).toContain('\\u009b31m')
    expect(made.json().ticket.title).toBe('Raw \u009b31m CSI')
    const list = await tixIn(dir, ['list'])
    expect(list.stdout).not.toMatch(RAW)
    expect(list.stdout).toContain('Raw \\x9b31m CSI')
  })
})
