// Issue 9, item 1: the ticket logs are append-only, also across a sync. A remote history that
// deletes, shortens or reverts a ticket log is merged (the union keeps every event this clone
// holds) instead of fast-forwarded, the tickets are named, and `tix doctor` finds the commit.
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import * as ops from '../../src/domain/ticket/ticket-ops.js'
import {newTicket, updateTicket} from '../../src/services/tickets.js'
import {ticketPath} from '../../src/store/desk.js'
import {git, tixIn} from '../helpers.js'
import {syncWith, team, type Clone} from './helpers.js'

const ident = ['-c', 'user.name=Mallory', '-c', 'user.email=mallory@example.com']

/** A plain git clone of the remote that rewrites a ticket log with ordinary git commands and pushes. */
function hostile(root: string, remote: string, edit: (dir: string) => void): void {
  const dir = join(root, `evil-${Math.random().toString(36).slice(2, 8)}`)
  git(root, 'clone', '--quiet', '--branch', 'tix', remote, dir)
  edit(dir)
  git(dir, 'push', '--quiet', 'origin', 'tix')
}

async function sharedTicket(a: Clone, b: Clone) {
  const res = await newTicket(a.desk, {title: 'Printer jams', body: 'Since Monday'})
  const id = res.ticket.ticket.id
  for (let i = 0; i < 4; i++) await updateTicket(a.desk, id, (t, ctx) => ops.note(t, `note ${i}`, ctx))
  await syncWith(a)
  await syncWith(b)
  const events = (await b.desk.readTicket(id))!.events.map((e) => e.id)
  expect(events).toHaveLength(5)
  return {id, events}
}

describe('sync keeps ticket logs append-only', () => {
  it('a remote commit that deletes a ticket file: merged back, named in text and JSON, pushed back; doctor finds the commit', async () => {
    const {root, remote, clones} = await team(2)
    const [a, b] = clones as [Clone, Clone]
    const {id, events} = await sharedTicket(a, b)
    hostile(root, remote, (dir) => {
      git(dir, 'rm', '--quiet', ticketPath(id))
      git(dir, ...ident, 'commit', '--quiet', '-m', 'tidy up')
    })
    const r = await tixIn(b.dir, ['sync', '--json'], {env: b.env})
    expect(r.code, r.stderr).toBe(0)
    const out = r.json()
    expect(out.shortened).toEqual([{id, path: ticketPath(id), missing: 5, deleted: true}])
    expect(out.merged).toBe('merge')
    expect(r.stderr).toMatch(new RegExp(`origin deleted its log for ticket ${id.slice(0, 5)}.*append-only.*kept and merged back and pushed to origin`))
    expect((await b.desk.readTicket(id))!.events.map((e) => e.id)).toEqual(events)
    // the remote has them again, so a clone that fast-forwards gets them too
    await syncWith(a)
    expect((await a.desk.readTicket(id))!.events.map((e) => e.id)).toEqual(events)

    const d = await tixIn(b.dir, ['doctor', '--json'], {env: b.env})
    const rewrites = d.json().rewrites
    expect(rewrites).toHaveLength(1)
    expect(rewrites[0]).toMatchObject({id, deleted: true, missing: 5, lostAtTip: 0})
    expect(git(b.dir, 'log', '-1', '--format=%s', rewrites[0].commit).trim()).toBe('tidy up')
    expect(d.code).toBe(0) // nothing is missing at the tip any more
    const text = (await tixIn(b.dir, ['doctor'], {env: b.env})).stdout
    expect(text).toMatch(new RegExp(`history: commit ${rewrites[0].commit.slice(0, 7)} deleted ${ticketPath(id)} .*all are back at the tip`))
  })

  it('a remote that keeps only the first lines, or reverts a ticket commit: every event stays', async () => {
    const {root, remote, clones} = await team(2)
    const [a, b] = clones as [Clone, Clone]
    const {id, events} = await sharedTicket(a, b)
    hostile(root, remote, (dir) => {
      const path = join(dir, ticketPath(id))
      writeFileSync(path, readFileSync(path, 'utf8').split('\n').slice(0, 3).join('\n') + '\n')
      git(dir, ...ident, 'commit', '--quiet', '-am', 'shorten')
    })
    const s1 = await syncWith(b)
    expect(s1.shortened).toEqual([{id, path: ticketPath(id), missing: 2, deleted: false}])
    expect((await b.desk.readTicket(id))!.events.map((e) => e.id)).toEqual(events)

    // a revert of the commit that added the last note
    await syncWith(a)
    const noted = await updateTicket(a.desk, id, (t, ctx) => ops.note(t, 'the one to revert', ctx))
    await syncWith(a)
    await syncWith(b)
    hostile(root, remote, (dir) => git(dir, ...ident, 'revert', '--no-edit', noted.commit!))
    const s2 = await syncWith(b)
    expect(s2.shortened).toEqual([{id, path: ticketPath(id), missing: 1, deleted: false}])
    const after = (await b.desk.readTicket(id))!
    expect(after.thread.map((t) => t.body)).toContain('the one to revert')
    expect(after.problems).toEqual([])
  })

  it('both sides appending to the same log merges the events and reports nothing; a remote that also dropped one is named with that one', async () => {
    const {root, remote, clones} = await team(2)
    const [a, b] = clones as [Clone, Clone]
    const {id, events} = await sharedTicket(a, b)
    await updateTicket(a.desk, id, (t, ctx) => ops.note(t, 'from A', ctx))
    await syncWith(a)
    await updateTicket(b.desk, id, (t, ctx) => ops.note(t, 'from B', ctx))
    await updateTicket(b.desk, id, (t, ctx) => ops.note(t, 'from B again', ctx))
    const s = await syncWith(b)
    expect(s.merged).toBe('merge')
    expect(s.shortened).toEqual([])
    expect((await b.desk.readTicket(id))!.events).toHaveLength(events.length + 3)

    await syncWith(a)
    await updateTicket(a.desk, id, (t, ctx) => ops.note(t, 'A once more', ctx))
    hostile(root, remote, (dir) => {
      const path = join(dir, ticketPath(id))
      const lines = readFileSync(path, 'utf8').split('\n')
      lines.splice(1, 1)
      writeFileSync(path, lines.join('\n'))
      git(dir, ...ident, 'commit', '--quiet', '-am', 'drop one')
    })
    const s2 = await syncWith(a)
    expect(s2.shortened).toEqual([{id, path: ticketPath(id), missing: 1, deleted: false}])
    expect((await a.desk.readTicket(id))!.events).toHaveLength(events.length + 4)
  })

  it('an ordinary remote change still fast-forwards and reports nothing', async () => {
    const {clones} = await team(2)
    const [a, b] = clones as [Clone, Clone]
    const {id} = await sharedTicket(a, b)
    await updateTicket(a.desk, id, (t, ctx) => ops.note(t, 'appended', ctx))
    await syncWith(a)
    const s = await syncWith(b)
    expect(s.merged).toBe('fast-forward')
    expect(s.shortened).toEqual([])
  })
})
