// Several parked heads merged at once: one merge commit whose parents are the tip and every head
// (an octopus), when the heads changed only ticket logs; one merge per head otherwise. Real git: a
// bare remote and clones; parked refs are made by pushing to refs/tix/clones/<id> directly.
import {cpSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import * as ops from '../../src/domain/ticket/ticket-ops.js'
import {newTicket, updateTicket} from '../../src/services/tickets.js'
import {Desk, ticketPath} from '../../src/store/desk.js'
import {git, testIO} from '../helpers.js'
import {eventsOnDesk, syncWith, team, type Clone} from './helpers.js'

const remoteRefs = (remote: string) => git(remote, 'for-each-ref', '--format=%(refname)', 'refs/tix/').split('\n').filter(Boolean)
const parentsOf = (dir: string, rev: string) => git(dir, 'rev-list', '--parents', '-n', '1', rev).trim().split(' ').slice(1)
/** The merge commits made on this clone's branch in `rev` (its first-parent line). */
const mergesOn = (dir: string, rev = 'tix') => git(dir, 'rev-list', '--merges', '--first-parent', rev).split('\n').filter(Boolean)
const park = (c: Clone, id: string) => git(c.dir, 'push', '--quiet', 'origin', `tix:refs/tix/clones/${id}`)
const note = (c: Clone, id: string, text: string) => updateTicket(c.desk, id, (t, ctx) => ops.note(t, text, ctx))
const ident = ['-c', 'user.name=Mallory', '-c', 'user.email=mallory@example.com']

/** Drops the `n`th event line of a ticket log on a clone's branch with plain git (a shortened log). */
function dropEvent(c: Clone, root: string, id: string, n: number): void {
  const dir = join(root, `edit-${Math.random().toString(36).slice(2, 8)}`)
  git(root, 'clone', '--quiet', '--branch', 'tix', c.dir, dir)
  const file = join(dir, ticketPath(id))
  const lines = readFileSync(file, 'utf8').split('\n')
  lines.splice(Math.min(n, lines.length - 2), 1) // the last element is the '' after the final newline
  writeFileSync(file, lines.join('\n'))
  git(dir, 'add', '-A')
  git(dir, ...ident, 'commit', '--quiet', '-m', 'drop an event')
  git(c.dir, 'fetch', '--quiet', dir, '+tix:refs/heads/tix')
}

/** Every event of every clone, exactly once, on `x`. */
async function expectAllOnce(x: Clone, clones: Clone[]) {
  const on = await eventsOnDesk(x.desk)
  for (const ids of on.values()) expect(new Set(ids).size).toBe(ids.length)
  for (const c of clones) {
    for (const [path, ids] of await eventsOnDesk(c.desk)) expect(on.get(path), path).toEqual(expect.arrayContaining(ids))
  }
}

describe('parked heads merged with one octopus merge', () => {
  it('four clones parked at once: one merge commit with every head as a parent, every event once, refs deleted, a third clone sees all', async () => {
    const {remote, clones} = await team(6)
    const [a, b, c, d, e, f] = clones as [Clone, Clone, Clone, Clone, Clone, Clone]
    const shared = (await newTicket(a.desk, {title: 'Shared'})).ticket.ticket.id
    await syncWith(a)
    for (const x of [b, c, d, e]) await syncWith(x)
    const parkers = [a, b, c, d]
    const fresh: string[] = []
    for (const [i, x] of parkers.entries()) {
      fresh.push((await newTicket(x.desk, {title: `New from ${x.name}`})).ticket.ticket.id)
      await note(x, shared, `note from ${x.name}`)
      park(x, `clone${i}`)
    }
    const heads = parkers.map((x) => x.desk.tip()!)
    const before = e.desk.tip()!
    const r = await syncWith(e)
    expect(r).toMatchObject({clonesMerged: 4, merged: 'merge', parked: false, shortened: [], fetched: 8, eventsIn: 8})
    expect(r.newTickets).toEqual([...fresh].sort())
    expect(r.tickets).toEqual([...fresh, shared].sort())
    const tip = e.desk.tip()!
    expect(parentsOf(e.dir, tip)).toEqual([before, ...heads]) // in the order of the refs (clone0..3)
    expect(mergesOn(e.dir, `${before}..${tip}`)).toEqual([tip]) // one merge commit, no other
    expect(git(e.dir, 'log', '-1', '--format=%B', tip)).toMatch(/^Merge 4 parked commits from origin \(refs\/tix\/clones\/clone0 [0-9a-f]{7}, .*refs\/tix\/clones\/clone3 [0-9a-f]{7}\)\n\n5 tickets changed in the parked commits; 1 also changed here or in several of them/)
    expect(remoteRefs(remote)).toEqual([])
    expect(git(remote, 'rev-parse', 'tix').trim()).toBe(tip)
    await expectAllOnce(e, parkers)
    expect((await e.desk.readTicket(shared))!.events).toHaveLength(5)
    const seen = await syncWith(f)
    expect(seen).toMatchObject({clonesMerged: 0, merged: 'fast-forward'})
    expect(await eventsOnDesk(f.desk)).toEqual(await eventsOnDesk(e.desk))
  }, 90_000)

  it('a head that also changed desk.json: merged one by one, conflict copies as before, still every event', async () => {
    const {remote, clones} = await team(4)
    const [a, b, c, d] = clones as [Clone, Clone, Clone, Clone]
    const base = JSON.parse(git(a.dir, 'show', 'tix:desk.json'))
    await a.desk.commitFiles([{path: 'desk.json', content: JSON.stringify({...base, name: 'Alpha desk'}, null, 2)}], 'rename')
    await newTicket(a.desk, {title: 'From A'})
    park(a, 'aaaa')
    await newTicket(b.desk, {title: 'From B'})
    park(b, 'bbbb')
    await d.desk.commitFiles([{path: 'desk.json', content: JSON.stringify({...base, name: 'Delta desk'}, null, 2)}], 'rename too')
    const before = d.desk.tip()!
    const r = await syncWith(d)
    expect(r).toMatchObject({clonesMerged: 2, merged: 'merge', conflicts: [{path: 'desk.json', kind: 'json', keys: ['name']}]})
    const merges = mergesOn(d.dir, `${before}..tix`)
    expect(merges).toHaveLength(2)
    for (const m of merges) expect(parentsOf(d.dir, m)).toHaveLength(2)
    expect(JSON.parse(git(d.dir, 'show', 'tix:desk.json')).name).toBe('Delta desk')
    expect(remoteRefs(remote)).toEqual([])
    await syncWith(c)
    await expectAllOnce(c, [a, b, d])
    expect(await eventsOnDesk(c.desk)).toEqual(await eventsOnDesk(d.desk))
  }, 90_000)

  it('heads that changed only tickets go in one octopus even when another changed desk.json, which is merged after it', async () => {
    const {remote, clones} = await team(5)
    const [a, b, c, d, e] = clones as [Clone, Clone, Clone, Clone, Clone]
    const base = JSON.parse(git(a.dir, 'show', 'tix:desk.json'))
    await a.desk.commitFiles([{path: 'desk.json', content: JSON.stringify({...base, name: 'Alpha desk'}, null, 2)}], 'rename')
    await newTicket(a.desk, {title: 'From A'})
    park(a, 'aaaa')
    for (const [x, id] of [
      [b, 'bbbb'],
      [c, 'cccc'],
      [d, 'dddd'],
    ] as const) {
      await newTicket(x.desk, {title: `From ${x.name}`})
      park(x, id)
    }
    const before = e.desk.tip()!
    const r = await syncWith(e)
    expect(r).toMatchObject({clonesMerged: 4, merged: 'merge', conflicts: [], shortened: []})
    const [last, octopus, ...more] = mergesOn(e.dir, `${before}..tix`)
    expect(more).toEqual([])
    expect(parentsOf(e.dir, octopus!)).toEqual([before, b.desk.tip(), c.desk.tip(), d.desk.tip()])
    expect(parentsOf(e.dir, last!)).toEqual([octopus, a.desk.tip()])
    expect(JSON.parse(git(e.dir, 'show', 'tix:desk.json')).name).toBe('Alpha desk')
    expect(remoteRefs(remote)).toEqual([])
    await expectAllOnce(e, [a, b, c, d])
  }, 90_000)

  it('a head whose log lost an event: the event is kept and reported as shortened', async () => {
    const {root, clones} = await team(4)
    const [a, b, c, d] = clones as [Clone, Clone, Clone, Clone]
    const id = (await newTicket(a.desk, {title: 'Long story'})).ticket.ticket.id
    for (let i = 0; i < 3; i++) await note(a, id, `note ${i}`)
    await syncWith(a)
    for (const x of [b, c, d]) await syncWith(x)
    const all = (await d.desk.readTicket(id))!.events.map((ev) => ev.id)
    dropEvent(b, root, id, 2)
    park(b, 'bbbb')
    await note(c, id, 'from C')
    park(c, 'cccc')
    const before = d.desk.tip()!
    const r = await syncWith(d)
    expect(r).toMatchObject({clonesMerged: 2, shortened: [{id, path: ticketPath(id), missing: 1, deleted: false}]})
    expect(parentsOf(d.dir, 'tix')).toHaveLength(3)
    expect(mergesOn(d.dir, `${before}..tix`)).toHaveLength(1)
    const now = (await d.desk.readTicket(id))!.events.map((ev) => ev.id)
    expect(now).toEqual(expect.arrayContaining(all))
    expect(now).toHaveLength(all.length + 1)
    expect(git(d.dir, 'log', '-1', '--format=%B', 'tix')).toContain(`Kept 1 event of ${id} that origin dropped`)
  }, 90_000)

  it('the octopus gives the same ticket files as merging the heads one by one (generated scenarios)', async () => {
    let seed = 7
    const rand = (n: number) => {
      // mulberry32
      seed = (seed + 0x6d2b79f5) | 0
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
      return ((t ^ (t >>> 14)) >>> 0) % n
    }
    let octopuses = 0
    for (let scenario = 0; scenario < 5; scenario++) {
      const {root, clones} = await team(5)
      const [x, h1, h2, h3, h4] = clones as [Clone, Clone, Clone, Clone, Clone]
      const shared: string[] = []
      for (let i = 0; i < 3; i++) shared.push((await newTicket(x.desk, {title: `Shared ${i}`})).ticket.ticket.id)
      await syncWith(x)
      for (const h of [h1, h2, h3, h4]) await syncWith(h)
      // h4 publishes on the branch first (so later heads have different bases); h1 parks on the old base.
      for (let k = 0; k <= rand(3); k++) await note(h4, shared[rand(3)]!, `h4 ${k}`)
      await newTicket(h4.desk, {title: 'On the branch'})
      await syncWith(h4)
      if (rand(2) === 0) await syncWith(h2, {push: false}) // a newer base than h1's
      for (const [i, h] of [h1, h2, h3].entries()) {
        if (i === 2 && rand(3) === 0) await syncWith(h, {push: false}) // holding the heads parked before
        for (let k = 0; k <= rand(4); k++) {
          if (rand(4) === 0) await newTicket(h.desk, {title: `From ${h.name} ${k}`})
          else await note(h, shared[rand(3)]!, `${h.name} ${k}`)
        }
        if (rand(3) === 0) dropEvent(h, root, shared[rand(3)]!, 1)
        park(h, `h${i}`)
      }
      for (let k = 0; k <= rand(3); k++) await note(x, shared[rand(3)]!, `x ${k}`) // local changes too
      const copy = join(root, 'x-copy')
      cpSync(x.dir, copy, {recursive: true})
      const y: Clone = {...x, dir: copy, warnings: [], desk: await Desk.open(testIO(copy, x.env, []))}
      const before = x.desk.tip()!
      const octo = await syncWith(x, {push: false})
      const seq = await syncWith(y, {push: false, octopus: false})
      expect(octo.clonesMerged, `scenario ${scenario}`).toBe(seq.clonesMerged)
      const ls = (c: Clone) => git(c.dir, 'ls-tree', '-r', 'tix', 'tickets')
      expect(ls(x), `scenario ${scenario}`).toBe(ls(y))
      expect(git(x.dir, 'rev-parse', 'tix^{tree}'), `scenario ${scenario}`).toBe(git(y.dir, 'rev-parse', 'tix^{tree}'))
      const parked = git(x.dir, 'for-each-ref', '--format=%(objectname)', 'refs/tix/remotes/origin/clones/').split('\n').filter(Boolean)
      const independent = git(x.dir, 'merge-base', '--independent', ...parked).split('\n').filter(Boolean)
      const parents = mergesOn(x.dir, `${before}..tix`).map((m) => parentsOf(x.dir, m).length)
      if (independent.length > 1) expect(parents, `scenario ${scenario}`).toContain(1 + independent.length) // one octopus
      octopuses += independent.length > 1 ? 1 : 0
      expect(mergesOn(y.dir, `${before}..tix`).map((m) => parentsOf(y.dir, m).length), `scenario ${scenario}`).not.toContain(3)
      expect(octo.shortened, `scenario ${scenario}`).toEqual(seq.shortened)
      expect({eventsIn: octo.eventsIn, tickets: octo.tickets, newTickets: octo.newTickets, fetched: octo.fetched}).toEqual({eventsIn: seq.eventsIn, tickets: seq.tickets, newTickets: seq.newTickets, fetched: seq.fetched})
    }
    expect(octopuses).toBeGreaterThanOrEqual(3)
  }, 240_000)
})
