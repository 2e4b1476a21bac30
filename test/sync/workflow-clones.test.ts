// Assignment is a pure function of the desk's events: two clones that synced the same events pick
// the same agent, whatever order the events arrived in. Real clones, real `tix sync`.
import {describe, expect, it} from 'vitest'
import {tixIn, type Run} from '../helpers.js'
import {actorEnv, team} from './helpers.js'

const ok = (r: Run) => {
  expect(r.code, r.stderr).toBe(0)
  return r
}

describe('assignment across two clones after a sync', () => {
  it('round-robin and load-balanced pick the same agent on both clones', async () => {
    const {clones} = await team(2)
    const [a, b] = clones as [(typeof clones)[0], (typeof clones)[0]]
    const A = actorEnv('Ana')
    const B = actorEnv('Bo')
    ok(await tixIn(a.dir, ['dept', 'add', 'it', '--name', 'IT', '--assignment', 'round-robin'], {env: A}))
    for (const who of ['ana', 'bo', 'cy', 'di']) ok(await tixIn(a.dir, ['agent', 'add', `${who}@example.com`, '--dept', 'it'], {env: A}))
    ok(await tixIn(a.dir, ['config', 'set', 'rules', JSON.stringify([{name: 'it', if: {title: 'printer'}, then: {department: 'it', assign: 'auto'}}])], {env: A}))
    ok(await tixIn(a.dir, ['sync'], {env: A}))
    ok(await tixIn(b.dir, ['sync'], {env: B}))
    // Offline, both clones file tickets the rules assign, at interleaved times.
    const times = ['2026-11-23T09:00:00Z', '2026-11-23T09:05:00Z', '2026-11-23T09:10:00Z']
    for (const [i, at] of times.entries()) {
      ok(await tixIn(a.dir, ['new', `Printer A${i}`], {env: {...A, TIX_NOW: at}}))
      ok(await tixIn(b.dir, ['new', `Printer B${i}`], {env: {...B, TIX_NOW: at.replace(':00Z', ':30Z')}}))
    }
    ok(await tixIn(a.dir, ['sync'], {env: A}))
    ok(await tixIn(b.dir, ['sync'], {env: B}))
    ok(await tixIn(a.dir, ['sync'], {env: A}))
    const unassigned = ok(await tixIn(a.dir, ['new', 'VPN down', '--department', 'it', '--json'], {env: {...A, TIX_NOW: '2026-11-23T10:00:00Z'}})).json().ticket.id
    ok(await tixIn(a.dir, ['sync'], {env: A}))
    ok(await tixIn(b.dir, ['sync'], {env: B}))
    const pick = async (dir: string, env: NodeJS.ProcessEnv) => ok(await tixIn(dir, ['assign', unassigned, '--auto', '--dry-run', '--json'], {env})).json().assignment
    const inA = await pick(a.dir, A)
    const inB = await pick(b.dir, B)
    expect(inA).toEqual(inB)
    expect(inA.strategy).toBe('round-robin')
    expect(inA.agent).not.toBeNull()
    // Load-balanced from the same history: the same again
    ok(await tixIn(a.dir, ['config', 'set', 'departments.it.assignment', 'load-balanced'], {env: A}))
    ok(await tixIn(a.dir, ['sync'], {env: A}))
    ok(await tixIn(b.dir, ['sync'], {env: B}))
    const lbA = await pick(a.dir, A)
    expect(lbA).toEqual(await pick(b.dir, B))
    expect(lbA.strategy).toBe('load-balanced')
  })
})
