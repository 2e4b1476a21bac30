// Custom fields in-process: desk.json's `fields` section, conversion, rule conditions, list filters,
// `report --by field:KEY`, and bulk changes that set them in one commit.
import {describe, expect, it} from 'vitest'
import {validateDesk} from '../../src/domain/config/config.js'
import {parseFieldArgs} from '../../src/domain/ticket/fields.js'
import '../../src/domain/workflow/workflow-config.js'
import {updateTickets} from '../../src/services/bulk.js'
import {runReport} from '../../src/services/reports.js'
import {listTickets, newTicket} from '../../src/services/tickets.js'
import {updateDeskJson} from '../../src/services/workflow/desk-config.js'
import * as ops from '../../src/domain/ticket/ticket-ops.js'
import {git, makeDesk} from '../helpers.js'

const SPECS = {plan: {type: 'enum' as const, values: ['free', 'pro']}, seats: {type: 'number' as const}, vip: {type: 'boolean' as const}, renewal: {type: 'date' as const}}

describe('custom fields', () => {
  it('desk.json fields: every problem named by its JSON path', () => {
    const problems = validateDesk({fields: {plan: {type: 'enum'}, 'bad key': {type: 'string'}, seats: {type: 'number', values: ['1']}, x: {type: 'string', colour: 1}}})
    expect(problems.map((p) => p.path)).toEqual(['fields.plan.values', 'fields.bad key', 'fields.seats.values', 'fields.x.colour'])
    expect(validateDesk({fields: SPECS})).toEqual([])
  })

  it('values are converted by their declared type and checked', () => {
    expect(parseFieldArgs(['plan=pro', 'seats=12', 'vip=yes', 'renewal=2026-12-24', 'order=NW-1'], SPECS)).toEqual({plan: 'pro', seats: 12, vip: true, renewal: '2026-12-24', order: 'NW-1'})
    expect(() => parseFieldArgs(['plan=gold'], SPECS)).toThrow(/expected one of free, pro/)
    expect(() => parseFieldArgs(['seats=many'], SPECS)).toThrow(/expected a number/)
    expect(() => parseFieldArgs(['renewal=soon'], SPECS)).toThrow(/expected a date/)
    expect(() => parseFieldArgs(['1x=a'], SPECS)).toThrow(/key "1x" is not valid/)
    expect(() => parseFieldArgs(['noequals'], SPECS)).toThrow(/not key=value/)
  })

  it('rules test them, list filters them, report groups by them; a bulk set writes one commit', async () => {
    const {dir, desk} = await makeDesk({TIX_NOW: '2026-11-10T10:00:00Z'})
    await updateDeskJson(desk, 'fields and a rule', (c) => ({
      ...c,
      fields: SPECS,
      rules: [{name: 'pro is high', on: ['create', 'update'], if: {fields: {plan: 'pro'}}, then: {priority: 'high'}}],
    }))
    const a = await newTicket(desk, {title: 'A', fields: {plan: 'pro'}})
    const b = await newTicket(desk, {title: 'B', fields: {plan: 'free'}})
    const c = await newTicket(desk, {title: 'C'})
    expect(a.ticket.ticket.priority).toBe('high')
    expect(b.ticket.ticket.priority).toBe('normal')
    expect((await listTickets(desk, {fields: {plan: ['free', 'pro']}})).tickets.map((t) => t.title).sort()).toEqual(['A', 'B'])
    const before = git(dir, 'rev-parse', 'tix').trim()
    const res = await updateTickets(desk, [b.shortId, c.ticket.ticket.id], {kind: 'op', op: (t, ctx) => ops.setFields(t, {fields: {plan: 'pro'}}, ctx)})
    expect(git(dir, 'rev-list', '--count', `${before}..tix`).trim()).toBe('1')
    expect(res.items.map((i) => [i.ticket.ticket.fields.plan, i.ticket.ticket.priority])).toEqual([['pro', 'high'], ['pro', 'high']])
    await updateTickets(desk, [c.shortId], {kind: 'op', op: (t, ctx) => ops.setFields(t, {unsetFields: ['plan']}, ctx)})
    const report = await runReport(desk, {by: 'field:plan', metrics: ['created']})
    const row = (g: string) => report.rows.find((r) => r.group === g)?.created
    expect(report.groups).toEqual(['free', 'pro', '(none)'])
    expect([row('free'), row('pro'), row('(none)')]).toEqual([0, 2, 1])
  })

  it('bulk: an unknown id or a refused change writes nothing', async () => {
    const {dir, desk} = await makeDesk()
    const a = await newTicket(desk, {title: 'A'})
    const tip = git(dir, 'rev-parse', 'tix').trim()
    await expect(updateTickets(desk, [a.shortId, 'ZZZZZ'], {kind: 'op', op: (t, ctx) => ops.note(t, 'x', ctx)})).rejects.toMatchObject({exitCode: 3})
    await expect(updateTickets(desk, [a.shortId, a.shortId], {kind: 'op', op: (t, ctx) => ops.reopen(t, ctx)})).rejects.toThrow(/only resolved or closed/)
    expect(git(dir, 'rev-parse', 'tix').trim()).toBe(tip)
  })
})
