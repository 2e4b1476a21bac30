// SLA outcomes as reports see them: sla.ts decides, report-sla.ts only asks it at the right moments.
// Europe/Berlin office hours mon-fri 09:00-17:00 local = 08:00-16:00Z in November.
import {describe, expect, it} from 'vitest'
import type {DeskConfig} from '../../src/domain/config/config.js'
import {reportSetup, slaTargets} from '../../src/domain/reports/report-sla.js'
import {workflowOf} from '../../src/domain/workflow/workflow-config.js'
import {create, reply, ticketOf} from './build.js'

const config = {
  version: 1,
  timezone: 'Europe/Berlin',
  calendars: {office: {hours: {'mon-fri': '09:00-17:00'}}},
  agents: {'bob@example.com': {name: 'Bob'}},
  departments: {it: {name: 'IT'}, hr: {name: 'HR'}},
  sla: [{name: 'standard', calendar: 'office', targets: {normal: {firstResponse: '4h', nextResponse: '2h', resolution: '16h'}}}],
} as unknown as DeskConfig
const t = (iso: string) => Date.parse(iso)

describe('SLA targets for reports', () => {
  it('gives every next-response cycle its own outcome, not only the last', () => {
    const ticket = ticketOf([
      create('2026-11-02T08:00:00Z'),
      reply('2026-11-02T08:30:00Z', 'bob@example.com'), // first response
      reply('2026-11-02T09:00:00Z', 'ana@example.com'), // cycle 1: due 11:00Z
      reply('2026-11-02T13:00:00Z', 'bob@example.com'), //   answered late
      reply('2026-11-10T09:00:00Z', 'ana@example.com'), // cycle 2: due 11:00Z
      reply('2026-11-10T10:00:00Z', 'bob@example.com'), //   answered in time
      reply('2026-11-11T09:00:00Z', 'ana@example.com'), // cycle 3: due 11:00Z, still open at noon
    ])
    const targets = slaTargets(ticket, workflowOf(config), t('2026-11-11T12:00:00Z'))
    expect(targets).toEqual([
      {metric: 'first-response', due: t('2026-11-02T12:00:00Z'), fulfilled: t('2026-11-02T08:30:00Z')},
      // 16 business hours from Mon 09:00 local: Mon 8h + Tue 8h -> Tue 17:00 local
      {metric: 'resolution', due: t('2026-11-03T16:00:00Z'), fulfilled: null},
      {metric: 'next-response', due: t('2026-11-02T11:00:00Z'), fulfilled: t('2026-11-02T13:00:00Z')},
      {metric: 'next-response', due: t('2026-11-10T11:00:00Z'), fulfilled: t('2026-11-10T10:00:00Z')},
      {metric: 'next-response', due: t('2026-11-11T11:00:00Z'), fulfilled: null},
    ])
  })

  it('uses the policy calendar for business-time durations and lists the known groups', () => {
    const setup = reportSetup(config)
    expect(setup.slaConfigured).toBe(true)
    expect(setup.calendars).toHaveLength(2)
    const ctx = setup.facts(t('2026-11-11T12:00:00Z'))
    expect(ctx.calendarOf(ticketOf([create('2026-11-02T08:00:00Z')]), [])).toBe(1)
    expect(setup.knownGroups('department')).toEqual(['it', 'hr'])
    expect(setup.knownGroups('agent')).toEqual(['bob@example.com'])
    expect(setup.knownGroups('tier')).toEqual(['1'])
    // No policies: calendar time, no SLA
    const plain = reportSetup({version: 1, timezone: 'UTC'} as DeskConfig)
    expect(plain.slaConfigured).toBe(false)
    expect(plain.facts(0).slaTargets(ticketOf([create('2026-11-02T08:00:00Z')]), [])).toEqual([])
  })
})
