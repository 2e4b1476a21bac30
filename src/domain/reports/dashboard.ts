// The numbers on the TUI's dashboard, from ticket summaries alone: counts by status and department,
// created vs resolved per day over the last week (days in the desk's time zone), and the oldest
// tickets nobody has answered. Pure: the clock and the time zone come in as arguments.
import {STATUSES, isUnresolved, type Status, type TicketSummary} from '../ticket/model.js'

export interface DayCount {
  /** YYYY-MM-DD in the desk's time zone. */
  day: string
  /** Mon, Tue, ... */
  label: string
  created: number
  resolved: number
}

export interface DepartmentCount {
  department: string | null
  unresolved: number
  unassigned: number
}

export interface Dashboard {
  byStatus: Record<Status, number>
  unresolved: number
  total: number
  /** Whether resolved and closed tickets were counted (they load only when asked for). */
  complete: boolean
  departments: DepartmentCount[]
  week: DayCount[]
  /** Unresolved tickets with no response yet, oldest first. */
  unanswered: TicketSummary[]
  unansweredCount: number
}

const formatters = new Map<string, Intl.DateTimeFormat>()
function partsIn(timeZone: string, at: Date): {y: number; m: number; d: number; h: number; min: number; s: number} {
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric'})
    formatters.set(timeZone, f)
  }
  const p: Record<string, number> = {}
  for (const x of f.formatToParts(at)) if (x.type !== 'literal') p[x.type] = Number(x.value)
  return {y: p.year!, m: p.month!, d: p.day!, h: p.hour! % 24, min: p.minute!, s: p.second!}
}

/** The zone's offset from UTC at `at`, in milliseconds. */
function offsetAt(timeZone: string, at: Date): number {
  const p = partsIn(timeZone, at)
  return Date.UTC(p.y, p.m - 1, p.d, p.h, p.min, p.s) - Math.floor(at.getTime() / 1000) * 1000
}

/** The instant local midnight starts on a calendar day (y, m 1-based, d) in the zone. */
export function zonedMidnight(timeZone: string, y: number, m: number, d: number): Date {
  const guess = Date.UTC(y, m - 1, d)
  let t = guess - offsetAt(timeZone, new Date(guess))
  t = guess - offsetAt(timeZone, new Date(t)) // again, in case the first guess crossed a DST change
  return new Date(t)
}

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const pad2 = (n: number) => String(n).padStart(2, '0')

/** The last `days` calendar days ending today, each with the instants it starts and ends. */
export function lastDays(now: Date, timeZone: string, days = 7): {day: string; label: string; start: string; end: string}[] {
  const today = partsIn(timeZone, now)
  const out: {day: string; label: string; start: string; end: string}[] = []
  for (let i = days - 1; i >= 0; i--) {
    const date = new Date(Date.UTC(today.y, today.m - 1, today.d - i))
    const next = new Date(Date.UTC(today.y, today.m - 1, today.d - i + 1))
    out.push({
      day: `${date.getUTCFullYear()}-${pad2(date.getUTCMonth() + 1)}-${pad2(date.getUTCDate())}`,
      label: DAY_NAMES[date.getUTCDay()]!,
      start: zonedMidnight(timeZone, date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()).toISOString(),
      end: zonedMidnight(timeZone, next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate()).toISOString(),
    })
  }
  return out
}

export function dashboard(
  tickets: Iterable<TicketSummary>,
  opts: {now: Date; timeZone: string; days?: number; oldest?: number; complete: boolean},
): Dashboard {
  const byStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>
  const days = lastDays(opts.now, opts.timeZone, opts.days ?? 7)
  const week: DayCount[] = days.map((d) => ({day: d.day, label: d.label, created: 0, resolved: 0}))
  const from = days[0]!.start
  const to = days.at(-1)!.end
  const dayOf = (iso: string): number => {
    if (iso < from || iso >= to) return -1
    for (let i = days.length - 1; i >= 0; i--) if (iso >= days[i]!.start) return i
    return -1
  }
  const depts = new Map<string | null, DepartmentCount>()
  const unanswered: TicketSummary[] = []
  let total = 0
  let unresolved = 0
  for (const t of tickets) {
    total++
    byStatus[t.status]++
    const c = dayOf(t.createdAt)
    if (c >= 0) week[c]!.created++
    if (t.resolvedAt) {
      const r = dayOf(t.resolvedAt)
      if (r >= 0) week[r]!.resolved++
    }
    if (!isUnresolved(t.status)) continue
    unresolved++
    let d = depts.get(t.department)
    if (!d) depts.set(t.department, (d = {department: t.department, unresolved: 0, unassigned: 0}))
    d.unresolved++
    if (t.assignee === null) d.unassigned++
    if (t.firstResponseAt === null) unanswered.push(t)
  }
  unanswered.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1))
  const departments = [...depts.values()].sort(
    (a, b) => b.unresolved - a.unresolved || (a.department === null ? 1 : b.department === null ? -1 : a.department.localeCompare(b.department)),
  )
  return {
    byStatus,
    unresolved,
    total,
    complete: opts.complete,
    departments,
    week,
    unanswered: unanswered.slice(0, opts.oldest ?? 10),
    unansweredCount: unanswered.length,
  }
}
