// Issue 3, test 3: many writers at once never lose a change. Local writers take turns (the queue;
// the compare-and-swap still guards the ref); clones race on the remote (a rejected push fetches, merges, retries).
import {spawnSync} from 'node:child_process'
import {mkdirSync, readdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {newTicket, updateTicket} from '../../src/services/tickets.js'
import * as ops from '../../src/domain/ticket/ticket-ops.js'
import {git, makeDesk, tix, tixAsync} from '../helpers.js'
import {eventsOnDesk, foldedDesk, syncWith, team} from './helpers.js'

describe('concurrent writers', () => {
  it('40 `tix new` processes at once in one clone take turns: 40 tickets, all exit 0, nobody left in the queue', async () => {
    // Issue 9 item 9: sixty writers on two cores once left one giving up after 50 lost races.
    // The clone's writers now queue (src/store/write-queue.ts), so none has to race at all.
    const N = 40
    const {dir} = await makeDesk()
    tix(dir, ['list']) // a warm cache, so the writers also take turns updating it
    const runs = await Promise.all(Array.from({length: N}, (_, i) => tixAsync(dir, ['new', `Ticket ${i}`, '--json'])))
    for (const r of runs) expect(r.code, r.stderr).toBe(0)
    const ids = new Set(runs.map((r) => r.json().ticket.id))
    expect(ids.size).toBe(N)
    const list = tix(dir, ['list', '--all', '--json']).json()
    expect(list.tickets.map((t: {id: string}) => t.id).sort()).toEqual([...ids].sort())
    expect(git(dir, 'rev-list', '--count', 'tix').trim()).toBe(String(N + 1)) // the desk + one commit per ticket
    expect(git(dir, 'fsck', '--no-progress').trim()).not.toMatch(/error|missing|broken/i)
    // nobody is left in the queue
    expect(readdirSync(join(dir, '.git', 'tix', 'queue'))).toEqual([])
  }, 120_000)

  it('a writer killed while waiting its turn does not block the queue', async () => {
    const {dir} = await makeDesk()
    const common = join(dir, '.git')
    mkdirSync(join(common, 'tix', 'queue'), {recursive: true})
    // a ticket left by a process that no longer exists, older than any new writer's
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {encoding: 'utf8'}).stdout
    writeFileSync(join(common, 'tix', 'queue', `${String(Date.now() - 1000).padStart(15, '0')}-000001-${dead}`), '')
    const r = tix(dir, ['new', 'After the crash', '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(readdirSync(join(common, 'tix', 'queue'))).toEqual([])
  })

  it('8 clones creating tickets and syncing in a loop against one remote all converge', async () => {
    const {clones} = await team(8)
    const ROUNDS = 2
    const created = await Promise.all(
      clones.map(async (c) => {
        const ids: string[] = []
        for (let i = 0; i < ROUNDS; i++) {
          ids.push((await newTicket(c.desk, {title: `${c.name} ${i}`})).ticket.ticket.id)
          const s = await tixAsync(c.dir, ['sync', '--json'], {env: c.env})
          expect(s.code, s.stderr).toBe(0)
        }
        return ids
      }),
    )
    for (let round = 0; round < 2; round++) for (const c of clones) await syncWith(c)
    expect(new Set(clones.map((c) => c.desk.tip())).size).toBe(1)
    const all = created.flat().sort()
    expect(all.length).toBe(8 * ROUNDS)
    const reference = await foldedDesk(clones[0]!.desk)
    expect(reference.map((t) => t.id)).toEqual(all)
    for (const c of clones) expect(await foldedDesk(c.desk)).toEqual(reference)
  }, 120_000)

  it('a sync merging while local writers commit keeps both (the merge is rebuilt on the moved ref)', async () => {
    const {clones} = await team(2)
    const [a, b] = clones as [(typeof clones)[0], (typeof clones)[0]]
    const seed = await newTicket(a.desk, {title: 'Shared'})
    await syncWith(a)
    await syncWith(b)
    const written = new Set<string>()
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 5; i++) (await updateTicket(a.desk, seed.ticket.ticket.id, (t, ctx) => ops.note(t, `from A ${round}.${i}`, ctx))).events.forEach((e) => written.add(String(e.id)))
      await syncWith(a)
      const local = Promise.all(
        Array.from({length: 6}, async (_, i) => {
          const res = i % 2 ? await newTicket(b.desk, {title: `B ${round}.${i}`}) : await updateTicket(b.desk, seed.ticket.ticket.id, (t, ctx) => ops.note(t, `from B ${round}.${i}`, ctx))
          res.events.forEach((e) => written.add(String(e.id)))
        }),
      )
      await Promise.all([syncWith(b, {push: false}), local])
    }
    await syncWith(b)
    await syncWith(a)
    expect(a.desk.tip()).toBe(b.desk.tip())
    const present = new Set([...(await eventsOnDesk(b.desk)).values()].flat())
    for (const id of written) expect(present.has(id), id).toBe(true)
  })
})
