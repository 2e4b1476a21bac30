// Checks the help-desk sections share: each appends a problem with the JSON path and what is expected.
import {parseDuration, type Calendar} from '../../sla/calendar.js'
import type {ConfigProblem, JsonSchema} from '../../config/section.js'

export const lower = (s: string) => s.trim().toLowerCase()
export const EMAILISH = /^[^\s<>@]+@[^\s<>@]+$/

export function stringArray(v: unknown, path: string, problems: ConfigProblem[], what = 'strings'): string[] | null {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) {
    problems.push({path, message: `expected a list of ${what}`})
    return null
  }
  return v as string[]
}

export function positiveInt(v: unknown, path: string, problems: ConfigProblem[], what: string, min = 1): number | null {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    problems.push({path, message: `expected ${what} (a whole number${min === 0 ? '' : `, at least ${min}`})`})
    return null
  }
  return v
}

export function oneOfValue<T extends string>(v: unknown, list: readonly T[], path: string, problems: ConfigProblem[]): T | null {
  if (typeof v === 'string' && (list as readonly string[]).includes(v)) return v as T
  problems.push({path, message: `expected one of ${list.join(', ')}`})
  return null
}

export function duration(v: unknown, path: string, problems: ConfigProblem[]): {ms: number; business: boolean | null; text: string} | null {
  if (typeof v !== 'string') {
    problems.push({path, message: 'expected a duration such as "90m", "6h", "3d" or "5 business days"'})
    return null
  }
  try {
    const d = parseDuration(v, path)
    return {ms: d.minutes * 60_000, business: d.business, text: v}
  } catch {
    problems.push({path, message: `expected a duration such as "90m", "6h", "1h30m", "3d" or "5 business days" (got "${v}")`})
    return null
  }
}

/** The working day of a calendar in ms (for "N business days"). */
const workingDayMs = (cal: Calendar) => {
  const days = cal.week.map((d) => d.reduce((a, [s, e]) => a + (e - s), 0)).filter((x) => x > 0)
  return (days.reduce((a, b) => a + b, 0) / Math.max(1, days.length)) * 60_000
}

/** Converts "5 business days" to business ms of `cal`; other durations are taken as written. */
export function durationIn(cal: Calendar, text: string, ms: number): number {
  const bd = /^(\d+(?:\.\d+)?)\s*(business|working)\s+days?$/i.exec(text.trim())
  return bd ? Number(bd[1]) * workingDayMs(cal) : ms
}

/** A `calendar` key naming one of the desk's calendars (null, with a problem, when it names none). */
export function calendarRef(v: unknown, path: string, problems: ConfigProblem[], calendars: Map<string, Calendar>): string | null {
  if (typeof v !== 'string' || !calendars.has(v)) {
    problems.push({path, message: `expected the name of a calendar (${[...calendars.keys()].join(', ') || 'define one under "calendars"'})`})
    return null
  }
  return v
}

/** The JSON Schema of a duration as parseDuration reads it (src/domain/sla/calendar.ts). */
export function durationSchema(description: string): JsonSchema {
  return {
    type: 'string',
    description,
    pattern: '^\\s*(\\d+(\\.\\d+)?\\s*(business|working)\\s+days?|((business|working|calendar)\\s+)?(\\d+(\\.\\d+)?\\s*(m|min|mins|minutes?|h|hr|hrs|hours?|d|days?|w|weeks?)\\s*)+((business|working|calendar)(\\s+time)?)?)\\s*$',
    examples: ['90m', '6h', '1h30m', '3d', '5 business days', '4 calendar hours'],
  }
}
