// The merge rules of sync, pure: union of event logs, three-way JSON merge.
import {describe, expect, it} from 'vitest'
import {mergeJson3, unionEventLogs} from '../../src/domain/ticket/merge.js'

const ev = (id: string, seq: number, at = '2030-01-01T00:00:00.000Z', extra: Record<string, unknown> = {}) =>
  JSON.stringify({v: 1, id, seq, at, by: 'a@example.com', type: 'note', body: id, ...extra})

describe('unionEventLogs', () => {
  const base = [ev('E1', 1), ev('E2', 2)]
  const ours = [...base, ev('OURS', 3, '2030-01-02T00:00:00.000Z')].join('\n') + '\n'
  const theirs = [...base, ev('THEIRS', 3, '2030-01-01T12:00:00.000Z'), ev('THEIRS2', 4)].join('\n') + '\n'

  it('holds every event once, in canonical order (seq, at, id), whichever side is ours', () => {
    const merged = unionEventLogs(ours, theirs)
    expect(merged.trimEnd().split('\n').map((l) => JSON.parse(l).id)).toEqual(['E1', 'E2', 'THEIRS', 'OURS', 'THEIRS2'])
    expect(unionEventLogs(theirs, ours)).toBe(merged) // the same bytes in both directions
    expect(unionEventLogs(merged, ours)).toBe(merged) // and merging again changes nothing
  })

  it('drops a repeated event (a plain git merge can repeat lines) but never a line it cannot read', () => {
    const withJunk = ours + 'not json\n' + ev('E1', 1) + '\n'
    const merged = unionEventLogs(withJunk, theirs + '{"half":\n')
    const lines = merged.trimEnd().split('\n')
    expect(lines.filter((l) => l.includes('"E1"'))).toHaveLength(1)
    expect(lines.slice(-2)).toEqual(['not json', '{"half":'].sort())
    expect(unionEventLogs(theirs + '{"half":\n', withJunk)).toBe(merged)
  })

  it('keeps fields it does not know (a newer tix wrote them)', () => {
    const future = ev('NEW', 3, undefined, {type: 'sla-breach', metric: 'first-response'})
    expect(unionEventLogs(ours, base.join('\n') + '\n' + future + '\n')).toContain('"metric":"first-response"')
  })
})

describe('mergeJson3', () => {
  const base = {version: 1, name: 'Desk', timezone: 'UTC', sla: {hours: 8, warn: 0.25}, agents: ['a']}

  it('takes each side where only it changed, key by key, nested', () => {
    const m = mergeJson3(base, {...base, name: 'ACME', sla: {hours: 4, warn: 0.25}}, {...base, timezone: 'Europe/Berlin', sla: {hours: 8, warn: 0.5}, remote: 'origin'})
    expect(m).toEqual({value: {version: 1, name: 'ACME', timezone: 'Europe/Berlin', sla: {hours: 4, warn: 0.5}, agents: ['a'], remote: 'origin'}, conflicts: []})
  })

  it('a key changed on both sides differently is a conflict that keeps ours', () => {
    const m = mergeJson3(base, {...base, sla: {hours: 4, warn: 0.25}, agents: ['a', 'b']}, {...base, sla: {hours: 6, warn: 0.25}, agents: ['a', 'c']})
    expect(m.conflicts).toEqual(['sla.hours', 'agents'])
    expect(m.value).toEqual({...base, sla: {hours: 4, warn: 0.25}, agents: ['a', 'b']})
  })

  it('the same change on both sides is no conflict; a deletion on one side stands', () => {
    const {agents: _drop, ...withoutAgents} = base
    void _drop
    const m = mergeJson3(base, {...withoutAgents, name: 'Same'}, {...base, name: 'Same'})
    expect(m).toEqual({value: {...withoutAgents, name: 'Same'}, conflicts: []})
  })

  it('without a common base (two desks started apart), equal keys agree and different ones conflict', () => {
    const m = mergeJson3(undefined, {version: 1, name: 'A'}, {version: 1, name: 'B', timezone: 'UTC'})
    expect(m).toEqual({value: {version: 1, name: 'A', timezone: 'UTC'}, conflicts: ['name']})
  })
})
