// Issue 3, test 1: the same ticket changed on two clones, plus a new ticket on each; both sync in
// either order and end with identical desks holding every event from both sides. Through the
// real CLI, the way people use it.
import {describe, expect, it} from 'vitest'
import {tixIn, type Run} from '../helpers.js'
import {actorEnv, eventsOnDesk, team} from './helpers.js'

const ok = (r: Run) => {
  expect(r.code, r.stderr).toBe(0)
  return r
}

async function scenario(order: 'ab' | 'ba') {
  const {clones} = await team(2)
  const [a, b] = clones as [(typeof clones)[0], (typeof clones)[0]]
  const A = actorEnv('Ana')
  const B = actorEnv('Bo')
  const id = ok(await tixIn(a.dir, ['new', 'Printer jams', '--json'], {env: A})).json().ticket.id as string
  ok(await tixIn(a.dir, ['sync'], {env: A}))
  const inB = ok(await tixIn(b.dir, ['sync', '--json'], {env: B})).json()
  expect(inB).toMatchObject({schemaVersion: 1, kind: 'sync', remote: 'origin', merged: 'fast-forward', tickets: [id], newTickets: [id], fetched: 1, pushed: 0, conflicts: []})

  // Offline on both sides.
  ok(await tixIn(a.dir, ['status', id, 'pending'], {env: A}))
  const newA = ok(await tixIn(a.dir, ['new', 'VPN down', '--json'], {env: A})).json().ticket.id as string
  ok(await tixIn(b.dir, ['set', id, '--priority', 'urgent'], {env: B}))
  ok(await tixIn(b.dir, ['reply', id, 'Looking at it now'], {env: B}))
  const newB = ok(await tixIn(b.dir, ['new', 'Mail slow', '--json'], {env: B})).json().ticket.id as string
  const written = new Set<string>()
  for (const c of clones) for (const ids of (await eventsOnDesk(c.desk)).values()) for (const e of ids) written.add(e)

  const [first, second] = order === 'ab' ? [a, b] : [b, a]
  const one = ok(await tixIn(first.dir, ['sync', '--json'], {env: first === a ? A : B})).json()
  expect(one.merged).toBe('pushed')
  expect(one.pushed).toBeGreaterThan(0)
  const two = ok(await tixIn(second.dir, ['sync', '--json'], {env: second === a ? A : B})).json()
  expect(two.merged).toBe('merge')
  expect(two.tickets).toEqual([id, first === a ? newA : newB].sort())
  expect(two.newTickets).toEqual([first === a ? newA : newB])
  expect(two.eventsIn).toBe(first === a ? 2 : 4) // A: status + create; B: set + reply + its status change + create
  const three = ok(await tixIn(first.dir, ['sync', '--json'], {env: first === a ? A : B})).json()
  expect(three.merged).toBe('fast-forward')
  const again = ok(await tixIn(first.dir, ['sync', '--json'], {env: A})).json()
  expect(again).toMatchObject({merged: 'up-to-date', fetched: 0, pushed: 0, tickets: []})

  // Identical desks, every event from both sides, each once.
  const listA = ok(await tixIn(a.dir, ['list', '--all', '--json'], {env: A})).json()
  const listB = ok(await tixIn(b.dir, ['list', '--all', '--json'], {env: B})).json()
  expect(listA).toEqual(listB)
  expect(listA.tickets.map((t: {id: string}) => t.id).sort()).toEqual([id, newA, newB].sort())
  const showA = ok(await tixIn(a.dir, ['show', id, '--json'], {env: A})).json()
  const showB = ok(await tixIn(b.dir, ['show', id, '--json'], {env: B})).json()
  expect(showA).toEqual(showB)
  expect(showA.ticket ?? showA).toBeTruthy()
  const detail = showA.ticket ?? showA
  expect(detail.priority).toBe('urgent')
  expect(detail.replyCount).toBe(1)
  for (const c of clones) {
    const present = new Map<string, number>()
    for (const ids of (await eventsOnDesk(c.desk)).values()) for (const e of ids) present.set(e, (present.get(e) ?? 0) + 1)
    expect(new Set(present.keys())).toEqual(written)
    expect([...present.values()].every((n) => n === 1)).toBe(true)
  }
  return {a, b}
}

describe('two clones change the same ticket', () => {
  it('A syncs first, then B, then A: identical desks, every event kept', async () => {
    await await scenario('ab')
  })

  it('B syncs first, then A, then B: the same', async () => {
    await await scenario('ba')
  })
})
