// Business time (HELPDESK.md "SLA"): a calendar is an IANA time zone, working hours per weekday and
// holidays. SLA clocks and business-time report metrics count only the time inside those hours.
// Pure: the caller passes every instant; local dates come from the zone's own offset at that instant.
import {tzOffset} from '@date-fns/tz/tzOffset'
import {usageError} from '../errors.js'

export interface CalendarSpec {
  /** "mon-fri": "09:00-17:00", "sat": "10:00-14:00", or a list of ranges: ["09:00-12:00", "13:00-17:00"]. */
  hours: Record<string, string | string[]>
  /** Local dates (YYYY-MM-DD) with no working hours. */
  holidays?: string[]
}

export interface Calendar {
  timezone: string
  /** Per weekday (0 = Sunday), sorted, non-overlapping [startMinute, endMinute) ranges. */
  week: Array<Array<[number, number]>>
  holidays: Set<string>
}

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']
const MINUTE = 60_000
const DAY_MS = 86_400_000

/** Around the clock, every day: calendar hours are plain elapsed time. */
export const calendarHours = (timezone = 'UTC'): Calendar => ({timezone, week: DAYS.map(() => [[0, 1440]]), holidays: new Set()})

function parseDays(key: string, path: string): number[] {
  const k = key.trim().toLowerCase()
  if (k === 'daily' || k === 'all' || k === 'mon-sun') return [0, 1, 2, 3, 4, 5, 6]
  const range = /^([a-z]{3})\s*-\s*([a-z]{3})$/.exec(k)
  if (range) {
    const a = DAYS.indexOf(range[1]!)
    const b = DAYS.indexOf(range[2]!)
    if (a < 0 || b < 0) throw usageError(`${path}: "${key}" is not a day range: expected e.g. mon-fri.`)
    const out: number[] = []
    for (let d = a; ; d = (d + 1) % 7) {
      out.push(d)
      if (d === b) break
    }
    return out
  }
  const single = DAYS.indexOf(k)
  if (single < 0) throw usageError(`${path}: "${key}" is not a day: expected mon, tue, ..., sun or a range like mon-fri.`)
  return [single]
}

function parseRange(value: string, path: string): [number, number] {
  const m = /^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/.exec(value.trim())
  if (!m) throw usageError(`${path}: "${value}" is not a time range: expected e.g. "09:00-17:00".`)
  const start = Number(m[1]) * 60 + Number(m[2])
  const end = Number(m[3]) * 60 + Number(m[4])
  if (Number(m[2]) > 59 || Number(m[4]) > 59 || start >= end || end > 1440) {
    throw usageError(`${path}: "${value}" must start before it ends, within 00:00-24:00.`)
  }
  return [start, end]
}

export function compileCalendar(spec: CalendarSpec, timezone: string, path = 'calendar'): Calendar {
  const week: Array<Array<[number, number]>> = DAYS.map(() => [])
  for (const [key, value] of Object.entries(spec.hours ?? {})) {
    const days = parseDays(key, `${path}.hours`)
    const ranges = (Array.isArray(value) ? value : [value]).map((v) => parseRange(v, `${path}.hours.${key}`))
    for (const d of days) week[d]!.push(...ranges)
  }
  for (const day of week) {
    day.sort((a, b) => a[0] - b[0])
    for (let i = 1; i < day.length; i++) {
      if (day[i]![0] < day[i - 1]![1]) throw usageError(`${path}.hours: overlapping ranges on ${DAYS[week.indexOf(day)]}.`)
    }
  }
  if (week.every((d) => d.length === 0)) throw usageError(`${path}.hours: no working hours on any day.`)
  const holidays = new Set<string>()
  for (const h of spec.holidays ?? []) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(h)) throw usageError(`${path}.holidays: "${h}" is not a date: expected YYYY-MM-DD.`)
    holidays.add(h)
  }
  return {timezone, week, holidays}
}

/** The local calendar date (UTC midnight of it) and weekday of an instant in `tz`. */
function localDay(tz: string, t: number): {dayStart: number; dow: number; key: string} {
  const local = t + tzOffset(tz, new Date(t)) * MINUTE
  const dayStart = local - (((local % DAY_MS) + DAY_MS) % DAY_MS)
  const d = new Date(dayStart)
  return {dayStart, dow: d.getUTCDay(), key: d.toISOString().slice(0, 10)}
}

/** The instant of a local wall-clock time (`dayStart` = UTC midnight of the local date, + minutes). */
function instant(tz: string, dayStart: number, minutes: number): number {
  const wall = dayStart + minutes * MINUTE
  let guess = wall - tzOffset(tz, new Date(wall)) * MINUTE
  guess = wall - tzOffset(tz, new Date(guess)) * MINUTE // second pass settles DST edges
  return guess
}

// A day's working intervals as instants, memoised per calendar: SLA clocks over thousands of
// tickets ask for the same days again and again, and each time-zone lookup costs microseconds.
const dayMemo = new WeakMap<Calendar, Map<number, Array<[number, number]>>>()

function dayIntervals(cal: Calendar, dayStart: number): Array<[number, number]> {
  let memo = dayMemo.get(cal)
  if (memo === undefined) dayMemo.set(cal, (memo = new Map()))
  let out = memo.get(dayStart)
  if (out === undefined) {
    const d = new Date(dayStart)
    out = cal.holidays.has(d.toISOString().slice(0, 10))
      ? []
      : cal.week[d.getUTCDay()]!.map(([s, e]) => [instant(cal.timezone, dayStart, s), instant(cal.timezone, dayStart, e)] as [number, number])
    if (memo.size > 50_000) memo.clear()
    memo.set(dayStart, out)
  }
  return out
}

/** Working intervals [start, end) as instants, day by day from the local day containing `from`. */
function* intervals(cal: Calendar, from: number, maxDays = 3660): Generator<[number, number]> {
  let {dayStart} = localDay(cal.timezone, from)
  for (let i = 0; i < maxDays; i++, dayStart += DAY_MS) {
    for (const [a, b] of dayIntervals(cal, dayStart)) {
      if (b > from) yield [Math.max(a, from), b]
    }
  }
}

// Cumulative business time per calendar: a table of business ms before each local day, grown as
// queries need it. businessMs and addBusinessMs then cost a lookup instead of a walk over every day
// in between, which is what lets `tix list --sla` clock a whole desk of months-old tickets.
interface CumTable {
  /** Day number (UTC midnight of the local date / DAY_MS) of days[0]. */
  lo: number
  days: Array<Array<[number, number]>>
  /** cum[k] = business ms before days[k] (relative to days[0]); one more entry than days. */
  cum: number[]
}
const cumTables = new WeakMap<Calendar, CumTable>()
const HORIZON_DAYS = 3660

const dayTotal = (iv: Array<[number, number]>) => iv.reduce((a, [s, e]) => a + (e - s), 0)

function table(cal: Calendar, from: number, to: number): CumTable {
  let tb = cumTables.get(cal)
  if (tb === undefined) {
    tb = {lo: from, days: [], cum: [0]}
    cumTables.set(cal, tb)
  }
  if (from < tb.lo) {
    // Grow downwards (with some slack, so a desk's older tickets do not rebuild it one by one).
    const start = Math.min(from, tb.lo - 60)
    const days: Array<Array<[number, number]>> = []
    const cum = [0]
    for (let d = start; d < tb.lo; d++) {
      const iv = dayIntervals(cal, d * DAY_MS)
      days.push(iv)
      cum.push(cum[cum.length - 1]! + dayTotal(iv))
    }
    const shift = cum[cum.length - 1]!
    for (let k = 1; k < tb.cum.length; k++) cum.push(tb.cum[k]! + shift)
    tb.days = [...days, ...tb.days]
    tb.cum = cum
    tb.lo = start
  }
  while (tb.lo + tb.days.length <= to) {
    const iv = dayIntervals(cal, (tb.lo + tb.days.length) * DAY_MS)
    tb.days.push(iv)
    tb.cum.push(tb.cum[tb.cum.length - 1]! + dayTotal(iv))
  }
  return tb
}

/**
 * Business ms from the table's origin to `t`. The origin moves when the table grows downwards, so
 * two lookups compare only when the table already covered both (businessMs makes sure of it). The local date of `t` is its UTC date or a day either
 * side (zone offsets are under a day), so the days before that window end before `t` and the days
 * after it start after `t`: three partial days and one lookup.
 */
function cumAt(cal: Calendar, t: number): number {
  const day = Math.floor(t / DAY_MS)
  const tb = table(cal, day - 1, day + 1)
  const k = day - 1 - tb.lo
  let total = tb.cum[k]!
  for (let d = k; d <= k + 2; d++) {
    for (const [a, b] of tb.days[d]!) if (t > a) total += Math.min(t, b) - a
  }
  return total
}

/** Business milliseconds in [from, to). */
export function businessMs(cal: Calendar, from: Date | number, to: Date | number): number {
  const f = +from
  const t = +to
  if (t <= f) return 0
  table(cal, Math.floor(f / DAY_MS) - 1, Math.floor(t / DAY_MS) + 1) // one origin for both lookups
  return cumAt(cal, t) - cumAt(cal, f)
}

/** The instant `ms` business milliseconds after `from` (outside hours, counting starts at the next opening). */
export function addBusinessMs(cal: Calendar, from: Date | number, ms: number): Date {
  const f = +from
  if (!(ms > 0)) return nextBusinessMoment(cal, f)
  const target = cumAt(cal, f) + ms
  let tb = table(cal, Math.floor(f / DAY_MS) - 1, Math.floor(f / DAY_MS) + 1)
  const limit = Math.floor(f / DAY_MS) + HORIZON_DAYS
  while (tb.cum[tb.cum.length - 1]! < target) {
    const next = tb.lo + tb.days.length
    if (next > limit) throw usageError(`Calendar in ${cal.timezone} has no working time in the next ten years.`)
    tb = table(cal, tb.lo, Math.min(limit, next + 31))
  }
  // The first day whose end reaches the target, then the interval within it.
  let lo = Math.max(0, Math.floor(f / DAY_MS) - 1 - tb.lo)
  let hi = tb.days.length - 1
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (tb.cum[mid + 1]! >= target) hi = mid
    else lo = mid + 1
  }
  let acc = tb.cum[lo]!
  for (const [a, b] of tb.days[lo]!) {
    if (acc + (b - a) >= target) return new Date(a + (target - acc))
    acc += b - a
  }
  throw new Error('addBusinessMs: cumulative table out of step') // cannot happen: cum[lo+1] >= target
}

/** The first business instant at or after `t`. */
export function nextBusinessMoment(cal: Calendar, t: Date | number): Date {
  for (const [a] of intervals(cal, +t)) return new Date(a)
  throw usageError(`Calendar in ${cal.timezone} has no working time in the next ten years.`)
}

const UNITS: Record<string, number> = {m: 1, min: 1, mins: 1, minute: 1, minutes: 1, h: 60, hr: 60, hrs: 60, hour: 60, hours: 60, d: 1440, day: 1440, days: 1440, w: 10080, week: 10080, weeks: 10080}

/**
 * "90m", "6h", "3d", "1h30m", "5 business days" -> minutes, and whether the text asked for business
 * time explicitly. A "day" is 24 hours of the calendar in force (business day = 24 business hours
 * would be wrong): callers that mean working days use `businessDays` instead.
 */
export function parseDuration(text: string, path = 'duration'): {minutes: number; business: boolean | null; businessDays: number | null} {
  const s = text.trim().toLowerCase()
  const bd = /^(\d+(?:\.\d+)?)\s*(business|working)\s+days?$/.exec(s)
  if (bd) return {minutes: Number(bd[1]) * 1440, business: true, businessDays: Number(bd[1])}
  const business = /\b(business|working)\b/.test(s) ? true : /\bcalendar\b/.test(s) ? false : null
  const rest = s.replace(/\b(business|working|calendar|time)\b/g, ' ').trim()
  let minutes = 0
  let matched = ''
  for (const m of rest.matchAll(/(\d+(?:\.\d+)?)\s*([a-z]+)\s*/g)) {
    const unit = UNITS[m[2]!]
    if (unit === undefined) throw usageError(`${path}: "${text}" has an unknown unit "${m[2]}": use m, h, d or w (e.g. "6h", "1h30m", "3d").`)
    minutes += Number(m[1]) * unit
    matched += m[0]
  }
  if (matched.replace(/\s/g, '') !== rest.replace(/\s/g, '') || minutes <= 0) {
    throw usageError(`${path}: "${text}" is not a duration: use e.g. "90m", "6h", "1h30m", "3d" or "5 business days".`)
  }
  return {minutes, business, businessDays: null}
}

/** `n` working days after `from`: the same business time-of-day, n opening days later. */
export function addBusinessDays(cal: Calendar, from: Date | number, n: number): Date {
  const perDay = (dow: number) => cal.week[dow]!.reduce((a, [s, e]) => a + (e - s), 0) * MINUTE
  // Average working day length of the week: n days of it in business time.
  const days = cal.week.map((_, i) => perDay(i)).filter((x) => x > 0)
  const avg = days.reduce((a, b) => a + b, 0) / days.length
  return addBusinessMs(cal, from, n * avg)
}

// The raw pieces, for report math (periods in the desk's zone, prefix sums of business time).
export {localDay, instant, intervals}
