// SLA clocks (HELPDESK.md "SLA"), computed from a ticket summary alone, so `tix list --sla` over a
// whole desk needs no ticket files.
//
// - The ticket's policy: the one a rule or a person set on it, else the first whose `if` matches.
// - First response: creation -> first public reply by an agent. Next response: the oldest requester
//   message not yet answered (after the first response) -> the next public agent reply. Resolution:
//   creation -> resolved. Resolving fulfils the response clocks still running (as Zendesk does).
//   Replies sent by rules and automations (`auto`) are not responses.
// - Clocks count business time of the policy's calendar (or around the clock when the target says
//   "calendar" or the policy names no calendar), and stand still while the status is in `pauseOn`
//   (plus `pauseResolutionOn` for resolution; resolved and closed always). Moving between two paused
//   statuses is one pause.
// - Due = the instant the clock reaches the target. The target is the one for the priority at the
//   moment of evaluation (fulfilment, or now), so after a priority change new due = now + (new
//   target - time already used).
// - State: met (fulfilled by due), breached (fulfilled after due, or now > due), paused, warning
//   (warnAt of the target or less remains; 25% by default), ok.
// All durations are whole minutes; `remaining`, `overdueBy`, `elapsed` and `paused` are in the clock's
// own time (business minutes for business targets).
import {addBusinessMs, businessMs, type Calendar} from './calendar.js'
import type {Priority, Status, TicketSummary} from './model.js'
import type {SlaMetric, SlaPolicy, SlaTarget, Workflow} from './workflow-config.js'

export type {SlaMetric}
export const SLA_STATES = ['ok', 'warning', 'breached', 'met', 'paused'] as const
export type SlaState = (typeof SLA_STATES)[number]

export interface MetricSla {
  /** The target in minutes of the clock's time. */
  target: number
  /** The target as desk.json writes it ("1h", "3 business days"). */
  targetText: string
  business: boolean
  startedAt: string
  /** When the clock reaches the target; null while paused (it depends on when the clock runs again). */
  dueAt: string | null
  fulfilledAt: string | null
  state: SlaState
  remaining: number | null
  overdueBy: number | null
  /** Clock time used so far (up to fulfilment). */
  elapsed: number
  /** Clock time that passed while the clock was paused. */
  paused: number
}

export interface NextResponseSla extends MetricSla {
  /** Requester messages that started a next-response clock, and how many of those breached. */
  cycles: number
  breaches: number
}

export interface TicketSla {
  policy: string
  calendar: string | null
  /** The worst of the metrics: breached > warning > ok > paused > met. */
  state: SlaState
  firstResponse: MetricSla | null
  nextResponse: NextResponseSla | null
  resolution: MetricSla | null
}

const MIN = 60_000
const DONE: Status[] = ['resolved', 'closed']
const RANK: Record<SlaState, number> = {breached: 4, warning: 3, ok: 2, paused: 1, met: 0}

export const worstState = (states: SlaState[]): SlaState | null =>
  states.length === 0 ? null : states.reduce((a, b) => (RANK[b] > RANK[a] ? b : a))

/** The policy for a ticket: the one set on it (when it still exists), else the first that matches. */
export function policyFor(t: TicketSummary, wf: Workflow): SlaPolicy | null {
  if (t.slaPolicy) {
    const named = wf.policies.find((p) => p.name === t.slaPolicy)
    if (named) return named
  }
  for (const p of wf.policies) if (p.conditions.test(t)) return p
  return null
}

const priorityAt = (t: TicketSummary, at: number): Priority => {
  let p: Priority = t.priorityLog?.[0]?.priority ?? t.priority
  for (const e of t.priorityLog ?? []) {
    if (Date.parse(e.at) > at) break
    p = e.priority
  }
  return p
}

/** The running stretches of a clock from `start`: [from, to) with to = Infinity for "still running". */
function runningStretches(t: TicketSummary, start: number, until: number, paused: Set<Status>): Array<[number, number]> {
  let status: Status = 'new'
  const log = t.statusLog ?? []
  let i = 0
  for (; i < log.length && Date.parse(log[i]!.at) <= start; i++) status = log[i]!.status
  const out: Array<[number, number]> = []
  let running = !paused.has(status)
  let from = start
  for (; i < log.length; i++) {
    const at = Date.parse(log[i]!.at)
    if (at >= until) break
    const next = !paused.has(log[i]!.status)
    if (next === running) continue
    if (running) out.push([from, at])
    from = at
    running = next
  }
  if (running) out.push([from, Infinity])
  return out
}

function clock(
  t: TicketSummary,
  cal: Calendar,
  start: number,
  fulfilled: number | null,
  now: number,
  paused: Set<Status>,
  target: SlaTarget,
  warnAt: number,
): MetricSla {
  const end = fulfilled ?? now
  // Status changes after fulfilment do not matter: the clock is projected as running from there.
  const stretches = runningStretches(t, start, fulfilled ?? now + 1, paused)
  let due: number | null = null
  let acc = 0
  for (const [a, b] of stretches) {
    const candidate = addBusinessMs(cal, a, target.ms - acc).getTime()
    if (candidate <= b) {
      due = candidate
      break
    }
    acc += businessMs(cal, a, b)
  }
  // Clock time used by `end`, and clock time that passed paused.
  let used = 0
  for (const [a, b] of stretches) {
    if (a >= end) break
    used += businessMs(cal, a, Math.min(b, end))
  }
  const total = end > start ? businessMs(cal, start, end) : 0
  const base = {
    target: Math.round(target.ms / MIN),
    targetText: target.text,
    business: target.business,
    startedAt: new Date(start).toISOString(),
    fulfilledAt: fulfilled === null ? null : new Date(fulfilled).toISOString(),
    elapsed: Math.round(used / MIN),
    paused: Math.round(Math.max(0, total - used) / MIN),
  }
  const runningNow = stretches.length > 0 && stretches[stretches.length - 1]![1] === Infinity && stretches[stretches.length - 1]![0] <= end
  if (fulfilled !== null) {
    const breached = due !== null && fulfilled > due
    return {
      ...base,
      dueAt: due === null ? null : new Date(due).toISOString(),
      state: breached ? 'breached' : 'met',
      remaining: null,
      overdueBy: breached ? Math.ceil(Math.max(0, used - target.ms) / MIN) : null,
    }
  }
  if (due !== null && now > due) {
    return {...base, dueAt: new Date(due).toISOString(), state: 'breached', remaining: null, overdueBy: Math.ceil(Math.max(0, used - target.ms) / MIN)}
  }
  const remaining = Math.max(0, target.ms - used)
  if (!runningNow) return {...base, dueAt: null, state: 'paused', remaining: Math.floor(remaining / MIN), overdueBy: null}
  return {
    ...base,
    dueAt: due === null ? null : new Date(due).toISOString(),
    state: remaining <= warnAt * target.ms ? 'warning' : 'ok',
    remaining: Math.floor(remaining / MIN),
    overdueBy: null,
  }
}

/** The first time at or after `from` that the ticket became resolved or closed; null if it never did. */
function doneAfter(t: TicketSummary, from: number): number | null {
  for (const e of t.statusLog ?? []) {
    const at = Date.parse(e.at)
    if (at >= from && DONE.includes(e.status)) return at
  }
  return null
}

function targetFor(policy: SlaPolicy, priority: Priority, metric: SlaMetric): SlaTarget | null {
  return policy.targets[priority]?.[metric] ?? null
}

/**
 * The SLA of a ticket at `now` under the desk's workflow; null when no policy applies (or the
 * policy sets no target for the ticket's priority).
 */
export function ticketSla(t: TicketSummary, wf: Workflow, now: Date | number): TicketSla | null {
  if (wf.policies.length === 0 || !t.createdAt) return null
  const policy = policyFor(t, wf)
  if (policy === null) return null
  const nowMs = +now
  const created = Date.parse(t.createdAt)
  const requester = (t.requester.email ?? t.requester.name ?? '').toLowerCase()
  const isRequester = (by: string) => requester !== '' && by.toLowerCase() === requester
  const isAgentReply = (r: {by: string; auto?: true}) => r.auto !== true && !isRequester(r.by) && wf.isAgent(r.by, t.requester.email)
  const replies = (t.replies ?? []).filter((r) => Date.parse(r.at) <= nowMs)
  const pauseAll = new Set<Status>([...policy.pauseOn, ...DONE])
  const pauseResolution = new Set<Status>([...pauseAll, ...policy.pauseResolutionOn])
  const calOf = (target: SlaTarget) => (target.business ? policy.calendar : policy.clock)
  const metric = (name: SlaMetric, start: number, fulfilled: number | null, paused: Set<Status>): MetricSla | null => {
    const target = targetFor(policy, priorityAt(t, fulfilled ?? nowMs), name)
    return target ? clock(t, calOf(target), start, fulfilled, nowMs, paused, target, policy.warnAt) : null
  }
  const minOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b))
  const doneNow = (from: number) => {
    const d = doneAfter(t, from)
    return d !== null && d <= nowMs ? d : null
  }

  // First response
  const firstAgent = replies.find(isAgentReply)
  const firstAgentAt = firstAgent ? Date.parse(firstAgent.at) : null
  const firstResponse = metric('firstResponse', created, minOf(firstAgentAt, doneNow(created)), pauseAll)

  // Next response: cycles after the first response
  let nextResponse: NextResponseSla | null = null
  if (firstAgentAt !== null) {
    const cycles: Array<{start: number; end: number | null}> = []
    let open: number | null = null
    for (const r of replies) {
      const at = Date.parse(r.at)
      if (at <= firstAgentAt) continue
      if (isRequester(r.by)) {
        if (open === null) open = at
      } else if (open !== null && isAgentReply(r)) {
        cycles.push({start: open, end: at})
        open = null
      }
    }
    if (open !== null) cycles.push({start: open, end: null})
    let breaches = 0
    let last: MetricSla | null = null
    for (const c of cycles) {
      const m = metric('nextResponse', c.start, minOf(c.end, doneNow(c.start)), pauseAll)
      if (m === null) continue
      if (m.state === 'breached') breaches++
      last = m
    }
    if (last) nextResponse = {...last, cycles: cycles.length, breaches}
  }

  // Resolution: fulfilled while the ticket is resolved or closed (a reopen starts the clock again).
  const isDoneNow = DONE.includes(statusAt(t, nowMs))
  const resolvedAt = isDoneNow && t.resolvedAt ? Date.parse(t.resolvedAt) : null
  const resolution = metric('resolution', created, resolvedAt, pauseResolution)

  const states = [firstResponse, nextResponse, resolution].filter((m): m is MetricSla => m !== null).map((m) => m.state)
  const state = worstState(states)
  if (state === null) return null
  return {policy: policy.name, calendar: policy.calendarName, state, firstResponse, nextResponse, resolution}
}

function statusAt(t: TicketSummary, at: number): Status {
  let s: Status = 'new'
  for (const e of t.statusLog ?? []) {
    if (Date.parse(e.at) > at) break
    s = e.status
  }
  return s
}

/** For queues: the due time that matters most (the earliest due among breached/at-risk/running metrics). */
export function slaSortKey(s: TicketSla | null): number {
  if (s === null) return Infinity
  let best = Infinity
  for (const m of [s.firstResponse, s.nextResponse, s.resolution]) {
    if (m === null || m.state === 'met' || m.dueAt === null) continue
    if (m.fulfilledAt !== null) continue
    best = Math.min(best, Date.parse(m.dueAt))
  }
  return best
}

/** "2h 5m", "3d 4h": business minutes as a person reads them. */
export function formatMinutes(minutes: number): string {
  const m = Math.max(0, Math.round(minutes))
  if (m < 60) return `${m}m`
  const h = Math.floor(m / 60)
  if (h < 24) return m % 60 === 0 ? `${h}h` : `${h}h ${m % 60}m`
  const d = Math.floor(h / 24)
  return h % 24 === 0 ? `${d}d` : `${d}d ${h % 24}h`
}
