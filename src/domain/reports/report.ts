// Report figures (docs/reports.md), computed from ticket facts (report-facts.ts) for periods
// in the desk's time zone. Pure: the same facts, periods and as-of time give the same figures on
// every clone. The formulas are spelled out in docs/reports.md; keep the two in step.
import type {BusinessClock} from '../sla/business-clock.js'
import {CHANNELS, PRIORITIES, type Status} from '../ticket/model.js'
import {periodIndex, type Period} from './periods.js'
import {SLA_METRICS, type SlaMetric, type TicketFacts} from './report-facts.js'
import {pct, summarize, type Summary} from './stats.js'

export const REPORT_METRICS = [
  'created',
  'resolved',
  'reopened',
  'backlog',
  'frt',
  'resolution',
  'first-resolution',
  'wait',
  'sla',
  'unassigned',
  'csat',
  'reopen-rate',
  'escalation-rate',
] as const
export type ReportMetric = (typeof REPORT_METRICS)[number]

/** `tix report` with no --metric: the overview of docs/reports.md. */
export const DEFAULT_METRICS: ReportMetric[] = ['created', 'resolved', 'backlog', 'frt', 'resolution', 'sla', 'unassigned', 'csat', 'reopen-rate', 'escalation-rate']

export const GROUP_BY = ['department', 'channel', 'agent', 'priority', 'tier'] as const
/** A dimension, or a custom field: `field:plan`. */
export type GroupBy = (typeof GROUP_BY)[number] | `field:${string}`

/** The group of tickets that have no value for the dimension. */
export const NO_GROUP: Record<(typeof GROUP_BY)[number], string> = {department: '(none)', channel: '(none)', agent: '(unassigned)', priority: '(none)', tier: '(none)'}
const noGroup = (by: GroupBy) => (by.startsWith('field:') ? '(none)' : NO_GROUP[by as (typeof GROUP_BY)[number]])

/** A --by value: one of GROUP_BY, or field:KEY; null when it is neither. */
export function parseGroupBy(value: string): GroupBy | null {
  if ((GROUP_BY as readonly string[]).includes(value)) return value as GroupBy
  const m = /^field:([A-Za-z][A-Za-z0-9_.-]{0,63})$/.exec(value)
  return m ? (`field:${m[1]}` as GroupBy) : null
}

export interface DurationStat {
  count: number
  /** Seconds (business seconds where the ticket's calendar has working hours). */
  median: number | null
  p90: number | null
  mean: number | null
}

export interface Ratio {
  count: number
  of: number
  pct: number | null
}

export interface SlaStat {
  met: number
  breached: number
  pct: number | null
}

export interface CsatStat {
  good: number
  neutral: number
  bad: number
  /** good / (good + bad) */
  pct: number | null
  /** % good - % bad, of all ratings */
  net: number | null
  /** rated / resolved: resolved tickets in the period that carry a rating */
  responseRate: number | null
}

export interface ReportRow {
  period: string
  from: string
  to: string
  /** null for a report without --by, and for the totals of a report with --by. */
  group: string | null
  created?: number
  resolved?: number
  reopened?: number
  backlog?: number
  frt?: DurationStat
  resolution?: DurationStat
  firstResolution?: DurationStat
  wait?: DurationStat
  sla?: Record<'firstResponse' | 'nextResponse' | 'resolution' | 'all', SlaStat>
  unassigned?: Ratio
  csat?: CsatStat
  reopenRate?: Ratio
  escalationRate?: Ratio
}

export interface ReportInput {
  facts: Iterable<TicketFacts>
  periods: Period[]
  by: GroupBy | null
  metrics: readonly ReportMetric[]
  /** Events after this instant (ms) are ignored; it also ends the last period's "at period end". */
  asOf: number
  /** Business-time clocks, by the facts' calendar index. */
  clocks: BusinessClock[]
  /** Groups that exist even when no ticket is in them (departments, agents and tiers of desk.json). */
  knownGroups?: string[]
}

export interface ReportResult {
  groups: string[]
  rows: ReportRow[]
  /** One per period: every ticket, whatever its group. */
  totals: ReportRow[]
}

const DONE = (s: Status) => s === 'resolved' || s === 'closed'
const WAITING = (s: Status) => s === 'new' || s === 'open' || s === 'on-hold'

class Cell {
  created = 0
  resolved = 0
  reopened = 0
  backlog = 0
  unassigned = 0
  frt: number[] = []
  resolution: number[] = []
  firstResolution: number[] = []
  wait: number[] = []
  reopenedResolved = 0
  escalatedResolved = 0
  ratedResolved = 0
  ratings = [0, 0, 0] // good, neutral, bad
  sla = SLA_METRICS.map(() => [0, 0]) // [met, breached]
}

export function groupKey(f: TicketFacts, by: GroupBy): string {
  if (by.startsWith('field:')) {
    const v = f.fields?.[by.slice(6)]
    return v === undefined || v === null || v === '' ? '(none)' : typeof v === 'string' ? v : JSON.stringify(v)
  }
  switch (by) {
    case 'department':
      return f.department ?? NO_GROUP.department
    case 'channel':
      return f.channel
    case 'agent':
      return f.assignee ?? NO_GROUP.agent
    case 'priority':
      return f.priority
    case 'tier':
      return String(f.tier)
  }
  return ''
}

/**
 * Known groups first (in their own order), then the others alphabetically, the "none" group last.
 * Tiers are numbers: all of them in numeric order.
 */
function orderGroups(by: GroupBy, seen: Set<string>, known: readonly string[]): string[] {
  const base = by === 'channel' ? [...CHANNELS] : by === 'priority' ? [...PRIORITIES] : [...known]
  const out = [...new Set(base)]
  out.push(...[...seen].filter((g) => !out.includes(g) && g !== noGroup(by)).sort())
  if (by === 'tier') out.sort((a, b) => Number(a) - Number(b))
  if (seen.has(noGroup(by))) out.push(noGroup(by))
  return out
}

const seconds = (s: Summary): DurationStat => ({
  count: s.count,
  median: s.median === null ? null : Math.round(s.median / 1000),
  p90: s.p90 === null ? null : Math.round(s.p90 / 1000),
  mean: s.mean === null ? null : Math.round(s.mean / 1000),
})

/** Percentages in reports carry two decimals: enough to check, short enough to read. */
const r2 = (v: number | null): number | null => (v === null ? null : Math.round(v * 100) / 100)

const ratio = (count: number, of: number): Ratio => ({count, of, pct: r2(pct(count, of))})

export function computeReport(input: ReportInput): ReportResult {
  const {periods, by, asOf} = input
  const want = new Set(input.metrics)
  const n = periods.length
  // "At period end" = after every event before the end; the last period ends at the as-of time.
  const ends = periods.map((p) => Math.min(p.end, asOf + 1))
  const groupIndex = new Map<string, number>()
  const cells: Cell[][] = []
  const totals: Cell[] = periods.map(() => new Cell())
  const seen = new Set<string>()
  const cellsOf = (f: TicketFacts): Cell[] => {
    const key = by === null ? '' : groupKey(f, by)
    let g = groupIndex.get(key)
    if (g === undefined) {
      g = cells.length
      groupIndex.set(key, g)
      cells.push(periods.map(() => new Cell()))
      seen.add(key)
    }
    return cells[g]!
  }
  const both = (row: Cell[], k: number, fn: (c: Cell) => void) => {
    fn(row[k]!)
    if (by !== null) fn(totals[k]!)
  }

  for (const f of input.facts) {
    if (f.created > asOf) continue
    const row = cellsOf(f)
    const clock = input.clocks[f.calendar] ?? input.clocks[0]!
    const k0 = periodIndex(periods, f.created)
    if (k0 >= 0) both(row, k0, (c) => c.created++)

    if (f.firstResponse !== null && f.firstResponse <= asOf) {
      const k = periodIndex(periods, f.firstResponse)
      if (k >= 0) {
        const v = clock.between(f.created, f.firstResponse)
        both(row, k, (c) => c.frt.push(v))
      }
    }

    // Walk the status log (up to the as-of time): resolutions, reopens, unresolved spans.
    const merges = f.merges
    let prev: Status | null = null
    let firstResolution = true
    let everReopened = false
    const resolvedAt = new Map<number, number>() // period -> last resolution in it
    const reopenedIn = new Set<number>()
    const spans: [number, number][] = [] // unresolved [from, to)
    let openSince: number | null = null
    for (const [t, s] of f.status) {
      if (t > asOf) break
      const wasDone = prev !== null && DONE(prev)
      if (prev === null || wasDone) {
        if (!DONE(s)) {
          openSince = t
          if (prev !== null) {
            everReopened = true
            const k = periodIndex(periods, t)
            if (k >= 0) reopenedIn.add(k)
          }
        }
      } else if (DONE(s)) {
        spans.push([openSince ?? f.created, t])
        openSince = null
        if (!merges.includes(t)) {
          const k = periodIndex(periods, t)
          if (k >= 0) resolvedAt.set(k, t)
          if (firstResolution && k >= 0) {
            const v = clock.between(f.created, t)
            both(row, k, (c) => c.firstResolution.push(v))
          }
          firstResolution = false
        }
      }
      prev = s
    }
    if (openSince !== null) spans.push([openSince, Infinity])

    for (const k of reopenedIn) both(row, k, (c) => c.reopened++)
    const rated = f.rating !== null && f.rating[0] <= asOf
    for (const [k, t] of resolvedAt) {
      const full = clock.between(f.created, t)
      const wait = want.has('wait') ? waitTime(f, t, clock) : 0
      both(row, k, (c) => {
        c.resolved++
        c.resolution.push(full)
        c.wait.push(wait)
        if (everReopened) c.reopenedResolved++
        if (f.escalated) c.escalatedResolved++
        if (rated) c.ratedResolved++
      })
    }

    if (want.has('backlog') || want.has('unassigned')) {
      for (const [a, b] of spans) {
        // Unresolved at period end E when it became unresolved before E and left it at or after E.
        let k = firstEndAfter(ends, a)
        for (; k < n && ends[k]! <= b; k++) {
          const e = ends[k]!
          const unassigned = assigneeAt(f, e) === null
          both(row, k, (c) => {
            c.backlog++
            if (unassigned) c.unassigned++
          })
        }
      }
    }

    if (rated) {
      const k = periodIndex(periods, f.rating![0])
      const r = f.rating![1] === 'good' ? 0 : f.rating![1] === 'neutral' ? 1 : 2
      if (k >= 0) both(row, k, (c) => c.ratings[r]!++)
    }

    for (const s of f.sla) {
      // An outcome belongs to the period in which it became final: met when fulfilled in time,
      // breached at the due time (whether it was fulfilled late or not yet).
      const met = s.fulfilled !== null && s.fulfilled <= s.due
      const at = met ? s.fulfilled! : s.due
      if (at > asOf) continue
      const k = periodIndex(periods, at)
      const m = SLA_METRICS.indexOf(s.metric)
      if (k >= 0) both(row, k, (c) => c.sla[m]![met ? 0 : 1]!++)
    }
  }

  const groups = by === null ? [''] : orderGroups(by, seen, input.knownGroups ?? [])
  const rows: ReportRow[] = []
  for (let k = 0; k < n; k++) {
    for (const g of groups) {
      const gi = groupIndex.get(g)
      const cell = gi === undefined ? new Cell() : cells[gi]![k]!
      rows.push(toRow(periods[k]!, by === null ? null : g, cell, want))
    }
  }
  return {
    groups: by === null ? [] : groups,
    rows,
    totals: by === null ? rows : periods.map((p, k) => toRow(p, null, totals[k]!, want)),
  }
}

/** The first k with ends[k] > t (ends ascending). */
function firstEndAfter(ends: readonly number[], t: number): number {
  let lo = 0
  let hi = ends.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (ends[mid]! > t) hi = mid
    else lo = mid + 1
  }
  return lo
}

/** The assignee after every change before `e`. */
function assigneeAt(f: TicketFacts, e: number): string | null {
  let who: string | null = null
  for (const [t, a] of f.assign) {
    if (t >= e) break
    who = a
  }
  return who
}

/**
 * Requester wait time up to a resolution at `until`: the business time the ticket spent new, open
 * or on-hold (waiting on the desk or a third party), not pending (waiting on the requester) and not
 * resolved between a resolution and a reopen.
 */
export function waitTime(f: TicketFacts, until: number, clock: BusinessClock): number {
  let total = 0
  for (let i = 0; i < f.status.length; i++) {
    const [t, s] = f.status[i]!
    if (t >= until) break
    const next = Math.min(f.status[i + 1]?.[0] ?? until, until)
    if (WAITING(s)) total += clock.between(t, next)
  }
  return total
}

const SLA_KEYS: Record<SlaMetric, 'firstResponse' | 'nextResponse' | 'resolution'> = {
  'first-response': 'firstResponse',
  'next-response': 'nextResponse',
  resolution: 'resolution',
}

function toRow(p: Period, group: string | null, c: Cell, want: Set<ReportMetric>): ReportRow {
  const row: ReportRow = {period: p.label, from: p.firstDay, to: p.lastDay, group}
  if (want.has('created')) row.created = c.created
  if (want.has('resolved')) row.resolved = c.resolved
  if (want.has('reopened')) row.reopened = c.reopened
  if (want.has('backlog')) row.backlog = c.backlog
  if (want.has('frt')) row.frt = seconds(summarize(c.frt))
  if (want.has('resolution')) row.resolution = seconds(summarize(c.resolution))
  if (want.has('first-resolution')) row.firstResolution = seconds(summarize(c.firstResolution))
  if (want.has('wait')) row.wait = seconds(summarize(c.wait))
  if (want.has('sla')) {
    const stat = (met: number, breached: number): SlaStat => ({met, breached, pct: r2(pct(met, met + breached))})
    const sla = {} as NonNullable<ReportRow['sla']>
    SLA_METRICS.forEach((m, i) => (sla[SLA_KEYS[m]] = stat(c.sla[i]![0]!, c.sla[i]![1]!)))
    sla.all = stat(
      c.sla.reduce((a, x) => a + x[0]!, 0),
      c.sla.reduce((a, x) => a + x[1]!, 0),
    )
    row.sla = sla
  }
  if (want.has('unassigned')) row.unassigned = ratio(c.unassigned, c.backlog)
  if (want.has('csat')) {
    const [good, neutral, bad] = c.ratings as [number, number, number]
    const all = good + neutral + bad
    row.csat = {
      good,
      neutral,
      bad,
      pct: r2(pct(good, good + bad)),
      net: all > 0 ? r2((100 * (good - bad)) / all) : null,
      responseRate: r2(pct(c.ratedResolved, c.resolved)),
    }
  }
  if (want.has('reopen-rate')) row.reopenRate = ratio(c.reopenedResolved, c.resolved)
  if (want.has('escalation-rate')) row.escalationRate = ratio(c.escalatedResolved, c.resolved)
  return row
}

// ------------------------------------------------------------------ backlog age

export const AGE_BUCKETS = [
  {label: '0-1d', max: 1},
  {label: '1-3d', max: 3},
  {label: '3-7d', max: 7},
  {label: '7-30d', max: 30},
  {label: '>30d', max: Infinity},
] as const

export interface BacklogAgeRow {
  group: string | null
  count: number
  /** Tickets per bucket, in AGE_BUCKETS order. */
  buckets: number[]
  /** Seconds of calendar time since creation. */
  median: number | null
  p90: number | null
  max: number | null
  mean: number | null
}

/**
 * Backlog age (docs/reports.md): as-of time - creation, over tickets unresolved at the as-of time, in
 * calendar time. Buckets are [0,1d), [1d,3d), [3d,7d), [7d,30d), [30d,...).
 */
export function computeBacklogAge(input: {facts: Iterable<TicketFacts>; by: GroupBy | null; asOf: number; knownGroups?: string[]}): {rows: BacklogAgeRow[]; total: BacklogAgeRow} {
  const ages = new Map<string, number[]>()
  const all: number[] = []
  const seen = new Set<string>()
  const DAY = 86_400_000
  for (const f of input.facts) {
    if (f.created > input.asOf) continue
    const key = input.by === null ? '' : groupKey(f, input.by)
    seen.add(key)
    let status: Status = 'new'
    for (const [t, s] of f.status) {
      if (t > input.asOf) break
      status = s
    }
    if (DONE(status)) continue
    const age = input.asOf - f.created
    all.push(age)
    if (!ages.has(key)) ages.set(key, [])
    ages.get(key)!.push(age)
  }
  const row = (group: string | null, xs: number[]): BacklogAgeRow => {
    const s = summarize(xs)
    const buckets = AGE_BUCKETS.map(() => 0)
    for (const a of xs) buckets[AGE_BUCKETS.findIndex((b) => a < b.max * DAY)]!++
    const sec = (v: number | null) => (v === null ? null : Math.round(v / 1000))
    return {group, count: xs.length, buckets, median: sec(s.median), p90: sec(s.p90), max: sec(s.max), mean: sec(s.mean)}
  }
  const groups = input.by === null ? [] : orderGroups(input.by, seen, input.knownGroups ?? [])
  return {rows: groups.map((g) => row(g, ages.get(g) ?? [])), total: row(null, all)}
}
