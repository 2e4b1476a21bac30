// Business time (docs/helpdesk.md "SLA"): a calendar is an IANA time zone, working hours per weekday and
// holidays. SLA clocks and business-time report metrics count only the time inside those hours.
// Pure: the caller passes every instant; local dates come from the zone's own offset at that instant.
import {tzOffset} from '@date-fns/tz/tzOffset'
import {usageError} from '../../errors.js'

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

// Business time over long spans, fast: `tix list --sla` clocks a thousand months-old tickets per
// command. Per calendar, a table of the business time before each local day (grown on demand,
// with a stable origin so values stay comparable) turns businessMs into two lookups and
// addBusinessMs into a binary search; days are built with one offset per day where the zone keeps
// one offset all day, which is every day but the few a year when clocks change.
interface CalState {
  /** Local day number (UTC midnight of the local date / DAY_MS) of days[0]. */
  lo: number
  days: Array<Array<[number, number]>>
  /** cum[k]: business ms before days[k], from a fixed origin (may be negative); one more entry than days. */
  cum: number[]
  holidays: Set<number>
  /** UTC offsets (minutes) at noon UTC of a day, sampled weekly where they do not change. */
  offsets: Map<number, number>
  /** The last lookup (SLA asks for "now" and creation times again and again). */
  lastT: number
  lastCum: number
}
const states = new WeakMap<Calendar, CalState>()
const HORIZON_DAYS = 3660

function stateOf(cal: Calendar, day: number): CalState {
  let st = states.get(cal)
  if (st === undefined) {
    const holidays = new Set<number>()
    for (const h of cal.holidays) holidays.add(Math.round(Date.parse(`${h}T00:00:00Z`) / DAY_MS))
    st = {lo: day, days: [], cum: [0], holidays, offsets: new Map(), lastT: NaN, lastCum: 0}
    states.set(cal, st)
  }
  return st
}

function noonOffset(cal: Calendar, st: CalState, day: number): number {
  let off = st.offsets.get(day)
  if (off === undefined) {
    off = tzOffset(cal.timezone, new Date(day * DAY_MS + DAY_MS / 2))
    st.offsets.set(day, off)
  }
  return off
}

/** The offset for all of a local day, or null when it changes within the day (or near it). */
function steadyOffset(cal: Calendar, st: CalState, day: number): number | null {
  // Zones change their offset at most a few times a year: equal offsets a week apart mean none in between.
  const w = Math.floor((day - 3) / 7) * 7
  const a = noonOffset(cal, st, w)
  if (a === noonOffset(cal, st, w + 14) && w <= day - 2 && day + 1 <= w + 14) return a
  const off = noonOffset(cal, st, day)
  return off === noonOffset(cal, st, day - 2) && off === noonOffset(cal, st, day - 1) && off === noonOffset(cal, st, day + 1) ? off : null
}

function buildDay(cal: Calendar, st: CalState, day: number): Array<[number, number]> {
  if (st.holidays.has(day)) return []
  const ranges = cal.week[(((day + 4) % 7) + 7) % 7]! // 1970-01-01 was a Thursday
  if (ranges.length === 0) return []
  const dayStart = day * DAY_MS
  const off = steadyOffset(cal, st, day)
  return ranges.map(([s, e]) =>
    off !== null
      ? ([dayStart + (s - off) * MINUTE, dayStart + (e - off) * MINUTE] as [number, number])
      : ([instant(cal.timezone, dayStart, s), instant(cal.timezone, dayStart, e)] as [number, number]),
  )
}

const dayTotal = (iv: Array<[number, number]>) => {
  let total = 0
  for (const [s, e] of iv) total += e - s
  return total
}

/** Makes the table cover days [from, to]. Growing downwards keeps every value already handed out. */
function cover(cal: Calendar, from: number, to: number): CalState {
  const st = stateOf(cal, from)
  if (from < st.lo) {
    const start = Math.min(from, st.lo - 60) // some slack: older tickets come one by one
    const days: Array<Array<[number, number]>> = []
    for (let d = start; d < st.lo; d++) days.push(buildDay(cal, st, d))
    const cum = new Array<number>(days.length)
    let c = st.cum[0]!
    for (let k = days.length - 1; k >= 0; k--) {
      c -= dayTotal(days[k]!)
      cum[k] = c
    }
    st.days = [...days, ...st.days]
    st.cum = [...cum, ...st.cum]
    st.lo = start
  }
  while (st.lo + st.days.length <= to) {
    const iv = buildDay(cal, st, st.lo + st.days.length)
    st.days.push(iv)
    st.cum.push(st.cum[st.cum.length - 1]! + dayTotal(iv))
  }
  return st
}

/**
 * Business ms from the calendar's origin to `t`. Only differences mean anything, and they stay
 * valid for the life of the process. The local date of `t` is its UTC date or a day either side
 * (offsets are under a day), so the days before that window end before `t` and the days after it
 * start after it: one lookup and three partial days.
 */
export function businessCum(cal: Calendar, t: Date | number): number {
  const ms = +t
  const st0 = states.get(cal)
  if (st0 !== undefined && st0.lastT === ms) return st0.lastCum
  const day = Math.floor(ms / DAY_MS)
  const st = cover(cal, day - 1, day + 1)
  const k = day - 1 - st.lo
  let total = st.cum[k]!
  for (let d = k; d <= k + 2; d++) {
    for (const [a, b] of st.days[d]!) if (ms > a) total += (ms < b ? ms : b) - a
  }
  st.lastT = ms
  st.lastCum = total
  return total
}

/** The earliest instant at or after `from` where businessCum reaches `target` (> businessCum(from)). */
export function instantAtCum(cal: Calendar, target: number, from: Date | number): Date {
  const f = +from
  const first = Math.floor(f / DAY_MS) - 1
  let st = cover(cal, first, first + 2)
  const limit = first + HORIZON_DAYS
  while (st.cum[st.cum.length - 1]! < target) {
    const next = st.lo + st.days.length
    if (next > limit) throw usageError(`Calendar in ${cal.timezone} has no working time in the next ten years.`)
    st = cover(cal, st.lo, Math.min(limit, next + 31))
  }
  // The first day whose end reaches the target, then the interval within it.
  let lo = Math.max(0, first - st.lo)
  let hi = st.days.length - 1
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (st.cum[mid + 1]! >= target) hi = mid
    else lo = mid + 1
  }
  let acc = st.cum[lo]!
  for (const [a, b] of st.days[lo]!) {
    if (acc + (b - a) >= target) return new Date(Math.max(a + (target - acc), f))
    acc += b - a
  }
  throw new Error('instantAtCum: the table is out of step') // cannot happen: cum[lo + 1] >= target
}

/** Business milliseconds in [from, to). */
export function businessMs(cal: Calendar, from: Date | number, to: Date | number): number {
  const f = +from
  const t = +to
  if (t <= f) return 0
  return businessCum(cal, t) - businessCum(cal, f)
}

/** The instant `ms` business milliseconds after `from` (outside hours, counting starts at the next opening). */
export function addBusinessMs(cal: Calendar, from: Date | number, ms: number): Date {
  const f = +from
  if (!(ms > 0)) return nextBusinessMoment(cal, f)
  return instantAtCum(cal, businessCum(cal, f) + ms, f)
}

/** Working intervals [start, end) as instants, day by day from the local day containing `from`. */
function* intervals(cal: Calendar, from: number, maxDays = HORIZON_DAYS): Generator<[number, number]> {
  const first = Math.floor(from / DAY_MS) - 1
  for (let i = 0; i < maxDays; i++) {
    const st = cover(cal, first + i, first + i)
    for (const [a, b] of st.days[first + i - st.lo]!) {
      if (b > from) yield [Math.max(a, from), b]
    }
  }
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
