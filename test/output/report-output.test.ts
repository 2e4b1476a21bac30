// CSV that a spreadsheet opens safely, and the chart helpers, on synthetic report output.
import {describe, expect, it} from 'vitest'
import {Chalk} from 'chalk'
import {apportion, axisMax, renderChart} from '../../src/output/chart.js'
import {csvText, duration, reportCsv} from '../../src/output/report.js'
import type {ReportOutput} from '../../src/services/reports.js'

describe('CSV (RFC 4180) from ticket-derived text', () => {
  it('quotes commas, quotes and line breaks, and neutralises formulas', () => {
    expect(csvText('plain')).toBe('plain')
    expect(csvText('a,b')).toBe('"a,b"')
    expect(csvText('say "hi"')).toBe('"say ""hi"""')
    expect(csvText('two\nlines')).toBe('two lines') // folded: one record per line
    expect(csvText('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`)
    for (const lead of ['+', '-', '@']) expect(csvText(`${lead}1+1`)).toBe(`'${lead}1+1`)
    expect(csvText('\u001b[31mred')).toBe('\\x1b[31mred')
  })

  it('keeps numbers as numbers (a negative net CSAT is not text) and dates as ISO', () => {
    const out = {
      timezone: 'UTC',
      period: 'month',
      from: '2026-11-01',
      to: '2026-11-30',
      asOf: '2026-11-30T12:00:00.000Z',
      asOfGiven: false,
      by: 'department',
      metrics: ['created', 'csat'],
      slaConfigured: false,
      groups: ['=cmd|calc', 'a,b'],
      periods: [],
      rows: [
        {period: '2026-11', from: '2026-11-01', to: '2026-11-30', group: '=cmd|calc', created: 2, csat: {good: 0, neutral: 1, bad: 2, pct: 0, net: -66.67, responseRate: null}},
        {period: '2026-11', from: '2026-11-01', to: '2026-11-30', group: 'a,b', created: 0, csat: {good: 0, neutral: 0, bad: 0, pct: null, net: null, responseRate: null}},
      ],
      totals: [],
      problems: [],
    } as unknown as ReportOutput
    expect(reportCsv(out)).toBe(
      'period,from,to,group,created,csat_good,csat_neutral,csat_bad,csat_pct,csat_net,csat_response_rate_pct\r\n' +
        "2026-11,2026-11-01,2026-11-30,'=cmd|calc,2,0,1,2,0,-66.7,\r\n" +
        '2026-11,2026-11-01,2026-11-30,"a,b",0,0,0,0,,,\r\n',
    )
  })
})

describe('chart helpers', () => {
  it('shares cells out exactly', () => {
    expect(apportion([4, 1, 1, 1, 1], 10)).toEqual([5, 2, 1, 1, 1])
    expect(apportion([1, 1, 1], 10).reduce((a, b) => a + b)).toBe(10)
    expect(apportion([0, 0], 10)).toEqual([0, 0])
  })

  it('picks axis tops a person can read', () => {
    expect(axisMax(3, 'count')).toBe(4)
    expect(axisMax(7, 'count')).toBe(8)
    expect(axisMax(130, 'count')).toBe(200)
    expect(axisMax(7200, 'seconds')).toBe(7200) // 2h
    expect(axisMax(5000, 'seconds')).toBe(7200) // 1.4h -> 2h
    expect(axisMax(2400, 'seconds')).toBe(3000) // 40m -> 50m
    expect(axisMax(87, 'percent')).toBe(100)
  })

  it('draws a bar per value, and scales bars to the width', () => {
    const data = {title: 'Created', unit: 'count' as const, categories: ['2026-11'], series: [{name: 'it', values: [4]}, {name: 'hr', values: [2]}]}
    const c = new Chalk({level: 0})
    const narrow = renderChart('bar', data, {width: 40, color: c})
    const wide = renderChart('bar', data, {width: 80, color: c})
    expect(narrow[2]).toBe('it │█████████████████████████████████ 4')
    expect(narrow[3]).toBe('hr │████████████████▌ 2')
    expect(wide[2]!.length).toBe(narrow[2]!.length + 40)
  })

  it('stacks counts only: per-department median times are drawn as lines, never added up', () => {
    const c = new Chalk({level: 0})
    const times = {title: 'Median first response', unit: 'seconds' as const, categories: ['W1', 'W2', 'W3'], series: [{name: 'it', values: [3600, 7200, 7200]}, {name: 'hr', values: [3600, 7200, 7200]}]}
    const drawn = renderChart('area', times, {width: 60, color: c, height: 8}).join('\n')
    expect(drawn).toContain('do not add up: drawn as lines, not stacked')
    expect(drawn).not.toMatch(/\b4h\b/) // the stacked sum (2h + 2h) would set the axis to 4h
    expect(drawn).toMatch(/\b2h\b/)
    const counts = {title: 'Created', unit: 'count' as const, categories: ['W1', 'W2', 'W3'], series: [{name: 'it', values: [2, 4, 4]}, {name: 'hr', values: [2, 4, 4]}]}
    const stacked = renderChart('area', counts, {width: 60, color: c, height: 8}).join('\n')
    expect(stacked).not.toContain('not stacked')
    expect(stacked).toMatch(/\b8\b/) // 4 + 4 at the top of the axis
  })

  it('formats durations compactly', () => {
    expect([null, 30, 90, 3600, 5400, 86400, 93600].map(duration)).toEqual(['-', '30s', '2m', '1h', '1h 30m', '1d', '1d 2h'])
  })
})
