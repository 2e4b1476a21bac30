// SLA for people: the SLA column of `tix list`, the SLA lines of `tix show`, the `tix sla` report.
// In JSON the `sla` object is TicketSla as it is (sla.ts): durations in whole minutes of the
// clock's time (business minutes when `business` is true), times as ISO-8601 UTC.
import type {ChalkInstance} from 'chalk'
import type {DeskConfig} from '../domain/config/config.js'
import type {TicketSummary} from '../domain/ticket/model.js'
import {formatMinutes, type MetricSla, type SlaState, type TicketSla} from '../domain/sla/sla.js'
import {workflowOf} from '../domain/workflow/workflow-config.js'
import type {ExtraColumn} from './tickets.js'

export const METRIC_LABELS = {firstResponse: 'first response', nextResponse: 'next response', resolution: 'resolution'} as const
const SHORT_LABELS = {firstResponse: '· first reply', nextResponse: '· next reply', resolution: '· resolution'} as const
const METRICS = ['firstResponse', 'nextResponse', 'resolution'] as const

export function stateStyle(c: ChalkInstance, s: SlaState | null): (text: string) => string {
  return s === 'breached' ? c.red.bold : s === 'warning' ? c.yellow : s === 'ok' ? c.green : c.dim
}

const STATE_WORD: Record<SlaState, string> = {breached: 'breached', warning: 'at risk', ok: 'ok', paused: 'paused', met: 'met'}

/** The metric that speaks for the ticket: the worst state, then the soonest due. */
export function headline(s: TicketSla): {metric: keyof typeof METRIC_LABELS; m: MetricSla} | null {
  let best: {metric: keyof typeof METRIC_LABELS; m: MetricSla} | null = null
  for (const metric of METRICS) {
    const m = s[metric]
    if (!m || m.state !== s.state) continue
    if (!best || (m.dueAt ?? '') < (best.m.dueAt ?? '')) best = {metric, m}
  }
  return best
}

/** "breached 2h", "at risk 25m", "ok 3h", "paused", "met", "-": short, for a table cell. */
export function slaCell(s: TicketSla | null): string {
  if (s === null) return '-'
  const h = headline(s)
  if (!h) return STATE_WORD[s.state]
  if (s.state === 'breached') return `breached ${formatMinutes(h.m.overdueBy ?? 0)}`
  if (s.state === 'warning' || s.state === 'ok') return `${STATE_WORD[s.state]} ${formatMinutes(h.m.remaining ?? 0)}`
  return STATE_WORD[s.state]
}

/** The SLA column for `tix list`, only on desks that have SLA policies. */
export function slaColumn(config: DeskConfig, slaOf: (t: TicketSummary) => TicketSla | null, c: ChalkInstance): ExtraColumn[] {
  if (workflowOf(config).policies.length === 0) return []
  return [{header: 'SLA', cell: (t) => {
    const s = slaOf(t)
    return {text: slaCell(s), style: stateStyle(c, s?.state ?? null)}
  }}]
}

const when = (iso: string | null) => (iso ? `${iso.replace('T', ' ').slice(0, 16)} UTC` : '-')

/** One line per metric: "ok · due 2026-11-23 13:00 UTC · 2h 5m left (of 4h business)". */
export function metricLine(m: MetricSla): string {
  const of = `of ${m.targetText}${m.business && !/business|working/i.test(m.targetText) ? ' (business hours)' : ''}`
  switch (m.state) {
    case 'met':
      return `met · ${formatMinutes(m.elapsed)} ${of} · answered ${when(m.fulfilledAt)}`
    case 'breached':
      return m.fulfilledAt
        ? `breached · due ${when(m.dueAt)}, done ${when(m.fulfilledAt)} · ${formatMinutes(m.overdueBy ?? 0)} late`
        : `breached · due ${when(m.dueAt)} · overdue by ${formatMinutes(m.overdueBy ?? 0)}`
    case 'paused':
      return `paused · ${formatMinutes(m.remaining ?? 0)} left ${of} when the clock runs again`
    default:
      return `${STATE_WORD[m.state]} · due ${when(m.dueAt)} · ${formatMinutes(m.remaining ?? 0)} left ${of}`
  }
}

/** The SLA lines `tix show` adds to a ticket's fields. */
export function slaFields(s: TicketSla | null): [string, string][] {
  if (s === null) return []
  const out: [string, string][] = [['SLA', `${STATE_WORD[s.state]} · policy ${s.policy}${s.calendar ? ` · calendar ${s.calendar}` : ''}`]]
  for (const metric of METRICS) {
    const m = s[metric]
    if (m) out.push([SHORT_LABELS[metric], metricLine(m) + (metric === 'nextResponse' && s.nextResponse && s.nextResponse.cycles > 1 ? ` · ${s.nextResponse.breaches} of ${s.nextResponse.cycles} late` : '')])
  }
  return out
}
