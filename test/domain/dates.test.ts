import {describe, expect, it} from 'vitest'
import {parseDateInput, parseDay} from '../../src/domain/common/dates.js'
import {parseAsOf} from '../../commands/ticket/show.js'
import {parseAsOfInput} from '../../src/services/reports.js'

describe('one strict parser for dates typed by people', () => {
  it('accepts dates and zoned times', () => {
    expect(parseDateInput('2026-02-28', '--as-of')).toEqual({kind: 'day', ld: Date.UTC(2026, 1, 28), text: '2026-02-28'})
    expect(parseDateInput('2028-02-29', '--as-of').kind).toBe('day')
    expect(parseDateInput('2026-09-30T12:00:00Z', '--as-of')).toMatchObject({kind: 'instant', ms: Date.UTC(2026, 8, 30, 12)})
    expect(parseDateInput('2026-09-30T14:00+02:00', '--as-of')).toMatchObject({kind: 'instant', ms: Date.UTC(2026, 8, 30, 12)})
    expect(parseDateInput('2026-09-30T12:00:00.250Z', '--as-of')).toMatchObject({ms: Date.UTC(2026, 8, 30, 12, 0, 0, 250)})
  })

  it('refuses what Date() silently bends: impossible days, "0", zoneless times, out-of-range times', () => {
    for (const bad of ['2026-02-30', '2026-02-29', '2026-13-01', '2026-04-31', '0', '2026', '20260930', 'yesterday', '2026-09-30T25:00Z', '2026-09-30T12:00', '2026-02-30T12:00:00Z', '2026-09-30T12:00+15:00', '1969-12-31', '']) {
      expect(() => parseDateInput(bad, '--as-of'), bad).toThrow(/--as-of ".*" is not/)
      try {
        parseDateInput(bad, '--as-of')
      } catch (error) {
        expect((error as {exitCode: number}).exitCode).toBe(2)
      }
    }
    expect(() => parseDateInput('2026-02-30', '--as-of')).toThrow('2026-02 has no day 30')
    expect(() => parseDay('2026-09-30T12:00Z', '--from')).toThrow(/expected YYYY-MM-DD/)
  })

  it('show and report both use it', () => {
    expect(parseAsOf('2026-09-30')).toBe('2026-09-30T23:59:59.999Z')
    expect(() => parseAsOf('2026-02-30')).toThrow(/no day 30/)
    expect(() => parseAsOf('0')).toThrow(/is not a date/)
    expect(() => parseAsOfInput('2026-02-30', 'UTC')).toThrow(/no day 30/)
    expect(() => parseAsOfInput('0', 'UTC')).toThrow(/is not a date/)
    expect(parseAsOfInput('2026-09-30', 'Europe/Berlin')).toBe(Date.UTC(2026, 8, 30, 22) - 1)
  })
})
