// Report building blocks with a fixed clock: periods in a zone, percentiles, business-time prefix
// sums, and computeReport on hand-made facts (every expected figure worked out in the comments).
import {describe, expect, it} from 'vitest'
import {BusinessClock} from '../../src/domain/sla/business-clock.js'
import {businessMs, calendarHours, compileCalendar} from '../../src/domain/sla/calendar.js'
import {buildPeriods, isoWeekLabel, parseLocalDate, periodIndex} from '../../src/domain/reports/periods.js'
import {computeBacklogAge, computeReport, REPORT_METRICS} from '../../src/domain/reports/report.js'
import {FactsTableBuilder} from '../../src/domain/reports/facts-table.js'
import {encodeFacts, type TicketFacts} from '../../src/domain/reports/report-facts.js'
import {percentile, summarize} from '../../src/domain/reports/stats.js'

const H = 3_600_000
const t = (iso: string) => Date.parse(iso)

describe('periods in the desk time zone', () => {
  it('cuts months at local midnight, across a DST change', () => {
    // Europe/Berlin: October ends at 2026-10-31 23:00Z (CET), starts at 2026-09-30 22:00Z (CEST)
    const [oct, nov] = buildPeriods('Europe/Berlin', 'month', parseLocalDate('2026-10-01', 'x'), parseLocalDate('2026-11-30', 'x'))
    expect(oct).toMatchObject({label: '2026-10', firstDay: '2026-10-01', lastDay: '2026-10-31', start: t('2026-09-30T22:00:00Z'), end: t('2026-10-31T23:00:00Z')})
    expect(nov).toMatchObject({label: '2026-11', start: t('2026-10-31T23:00:00Z'), end: t('2026-11-30T23:00:00Z')})
  })

  it('starts weeks on Monday and names them by ISO week; cuts them to the range', () => {
    const weeks = buildPeriods('UTC', 'week', parseLocalDate('2026-11-01', 'x'), parseLocalDate('2026-11-30', 'x'))
    expect(weeks.map((w) => `${w.label} ${w.firstDay}..${w.lastDay}`)).toEqual([
      '2026-W44 2026-11-01..2026-11-01',
      '2026-W45 2026-11-02..2026-11-08',
      '2026-W46 2026-11-09..2026-11-15',
      '2026-W47 2026-11-16..2026-11-22',
      '2026-W48 2026-11-23..2026-11-29',
      '2026-W49 2026-11-30..2026-11-30',
    ])
    // ISO years: 2026-12-28 (Mon) is week 53 of 2026; 2027-01-04 is W01 of 2027; 2024-12-30 is 2025-W01
    expect(isoWeekLabel(Date.UTC(2026, 11, 28))).toBe('2026-W53')
    expect(isoWeekLabel(Date.UTC(2027, 0, 4))).toBe('2027-W01')
    expect(isoWeekLabel(Date.UTC(2024, 11, 30))).toBe('2025-W01')
  })

  it('puts an instant in the period of its local date', () => {
    const days = buildPeriods('America/New_York', 'day', parseLocalDate('2026-11-01', 'x'), parseLocalDate('2026-11-02', 'x'))
    // 2026-11-01 is the US DST end: the local day is 25 hours long (04:00Z to 05:00Z next day)
    expect(days[0]!.end - days[0]!.start).toBe(25 * H)
    expect(periodIndex(days, t('2026-11-02T04:30:00Z'))).toBe(0) // 23:30 local on the 1st
    expect(periodIndex(days, t('2026-11-02T05:00:00Z'))).toBe(1)
    expect(periodIndex(days, t('2026-11-01T03:59:59Z'))).toBe(-1)
  })

  it('rejects dates that do not exist', () => {
    expect(() => parseLocalDate('2026-02-30', '--from')).toThrow(/--from "2026-02-30" is not a date/)
    expect(() => buildPeriods('UTC', 'day', parseLocalDate('2026-11-02', 'x'), parseLocalDate('2026-11-01', 'x'))).toThrow(/before --from/)
  })
})

describe('percentiles (linear between closest ranks, like PERCENTILE.INC)', () => {
  it('interpolates', () => {
    const xs = Float64Array.from([1, 2, 4, 6, 10, 13])
    expect(percentile(xs, 0.5)).toBe(5) // (4 + 6) / 2
    expect(percentile(xs, 0.9)).toBe(11.5) // rank 4.5: 10 + 0.5 * 3
    expect(summarize([7])).toEqual({count: 1, median: 7, p90: 7, mean: 7, max: 7})
    expect(summarize([])).toEqual({count: 0, median: null, p90: null, mean: null, max: null})
  })
})

describe('business clock (prefix sums) agrees with businessMs', () => {
  const office = compileCalendar({hours: {'mon-fri': ['09:00-12:00', '13:00-17:00']}, holidays: ['2026-12-24']}, 'Europe/Berlin')
  it('on random spans, DST and holidays included', () => {
    const from = t('2026-10-01T00:00:00Z')
    const to = t('2027-01-10T00:00:00Z')
    const clock = new BusinessClock(office, from, to)
    let seed = 7
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
    for (let i = 0; i < 300; i++) {
      const a = from + Math.floor(rand() * (to - from))
      const b = a + Math.floor(rand() * 20 * 24 * H)
      expect(clock.between(a, Math.min(b, to))).toBe(businessMs(office, a, Math.min(b, to)))
    }
  })
  it('is plain elapsed time for a calendar around the clock', () => {
    const clock = new BusinessClock(calendarHours('Europe/Berlin'), 0, 1)
    expect(clock.elapsed).toBe(true)
    expect(clock.between(t('2026-10-24T00:00:00Z'), t('2026-10-26T00:00:00Z'))).toBe(48 * H)
  })
})

/** Facts for a ticket with elapsed-time durations, created at `created`; status changes as [iso, status]. */
function facts(id: string, created: string, changes: [string, TicketFacts['status'][number][1]][], extra: Partial<TicketFacts> = {}): TicketFacts {
  return {
    id,
    created: t(created),
    department: 'it',
    channel: 'email',
    priority: 'normal',
    tier: 1,
    assignee: null,
    status: [[t(created), 'new'], ...changes.map(([at, s]) => [t(at), s] as [number, TicketFacts['status'][number][1]])],
    assign: [[t(created), null]],
    firstResponse: null,
    merges: [],
    escalated: false,
    rating: null,
    calendar: 0,
    sla: [],
    ...extra,
  }
}

describe('computeReport on hand-made facts (UTC, calendar time)', () => {
  const clocks = [new BusinessClock(calendarHours('UTC'), t('2026-01-01T00:00:00Z'), t('2027-01-01T00:00:00Z'))]
  const weeks = buildPeriods('UTC', 'week', parseLocalDate('2026-11-02', 'x'), parseLocalDate('2026-11-22', 'x'))
  const asOf = t('2026-11-22T23:59:59.999Z')
  // A: created W45 Mon 10:00, answered 12:00 (2h), pending 12:00-Tue 12:00, resolved Wed 10:00;
  //    reopened W46 Mon 10:00, resolved W46 Tue 10:00. Assigned to bob from Tue 2026-11-03.
  const A = facts(
    'A',
    '2026-11-02T10:00:00Z',
    [
      ['2026-11-02T12:00:00Z', 'pending'],
      ['2026-11-03T12:00:00Z', 'open'],
      ['2026-11-04T10:00:00Z', 'resolved'],
      ['2026-11-09T10:00:00Z', 'open'],
      ['2026-11-10T10:00:00Z', 'resolved'],
    ],
    {firstResponse: t('2026-11-02T12:00:00Z'), assign: [[t('2026-11-02T10:00:00Z'), null], [t('2026-11-03T00:00:00Z'), 'bob']], assignee: 'bob', rating: [t('2026-11-11T00:00:00Z'), 'good']},
  )
  // B: created W45 Fri 00:00, never answered, unassigned, still new. Escalated (irrelevant: never resolved).
  const B = facts('B', '2026-11-06T00:00:00Z', [], {escalated: true, department: 'hr'})
  // C: created W46 Mon 00:00, closed by a merge W46 Mon 06:00 (not a resolution).
  const C = facts('C', '2026-11-09T00:00:00Z', [['2026-11-09T06:00:00Z', 'closed']], {merges: [t('2026-11-09T06:00:00Z')]})
  // D: created after the as-of time: ignored.
  const D = facts('D', '2026-11-23T00:00:00Z', [])

  const res = computeReport({facts: [A, B, C, D], periods: weeks, by: null, metrics: ['created', 'resolved', 'reopened', 'backlog', 'frt', 'resolution', 'first-resolution', 'wait', 'unassigned', 'csat', 'reopen-rate', 'escalation-rate'], asOf, clocks})

  it('counts created, resolved (distinct tickets), reopened and the backlog at each period end', () => {
    expect(res.rows.map((r) => [r.period, r.created, r.resolved, r.reopened, r.backlog])).toEqual([
      ['2026-W45', 2, 1, 0, 1], // end W45: B only (A resolved Wed)
      ['2026-W46', 1, 1, 1, 1], // C merged (not resolved, not backlog); A reopened and resolved again
      ['2026-W47', 0, 0, 0, 1], // an empty week is a row of zeros; B still waits
    ])
  })

  it('measures durations: full and first resolution, and requester wait without the pending time', () => {
    const [w45, w46] = res.rows
    expect(w45!.frt).toEqual({count: 1, median: 7200, p90: 7200, mean: 7200})
    // First resolution Wed 10:00 - Mon 10:00 = 48h, counted in W45
    expect(w45!.firstResolution!.median).toBe(48 * 3600)
    expect(w46!.firstResolution!.count).toBe(0)
    // W46's resolution of A is the full time to its last resolution in W46: Mon 02 10:00 -> Tue 10 10:00 = 8 days
    expect(w46!.resolution!.median).toBe(8 * 24 * 3600)
    // Wait to W46's resolution: new+open 2h, pending 24h (not counted), open 22h, resolved 5 days (not counted), open 24h = 48h
    expect(w46!.wait!.median).toBe(48 * 3600)
    expect(w45!.wait!.median).toBe(24 * 3600) // 2h + 22h
  })

  it('computes the rates over tickets resolved in the period', () => {
    const [w45, w46] = res.rows
    // A was reopened at least once (by now), so both of its resolutions count as reopened ones
    expect(w45!.reopenRate).toEqual({count: 1, of: 1, pct: 100})
    expect(w46!.reopenRate).toEqual({count: 1, of: 1, pct: 100})
    expect(w45!.escalationRate).toEqual({count: 0, of: 1, pct: 0})
    // % unassigned at period end: W45 end: B (unassigned) of {B} = 100%
    expect(w45!.unassigned).toEqual({count: 1, of: 1, pct: 100})
    // CSAT: A's good rating falls in W46; response rate = rated resolved / resolved
    expect(w46!.csat).toEqual({good: 1, neutral: 0, bad: 0, pct: 100, net: 100, responseRate: 100})
    expect(res.rows[2]!.csat).toEqual({good: 0, neutral: 0, bad: 0, pct: null, net: null, responseRate: null})
  })

  it('shows every known group, empty ones as zero rows, and totals per period', () => {
    const by = computeReport({facts: [A, B, C], periods: weeks.slice(0, 1), by: 'department', metrics: ['created', 'backlog'], asOf, clocks, knownGroups: ['it', 'hr', 'facilities']})
    expect(by.rows.map((r) => [r.group, r.created, r.backlog])).toEqual([
      ['it', 1, 0],
      ['hr', 1, 1],
      ['facilities', 0, 0],
    ])
    expect(by.totals).toMatchObject([{group: null, created: 2, backlog: 1}])
    const channels = computeReport({facts: [A], periods: weeks.slice(0, 1), by: 'channel', metrics: ['created'], asOf, clocks})
    expect(channels.groups).toEqual(['email', 'chat', 'phone', 'web', 'social', 'api', 'ci', 'cli'])
  })

  it('counts SLA outcomes in the period they were decided', () => {
    const S = facts('S', '2026-11-02T00:00:00Z', [], {
      sla: [
        {metric: 'first-response', due: t('2026-11-02T04:00:00Z'), fulfilled: t('2026-11-02T01:00:00Z')}, // met in W45
        {metric: 'resolution', due: t('2026-11-10T00:00:00Z'), fulfilled: null}, // breached at due: W46
        {metric: 'next-response', due: t('2026-11-30T00:00:00Z'), fulfilled: null}, // not decided by the as-of time
        {metric: 'next-response', due: t('2026-11-03T00:00:00Z'), fulfilled: t('2026-11-16T00:00:00Z')}, // late: breached at due, W45
      ],
    })
    const r = computeReport({facts: [S], periods: weeks, by: null, metrics: ['sla'], asOf, clocks})
    expect(r.rows.map((x) => x.sla!.all)).toEqual([
      {met: 1, breached: 1, pct: 50},
      {met: 0, breached: 1, pct: 0},
      {met: 0, breached: 0, pct: null},
    ])
  })

  it('ages the backlog into buckets', () => {
    const age = computeBacklogAge({facts: [A, B, C, D], by: null, asOf})
    // Only B is unresolved: 16d 23:59:59.999 old -> 7-30d
    expect(age.total.buckets).toEqual([0, 0, 0, 1, 0])
    expect(age.total.max).toBe(Math.round((asOf - t('2026-11-06T00:00:00Z')) / 1000))
  })
})

describe('facts survive the cache encoding', () => {
  it('round-trips', () => {
    const f = facts('X', '2026-11-02T10:00:00Z', [['2026-11-02T12:00:00Z', 'resolved']], {
      assignee: 'bob',
      assign: [[t('2026-11-02T10:00:00Z'), 'bob']],
      firstResponse: t('2026-11-02T11:00:00Z'),
      merges: [],
      escalated: true,
      rating: [t('2026-11-03T00:00:00Z'), 'bad'],
      calendar: 2,
      sla: [{metric: 'resolution', due: t('2026-11-03T00:00:00Z'), fulfilled: null}],
    })
    const g = facts('Y', '2026-11-04T10:00:00Z', [], {department: 'hr', fields: {plan: 'team'}, sla: [{metric: 'first-response', due: t('2026-11-04T12:00:00Z'), fulfilled: t('2026-11-04T11:00:00Z')}]})
    const b = new FactsTableBuilder()
    for (const x of [f, g]) b.add(JSON.parse(JSON.stringify(encodeFacts(x))))
    const table = b.build()
    expect([...table]).toEqual([f, g])
    // copied row by row (the cache's update after a change), the same again
    const c = new FactsTableBuilder()
    c.copy(table, 1)
    c.copy(table, 0)
    expect([...c.build()]).toEqual([g, f])
  })

  it('reduces the tickets that can count in no period from the start given to one per group', () => {
    const done = facts('D', '2026-11-02T10:00:00Z', [['2026-11-02T12:00:00Z', 'resolved']], {department: 'hr', firstResponse: t('2026-11-02T11:00:00Z')})
    const done2 = facts('E', '2026-11-01T10:00:00Z', [['2026-11-01T12:00:00Z', 'closed']], {department: 'hr'})
    const open = facts('O', '2026-11-02T10:00:00Z', [['2026-11-02T12:00:00Z', 'open']])
    const b = new FactsTableBuilder()
    for (const x of [done, done2, open]) b.add(encodeFacts(x))
    const table = b.build()
    const after = t('2026-11-02T12:00:00.001Z')
    const [d, o, ...rest] = [...table.since(after, 'department')]
    expect(d).toMatchObject({id: 'D', department: 'hr', status: [[done.created, 'resolved']], firstResponse: null, assign: []})
    expect(o).toEqual(open) // unresolved: it is in every backlog after
    expect(rest).toEqual([]) // E: the group hr is there already
    expect([...table.since(after, null)]).toEqual([open])
    expect([...table.since(t('2026-11-02T12:00:00Z'), null)]).toEqual([done, open]) // resolved at the start: counts
    // and the figures are the same either way
    const periods = [{label: 'w', firstDay: '2026-11-02', lastDay: '2026-11-08', start: t('2026-11-03T00:00:00Z'), end: t('2026-11-09T00:00:00Z')}]
    const input = {periods, by: 'department' as const, metrics: REPORT_METRICS, asOf: t('2026-11-09T00:00:00Z'), clocks: [new BusinessClock(calendarHours('UTC'), 0, Infinity)]}
    expect(computeReport({...input, facts: table.since(periods[0]!.start, 'department')})).toEqual(computeReport({...input, facts: [done, done2, open]}))
  })
})
