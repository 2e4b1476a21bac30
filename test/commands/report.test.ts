// `tix report` against the office fixture desk (fixtures/reports/office.ts), run in-process (tixIn).
// Every expected figure is worked out by hand below from the fixture's event times; Europe/Berlin is
// UTC+1 in November and office hours are 09:00-17:00 local (08:00-16:00Z) on weekdays.
import {existsSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {buildDesk} from '../../fixtures/reports/build.js'
import {office, OFFICE_DESK} from '../../fixtures/reports/office.js'
import {ROOT, tixIn} from '../helpers.js'
import {FACTS_VERSION} from '../../src/store/report-facts.js'

const NOW = '2026-11-30T22:00:00Z' // Mon 30 Nov 23:00 local: every event has happened, still November
const env = {TIX_NOW: NOW}
const GOLDEN = join(ROOT, 'fixtures', 'reports', 'golden')

/** Compares with a golden file; UPDATE_GOLDEN=1 rewrites it (then read the diff before committing). */
function golden(name: string, actual: string) {
  const file = join(GOLDEN, name)
  if (process.env.UPDATE_GOLDEN || !existsSync(file)) writeFileSync(file, actual)
  expect(actual).toBe(readFileSync(file, 'utf8'))
}

let dir: string
beforeAll(async () => {
  dir = await buildDesk(office)
})

const report = async (args: string[], e: Record<string, string> = env) => {
  const r = await tixIn(dir, ['report', ...args], {env: e})
  if (r.code !== 0) throw new Error(`tix report ${args.join(' ')} failed (${r.code}): ${r.stderr}`)
  return r
}

describe('tix report: the month overview', () => {
  it('matches the hand-computed November figures', async () => {
    const json = (await report(['--metric', 'all', '--json'])).json()
    expect(json).toMatchObject({schemaVersion: 1, kind: 'report', timezone: 'Europe/Berlin', period: 'month', from: '2026-11-01', to: '2026-11-30', by: null, sla: {configured: true}})
    const [nov] = json.rows
    // Created in November (Berlin): T1-T7 and T8 (Sun 1 Nov 00:30 local) = 8; T9 is 31 Oct local.
    expect(nov.created).toBe(8)
    // Resolved: T1, T2, T4 (twice, counted once), T5, T8, T9 = 6; T7's merge is not a resolution.
    expect(nov.resolved).toBe(6)
    expect(nov.reopened).toBe(1) // T4
    // Unresolved now: T3 (new, unassigned) and T6 (open, assigned to bob on 24 Nov).
    expect(nov.backlog).toBe(2)
    expect(nov.unassigned).toEqual({count: 1, of: 2, pct: 50})
    // First response, business hours: T8 0, T6 15m, T4 30m, T9 30m, T5 1h, T1 2h, T2 2h
    // (T2: Fri 16:00-17:00 local + Mon 09:00-10:00 = 2h, not the 66h on the wall clock).
    // Median 30m; p90 at rank 5.4 = 2h; mean 6.25h / 7 = 53m 34s.
    expect(nov.frt).toEqual({count: 7, median: 1800, p90: 7200, mean: 3214})
    // Resolution (to the last resolution in the month): T9 1h, T8 2h, T5 4h, T1 6h, T4 10h (Thu 8h +
    // Fri 2h), T2 13h (Fri 1h, Mon 8h, Tue 4h). Median (4 + 6) / 2 = 5h; p90 at rank 4.5 = 11.5h; mean 6h.
    expect(nov.resolution).toEqual({count: 6, median: 18000, p90: 41400, mean: 21600})
    // First resolution: T4's first was 1h; the others as above: 1 1 2 4 6 13 -> 3h, 9.5h, 4.5h.
    expect(nov.firstResolution).toEqual({count: 6, median: 10800, p90: 34200, mean: 16200})
    // Requester wait (new, open, on-hold; not pending, not resolved): T2 5.5h (its pending day is left
    // out), T4 3h (the night it was resolved is left out): 1 2 3 4 5.5 6 -> 3.5h, 5.75h, 3h 35m.
    expect(nov.wait).toEqual({count: 6, median: 12600, p90: 20700, mean: 12900})
    // SLA: T3 (urgent) breaches first response (due 10:00 local) and resolution (13:00 local);
    // every other target is met, T2's first response exactly at its due time; T4's next response
    // (Fri 09:00 -> 10:00 local, target 2h) is met. T6 (low) has no targets; T7 (merged) counts not.
    expect(nov.sla).toEqual({
      firstResponse: {met: 6, breached: 1, pct: 85.71},
      nextResponse: {met: 1, breached: 0, pct: 100},
      resolution: {met: 6, breached: 1, pct: 85.71},
      all: {met: 13, breached: 2, pct: 86.67},
    })
    // Ratings: T1 good (5), T2 neutral (3), T4 bad (2): CSAT 1 / (1 + 1) = 50%, net 0; 3 of the 6
    // resolved tickets are rated. T4 was reopened and T5 escalated: 1 of 6 each.
    expect(nov.csat).toEqual({good: 1, neutral: 1, bad: 1, pct: 50, net: 0, responseRate: 50})
    expect(nov.reopenRate).toEqual({count: 1, of: 6, pct: 16.67})
    expect(nov.escalationRate).toEqual({count: 1, of: 6, pct: 16.67})
    golden('office-november.json', JSON.stringify(json, null, 2) + '\n')
  })

  it('prints the overview as one line per figure on a terminal and as a table in a pipe', async () => {
    const r = await report([])
    expect(r.stdout.split('\n')[0]).toBe('period\tfrom\tto\tcreated\tresolved\tbacklog\tfrt_count\tfrt_median_hours\tfrt_p90_hours\tfrt_mean_hours\tresolution_count\tresolution_median_hours\tresolution_p90_hours\tresolution_mean_hours\tsla_first_response_met\tsla_first_response_breached\tsla_first_response_pct\tsla_next_response_met\tsla_next_response_breached\tsla_next_response_pct\tsla_resolution_met\tsla_resolution_breached\tsla_resolution_pct\tsla_all_met\tsla_all_breached\tsla_all_pct\tunassigned_count\tunassigned_of\tunassigned_pct\tcsat_good\tcsat_neutral\tcsat_bad\tcsat_pct\tcsat_net\tcsat_response_rate_pct\treopen_rate_count\treopen_rate_of\treopen_rate_pct\tescalation_rate_count\tescalation_rate_of\tescalation_rate_pct')
    expect(r.stdout.split('\n')[1]).toBe('2026-11\t2026-11-01\t2026-11-30\t8\t6\t2\t7\t0.5\t2\t0.89\t6\t5\t11.5\t6\t6\t1\t85.7\t1\t0\t100\t6\t1\t85.7\t13\t2\t86.7\t1\t2\t50\t1\t1\t1\t50\t0\t50\t1\t6\t16.7\t1\t6\t16.7')
  })
})

describe('tix report: groups, periods and time-zone edges', () => {
  it('splits by department, with the empty department as a row of zeros', async () => {
    const json = (await report(['--by', 'department', '--metric', 'created,resolved,backlog,unassigned', '--json'])).json()
    expect(json.groups).toEqual(['it', 'hr', 'facilities'])
    expect(json.rows.map((r: any) => [r.group, r.created, r.resolved, r.backlog, r.unassigned.pct])).toEqual([
      ['it', 6, 5, 1, 0], // T1 T2 T4 T5 T6 T7 created; T1 T2 T4 T5 T9 resolved; T6 open (assigned)
      ['hr', 2, 1, 1, 100], // T3 T8 created; T8 resolved; T3 open (unassigned)
      ['facilities', 0, 0, 0, null],
    ])
    expect(json.totals).toMatchObject([{group: null, created: 8, resolved: 6, backlog: 2}])
  })

  it('reports per ISO week (Monday first), cut to the range, empty weeks included', async () => {
    const json = (await report(['--period', 'week', '--from', '2026-11-01', '--to', '2026-11-30', '--metric', 'created,resolved,reopened,backlog,unassigned', '--json'])).json()
    expect(json.rows.map((r: any) => [r.period, r.from, r.to, r.created, r.resolved, r.reopened, r.backlog, r.unassigned.count])).toEqual([
      // Sun 1 Nov only: T8 created; at its end (Mon 00:00 local) T8 and T9 are open, T9 unassigned
      ['2026-W44', '2026-11-01', '2026-11-01', 1, 0, 0, 2, 1],
      ['2026-W45', '2026-11-02', '2026-11-08', 3, 3, 0, 1, 0], // T1 T7 T2; T1 T8 T9 resolved; T2 open
      ['2026-W46', '2026-11-09', '2026-11-15', 2, 2, 1, 1, 1], // T3 T4; T2 T4 resolved; T4 reopened; T3 open
      ['2026-W47', '2026-11-16', '2026-11-22', 2, 1, 0, 2, 2], // T5 T6; T5 resolved; T3 T6 open, both unassigned
      ['2026-W48', '2026-11-23', '2026-11-29', 0, 0, 0, 2, 1], // T6 assigned on Tue 24
      ['2026-W49', '2026-11-30', '2026-11-30', 0, 0, 0, 2, 1],
    ])
  })

  it('puts local midnight, not UTC midnight, between days and months', async () => {
    // T9 31 Oct 22:30Z = Sat 23:30 local; T8 31 Oct 23:30Z = Sun 1 Nov 00:30 local
    const days = (await report(['--period', 'day', '--from', '2026-10-31', '--to', '2026-11-01', '--metric', 'created', '--json'])).json()
    expect(days.rows.map((r: any) => [r.period, r.created])).toEqual([
      ['2026-10-31', 1],
      ['2026-11-01', 1],
    ])
    const months = (await report(['--period', 'month', '--from', '2026-10-01', '--to', '2026-11-30', '--metric', 'created,backlog,unassigned', '--json'])).json()
    // At the end of October (31 Oct 23:00Z) only T9 is open, and nobody has it.
    expect(months.rows.map((r: any) => [r.period, r.created, r.backlog, r.unassigned.pct])).toEqual([
      ['2026-10', 1, 1, 100],
      ['2026-11', 8, 2, 50],
    ])
  })

  it('counts business hours by priority (high is T2 alone: 2h of office time)', async () => {
    const json = (await report(['--by', 'priority', '--metric', 'frt', '--json'])).json()
    expect(json.rows.map((r: any) => [r.group, r.frt.median])).toEqual([
      ['low', 900],
      ['normal', 1800], // T1 2h, T4 30m, T5 1h, T8 0, T9 30m -> 30m
      ['high', 7200],
      ['urgent', null], // T3 never answered
    ])
  })

  it('groups by agent and tier as the tickets are now', async () => {
    const agents = (await report(['--by', 'agent', '--metric', 'created', '--json'])).json()
    // T5 was escalated from bob to cy; T6 assigned to bob later; dee has no tickets: a zero row
    expect(agents.rows.map((r: any) => [r.group, r.created])).toEqual([
      ['bob@example.com', 3], // T1 T2 T6
      ['cy@example.com', 3], // T4 T5 T8
      ['dee@example.com', 0],
      ['(unassigned)', 2], // T3 T7
    ])
    const tiers = (await report(['--by', 'tier', '--metric', 'created', '--json'])).json()
    expect(tiers.rows.map((r: any) => [r.group, r.created])).toEqual([
      ['1', 7],
      ['2', 1],
    ])
  })
})

describe('tix report: CSV, JSON and charts', () => {
  it('writes CSV with a header row (golden)', async () => {
    const r = await report(['--by', 'department', '--period', 'week', '--from', '2026-11-01', '--metric', 'all', '--format', 'csv'])
    expect(r.stdout.startsWith('period,from,to,group,created,resolved,reopened,backlog,frt_count,frt_median_hours,')).toBe(true)
    expect(r.stdout.split('\r\n')).toHaveLength(6 * 3 + 2) // header, 6 weeks x 3 departments, final CRLF
    golden('office-weeks-by-department.csv', r.stdout)
  })

  it('draws charts that follow the terminal width (golden at 60 and 100 columns)', async () => {
    for (const columns of ['60', '100']) {
      const e = {...env, COLUMNS: columns}
      const line = (await report(['--period', 'week', '--from', '2026-11-01', '--by', 'department', '--metric', 'created', '--chart', 'line'], e)).stdout
      const bar = (await report(['--by', 'department', '--metric', 'resolution', '--chart', 'bar'], e)).stdout
      const pie = (await report(['--by', 'channel', '--metric', 'created', '--chart', 'pie'], e)).stdout
      for (const l of [...line.split('\n'), ...bar.split('\n'), ...pie.split('\n')]) expect([...l].length).toBeLessThanOrEqual(Number(columns))
      expect(line).toMatch(/Legend: {2}·●· it {2}-■- hr {2}:▲: facilities/)
      golden(`chart-${columns}.txt`, `${line}\n${bar}\n${pie}`)
    }
  })

  it('refuses a pie of something that is not a count', async () => {
    const r = await tixIn(dir, ['report', '--metric', 'frt', '--chart', 'pie'], {env})
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/A pie shows shares of a count; "frt" is not one/)
  })
})

describe('tix report --as-of', () => {
  const CUT = '2026-11-12' // the end of Thu 12 Nov in Berlin: 2026-11-12T22:59:59.999Z
  it('equals the report of a desk that never had the later events', async () => {
    const past = await buildDesk(office, {cut: '2026-11-12T22:59:59.999Z'})
    const then = {TIX_NOW: '2026-11-12T22:59:59.999Z'}
    for (const args of [
      ['--by', 'department', '--period', 'week', '--from', '2026-10-26', '--metric', 'all'],
      ['--by', 'agent', '--metric', 'all'],
      ['backlog-age', '--by', 'priority'],
    ]) {
      const cmd = ['report', ...args]
      const a = await tixIn(dir, [...cmd, '--as-of', CUT, '--json'], {env})
      const b = await tixIn(past, [...cmd, '--json'], {env: then})
      expect(a.code, a.stderr).toBe(0)
      expect(a.json()).toEqual(b.json())
    }
    // And it is not simply today's report: T4's reopen (13 Nov) has not happened yet
    const a = (await tixIn(dir, ['report', '--as-of', CUT, '--metric', 'reopened,backlog', '--json'], {env})).json()
    // (T2 was resolved on 10 Nov and T4 on 12 Nov: only T3 is open at the cut.)
    expect(a.rows[0]).toMatchObject({period: '2026-11', to: '2026-11-12', reopened: 0, backlog: 1})
  })
})

describe('tix report backlog-age', () => {
  it('buckets the unresolved tickets by age', async () => {
    const json = (await tixIn(dir, ['report', 'backlog-age', '--json'], {env})).json()
    // T3: 11 Nov 08:00Z -> 30 Nov 22:00Z = 19d 14h; T6: 17 Nov 08:00Z -> 13d 14h. Both 7-30d.
    expect(json).toMatchObject({schemaVersion: 1, kind: 'backlog-age', asOf: '2026-11-30T22:00:00.000Z'})
    expect(json.total).toEqual({group: null, count: 2, buckets: {'0-1d': 0, '1-3d': 0, '3-7d': 0, '7-30d': 2, '>30d': 0}, median: 1432800, p90: 1640160, max: 1692000, mean: 1432800})
  })

  it('as of a past moment', async () => {
    // 2 Nov 08:45Z: T1 (45m old), T8 (1d 9h 15m), T9 (1d 10h 15m); T7 does not exist yet
    const json = (await tixIn(dir, ['report', 'backlog-age', '--as-of', '2026-11-02T08:45:00Z', '--json'], {env})).json()
    expect(json.total).toEqual({group: null, count: 3, buckets: {'0-1d': 1, '1-3d': 2, '3-7d': 0, '7-30d': 0, '>30d': 0}, median: 119700, p90: 122580, max: 123300, mean: 81900})
  })
})

describe('tix report: the facts cache and bad input', () => {
  it('answers from the cache, follows new events, and gives the same answer without it', async () => {
    const d = await buildDesk(office)
    const first = (await tixIn(d, ['report', '--metric', 'csat', '--json'], {env})).json()
    const cache = join(d, '.git', 'tix', 'cache', 'tix', `report-facts.v${FACTS_VERSION}.bin`)
    expect(existsSync(cache)).toBe(true)
    // A new rating (T3, bad, today): only that ticket is folded again
    expect((await tixIn(d, ['rate', 'TK00000003', '1'], {env})).code).toBe(0)
    const second = (await tixIn(d, ['report', '--metric', 'csat', '--json'], {env})).json()
    expect(second.rows[0].csat).toEqual({...first.rows[0].csat, bad: 2, pct: 33.33, net: -25})
    rmSync(join(d, '.git', 'tix'), {recursive: true, force: true})
    expect((await tixIn(d, ['report', '--metric', 'csat', '--json'], {env})).json()).toEqual(second)
  })

  it('keeps the facts through a desk.json change they do not depend on, and builds them again after one they do', async () => {
    const d = await buildDesk(office)
    const file = join(d, '.git', 'tix', 'cache', 'tix', `report-facts.v${FACTS_VERSION}.bin`)
    const header = () => JSON.parse(readFileSync(file, 'utf8').split('\n')[0]!) as {commit: string; deskHash: string}
    const set = async (...args: string[]) => {
      const r = await tixIn(d, ['config', 'set', ...args], {env})
      expect(r.code, r.stderr).toBe(0)
    }
    const tip = () => readFileSync(join(d, '.git', 'refs', 'heads', 'tix'), 'utf8').trim()
    const reportIn = async () => (await tixIn(d, ['report', '--by', 'department', '--json'], {env})).json()
    const before = await reportIn()
    const key = header().deskHash
    // the desk's name and a routing rule: the facts' key stays, the facts are carried to the new commit
    await set('name', 'Renamed desk')
    await set('rules', '[{"name":"printers to IT","on":["create"],"if":{"title":"printer"},"then":{"department":"it"}}]')
    expect(await reportIn()).toEqual(before)
    expect(header()).toEqual({...header(), commit: tip(), deskHash: key})
    // a shorter first-response target: the key changes and the SLA figures with it
    await set('sla', JSON.stringify([{...OFFICE_DESK.sla[0]!, targets: {...OFFICE_DESK.sla[0]!.targets, normal: {firstResponse: '1h', nextResponse: '2h', resolution: '16h'}}}]))
    const after = await reportIn()
    expect(header().deskHash).not.toBe(key)
    expect(after).not.toEqual(before)
    // the same answer as facts built from nothing
    rmSync(join(d, '.git', 'tix'), {recursive: true, force: true})
    expect(await reportIn()).toEqual(after)
  })

  it('says what is wrong with a flag, with exit code 2', async () => {
    const bad = async (args: string[], message: RegExp) => {
      const r = await tixIn(dir, ['report', ...args], {env})
      expect(r.code).toBe(2)
      expect(r.stderr).toMatch(message)
    }
    await bad(['--metric', 'speed'], /--metric "speed" is not a report metric/)
    await bad(['--from', '2026-13-01'], /--from "2026-13-01" is not a date/)
    await bad(['--from', '2027-01-01'], /--from 2027-01-01 is after today \(2026-11-30\)/)
    await bad(['--as-of', 'yesterday'], /--as-of "yesterday" is not a date/)
    await bad(['--by', 'colour'], /Expected --by=colour to be one of/)
  })
})
