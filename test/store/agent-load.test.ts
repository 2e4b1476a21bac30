// The index keeps each agent's active load and latest assignment (DeskIndex.agents, in the cache's
// meta) up to date as tickets change, so assigning one ticket reads neither bucket (issue 14:
// O(touched) writes; round-robin used to read every resolved ticket). The counts must equal a
// count over every ticket after writes of this clone, another clone's changes brought in by sync,
// and a rebuild from git.
import {rmSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it, vi} from 'vitest'
import {deskLoad, type DeskLoad} from '../../src/domain/workflow/assignment.js'
import {Cache} from '../../src/store/cache.js'
import {Desk} from '../../src/store/desk.js'
import {testIO, tixIn, type Run} from '../helpers.js'
import {team, type Clone} from '../sync/helpers.js'

const ok = (r: Run) => {
  expect(r.code, r.stderr).toBe(0)
  return r
}

const sorted = (s: DeskLoad) => ({load: [...s.load].sort(), lastAssigned: [...s.lastAssigned].sort()})

/** What the index says, and a count over every ticket of the same index (both buckets parsed). */
async function loads(c: Clone): Promise<{kept: ReturnType<typeof sorted>; counted: ReturnType<typeof sorted>}> {
  const desk = await Desk.open(testIO(c.dir, c.env))
  const index = await desk.index({done: true})
  return {kept: sorted(index.agents), counted: sorted(deskLoad([...Object.values(index.open), ...Object.values(index.done ?? {})]))}
}

/** A small deterministic generator (the sequence of changes is the same on every run). */
function rng(seed: number) {
  let s = seed
  return (n: number) => {
    s = (s * 1103515245 + 12345) & 0x7fffffff
    return s % n
  }
}

describe('the agents’ load kept in the index', () => {
  it('equals a count over every ticket through writes, syncs from another clone and a rebuild', async () => {
    const {clones} = await team(2)
    const [a, b] = clones as [Clone, Clone]
    ok(await tixIn(a.dir, ['dept', 'add', 'it', '--name', 'IT', '--assignment', 'round-robin'], {env: a.env}))
    const agents = ['ana@example.com', 'Bo@Example.com', 'cy@example.com']
    for (const who of agents) ok(await tixIn(a.dir, ['agent', 'add', who, '--dept', 'it'], {env: a.env}))
    ok(await tixIn(a.dir, ['config', 'set', 'rules', JSON.stringify([{name: 'it', if: {title: 'printer'}, then: {department: 'it', assign: 'auto'}}])], {env: a.env}))
    ok(await tixIn(a.dir, ['sync'], {env: a.env}))
    ok(await tixIn(b.dir, ['sync'], {env: b.env}))

    const next = rng(7)
    // the tickets each clone has (another clone's reach it with a sync)
    const has = new Map<Clone, string[]>([
      [a, []],
      [b, []],
    ])
    let minute = 0
    const at = () => `2026-11-23T${String(9 + Math.floor(minute / 60)).padStart(2, '0')}:${String(minute++ % 60).padStart(2, '0')}:00Z`
    for (let step = 0; step < 36; step++) {
      const c = step % 3 === 2 ? b : a
      const env = {...c.env, TIX_NOW: at()}
      const ids = has.get(c)!
      const pick = ids.length === 0 ? 0 : next(7)
      const id = ids[next(Math.max(1, ids.length))]
      if (pick <= 1 || id === undefined) {
        // rules assign a printer ticket; the other one waits unassigned in the queue
        const made = await tixIn(c.dir, ['new', next(2) === 0 ? `Printer ${step}` : `VPN ${step}`, '--department', 'it', '--json'], {env})
        ids.push(ok(made).json().ticket.id as string)
      } else if (pick === 2) ok(await tixIn(c.dir, ['assign', id, agents[next(agents.length)]!], {env}))
      else if (pick === 3) await tixIn(c.dir, ['assign', id, '--auto'], {env}) // may find it resolved: any exit is fine
      else if (pick === 4) await tixIn(c.dir, ['assign', id, '--unassign'], {env})
      else {
        const to = ['pending', 'on-hold', 'resolved', 'open', 'closed'][next(5)]!
        await tixIn(c.dir, ['status', id, to, '--resolution', 'Fixed'], {env}) // some moves are refused (closed -> open): the counts must still hold
      }
      if (step % 6 === 5) {
        const other = c === a ? b : a
        for (const s of [c, other, c]) ok(await tixIn(s.dir, ['sync'], {env: s.env}))
        const all = [...new Set([...has.get(a)!, ...has.get(b)!])]
        has.set(a, all)
        has.set(b, [...all])
      }
      const {kept, counted} = await loads(c)
      expect(kept, `step ${step}`).toEqual(counted)
    }
    for (const c of [a, b]) {
      ok(await tixIn(c.dir, ['sync'], {env: c.env}))
      const before = await loads(c)
      expect(before.kept).toEqual(before.counted)
      expect(before.kept.load.length).toBeGreaterThan(0) // the sequence left some tickets assigned and active
      expect(before.kept.lastAssigned.map(([agent]) => agent)).toEqual(['ana@example.com', 'bo@example.com', 'cy@example.com'])
      rmSync(join(c.dir, '.git', 'tix', 'cache'), {recursive: true, force: true})
      const rebuilt = await loads(c)
      expect(rebuilt.kept).toEqual(before.kept)
    }
  })

  it('assigning by round-robin or load reads neither bucket', async () => {
    const {clones} = await team(1)
    const a = clones[0]!
    ok(await tixIn(a.dir, ['dept', 'add', 'it', '--name', 'IT', '--assignment', 'round-robin'], {env: a.env}))
    for (const who of ['ana@example.com', 'bo@example.com']) ok(await tixIn(a.dir, ['agent', 'add', who, '--dept', 'it'], {env: a.env}))
    ok(await tixIn(a.dir, ['config', 'set', 'rules', JSON.stringify([{name: 'it', if: {title: 'printer'}, then: {department: 'it', assign: 'auto'}}])], {env: a.env}))
    const made: string[] = []
    for (let i = 0; i < 4; i++) made.push(ok(await tixIn(a.dir, ['new', `Printer ${i}`, '--json'], {env: {...a.env, TIX_NOW: `2026-11-23T09:0${i}:00Z`}})).json().ticket.id as string)
    ok(await tixIn(a.dir, ['status', made[0]!, 'resolved', '--resolution', 'Fixed'], {env: a.env}))
    ok(await tixIn(a.dir, ['list', '--all'], {env: a.env})) // the cache is built
    const spyOnReads = () => [vi.spyOn(Cache.prototype, 'done'), vi.spyOn(Cache.prototype, 'open'), vi.spyOn(Cache.prototype, 'readOpen')]
    try {
      let reads = spyOnReads()
      const created = ok(await tixIn(a.dir, ['new', 'Printer jams again', '--json'], {env: {...a.env, TIX_NOW: '2026-11-23T10:00:00Z'}})).json().ticket
      // ana had tickets 0 and 2, bo 1 and 3: bo's last assignment is the later, so ana is next
      expect(created.assignee).toBe('ana@example.com')
      const vpn = ok(await tixIn(a.dir, ['new', 'VPN down', '--department', 'it', '--json'], {env: {...a.env, TIX_NOW: '2026-11-23T10:05:00Z'}})).json().ticket.id as string
      expect(ok(await tixIn(a.dir, ['assign', vpn, '--auto', '--json'], {env: {...a.env, TIX_NOW: '2026-11-23T10:06:00Z'}})).json().assignment.agent).toBe('bo@example.com')
      for (const spy of reads) expect(spy).not.toHaveBeenCalled()
      vi.restoreAllMocks()
      ok(await tixIn(a.dir, ['config', 'set', 'departments.it.assignment', 'load-balanced'], {env: a.env}))
      ok(await tixIn(a.dir, ['list'], {env: a.env})) // the cache follows desk.json's commit (that refresh reads the queue)
      reads = spyOnReads()
      // load: ana has 2 active (0 was resolved), bo 3 (made[3] itself does not count against bo)
      const lb = ok(await tixIn(a.dir, ['assign', made[3]!, '--auto', '--dry-run', '--json'], {env: a.env})).json().assignment
      expect(lb.strategy).toBe('load-balanced')
      expect(lb.candidates.map((c: {agent: string; load: number}) => [c.agent, c.load])).toEqual([
        ['ana@example.com', 2],
        ['bo@example.com', 2],
      ])
      for (const spy of reads) expect(spy).not.toHaveBeenCalled()
    } finally {
      vi.restoreAllMocks()
    }
  })
})
