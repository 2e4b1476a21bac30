// SLA clocks (docs/helpdesk.md "SLA"), computed from a ticket summary alone, so `tix list --sla` over a
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
import {businessCum, instantAtCum, type Calendar} from './calendar.js'
import type {Priority, Status, TicketSummary} from '../ticket/model.js'
import {isoTimeMs} from '../ticket/events.js'
import type {SlaMetric, SlaPolicy, SlaTarget, Workflow} from '../workflow/workflow-config.js'

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

/** The policy for a ticket: the one set on it (when it still exists), else the first that matches. */
export function policyFor(t: TicketSummary, wf: Workflow): SlaPolicy | null {
  if (t.slaPolicy) {
    const named = wf.policies.find((p) => p.name === t.slaPolicy)
    if (named) return named
  }
  for (const p of wf.policies) if (p.conditions.test(t)) return p
  return null
}

/** A ticket's times as numbers, parsed once (a desk's worth of SLAs parses a lot of dates). */
interface Times {
  /** The stored ISO strings by their ms, so results reuse them instead of formatting dates again. */
  strings: Map<number, string>
  created: number
  status: Array<{at: number; s: Status}>
  prio: Array<{at: number; p: Priority}>
  replies: Array<{at: number; by: string; auto: boolean}>
}
const timesMemo = new WeakMap<TicketSummary, Times>()

/** ISO-8601 UTC as events store it ("2026-11-23T08:00:00.000Z") to ms, as Date.parse says (events.ts). */
export const isoMs = isoTimeMs

function timesOf(t: TicketSummary): Times {
  let x = timesMemo.get(t)
  if (x === undefined) {
    const strings = new Map<number, string>()
    const ms = (s: string) => {
      const v = isoMs(s)
      if (s.length === 24) strings.set(v, s) // only the canonical form (what toISOString writes)
      return v
    }
    x = {
      strings,
      created: ms(t.createdAt),
      status: (t.statusLog ?? []).map((e) => ({at: ms(e.at), s: e.status})),
      prio: (t.priorityLog ?? []).map((e) => ({at: isoMs(e.at), p: e.priority})),
      replies: (t.replies ?? []).map((r) => ({at: ms(r.at), by: r.by.toLowerCase(), auto: r.auto === true})),
    }
    timesMemo.set(t, x)
  }
  return x
}

function priorityAt(t: TicketSummary, x: Times, at: number): Priority {
  let p: Priority = x.prio[0]?.p ?? t.priority
  for (const e of x.prio) {
    if (e.at > at) break
    p = e.p
  }
  return p
}

function statusAt(x: Times, at: number): Status {
  let s: Status = 'new'
  for (const e of x.status) {
    if (e.at > at) break
    s = e.s
  }
  return s
}

/** The running stretches of a clock from `start`: [from, to) with to = Infinity for "still running". */
function runningStretches(x: Times, start: number, until: number, paused: ReadonlySet<Status>): Array<[number, number]> {
  const log = x.status
  let status: Status = 'new'
  let i = 0
  for (; i < log.length && log[i]!.at <= start; i++) status = log[i]!.s
  const out: Array<[number, number]> = []
  let running = !paused.has(status)
  let from = start
  for (; i < log.length; i++) {
    const at = log[i]!.at
    if (at >= until) break
    const next = !paused.has(log[i]!.s)
    if (next === running) continue
    if (running) out.push([from, at])
    from = at
    running = next
  }
  if (running) out.push([from, Infinity])
  return out
}

const iso = (ms: number) => new Date(ms).toISOString()

function clock(x: Times, cal: Calendar, start: number, fulfilled: number | null, now: number, paused: ReadonlySet<Status>, target: SlaTarget, warnAt: number): MetricSla {
  const end = fulfilled ?? now
  // Status changes after fulfilment do not matter: the clock is projected as running from there.
  const stretches = runningStretches(x, start, fulfilled ?? now + 1, paused)
  // One pass in cumulative business time: when the clock reaches the target (due), and how much of
  // it ran by `end` (used).
  const cumEnd = businessCum(cal, end)
  let due: number | null = null
  let acc = 0
  let used = 0
  for (const [a, b] of stretches) {
    const ca = businessCum(cal, a)
    if (due === null) {
      const need = target.ms - acc
      const cb = b === Infinity ? Infinity : businessCum(cal, b)
      if (cb - ca >= need) due = instantAtCum(cal, ca + need, a).getTime()
      else acc += cb - ca
    }
    if (a < end) used += (b < end ? businessCum(cal, b) : cumEnd) - ca
  }
  const unpaused = stretches.length === 1 && stretches[0]![0] === start && stretches[0]![1] >= end // most tickets
  const total = unpaused ? used : end > start ? cumEnd - businessCum(cal, start) : 0
  const last = stretches[stretches.length - 1]
  const runningNow = last !== undefined && last[1] === Infinity && last[0] <= end
  let state: SlaState
  let remaining: number | null = null
  let overdueBy: number | null = null
  let dueAt = due
  if (fulfilled !== null) {
    state = due !== null && fulfilled > due ? 'breached' : 'met'
  } else if (due !== null && now > due) {
    state = 'breached'
  } else if (!runningNow) {
    state = 'paused'
    dueAt = null
  } else {
    state = Math.max(0, target.ms - used) <= warnAt * target.ms ? 'warning' : 'ok'
  }
  if (state === 'breached') overdueBy = Math.ceil(Math.max(0, used - target.ms) / MIN)
  else if (state !== 'met') remaining = Math.floor(Math.max(0, target.ms - used) / MIN)
  return {
    target: Math.round(target.ms / MIN),
    targetText: target.text,
    business: target.business,
    startedAt: x.strings.get(start) ?? iso(start),
    dueAt: dueAt === null ? null : iso(dueAt),
    fulfilledAt: fulfilled === null ? null : (x.strings.get(fulfilled) ?? iso(fulfilled)),
    state,
    remaining,
    overdueBy,
    elapsed: Math.round(used / MIN),
    paused: Math.round(Math.max(0, total - used) / MIN),
  }
}

/** The first time at or after `from` that the ticket became resolved or closed, if by `now`. */
function doneBetween(x: Times, from: number, now: number): number | null {
  for (const e of x.status) {
    if (e.at > now) return null
    if (e.at >= from && (e.s === 'resolved' || e.s === 'closed')) return e.at
  }
  return null
}

const pauseSets = new WeakMap<SlaPolicy, {all: Set<Status>; resolution: Set<Status>}>()
function pausesOf(policy: SlaPolicy) {
  let p = pauseSets.get(policy)
  if (p === undefined) {
    const all = new Set<Status>([...policy.pauseOn, ...DONE])
    p = {all, resolution: new Set<Status>([...all, ...policy.pauseResolutionOn])}
    pauseSets.set(policy, p)
  }
  return p
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
  const x = timesOf(t)
  const created = x.created
  const requester = (t.requester.email ?? t.requester.name ?? '').toLowerCase()
  const requesterEmail = t.requester.email
  const isRequester = (by: string) => requester !== '' && by === requester
  const isAgentReply = (r: {by: string; auto: boolean}) => !r.auto && !isRequester(r.by) && wf.isAgent(r.by, requesterEmail)
  const pauses = pausesOf(policy)
  const metric = (name: SlaMetric, start: number, fulfilled: number | null, paused: ReadonlySet<Status>): MetricSla | null => {
    const target = policy.targets[priorityAt(t, x, fulfilled ?? nowMs)]?.[name]
    return target ? clock(x, target.business ? policy.calendar : policy.clock, start, fulfilled, nowMs, paused, target, policy.warnAt) : null
  }
  const minOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b))

  // First response
  let firstAgentAt: number | null = null
  for (const r of x.replies) {
    if (r.at > nowMs) break
    if (isAgentReply(r)) {
      firstAgentAt = r.at
      break
    }
  }
  const firstResponse = metric('firstResponse', created, minOf(firstAgentAt, doneBetween(x, created, nowMs)), pauses.all)

  // Next response: cycles after the first response
  let nextResponse: NextResponseSla | null = null
  if (firstAgentAt !== null && Object.values(policy.targets).some((m) => m?.nextResponse !== undefined)) {
    let cycles = 0
    let breaches = 0
    let last: MetricSla | null = null
    let open: number | null = null
    const close = (end: number | null) => {
      const m = metric('nextResponse', open!, minOf(end, doneBetween(x, open!, nowMs)), pauses.all)
      cycles++
      if (m) {
        if (m.state === 'breached') breaches++
        last = m
      }
      open = null
    }
    for (const r of x.replies) {
      if (r.at > nowMs) break
      if (r.at <= firstAgentAt) continue
      if (isRequester(r.by)) {
        if (open === null) open = r.at
      } else if (open !== null && isAgentReply(r)) close(r.at)
    }
    if (open !== null) close(null)
    if (last) nextResponse = {...(last as MetricSla), cycles, breaches}
  }

  // Resolution: fulfilled while the ticket is resolved or closed (a reopen starts the clock again).
  const current = statusAt(x, nowMs)
  const resolvedAt = (current === 'resolved' || current === 'closed') && t.resolvedAt ? isoMs(t.resolvedAt) : null
  if (resolvedAt !== null && t.resolvedAt!.length === 24) x.strings.set(resolvedAt, t.resolvedAt!)
  const resolution = metric('resolution', created, resolvedAt, pauses.resolution)

  let state: SlaState | null = null
  for (const m of [firstResponse, nextResponse, resolution]) if (m && (state === null || RANK[m.state] > RANK[state])) state = m.state
  if (state === null) return null
  return {policy: policy.name, calendar: policy.calendarName, state, firstResponse, nextResponse, resolution}
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

/** The soonest due time among a ticket's clocks still running (null when none runs): `--sort due`. */
export function soonestDue(s: TicketSla | null): string | null {
  if (s === null) return null
  const dues = [s.firstResponse, s.nextResponse, s.resolution].flatMap((m) => (m && m.fulfilledAt === null && m.dueAt ? [m.dueAt] : []))
  return dues.length === 0 ? null : dues.sort()[0]!
}
