// Business time for many questions over the same span: a report asks for 100,000 tickets' durations
// in the same calendar, so the calendar's working intervals over the report's span are listed once
// (calendar.ts) with a running total, and each duration is then two binary searches.
// businessMs(cal, a, b) and clock.between(a, b) agree exactly (test/domain/business-clock.test.ts).
import {businessMs, intervals, type Calendar} from './calendar.js'

const DAY = 86_400_000

export const isAroundTheClock = (cal: Calendar): boolean =>
  cal.holidays.size === 0 && cal.week.every((d) => d.length === 1 && d[0]![0] === 0 && d[0]![1] === 1440)

export class BusinessClock {
  private readonly starts: number[] = []
  private readonly ends: number[] = []
  /** Business ms before interval i starts. */
  private readonly before: number[] = []
  readonly elapsed: boolean

  constructor(
    readonly cal: Calendar,
    readonly from: number,
    readonly to: number,
  ) {
    this.elapsed = isAroundTheClock(cal)
    if (this.elapsed || !(to > from)) return
    let total = 0
    for (const [a, b] of intervals(cal, from, Math.ceil((to - from) / DAY) + 3)) {
      if (a >= to) break
      this.starts.push(a)
      this.ends.push(b)
      this.before.push(total)
      total += b - a
    }
  }

  /** Business ms in [from, t), for t inside the clock's span. */
  private upTo(t: number): number {
    const s = this.starts
    if (s.length === 0 || t <= s[0]!) return 0
    let lo = 0
    let hi = s.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (s[mid]! <= t) lo = mid
      else hi = mid - 1
    }
    return this.before[lo]! + Math.min(t, this.ends[lo]!) - s[lo]!
  }

  /** Business milliseconds in [a, b). */
  between(a: number, b: number): number {
    if (!(b > a)) return 0
    if (this.elapsed) return b - a
    if (a < this.from || b > this.to) return businessMs(this.cal, a, b)
    return this.upTo(b) - this.upTo(a)
  }
}
