// Report periods in the desk's time zone: a day, an ISO week (Monday first), a month or a year of
// local time, each [start, end) as instants. Local dates are handled as "UTC midnight of the local
// date" numbers (ld), which makes calendar arithmetic plain; calendar.ts turns them into instants.
import {usageError} from '../../errors.js'
import {instant, localDay} from '../sla/calendar.js'
import {parseDay} from '../common/dates.js'

export const PERIOD_UNITS = ['day', 'week', 'month', 'year'] as const
export type PeriodUnit = (typeof PERIOD_UNITS)[number]

export interface Period {
  /** "2026-11-20", "2026-W47", "2026-11", "2026", or "2026-10-01..2026-10-31" for a plain range. */
  label: string
  /** First and last local date of the period (inclusive), as the desk's calendar shows them. */
  firstDay: string
  lastDay: string
  start: number
  end: number
}

const DAY = 86_400_000
const iso = (ld: number) => new Date(ld).toISOString().slice(0, 10)

/** The local date (YYYY-MM-DD) of an instant in `tz`. */
export const localDate = (tz: string, ms: number): string => localDay(tz, ms).key

/** A local date typed by a person (--from, --to): the one strict parser, src/domain/common/dates.ts. */
export const parseLocalDate = (value: string, flag: string): number => parseDay(value, flag)

/** The instant local midnight of `ld` begins in `tz`. */
export const startOfLocalDay = (tz: string, ld: number): number => instant(tz, ld, 0)

/** The local date number of the period containing local date `ld`. */
export function periodStartLd(unit: PeriodUnit, ld: number): number {
  const d = new Date(ld)
  switch (unit) {
    case 'day':
      return ld
    case 'week':
      return ld - ((d.getUTCDay() + 6) % 7) * DAY
    case 'month':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)
    case 'year':
      return Date.UTC(d.getUTCFullYear(), 0, 1)
  }
}

export function nextPeriodLd(unit: PeriodUnit, ld: number, n = 1): number {
  const d = new Date(ld)
  switch (unit) {
    case 'day':
      return ld + n * DAY
    case 'week':
      return ld + 7 * n * DAY
    case 'month':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1)
    case 'year':
      return Date.UTC(d.getUTCFullYear() + n, 0, 1)
  }
}

/** ISO 8601 week label of the week starting on local Monday `ld`: the year is the Thursday's. */
export function isoWeekLabel(ld: number): string {
  const thursday = ld + 3 * DAY
  const year = new Date(thursday).getUTCFullYear()
  const week = 1 + Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * DAY))
  return `${year}-W${String(week).padStart(2, '0')}`
}

export function periodLabel(unit: PeriodUnit, ld: number): string {
  const s = iso(ld)
  return unit === 'day' ? s : unit === 'week' ? isoWeekLabel(ld) : unit === 'month' ? s.slice(0, 7) : s.slice(0, 4)
}

/**
 * The periods covering local dates [fromLd, toLd] (inclusive), cut to that range: a week that
 * starts before `from` begins at `from`. unit null = one period for the whole range.
 */
export function buildPeriods(tz: string, unit: PeriodUnit | null, fromLd: number, toLd: number): Period[] {
  if (toLd < fromLd) throw usageError(`--to ${iso(toLd)} is before --from ${iso(fromLd)}.`)
  const endLd = toLd + DAY
  if (unit === null) {
    return [{label: `${iso(fromLd)}..${iso(toLd)}`, firstDay: iso(fromLd), lastDay: iso(toLd), start: startOfLocalDay(tz, fromLd), end: startOfLocalDay(tz, endLd)}]
  }
  const out: Period[] = []
  for (let ld = periodStartLd(unit, fromLd); ld < endLd; ld = nextPeriodLd(unit, ld)) {
    const a = Math.max(ld, fromLd)
    const b = Math.min(nextPeriodLd(unit, ld), endLd)
    out.push({label: periodLabel(unit, ld), firstDay: iso(a), lastDay: iso(b - DAY), start: startOfLocalDay(tz, a), end: startOfLocalDay(tz, b)})
    if (out.length > 5000) throw usageError('That range has more than 5000 periods.', 'Use a longer --period or a shorter range.')
  }
  return out
}

/** Index of the period holding instant `t`, or -1. Periods are contiguous and sorted. */
export function periodIndex(periods: readonly Period[], t: number): number {
  if (periods.length === 0 || t < periods[0]!.start || t >= periods[periods.length - 1]!.end) return -1
  let lo = 0
  let hi = periods.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (periods[mid]!.start <= t) lo = mid
    else hi = mid - 1
  }
  return lo
}
