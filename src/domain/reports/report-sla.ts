// What reports take from the desk's workflow (workflow-config.ts, sla.ts): the calendar each
// ticket's business-time durations use (its SLA policy's), its SLA outcomes, and the groups that
// exist even when empty. SLA logic itself is sla.ts's; this file only samples it at the moments an
// outcome is decided, so report math (report.ts) sees plain {metric, due, fulfilled} targets.
import {calendarHours, type Calendar} from '../sla/calendar.js'
import type {DeskConfig} from '../config/config.js'
import type {EventBase} from '../ticket/events.js'
import type {Ticket} from '../ticket/model.js'
import type {GroupBy} from './report.js'
import type {FactsContext, SlaTarget} from './report-facts.js'
import {policyFor, ticketSla, type MetricSla} from '../sla/sla.js'
import {workflowOf, type Workflow} from '../workflow/workflow-config.js'

export interface ReportSetup {
  timezone: string
  /** Index 0 is calendar time in the desk's zone; index i + 1 is SLA policy i's calendar. */
  calendars: Calendar[]
  /** `now`: the moment facts are taken at (the as-of time, or the time of the facts build). */
  facts: (now: number) => FactsContext
  /** Whether the desk defines SLA policies at all (else SLA compliance shows as n/a). */
  slaConfigured: boolean
  knownGroups: (by: GroupBy) => string[]
}

const ms = (iso: string | null | undefined) => (iso ? Date.parse(iso) : null)

/** A decided outcome of a metric, as a report target: due and fulfilment (null while open). */
function target(metric: SlaTarget['metric'], m: MetricSla | null): SlaTarget | null {
  if (m === null) return null
  const due = ms(m.dueAt)
  // Paused with no due yet: nothing is decided, and the next event re-derives the facts.
  if (due === null) return null
  return {metric, due, fulfilled: ms(m.fulfilledAt)}
}

/**
 * The ticket's SLA targets from sla.ts. First response and resolution are read at `now`. Each
 * next-response cycle is decided by an agent reply (or the resolution) that ends it, so sla.ts is
 * asked at each of those moments for the cycle that just ended, and at `now` for one still open.
 */
export function slaTargets(t: Ticket, wf: Workflow, now: number): SlaTarget[] {
  const at = ticketSla(t, wf, now)
  if (at === null) return []
  const out: SlaTarget[] = []
  const fr = target('first-response', at.firstResponse)
  if (fr) out.push(fr)
  const res = target('resolution', at.resolution)
  if (res) out.push(res)
  const nr = at.nextResponse
  if (nr !== null && nr.cycles === 1) {
    // One cycle: the one sla.ts reports is the only one (decided or still open).
    const c = target('next-response', nr)
    if (c) out.push(c)
  } else if (nr !== null && nr.cycles > 1) {
    const first = ms(at.firstResponse?.fulfilledAt ?? null)
    const moments = new Set<number>()
    for (const r of t.replies ?? []) {
      const x = Date.parse(r.at)
      if (first !== null && x > first && x <= now) moments.add(x)
    }
    for (const s of t.statusLog) {
      const x = Date.parse(s.at)
      if ((s.status === 'resolved' || s.status === 'closed') && first !== null && x > first && x <= now) moments.add(x)
    }
    // Every cycle before the last ended at one of these moments; sla.ts says which and how.
    let seen = 0
    for (const x of [...moments].sort((a, b) => a - b)) {
      if (seen >= nr.cycles - 1) break
      const then = ticketSla(t, wf, x)?.nextResponse
      if (!then || then.fulfilledAt === null || Date.parse(then.fulfilledAt) !== x || then.cycles <= seen) continue
      seen = then.cycles
      const c = target('next-response', then)
      if (c) out.push(c)
    }
    const last = target('next-response', nr)
    if (last) out.push(last)
  }
  return out
}

export function reportSetup(config: DeskConfig): ReportSetup {
  const wf = workflowOf(config)
  const timezone = wf.timezone || config.timezone
  const tiers = new Set<number>([1])
  for (const d of wf.departments.values()) for (const n of d.tiers.keys()) tiers.add(n)
  for (const a of wf.agents.values()) tiers.add(a.tier)
  return {
    timezone,
    calendars: [calendarHours(timezone), ...wf.policies.map((p) => p.calendar)],
    facts: (now) => ({
      calendarOf: (t: Ticket, _events: readonly EventBase[]) => {
        const p = wf.policies.length > 0 ? policyFor(t, wf) : null
        return p === null ? 0 : wf.policies.indexOf(p) + 1
      },
      slaTargets: (t: Ticket) => (wf.policies.length > 0 ? slaTargets(t, wf, now) : []),
      isAgent: (who: string, t: Ticket) => wf.isAgent(who, t.requester.email),
    }),
    slaConfigured: wf.policies.length > 0,
    knownGroups: (by) => {
      if (by === 'department') return [...wf.departments.keys()]
      if (by === 'agent') return [...wf.agents.keys()]
      if (by === 'tier') return [...tiers].sort((a, b) => a - b).map(String)
      // an enum field declared in desk.json: its values, in their order
      const spec = by.startsWith('field:') ? (config.fields as Record<string, {type?: string; values?: string[]}> | undefined)?.[by.slice(6)] : undefined
      if (spec?.type === 'enum' && Array.isArray(spec.values)) return [...spec.values]
      return []
    },
  }
}
