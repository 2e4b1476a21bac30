// Rules, escalation, macros and automations as pure operations with a fixed clock.
import {describe, expect, it} from 'vitest'
import {describeEvent} from '../../src/domain/ticket/describe.js'
import type {EventBase} from '../../src/domain/ticket/events.js'
import {parseMacro} from '../../src/domain/workflow/macros.js'
import {ticketSla} from '../../src/domain/sla/sla.js'
import {actionRefs} from '../../src/domain/workflow/workflow-config.js'
import {applyMacro, dueAutomations, dueSlaAlerts, escalate, fireAutomations, hookFires, raiseSlaAlerts, runRules} from '../../src/domain/workflow/workflow.js'
import {create, draftOf, envOf, newDraft, reply, status, ticketOf, wfOf, type E} from './build.js'

const AT = '2026-11-23T10:00:00Z'
const agents = {
  'ana@example.com': {name: 'Ana Diaz', departments: ['it'], tier: 1},
  'ben@example.com': {name: 'Ben Okafor', departments: ['it'], tier: 2},
  'cy@example.com': {name: 'Cy Park', departments: ['it'], tier: 3},
  'mo@example.com': {name: 'Mo Reyes', departments: ['marketing'], tier: 1},
}
const departments = {
  it: {name: 'IT', signature: '-- IT Help Desk'},
  marketing: {name: 'Marketing', signature: '-- Marketing'},
}
const describe_ = (events: readonly unknown[]) => (events as EventBase[]).map((e) => describeEvent(e))

describe('rules', () => {
  it('run in order on create; a later rule sees what an earlier one set', () => {
    const wf = wfOf({
      departments,
      agents,
      rules: [
        {name: 'social to marketing', on: ['create'], if: {channel: ['social']}, then: {department: 'marketing', assign: {strategy: 'load-balanced', cap: 1}}},
        {name: 'marketing is urgent', on: ['create'], if: {department: 'marketing'}, then: {priority: 'urgent', tags: ['press']}},
        {name: 'only on update', on: ['update'], if: {}, then: {tags: ['touched']}},
      ],
    })
    const d = newDraft([create(AT, {channel: 'social', department: null})])
    const reports = runRules(d, 'create', envOf(wf, [], AT))
    expect(reports.map((r) => [r.rule, r.fired])).toEqual([['social to marketing', true], ['marketing is urgent', true], ['only on update', false]])
    expect(d.ticket).toMatchObject({department: 'marketing', assignee: 'mo@example.com', priority: 'urgent', tags: ['press']})
    expect(describe_(d.added)).toEqual([
      'created "Printer jams"',
      'rule "social to marketing" applied (on create)',
      'department -> marketing (rule "social to marketing")',
      'assigned to mo@example.com (rule "social to marketing")',
      'rule "marketing is urgent" applied (on create)',
      'priority -> urgent (rule "marketing is urgent")',
      'tags +press (rule "marketing is urgent")',
    ])
    expect(d.ticket.rulesApplied).toEqual(['social to marketing', 'marketing is urgent'])
  })

  it('an earlier rule that did not match looks again after a later one changed the ticket', () => {
    const wf = wfOf({
      rules: [
        {name: 'urgent gets tier 2', if: {priority: 'urgent'}, then: {tier: 2}},
        {name: 'vpn is urgent', if: {title: '\\bvpn\\b'}, then: {priority: 'urgent'}},
      ],
    })
    const d = newDraft([create(AT, {title: 'VPN drops every hour'})])
    const reports = runRules(d, 'create', envOf(wf, [], AT))
    expect(reports.map((r) => r.fired)).toEqual([true, true])
    expect(d.ticket).toMatchObject({priority: 'urgent', tier: 2})
  })

  it('loop guard: rules that undo each other stop; each fires at most once per batch', () => {
    const wf = wfOf({
      rules: [
        {name: 'add a', on: ['update'], if: {tags: 'b'}, then: {tags: {add: ['a'], remove: ['b']}}},
        {name: 'add b', on: ['update'], if: {tags: 'a'}, then: {tags: {add: ['b'], remove: ['a']}}},
      ],
    })
    const d = draftOf([create(AT, {tags: ['b']})])
    const reports = runRules(d, 'update', envOf(wf, [], AT))
    expect(reports.map((r) => r.fired)).toEqual([true, true])
    expect(d.added.filter((e) => e.type === 'route')).toHaveLength(2)
    expect(d.ticket.tags).toEqual(['b'])
  })

  it('stop: later rules are not evaluated after it fired', () => {
    const wf = wfOf({rules: [{name: 'first', if: {}, then: {tags: ['x']}, stop: true}, {name: 'second', if: {}, then: {tags: ['y']}}]})
    const d = newDraft([create(AT)])
    runRules(d, 'create', envOf(wf, [], AT))
    expect(d.ticket.tags).toEqual(['x'])
  })

  it('conditions: requester domain, body regex, custom fields, tags; explain says why', () => {
    const wf = wfOf({
      rules: [{name: 'vip', if: {requester: ['@bigcorp.com', 'boss@example.com'], body: 'outage|down', tags: ['prod', 'staging'], fields: {plan: ['gold', 'platinum']}}, then: {priority: 'urgent'}}],
    })
    const base = {requester: {name: 'X', email: 'it@bigcorp.com'}, body: 'The site is DOWN', tags: ['prod']}
    const match = newDraft([create(AT, base), {type: 'set', at: AT, fields: {custom: {plan: 'gold'}}}])
    expect(runRules(match, 'create', envOf(wf, [], AT))[0]!.fired).toBe(true)
    const miss = newDraft([create(AT, {...base, requester: {name: 'X', email: 'it@smallcorp.com'}})])
    const [report] = runRules(miss, 'create', envOf(wf, [], AT))
    expect(report!.matched).toBe(false)
    expect(report!.checks.filter((c) => !c.ok).map((c) => c.detail)).toEqual([
      'requester is not @bigcorp.com or boss@example.com (ticket: it@smallcorp.com)',
      'fields.plan is not "gold" or "platinum" (ticket: null)',
    ])
  })

  it('a rule that changes nothing does not fire (no marker event)', () => {
    const wf = wfOf({rules: [{name: 'it', if: {}, then: {department: 'it'}}]})
    const d = draftOf([create(AT, {department: 'it'})])
    expect(runRules(d, 'update', envOf(wf, [], AT))[0]!.fired).toBe(false)
    expect(d.added).toEqual([])
  })

  it("a rule's reply goes out once per ticket, and is an automatic reply (not a response)", () => {
    const wf = wfOf({agents, sla: [{name: 's', targets: {normal: {firstResponse: '1h'}}}], rules: [{name: 'ack', on: ['create', 'update'], if: {}, then: {reply: 'We got it, {{ticket.requester.name}}.', tags: ['acked']}}]})
    const d = newDraft([create(AT)])
    runRules(d, 'create', envOf(wf, [], AT, {by: 'ana@example.com'}))
    const replies = d.added.filter((e) => e.type === 'reply')
    expect(replies).toMatchObject([{body: 'We got it, Ana Diaz.', auto: true}])
    expect(ticketSla(d.ticket, wf, new Date('2026-11-23T10:30:00Z'))!.firstResponse!.fulfilledAt).toBeNull()
    // Routing again (update or manual): the tag is there, the reply is not sent again
    const again = draftOf([create(AT), ...(d.added.slice(1) as E[])])
    runRules(again, 'manual', envOf(wf, [], AT))
    expect(again.added).toEqual([])
  })
})

describe('escalation through three tiers', () => {
  const wf = wfOf({departments: {it: {name: 'IT', tiers: {'1': ['ana@example.com'], '2': ['ben@example.com'], '3': ['cy@example.com']}}, marketing: departments.marketing}, agents})
  const start = () => draftOf([create(AT, {assignee: 'ana@example.com'})])

  it('goes L1 -> L2 -> L3, reassigning within each tier, recording tiers, agents and the reason', () => {
    const d = start()
    const env = envOf(wf, [d.ticket], AT)
    escalate(d, {reason: 'Needs admin rights'}, env)
    escalate(d, {reason: 'Needs the vendor'}, env)
    expect(d.ticket).toMatchObject({tier: 3, assignee: 'cy@example.com', department: 'it'})
    expect(d.ticket.escalations!.map((e) => [e.fromTier, e.toTier, e.from, e.to])).toEqual([
      [1, 2, 'ana@example.com', 'ben@example.com'],
      [2, 3, 'ben@example.com', 'cy@example.com'],
    ])
    expect(d.added.map((e) => e.reason)).toEqual(['Needs admin rights', 'Needs the vendor'])
    expect(describe_(d.added)[0]).toBe('escalated it tier 1 -> it tier 2, assigned to ben@example.com: Needs admin rights')
    expect(() => escalate(d, {reason: 'more'}, env)).toThrow(/at tier 3, the last tier of IT/)
  })

  it('needs a reason', () => {
    expect(() => escalate(start(), {reason: '  '}, envOf(wf, [], AT))).toThrow(/needs a reason/)
  })

  it('to another department (its first tier) or to a named agent', () => {
    const d = start()
    escalate(d, {reason: 'Press enquiry', toDept: 'marketing'}, envOf(wf, [], AT))
    expect(d.ticket).toMatchObject({department: 'marketing', tier: 1, assignee: 'mo@example.com'})
    const e = start()
    escalate(e, {reason: 'Cy knows this', to: 'cy@example.com'}, envOf(wf, [], AT))
    expect(e.ticket).toMatchObject({department: 'it', tier: 3, assignee: 'cy@example.com'})
    expect(() => escalate(start(), {reason: 'x', to: 'who@else.com'}, envOf(wf, [], AT))).toThrow(/not an agent/)
  })

  it('when the next tier is at capacity, the ticket waits unassigned in its queue', () => {
    const capped = wfOf({departments: {it: {name: 'IT', cap: 1, tiers: {'1': ['ana@example.com'], '2': ['ben@example.com']}}}, agents: {'ana@example.com': agents['ana@example.com'], 'ben@example.com': agents['ben@example.com']}})
    const busy = ticketOf([create(AT, {assignee: 'ben@example.com'})], 'BUSY000001')
    const d = start()
    escalate(d, {reason: 'Needs admin rights'}, envOf(capped, [busy, d.ticket], AT))
    expect(d.ticket).toMatchObject({tier: 2, assignee: null})
    expect(d.messages).toEqual(['nobody: the only agent of IT tier 2 (ben@example.com) is at capacity; the ticket stays in the IT tier 2 queue'])
  })

  it('hooks: escalated and assigned', () => {
    const d = start()
    escalate(d, {reason: 'Needs admin rights'}, envOf(wf, [], AT))
    expect(hookFires(d.id, d.added as never).map((f) => f.hook)).toEqual(['escalated', 'assigned'])
  })
})

describe('macros', () => {
  const wf = wfOf({departments, agents})
  const refs = actionRefs(wf, {departments, agents})
  const text = `---
description: Password reset steps
status: pending
tags: password, account
---
Hello {{ticket.requester.name | "there"}},

Reset it at https://pw.example.com (ticket {{ticket.shortId}}, {{ticket.title}}).

{{agent.name}}
{{department.signature}}
`
  it('renders placeholders and applies its actions after the reply', () => {
    const m = parseMacro('password-reset', text, wf, refs)
    expect(m).toMatchObject({name: 'password-reset', description: 'Password reset steps', actions: {status: 'pending', addTags: ['password', 'account']}})
    const d = draftOf([create(AT)])
    applyMacro(d, m, envOf(wf, [], AT, {by: 'ben@example.com'}))
    const r = d.added.find((e) => e.type === 'reply')!
    expect(r.body).toBe('Hello Ana Diaz,\n\nReset it at https://pw.example.com (ticket T0000, Printer jams).\n\nBen Okafor\n-- IT Help Desk')
    expect(describe_(d.added)).toEqual([
      'macro "password-reset" applied',
      expect.stringMatching(/^public reply: Hello Ana Diaz, \(macro "password-reset"\)$/),
      'status new -> open (macro "password-reset")',
      'tags +password +account (macro "password-reset")',
      'status open -> pending (macro "password-reset")',
    ])
    expect(d.ticket.status).toBe('pending')
  })

  it('a macro that resolves says so: the resolution names the macro, not a rule', () => {
    const m = parseMacro('thanks', '---\nstatus: resolved\n---\nThanks, glad it works.', wf, refs)
    const d = draftOf([create(AT)])
    applyMacro(d, m, envOf(wf, [], AT))
    expect(d.ticket.status).toBe('resolved')
    expect(d.ticket.resolution).toBe('macro "thanks"')
  })

  it('a fallback fills an empty value', () => {
    const m = parseMacro('hi', 'Hi {{ticket.requester.name | "there"}}', wf, refs)
    const d = draftOf([create(AT, {requester: {name: null, email: null}})])
    applyMacro(d, m, envOf(wf, [], AT))
    expect(d.added.find((e) => e.type === 'reply')!.body).toBe('Hi there')
  })

  it('an unknown placeholder is an error when it is saved, with a suggestion', () => {
    expect(() => parseMacro('x', 'Hi {{ticket.requestor.name}}', wf, refs)).toThrow(/unknown placeholder \{\{ticket\.requestor\.name\}\} \(did you mean \{\{ticket\.requester\.name\}\}\?\)/)
    expect(() => parseMacro('x', 'Hi {{ticket.title}', wf, refs)).toThrow(/\{\{ without a matching \}\}/)
  })

  it('front matter is validated with the key and what is expected', () => {
    expect(() => parseMacro('x', '---\nstatus: done\ncolour: red\n---\nHi', wf, refs)).toThrow(/colour: unknown key.*status: expected one of open, pending, on-hold, resolved, closed/)
    expect(() => parseMacro('x', '---\ndepartment: sales\n---\nHi', wf, refs)).toThrow(/department: expected one of the departments \(it, marketing\)/)
  })
})

describe('automations', () => {
  const wf = wfOf({
    timezone: 'Europe/Berlin',
    calendars: {office: {hours: {'mon-fri': '09:00-17:00'}}},
    departments: {it: {name: 'IT', tiers: {'1': ['ana@example.com'], '2': ['ben@example.com'], '3': ['cy@example.com']}}, marketing: departments.marketing},
    agents,
    sla: [{name: 'std', calendar: 'office', targets: {normal: {firstResponse: '4h'}}}],
    automations: [
      {name: 'close stale pending', if: {status: 'pending', idleFor: '5 business days'}, then: {status: 'resolved', note: 'Closed after 5 days without an answer.'}},
      {name: 'escalate breaches', if: {sla: 'breached'}, then: {escalate: true}},
    ],
    hooks: [{on: ['sla-breach'], run: ['true']}],
  })
  // Pending since Mon 2026-11-23 10:00 local (09:00Z), after an agent's reply
  const pending: E[] = [create('2026-11-23T08:00:00Z'), reply('2026-11-23T09:00:00Z', 'ana@example.com'), status('2026-11-23T09:00:00Z', 'new', 'pending')]

  /** One `tix automate` run on a ticket: returns the events it adds. */
  const run = (list: E[], now: string) => {
    const d = draftOf(list)
    const due = dueAutomations(d.ticket, wf, new Date(now), (t) => ticketSla(t, wf, new Date(now)))
    fireAutomations(d, due, envOf(wf, [d.ticket], now, {by: 'cron@example.com'}))
    return d.added as E[]
  }

  it('idle for 5 business days: not before, then once; running it twice changes nothing', () => {
    expect(run(pending, '2026-11-30T08:59:00Z')).toEqual([]) // Mon 09:59 local: 4 days 7h59m business
    const first = run(pending, '2026-11-30T09:00:00Z')
    expect(describe_(first)).toEqual([
      'automation "close stale pending" fired: no activity for 5 business days (since 2026-11-23T09:00:00Z)',
      'internal note: Closed after 5 days without an answer. (automation "close stale pending")',
      'status pending -> resolved (resolution: Closed after 5 days without an answer.) (automation "close stale pending")',
    ])
    expect(run([...pending, ...first], '2026-11-30T10:00:00Z')).toEqual([])
  })

  it("an automation's own events are not activity; a person's are", () => {
    const note: E = {type: 'note', at: '2026-11-27T09:00:00Z', body: 'Chased by phone'}
    expect(run([...pending, note], '2026-11-30T09:00:00Z')).toEqual([]) // idle counts from the note
    expect(run([...pending, note], '2026-12-04T09:00:00Z').length).toBeGreaterThan(0)
  })

  it('SLA breached -> escalate, once per breach', () => {
    const open: E[] = [create('2026-11-23T08:00:00Z', {assignee: 'ana@example.com'})]
    expect(run(open, '2026-11-23T12:00:00Z')).toEqual([]) // due 13:00 local = 12:00Z: not yet
    const first = run(open, '2026-11-23T12:00:01Z')
    expect(describe_(first)).toEqual([
      'automation "escalate breaches" fired: SLA first response breached',
      'escalated it tier 1 -> it tier 2, assigned to ben@example.com: SLA first response breached (automation "escalate breaches")',
    ])
    expect(run([...open, ...first], '2026-11-23T15:00:00Z')).toEqual([])
  })

  it('SLA alerts for hooks are raised once per clock and state', () => {
    const t = ticketOf([create('2026-11-23T08:00:00Z')])
    const now = new Date('2026-11-23T12:30:00Z')
    const alerts = dueSlaAlerts(t, ticketSla(t, wf, now), new Set(['sla-breach']))
    expect(alerts).toEqual([{key: 'firstResponse:breached:2026-11-23T08:00:00.000Z', metric: 'firstResponse', state: 'breached', dueAt: '2026-11-23T12:00:00.000Z'}])
    const d = draftOf([create('2026-11-23T08:00:00Z')])
    raiseSlaAlerts(d, alerts, envOf(wf, [], now.toISOString()))
    expect(hookFires(d.id, d.added as never).map((f) => f.hook)).toEqual(['sla-breach'])
    expect(dueSlaAlerts(d.ticket, ticketSla(d.ticket, wf, now), new Set(['sla-breach']))).toEqual([])
  })
})
