// Assignment strategies (docs/helpdesk.md): pure functions of the folded desk.
import {describe, expect, it} from 'vitest'
import {deskLoad, pickAgent} from '../../src/domain/workflow/assignment.js'
import {foldTicket} from '../../src/domain/ticket/fold.js'
import type {Ticket} from '../../src/domain/ticket/model.js'
import {create, events, status, ticketOf, wfOf, type E} from './build.js'

const config = (extra: Record<string, unknown> = {}) => ({
  departments: {it: {name: 'IT', tiers: {'1': ['ana@example.com', 'ben@example.com', 'cy@example.com']}, ...extra}},
  agents: {
    'ana@example.com': {name: 'Ana', departments: ['it'], capacity: 2, skills: ['es']},
    'ben@example.com': {name: 'Ben', departments: ['it'], capacity: 2, skills: ['vpn']},
    'cy@example.com': {name: 'Cy', departments: ['it'], capacity: 2, skills: ['es', 'vpn']},
  },
})

let n = 0
/** A ticket of department it assigned to `who` at `at` (and in `state`). */
function held(who: string | null, at: string, state = 'open', extra: E[] = []): Ticket {
  const id = `T${String(++n).padStart(9, '0')}`
  return ticketOf([create(at, {assignee: who}), ...(state !== 'new' ? [status(at, 'new', state, state === 'resolved' ? {resolution: 'x'} : {})] : []), ...extra], id)
}
const fresh = (tags: string[] = []) => ticketOf([create('2026-11-23T10:00:00Z', {tags})], 'NEW0000001')

describe('load-balanced', () => {
  it('picks the agent with the fewest active tickets (new, open, on-hold; pending does not count)', () => {
    const wf = wfOf(config())
    const desk = [
      held('ana@example.com', '2026-11-20T08:00:00Z'),
      held('ben@example.com', '2026-11-20T08:00:00Z'),
      held('ben@example.com', '2026-11-20T09:00:00Z', 'on-hold'),
      held('cy@example.com', '2026-11-20T08:00:00Z', 'pending'),
      held('cy@example.com', '2026-11-20T09:00:00Z', 'resolved'),
    ]
    const pick = pickAgent(fresh(), {}, wf, deskLoad(desk))
    expect(pick).toMatchObject({agent: 'cy@example.com', strategy: 'load-balanced'})
    expect(pick.candidates.map((c) => [c.agent, c.load])).toEqual([['ana@example.com', 1], ['ben@example.com', 2], ['cy@example.com', 0]])
  })

  it('ties go to the agent whose last assignment is oldest, then by e-mail', () => {
    const wf = wfOf(config())
    const desk = [held('ana@example.com', '2026-11-20T10:00:00Z', 'resolved'), held('ben@example.com', '2026-11-20T09:00:00Z', 'resolved')]
    // cy was never assigned: oldest of all
    expect(pickAgent(fresh(), {}, wf, deskLoad(desk)).agent).toBe('cy@example.com')
    const desk2 = [...desk, held('cy@example.com', '2026-11-20T11:00:00Z', 'resolved')]
    expect(pickAgent(fresh(), {}, wf, deskLoad(desk2)).agent).toBe('ben@example.com')
  })

  it('the cap: agents at it are skipped; when all are at it, nobody (and the reason says so)', () => {
    const wf = wfOf(config())
    const desk = [held('ana@example.com', '2026-11-20T08:00:00Z'), held('ben@example.com', '2026-11-20T08:00:00Z')]
    // "the agent with no other tickets" = load-balanced with cap 1
    expect(pickAgent(fresh(), {cap: 1}, wf, deskLoad(desk)).agent).toBe('cy@example.com')
    const full = [...desk, held('cy@example.com', '2026-11-20T08:00:00Z')]
    const pick = pickAgent(fresh(), {cap: 1}, wf, deskLoad(full))
    expect(pick.agent).toBeNull()
    expect(pick.reason).toBe('nobody: all 3 agents of IT tier 1 are at capacity; the ticket stays in the IT tier 1 queue')
    // Agents' own capacity (2) applies when no cap is given
    expect(pickAgent(fresh(), {}, wf, deskLoad(full)).agent).toBe('ana@example.com')
  })

  it('unavailable agents are skipped', () => {
    const c = config()
    ;(c.agents['cy@example.com'] as Record<string, unknown>).available = false
    const pick = pickAgent(fresh(), {}, wfOf(c), deskLoad([held('ana@example.com', '2026-11-20T08:00:00Z')]))
    expect(pick.agent).toBe('ben@example.com')
    expect(pick.candidates.find((x) => x.agent === 'cy@example.com')!.excluded).toBe('not available')
  })
})

describe('round-robin', () => {
  it('picks the agent whose last assignment is oldest, whatever their load', () => {
    const wf = wfOf(config({assignment: 'round-robin'}))
    const desk = [
      held('ana@example.com', '2026-11-20T08:00:00Z'),
      held('ana@example.com', '2026-11-20T08:30:00Z', 'resolved'),
      held('ben@example.com', '2026-11-20T09:00:00Z', 'resolved'),
      held('cy@example.com', '2026-11-20T10:00:00Z', 'resolved'),
    ]
    expect(pickAgent(fresh(), {}, wf, deskLoad(desk))).toMatchObject({agent: 'ana@example.com', strategy: 'round-robin'})
  })

  it('a reassignment away still counts as that agent having been given a ticket', () => {
    const wf = wfOf(config({assignment: 'round-robin'}))
    const desk = [
      held('ana@example.com', '2026-11-20T08:00:00Z'),
      held('ben@example.com', '2026-11-20T07:00:00Z', 'open', [{type: 'assign', at: '2026-11-20T11:00:00Z', from: 'ben@example.com', to: 'cy@example.com'}]),
      held(null, '2026-11-20T06:00:00Z', 'open', [{type: 'assign', at: '2026-11-20T09:00:00Z', from: null, to: 'ben@example.com'}, {type: 'assign', at: '2026-11-20T09:30:00Z', from: 'ben@example.com', to: null}]),
    ]
    // ana 08:00, ben 09:00, cy 11:00
    expect(pickAgent(fresh(), {}, wf, deskLoad(desk)).agent).toBe('ana@example.com')
  })
})

describe('skills', () => {
  it("filters by the ticket's skill tags, then load-balances", () => {
    const wf = wfOf(config({assignment: 'skills'}))
    const desk = [held('cy@example.com', '2026-11-20T08:00:00Z')]
    expect(pickAgent(fresh(['es']), {}, wf, deskLoad(desk)).agent).toBe('ana@example.com')
    expect(pickAgent(fresh(['vpn']), {}, wf, deskLoad(desk)).agent).toBe('ben@example.com')
    expect(pickAgent(fresh(['es', 'vpn', 'printer']), {}, wf, deskLoad(desk)).agent).toBe('cy@example.com') // "printer" is nobody's skill: not required
    expect(pickAgent(fresh(['printer']), {}, wf, deskLoad(desk)).agent).toBe('ana@example.com') // no skill tags: everyone
  })

  it('nobody has the skills: unassigned, and the reason names them', () => {
    const c = config({assignment: 'skills'})
    ;(c.agents['ana@example.com'] as Record<string, unknown>).skills = ['fr']
    const wf = wfOf(c)
    const pick = pickAgent(fresh(['fr', 'vpn']), {}, wf, deskLoad([]))
    expect(pick.agent).toBeNull()
    expect(pick.reason).toMatch(/no agent of IT tier 1 has the skills fr, vpn/)
  })
})

describe('determinism across clones', () => {
  it('two clones that received the same events in different orders pick the same agent', () => {
    const wf = wfOf(config({assignment: 'round-robin'}))
    // Two clones wrote assignments concurrently (same seq): each ticket's events arrive in a different order.
    const logs: E[][] = [
      [create('2026-11-20T08:00:00Z'), {type: 'assign', at: '2026-11-20T09:00:00Z', from: null, to: 'ana@example.com'}, {type: 'assign', at: '2026-11-20T09:00:00Z', from: null, to: 'ben@example.com'}],
      [create('2026-11-20T08:00:00Z'), {type: 'assign', at: '2026-11-20T10:00:00Z', from: null, to: 'cy@example.com'}],
    ]
    const clone = (reverse: boolean) =>
      logs.map((list, i) => {
        const id = `C${String(i).padStart(9, '0')}`
        const evs = events(list, id).map((e, j) => ({...e, seq: Math.min(j + 1, 2)})) // concurrent writes: equal seq
        return foldTicket(id, reverse ? [...evs].reverse() : evs).ticket
      })
    const a = clone(false)
    const b = clone(true)
    expect(a.map((t) => t.assignee)).toEqual(b.map((t) => t.assignee))
    const pa = pickAgent(fresh(), {}, wf, deskLoad(a))
    const pb = pickAgent(fresh(), {}, wf, deskLoad([...b].reverse()))
    expect(pa.agent).toBe(pb.agent)
    expect(pa.candidates).toEqual(pb.candidates)
  })
})
