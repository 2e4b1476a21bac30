// Values stored on tickets are checked by one domain rule, whichever way they come in.
import {describe, expect, it} from 'vitest'
import {validateDesk} from '../../src/domain/config/config.js'
import * as ops from '../../src/domain/ticket/ticket-ops.js'
import {checkActor, checkAssignee, checkDepartment} from '../../src/domain/ticket/values.js'
import '../../src/domain/workflow/workflow-config.js'
import {checkNewTicket, EMPTY_FORM} from '../../src/services/queue.js'
import {newTicket, updateTicket} from '../../src/services/tickets.js'
import {updateDeskJson} from '../../src/services/workflow/desk-config.js'
import {makeDesk} from '../helpers.js'

const exitOf = async (p: Promise<unknown>) => p.then(() => 0, (e: {exitCode?: number; message: string}) => e.exitCode ?? -1)
const withDepts = {version: 1, timezone: 'UTC', departments: {it: {name: 'IT'}, facilities: {}}, agents: {'ana@example.com': {name: 'Ana'}}}

describe('department and assignee: one rule', () => {
  it('a department must be one the desk defines (with the list); otherwise a plain name', () => {
    expect(checkDepartment('IT', withDepts)).toBe('it')
    expect(() => checkDepartment('nosuch', withDepts)).toThrow('Department "nosuch" is not defined on this desk: expected one of it, facilities.')
    expect(checkDepartment('sales', {version: 1, timezone: 'UTC'})).toBe('sales')
    expect(() => checkDepartment('x\u001b[2J', {version: 1, timezone: 'UTC'})).toThrow(/not a department name/)
  })

  it('an assignee is an e-mail address without controls; a configured agent when the desk lists agents', () => {
    expect(checkAssignee('ana@example.com', {me: 'me@example.com', config: withDepts})).toBe('ana@example.com')
    expect(() => checkAssignee('bob@example.com', {me: 'x', config: withDepts})).toThrow('bob@example.com is not an agent of this desk (desk.json lists 1: ana@example.com)')
    expect(() => checkAssignee('e\u001b[31mvil@example.com', {me: 'x', config: {version: 1, timezone: 'UTC'}})).toThrow(/control characters/)
    expect(() => checkAssignee('just text', {me: 'x', config: {version: 1, timezone: 'UTC'}})).toThrow(/not an e-mail address/)
  })

  it('every write goes through it: tix new, assign and set, and the TUI form, exit 2', async () => {
    const {desk} = await makeDesk()
    await updateDeskJson(desk, 'test: departments and agents', (c) => ({...c, ...withDepts}))
    expect(await exitOf(newTicket(desk, {title: 'x', department: 'nosuch'}))).toBe(2)
    expect(await exitOf(newTicket(desk, {title: 'x', assignee: 'bob@example.com'}))).toBe(2)
    expect(await exitOf(newTicket(desk, {title: 'x', assignee: 'x\u001b]0;t\u0007'}))).toBe(2)
    const ok = await newTicket(desk, {title: 'fine', department: 'it', assignee: 'ana@example.com'})
    expect(ok.ticket.ticket.department).toBe('it')
    const id = ok.ticket.ticket.id
    expect(await exitOf(updateTicket(desk, id, (t, ctx) => ops.assign(t, 'bob@example.com', ctx)))).toBe(2)
    expect(await exitOf(updateTicket(desk, id, (t, ctx) => ops.setFields(t, {department: 'nosuch'}, ctx)))).toBe(2)
    expect(await exitOf(updateTicket(desk, id, (t, ctx) => ops.setFields(t, {department: 'facilities'}, ctx)))).toBe(0)
    const form = checkNewTicket({...EMPTY_FORM, title: 'x', department: 'nosuch', assignee: 'bob@example.com'}, {me: 'ana@example.com', config: withDepts as never})
    expect(form.input).toBeNull()
    expect(form.errors.department).toMatch(/not defined on this desk/)
    expect(form.errors.assignee).toMatch(/not an agent of this desk/)
  })
})

describe('the actor and the remote', () => {
  it('TIX_ACTOR "<>" or without an e-mail address is refused clearly', async () => {
    expect(() => checkActor('<>')).toThrow(/TIX_ACTOR "<>" is not a person with an e-mail address/)
    expect(() => checkActor('noemail')).toThrow(/TIX_ACTOR "noemail" has no e-mail address/)
    expect(checkActor('Ana Diaz <Ana@Example.com>')).toEqual({name: 'Ana Diaz', email: 'ana@example.com'})
    const {dir} = await makeDesk()
    const {Desk} = await import('../../src/store/desk.js')
    const {testIO} = await import('../helpers.js')
    for (const actor of ['<>', 'noemail']) {
      const d = await Desk.open(testIO(dir, {TIX_ACTOR: actor}))
      expect(await exitOf(newTicket(d, {title: 'x'})), actor).toBe(2)
    }
  })

  it('desk.json "remote" must be a remote name: "--upload-pack=..." fails validation', () => {
    const paths = (remote: unknown) => validateDesk({version: 1, remote}).map((p) => p.path)
    expect(paths('--upload-pack=touch /tmp/pwned')).toEqual(['remote'])
    expect(paths('-o')).toEqual(['remote'])
    expect(paths('origin')).toEqual([])
    expect(paths('upstream/team-a')).toEqual([])
  })
})
