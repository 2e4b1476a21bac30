// Report figures for a varied desk (600 synthetic tickets: reopens, merges, reassignments,
// ratings, escalations; an SLA policy with office hours; custom fields on a few tickets), compared
// with a golden file. The golden file was written before the facts cache changed format, so it
// pins the numbers the cache, its incremental update and a rebuild must all keep giving.
// UPDATE_GOLDEN=1 rewrites it (then read the diff before committing).
import {existsSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {deskConfig, writeSyntheticDesk} from '../../fixtures/generate.js'
import {OFFICE_DESK} from '../../fixtures/reports/office.js'
import {findRepo} from '../../src/store/repo.js'
import {commitWithRetry} from '../../src/store/writer.js'
import {git, ROOT, tempDir, tixIn} from '../helpers.js'

const env = {TIX_NOW: '2026-11-25T12:00:00Z'}
const GOLDEN = join(ROOT, 'fixtures', 'reports', 'golden', 'synthetic-reports.tsv')

const REPORTS = [
  ['report', '--metric', 'all'],
  ['report', '--by', 'department', '--period', 'week', '--metric', 'all'],
  ['report', '--by', 'agent', '--period', 'month', '--from', '2026-09-01', '--metric', 'all'],
  ['report', '--by', 'priority', '--period', 'day', '--from', '2026-11-16', '--metric', 'all'],
  ['report', '--by', 'channel', '--from', '2026-07-01', '--to', '2026-11-25', '--metric', 'all'],
  ['report', '--by', 'tier', '--period', 'year', '--from', '2025-01-01', '--metric', 'all'],
  ['report', '--by', 'field:plan', '--period', 'month', '--metric', 'all'],
  ['report', '--by', 'department', '--period', 'week', '--as-of', '2026-10-15', '--metric', 'all'],
  ['report', 'backlog-age'],
  ['report', 'backlog-age', '--by', 'department'],
  ['report', 'backlog-age', '--by', 'field:plan'],
]

async function reports(dir: string): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {}
  for (const args of REPORTS) {
    const r = await tixIn(dir, [...args, '--json'], {env})
    expect(r.code, r.stderr).toBe(0)
    out[args.join(' ')] = r.json()
  }
  return out
}

let dir: string
let ids: string[]
beforeAll(async () => {
  dir = tempDir()
  await writeSyntheticDesk(dir, 600, {seed: 11, end: '2026-11-20T12:00:00Z', days: 200})
  // desk.json with the office desk's calendar and SLA policy, and an enum field to group by
  const desk = {...deskConfig(), calendars: OFFICE_DESK.calendars, sla: OFFICE_DESK.sla, fields: {plan: {type: 'enum', values: ['free', 'team', 'enterprise']}}}
  await commitWithRetry(findRepo(dir)!, 'refs/heads/tix', async () => ({files: [{path: 'desk.json', content: JSON.stringify(desk, null, 2) + '\n'}], message: 'SLA and fields'}), {name: 'Fixture', email: 'fixture@example.com'}, () => new Date('2026-11-20T13:00:00Z'))
  ids = git(dir, 'ls-tree', '-r', '--name-only', 'tix', 'tickets').trim().split('\n').map((p) => p.slice(-16, -6))
  // What the generator does not make: ratings, escalations, merges, reopens and a resolution
  // after a reopen, spread over the weeks before now (TIX_NOW of each change)
  const day = (d: number) => ({TIX_NOW: new Date(Date.parse('2026-11-21T10:00:00Z') + d * 86_400_000).toISOString()})
  const changes: [string[], number][] = []
  for (let i = 0; i < 30; i++) changes.push([['rate', ids[5 + i * 7]!, ['good', 'neutral', 'bad', '5', '2'][i % 5]!], i % 4])
  const all = ((await tixIn(dir, ['list', '--all', '--json'], {env})).json().tickets as {id: string; status: string}[]).sort((a, b) => (a.id < b.id ? -1 : 1))
  const open = all.filter((t) => t.status !== 'resolved' && t.status !== 'closed').map((t) => t.id)
  for (let i = 0; i < 6; i++) changes.push([['escalate', open[i]!, '--reason', 'Needs tier 2'], i % 3])
  for (let i = 0; i < 3; i++) changes.push([['resolve', open[i]!, '--resolution', 'Done by tier 2.'], 3])
  for (let i = 0; i < 4; i++) changes.push([['merge', open[10 + i]!, '--into', open[20 + i]!], i])
  const done = all.filter((t) => t.status === 'resolved' || t.status === 'closed').map((t) => t.id)
  for (let i = 0; i < 5; i++) changes.push([['reopen', done[i * 3]!], 1], [['resolve', done[i * 3]!, '--resolution', 'Again.'], 2 + (i % 2)])
  for (const [args, d] of changes) {
    const r = await tixIn(dir, args, {env: day(d)})
    expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0)
  }
}, 120_000)

describe('tix report on a varied desk', () => {
  it('gives the golden figures from the cache, after an update of it, and after a rebuild', async () => {
    const first = await reports(dir)
    // Changes after the facts were cached: only these tickets are folded again
    for (const [i, plan] of [[0, 'free'], [100, 'team'], [200, 'enterprise'], [300, 'team'], [400, 'free']] as const) {
      const r = await tixIn(dir, ['set', ids[i]!, '--field', `plan=${plan}`], {env})
      expect(r.code, r.stderr).toBe(0)
    }
    expect((await tixIn(dir, ['rate', ids[100]!, '1'], {env})).code).toBe(0)
    const updated = await reports(dir)
    rmSync(join(dir, '.git', 'tix'), {recursive: true, force: true})
    const rebuilt = await reports(dir)
    expect(rebuilt).toEqual(updated)
    // one line per report: a diff names the report that changed
    const actual = [first, updated].flatMap((set) => Object.entries(set).map(([cmd, json]) => `${cmd}\t${JSON.stringify(json)}`)).join('\n') + '\n'
    if (process.env.UPDATE_GOLDEN || !existsSync(GOLDEN)) writeFileSync(GOLDEN, actual)
    expect(actual).toBe(readFileSync(GOLDEN, 'utf8'))
  }, 120_000)
})
