// Dates and times typed by people (--as-of, --from, --to): one strict parser for every command.
// `new Date()` and `Date.parse` accept "0" (the year 2000), roll 2026-02-30 over to 2026-03-02 and
// read zoneless times in the machine's zone; here each of those is refused with what to write.
import {usageError} from '../../errors.js'

export type DateInput =
  /** A calendar date: `ld` is UTC midnight of that date (the caller says in which zone it counts). */
  | {kind: 'day'; ld: number; text: string}
  /** A moment: an ISO time with its zone (Z or ±HH:MM). */
  | {kind: 'instant'; ms: number; text: string}

const FORM = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/i
const HINT = 'Use a date such as 2026-09-30 or a time with its zone such as 2026-09-30T12:00:00Z.'

/** Parses YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS[.fff]](Z|±HH:MM), refusing dates that do not exist. */
export function parseDateInput(value: string, flag: string): DateInput {
  const text = value.trim()
  const m = FORM.exec(text)
  const bad = (why: string) => usageError(`${flag} "${value}" is not ${why}.`, HINT)
  if (!m) return fail(bad('a date'))
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const ld = Date.UTC(y, mo - 1, d)
  if (mo < 1 || mo > 12 || new Date(ld).getUTCDate() !== d || new Date(ld).getUTCMonth() !== mo - 1) return fail(bad(`a date: ${m[1]}-${m[2]} has no day ${m[3]}`))
  if (y < 1970) return fail(bad('a date after 1970'))
  if (m[4] === undefined) return {kind: 'day', ld, text}
  const [h, min, s] = [Number(m[4]), Number(m[5]), Number(m[6] ?? 0)]
  if (h > 23 || min > 59 || s > 59) return fail(bad('a time of day (00:00:00 to 23:59:59)'))
  const zone = m[8]
  if (zone === undefined) return fail(bad('a time with its zone: add Z for UTC or an offset such as +02:00'))
  let offset = 0
  if (zone.toUpperCase() !== 'Z') {
    const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!
    const [zh, zm] = [Number(z[2]), Number(z[3])]
    if (zh > 14 || zm > 59) return fail(bad('a time with a valid zone offset (-14:00 to +14:00)'))
    offset = (z[1] === '-' ? -1 : 1) * (zh * 60 + zm) * 60_000
  }
  const frac = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000)
  return {kind: 'instant', ms: ld + ((h * 60 + min) * 60 + s) * 1000 + frac - offset, text}
}

/** A calendar date only (YYYY-MM-DD), as UTC midnight of that date. */
export function parseDay(value: string, flag: string): number {
  const d = parseDateInput(value, flag)
  if (d.kind !== 'day') throw usageError(`${flag} "${value}" is not a date: expected YYYY-MM-DD, e.g. 2026-10-01.`)
  return d.ld
}

function fail(error: Error): never {
  throw error
}
