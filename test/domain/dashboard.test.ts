import {describe, expect, it} from 'vitest'
import {dashboard, lastDays, zonedMidnight} from '../../src/domain/reports/dashboard.js'
import {emptyTicket} from '../../src/domain/ticket/fold.js'
import type {TicketSummary} from '../../src/domain/ticket/model.js'

let n = 0
const t = (over: Partial<TicketSummary>): TicketSummary => ({...emptyTicket(`T${String(++n).padStart(9, '0')}`), title: 'x', createdAt: '2026-03-10T10:00:00.000Z', ...over})
const now = new Date('2026-03-12T12:00:00.000Z') // a Thursday

describe('dashboard', () => {
  it('counts by status and, for unresolved tickets, by department', () => {
    const d = dashboard(
      [
        t({status: 'new', department: 'it'}),
        t({status: 'open', department: 'it', assignee: 'a@x.io'}),
        t({status: 'pending', department: null}),
        t({status: 'resolved', department: 'it', resolvedAt: '2026-03-11T09:00:00.000Z'}),
        t({status: 'closed', department: 'hr'}),
      ],
      {now, timeZone: 'UTC', complete: true},
    )
    expect(d.byStatus).toEqual({new: 1, open: 1, pending: 1, 'on-hold': 0, resolved: 1, closed: 1})
    expect(d.unresolved).toBe(3)
    expect(d.total).toBe(5)
    expect(d.departments).toEqual([
      {department: 'it', unresolved: 2, unassigned: 1},
      {department: null, unresolved: 1, unassigned: 1},
    ])
  })

  it('counts created and resolved per day over the last 7 days, in the desk time zone', () => {
    const d = dashboard(
      [
        t({createdAt: '2026-03-12T08:00:00.000Z'}),
        t({createdAt: '2026-03-11T23:30:00.000Z'}), // 12 March in Berlin
        t({createdAt: '2026-03-05T23:30:00.000Z'}), // 6 March in Berlin: the first day shown
        t({createdAt: '2026-03-01T00:00:00.000Z', status: 'resolved', resolvedAt: '2026-03-10T12:00:00.000Z'}),
      ],
      {now, timeZone: 'Europe/Berlin', complete: true},
    )
    expect(d.week.map((w) => w.day)).toEqual(['2026-03-06', '2026-03-07', '2026-03-08', '2026-03-09', '2026-03-10', '2026-03-11', '2026-03-12'])
    expect(d.week.map((w) => w.label)).toEqual(['Fri', 'Sat', 'Sun', 'Mon', 'Tue', 'Wed', 'Thu'])
    expect(d.week.map((w) => w.created)).toEqual([1, 0, 0, 0, 0, 0, 2])
    expect(d.week.map((w) => w.resolved)).toEqual([0, 0, 0, 0, 1, 0, 0])
  })

  it('lists unresolved tickets without a response, oldest first', () => {
    const a = t({createdAt: '2026-03-02T00:00:00.000Z'})
    const b = t({createdAt: '2026-03-01T00:00:00.000Z'})
    const answered = t({createdAt: '2026-02-01T00:00:00.000Z', firstResponseAt: '2026-02-01T01:00:00.000Z'})
    const done = t({createdAt: '2026-01-01T00:00:00.000Z', status: 'resolved'})
    const d = dashboard([a, b, answered, done], {now, timeZone: 'UTC', complete: true, oldest: 1})
    expect(d.unanswered.map((x) => x.id)).toEqual([b.id])
    expect(d.unansweredCount).toBe(2)
  })

  it('finds local midnight across a DST change', () => {
    expect(zonedMidnight('Europe/Berlin', 2026, 3, 29).toISOString()).toBe('2026-03-28T23:00:00.000Z')
    expect(zonedMidnight('Europe/Berlin', 2026, 3, 30).toISOString()).toBe('2026-03-29T22:00:00.000Z')
    expect(zonedMidnight('America/New_York', 2026, 11, 1).toISOString()).toBe('2026-11-01T04:00:00.000Z')
    const days = lastDays(new Date('2026-03-30T12:00:00.000Z'), 'Europe/Berlin', 2)
    expect(days).toEqual([
      {day: '2026-03-29', label: 'Sun', start: '2026-03-28T23:00:00.000Z', end: '2026-03-29T22:00:00.000Z'},
      {day: '2026-03-30', label: 'Mon', start: '2026-03-29T22:00:00.000Z', end: '2026-03-30T22:00:00.000Z'},
    ])
  })
})
