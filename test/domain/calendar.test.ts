import {describe, expect, it} from 'vitest'
import {addBusinessDays, addBusinessMs, businessMs, calendarHours, compileCalendar, nextBusinessMoment, parseDuration} from '../../src/domain/sla/calendar.js'

const H = 3_600_000
const office = compileCalendar({hours: {'mon-fri': '09:00-17:00'}, holidays: ['2026-12-24', '2026-12-25']}, 'Europe/Berlin')

describe('business calendar (Europe/Berlin, mon-fri 09-17)', () => {
  it('counts only the hours inside the working day', () => {
    // Mon 2026-11-23 08:00 local (07:00Z) to 12:00 local (11:00Z): 3 business hours
    expect(businessMs(office, new Date('2026-11-23T07:00:00Z'), new Date('2026-11-23T11:00:00Z'))).toBe(3 * H)
  })

  it('starts a ticket created outside hours at the next opening', () => {
    // Friday 2026-11-27 18:00 local -> next business minute is Monday 09:00 local (08:00Z)
    expect(nextBusinessMoment(office, new Date('2026-11-27T17:00:00Z')).toISOString()).toBe('2026-11-30T08:00:00.000Z')
    // 6 business hours from Friday evening: Monday 15:00 local
    expect(addBusinessMs(office, new Date('2026-11-27T17:00:00Z'), 6 * H).toISOString()).toBe('2026-11-30T14:00:00.000Z')
  })

  it('skips weekends and holidays', () => {
    // Wed 2026-12-23 16:00 local + 4h: 1h Wed, Thu 24 and Fri 25 are holidays, weekend, 3h Mon 28 -> 12:00 local
    expect(addBusinessMs(office, new Date('2026-12-23T15:00:00Z'), 4 * H).toISOString()).toBe('2026-12-28T11:00:00.000Z')
    expect(businessMs(office, new Date('2026-12-23T15:00:00Z'), new Date('2026-12-28T11:00:00Z'))).toBe(4 * H)
  })

  it('follows the DST change in the time zone (CEST -> CET on 2026-10-25)', () => {
    // Fri 2026-10-23 16:00 CEST (14:00Z) + 2h -> Mon 2026-10-26 10:00 CET (09:00Z)
    expect(addBusinessMs(office, new Date('2026-10-23T14:00:00Z'), 2 * H).toISOString()).toBe('2026-10-26T09:00:00.000Z')
    // A working day is 8 business hours on both sides of the change
    expect(businessMs(office, new Date('2026-10-23T00:00:00Z'), new Date('2026-10-24T00:00:00Z'))).toBe(8 * H)
    expect(businessMs(office, new Date('2026-10-26T00:00:00Z'), new Date('2026-10-27T00:00:00Z'))).toBe(8 * H)
  })

  it('agrees with itself: businessMs(from, addBusinessMs(from, x)) = x', () => {
    const from = new Date('2026-11-20T13:37:00Z')
    for (const x of [1, 30 * 60_000, 5 * H, 17 * H, 40 * H]) expect(businessMs(office, from, addBusinessMs(office, from, x))).toBe(x)
  })

  it('calendar hours are plain elapsed time', () => {
    const cal = calendarHours()
    expect(businessMs(cal, new Date('2026-11-21T00:00:00Z'), new Date('2026-11-23T06:00:00Z'))).toBe(54 * H)
  })

  it('adds working days', () => {
    // Thu 10:00 local + 5 working days (8h each) -> next Thu 10:00 local
    expect(addBusinessDays(office, new Date('2026-11-19T09:00:00Z'), 5).toISOString()).toBe('2026-11-26T09:00:00.000Z')
  })

  it('rejects bad specs with the path', () => {
    expect(() => compileCalendar({hours: {'mon-fri': '17:00-09:00'}}, 'UTC', 'calendars.office')).toThrow(/calendars.office.hours.mon-fri/)
    expect(() => compileCalendar({hours: {funday: '09:00-17:00'}}, 'UTC')).toThrow(/not a day/)
    expect(() => compileCalendar({hours: {}}, 'UTC')).toThrow(/no working hours/)
  })
})

describe('durations', () => {
  it('parses the forms desk.json uses', () => {
    expect(parseDuration('6h').minutes).toBe(360)
    expect(parseDuration('1h30m').minutes).toBe(90)
    expect(parseDuration('3d').minutes).toBe(3 * 1440)
    expect(parseDuration('5 business days')).toMatchObject({business: true, businessDays: 5})
    expect(parseDuration('4 business hours')).toMatchObject({minutes: 240, business: true})
    expect(() => parseDuration('soon')).toThrow(/not a duration/)
    expect(() => parseDuration('3 fortnights')).toThrow(/unknown unit/)
  })
})
