// Every SLA case of docs/helpdesk.md, with a fixed clock. Desk time zone Europe/Berlin, office hours
// mon-fri 09:00-17:00 (CET = UTC+1 in November, so 09:00 local = 08:00Z).
import {describe, expect, it} from 'vitest'
import type {DeskConfig} from '../../src/domain/config/config.js'
import {ticketSla, formatMinutes} from '../../src/domain/sla/sla.js'
import {compileWorkflow, type Workflow} from '../../src/domain/workflow/workflow-config.js'
import {create, priority, reply, status, ticketOf, type E} from './build.js'

function workflow(extra: Record<string, unknown> = {}): Workflow {
  const problems: {path: string; message: string}[] = []
  const wf = compileWorkflow(
    {
      version: 1,
      timezone: 'Europe/Berlin',
      calendars: {office: {hours: {'mon-fri': '09:00-17:00'}, holidays: ['2026-12-24', '2026-12-25']}},
      agents: {'bob@example.com': {name: 'Bob'}, 'cy@example.com': {name: 'Cy'}},
      sla: [
        {
          name: 'standard',
          if: {department: 'it'},
          calendar: 'office',
          targets: {
            urgent: {firstResponse: '1h', resolution: '4h'},
            high: {firstResponse: '2h', resolution: '8h'},
            normal: {firstResponse: '4h', nextResponse: '2h', resolution: '16h'},
          },
          pauseOn: ['pending'],
          pauseResolutionOn: ['on-hold'],
          warnAt: 0.25,
        },
        {name: 'around the clock', targets: {normal: {firstResponse: '4 calendar hours'}}},
      ],
      ...extra,
    } as DeskConfig,
    problems,
  )
  expect(problems).toEqual([])
  return wf
}

const wf = workflow()
const sla = (events: E[], now: string, w = wf) => ticketSla(ticketOf(events), w, new Date(now))!

describe('SLA: business hours, out-of-hours start, weekends and holidays', () => {
  it('a ticket created outside hours starts counting at the next business minute', () => {
    // Friday 2026-11-27 18:00 local; 4 business hours -> Monday 13:00 local (12:00Z)
    const s = sla([create('2026-11-27T17:00:00Z')], '2026-11-30T10:00:00Z')
    expect(s.policy).toBe('standard')
    expect(s.firstResponse).toMatchObject({dueAt: '2026-11-30T12:00:00.000Z', state: 'ok', elapsed: 120, remaining: 120, overdueBy: null, target: 240})
  })

  it('skips weekends and holidays', () => {
    // Wed 2026-12-23 16:00 local + 4h: 1h Wed, 24/25 holidays, weekend, 3h Mon -> Mon 28 12:00 local
    const s = sla([create('2026-12-23T15:00:00Z')], '2026-12-23T15:30:00Z')
    expect(s.firstResponse!.dueAt).toBe('2026-12-28T11:00:00.000Z')
    // Nothing is used over the holidays and the weekend
    expect(sla([create('2026-12-23T15:00:00Z')], '2026-12-27T12:00:00Z').firstResponse).toMatchObject({elapsed: 60, remaining: 180, state: 'ok'})
  })

  it('follows the DST change in the zone (CEST -> CET on 2026-10-25)', () => {
    // Fri 2026-10-23 16:00 CEST (14:00Z), high: 2h -> Mon 2026-10-26 10:00 CET (09:00Z)
    const s = sla([create('2026-10-23T14:00:00Z', {priority: 'high'})], '2026-10-23T14:30:00Z')
    expect(s.firstResponse!.dueAt).toBe('2026-10-26T09:00:00.000Z')
    // On the Monday after the change, 09:30 CET is 08:30Z: 1h30m used
    expect(sla([create('2026-10-23T14:00:00Z', {priority: 'high'})], '2026-10-26T08:30:00Z').firstResponse).toMatchObject({elapsed: 90, state: 'warning', remaining: 30})
  })

  it('targets written in calendar time count around the clock', () => {
    // Not department "it": the second policy. Friday 18:00 local + 4 calendar hours = 22:00 local
    const s = sla([create('2026-11-27T17:00:00Z', {department: 'sales'})], '2026-11-27T18:00:00Z')
    expect(s.policy).toBe('around the clock')
    expect(s.firstResponse).toMatchObject({dueAt: '2026-11-27T21:00:00.000Z', business: false, elapsed: 60})
    expect(s.resolution).toBeNull()
  })
})

describe('SLA: pauses', () => {
  // Mon 2026-11-23 09:00 local; agent answers 09:30 and sets pending at 10:00; the requester answers at 13:00
  const base: E[] = [
    create('2026-11-23T08:00:00Z'),
    reply('2026-11-23T08:30:00Z', 'bob@example.com'),
    status('2026-11-23T08:30:00Z', 'new', 'open'),
    status('2026-11-23T09:00:00Z', 'open', 'pending'),
    reply('2026-11-23T12:00:00Z', 'ana@example.com'),
    status('2026-11-23T12:00:00Z', 'pending', 'open'),
  ]

  it('pause and resume: the clock stands still while pending', () => {
    const s = sla(base, '2026-11-24T11:00:00Z') // Tue 12:00 local
    expect(s.firstResponse).toMatchObject({state: 'met', fulfilledAt: '2026-11-23T08:30:00.000Z', elapsed: 30})
    // 1h before the pause, 3h paused; 15h left from Mon 13:00 -> Mon 4h, Tue 8h, Wed 3h -> Wed 12:00 local
    expect(s.resolution).toMatchObject({dueAt: '2026-11-25T11:00:00.000Z', state: 'ok', paused: 180, elapsed: 1 * 60 + 4 * 60 + 3 * 60})
  })

  it('while paused there is no due time, only what remains', () => {
    const s = sla(base.slice(0, 4), '2026-11-23T11:00:00Z') // pending since 10:00 local
    expect(s.resolution).toMatchObject({state: 'paused', dueAt: null, remaining: 15 * 60, elapsed: 60, paused: 120})
  })

  it('next response: from the requester message to the next agent reply', () => {
    const late = sla(base, '2026-11-24T11:00:00Z').nextResponse!
    // Started Mon 13:00 local, 2h target -> due 15:00 local; still unanswered Tue 12:00 (7h used)
    expect(late).toMatchObject({startedAt: '2026-11-23T12:00:00.000Z', dueAt: '2026-11-23T14:00:00.000Z', state: 'breached', overdueBy: 7 * 60 - 2 * 60, cycles: 1, breaches: 1})
    const answered = sla([...base, reply('2026-11-23T13:00:00Z', 'cy@example.com')], '2026-11-24T11:00:00Z').nextResponse!
    expect(answered).toMatchObject({state: 'met', fulfilledAt: '2026-11-23T13:00:00.000Z', elapsed: 60})
  })

  it('two paused statuses in a row count as one pause', () => {
    // pending 10:00-11:00, then on-hold 11:00-12:00: resolution pauses for both (pauseResolutionOn: on-hold)
    const events: E[] = [
      create('2026-11-23T08:00:00Z'),
      status('2026-11-23T09:00:00Z', 'new', 'pending'),
      status('2026-11-23T10:00:00Z', 'pending', 'on-hold'),
      status('2026-11-23T11:00:00Z', 'on-hold', 'open'),
    ]
    const s = sla(events, '2026-11-25T08:00:00Z') // Wed 09:00 local
    // 1h used, 2h paused, 15h from Mon 12:00: Mon 5h, Tue 8h, Wed 2h -> Wed 11:00 local
    expect(s.resolution).toMatchObject({dueAt: '2026-11-25T10:00:00.000Z', paused: 120, elapsed: 13 * 60 + 60})
    // on-hold pauses only the resolution clock: first response lost 1h (pending) -> 14:00 local
    expect(s.firstResponse).toMatchObject({dueAt: '2026-11-23T13:00:00.000Z', paused: 60, state: 'breached'})
  })

  it('resolving stops the resolution clock; a reopen starts it again without the resolved time', () => {
    const events: E[] = [
      create('2026-11-23T08:00:00Z'),
      reply('2026-11-23T08:10:00Z', 'bob@example.com'),
      status('2026-11-23T09:00:00Z', 'new', 'resolved', {resolution: 'Rebooted'}),
    ]
    expect(sla(events, '2026-11-24T08:00:00Z').resolution).toMatchObject({state: 'met', fulfilledAt: '2026-11-23T09:00:00.000Z', elapsed: 60})
    const reopened = [...events, status('2026-11-24T08:00:00Z', 'resolved', 'open')] // Tue 09:00 local
    // 1h used Monday; Monday 10:00-17:00 was resolved (paused); 15h from Tue 09:00 -> Tue 8h, Wed 7h -> Wed 16:00 local
    expect(sla(reopened, '2026-11-24T09:00:00Z').resolution).toMatchObject({state: 'ok', elapsed: 120, dueAt: '2026-11-25T15:00:00.000Z', paused: 7 * 60})
  })
})

describe('SLA: priority change re-targets', () => {
  it('raising the priority: new due = now + (new target - time already used)', () => {
    // normal (4h) at 09:00; at 10:00 high (2h): 1h used -> due 11:00 local
    const s = sla([create('2026-11-23T08:00:00Z'), priority('2026-11-23T09:00:00Z', 'high')], '2026-11-23T09:00:00Z')
    expect(s.firstResponse).toMatchObject({dueAt: '2026-11-23T10:00:00.000Z', target: 120, remaining: 60, state: 'ok'})
  })

  it('raising it past the time already used breaches at once', () => {
    // at 11:00 urgent (1h): 2h used -> due was 10:00 local
    const s = sla([create('2026-11-23T08:00:00Z'), priority('2026-11-23T10:00:00Z', 'urgent')], '2026-11-23T10:00:00Z')
    expect(s.firstResponse).toMatchObject({dueAt: '2026-11-23T09:00:00.000Z', state: 'breached', overdueBy: 60})
  })

  it('lowering it gives more time', () => {
    // urgent (1h) at 09:00; normal (4h) at 09:30 -> 3h30m left -> 13:00 local
    const s = sla([create('2026-11-23T08:00:00Z', {priority: 'urgent'}), priority('2026-11-23T08:30:00Z', 'normal')], '2026-11-23T08:30:00Z')
    expect(s.firstResponse!.dueAt).toBe('2026-11-23T12:00:00.000Z')
  })

  it('a fulfilled clock keeps the target of the priority it had when it was fulfilled', () => {
    const events = [
      create('2026-11-23T08:00:00Z', {priority: 'high'}),
      reply('2026-11-23T09:30:00Z', 'bob@example.com'), // 1h30m: within high's 2h
      priority('2026-11-23T11:00:00Z', 'urgent'),
    ]
    expect(sla(events, '2026-11-23T12:00:00Z').firstResponse).toMatchObject({state: 'met', target: 120})
  })
})

describe('SLA: warning and breach edges', () => {
  const events = [create('2026-11-23T08:00:00Z')] // normal: 4h -> due 13:00 local (12:00Z), warn at <= 1h left
  const at = (now: string) => sla(events, now).firstResponse!
  it('warns when 25% or less of the target remains', () => {
    expect(at('2026-11-23T10:59:59.999Z').state).toBe('ok')
    expect(at('2026-11-23T11:00:00.000Z')).toMatchObject({state: 'warning', remaining: 60})
  })
  it('breaches only after due', () => {
    expect(at('2026-11-23T12:00:00.000Z')).toMatchObject({state: 'warning', remaining: 0})
    expect(at('2026-11-23T12:00:00.001Z')).toMatchObject({state: 'breached', remaining: null})
    // After hours it stays breached, overdue by business time only
    expect(at('2026-11-23T20:00:00.000Z')).toMatchObject({state: 'breached', overdueBy: 4 * 60})
  })
  it('a reply exactly at due is met; a millisecond later is breached', () => {
    expect(sla([...events, reply('2026-11-23T12:00:00.000Z', 'bob@example.com')], '2026-11-24T12:00:00Z').firstResponse!.state).toBe('met')
    expect(sla([...events, reply('2026-11-23T12:00:00.001Z', 'bob@example.com')], '2026-11-24T12:00:00Z').firstResponse).toMatchObject({state: 'breached', overdueBy: 1})
  })
  it('warnAt is configurable', () => {
    const w = workflow()
    w.policies[0]!.warnAt = 0.5
    expect(ticketSla(ticketOf(events), w, new Date('2026-11-23T10:00:00Z'))!.firstResponse!.state).toBe('warning')
  })
})

describe('SLA: who responds', () => {
  const start = create('2026-11-23T08:00:00Z')
  it('only a public reply by an agent counts: not the requester, not an automatic reply, not an outsider', () => {
    const s = sla(
      [
        start,
        reply('2026-11-23T08:05:00Z', 'ana@example.com'), // the requester adds details
        reply('2026-11-23T08:06:00Z', 'bob@example.com', {auto: true}), // a rule's macro
        reply('2026-11-23T08:07:00Z', 'stranger@example.org'), // not an agent
        {type: 'note', at: '2026-11-23T08:08:00Z', by: 'bob@example.com', body: 'internal'},
      ],
      '2026-11-23T09:00:00Z',
    )
    expect(s.firstResponse).toMatchObject({state: 'ok', fulfilledAt: null})
    expect(sla([start, reply('2026-11-23T08:20:00Z', 'cy@example.com')], '2026-11-23T09:00:00Z').firstResponse).toMatchObject({state: 'met', elapsed: 20})
  })
  it('when the desk lists no agents, anyone but the requester is an agent', () => {
    const w = workflow({agents: undefined})
    const s = ticketSla(ticketOf([start, reply('2026-11-23T08:07:00Z', 'stranger@example.org')]), w, new Date('2026-11-23T09:00:00Z'))!
    expect(s.firstResponse).toMatchObject({state: 'met'})
  })
  it('resolving without a reply fulfils the response clocks', () => {
    const s = sla([start, status('2026-11-23T09:00:00Z', 'new', 'resolved', {resolution: 'Fixed it on site'})], '2026-11-24T09:00:00Z')
    expect(s.firstResponse).toMatchObject({state: 'met', fulfilledAt: '2026-11-23T09:00:00.000Z'})
    expect(s.state).toBe('met')
  })
})

describe('SLA: which policy', () => {
  it('the first policy whose conditions match; a policy set on the ticket wins', () => {
    expect(sla([create('2026-11-23T08:00:00Z')], '2026-11-23T09:00:00Z').policy).toBe('standard')
    expect(sla([create('2026-11-23T08:00:00Z'), {type: 'sla-policy', at: '2026-11-23T08:00:00Z', policy: 'around the clock'}], '2026-11-23T09:00:00Z').policy).toBe('around the clock')
  })
  it('no policy, or no target for the priority: no SLA', () => {
    const w = workflow({sla: [{name: 'it only', if: {department: 'it'}, targets: {urgent: {firstResponse: '1h'}}}]})
    expect(ticketSla(ticketOf([create('2026-11-23T08:00:00Z', {department: 'hr'})]), w, new Date('2026-11-23T09:00:00Z'))).toBeNull()
    expect(ticketSla(ticketOf([create('2026-11-23T08:00:00Z')]), w, new Date('2026-11-23T09:00:00Z'))).toBeNull()
  })
  it('the ticket state is the worst metric', () => {
    const s = sla([create('2026-11-23T08:00:00Z', {priority: 'urgent'})], '2026-11-23T09:30:00Z')
    expect([s.firstResponse!.state, s.resolution!.state, s.state]).toEqual(['breached', 'ok', 'breached'])
  })
})

describe('formatMinutes', () => {
  it('reads like a person writes it', () => {
    expect([formatMinutes(5), formatMinutes(60), formatMinutes(125), formatMinutes(24 * 60), formatMinutes(26 * 60 + 5)]).toEqual(['5m', '1h', '2h 5m', '1d', '1d 2h'])
  })
})
