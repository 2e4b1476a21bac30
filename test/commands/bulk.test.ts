// Several tickets per command, ids on stdin, `list -q`, custom-field flags and the stdin-title bug:
// the CLI as a user runs it, in-process (tixIn).
import {beforeAll, describe, expect, it} from 'vitest'
import {git, gitRepo, tixIn} from '../helpers.js'

describe('bulk changes and custom fields, end to end', () => {
  let dir: string
  let ids: string[]
  const tipOf = () => git(dir, 'rev-parse', 'tix').trim()

  beforeAll(async () => {
    dir = gitRepo()
    expect((await tixIn(dir, ['init'])).code).toBe(0)
    ids = []
    for (const title of ['Printer jams', 'VPN drops', 'Mail bounces']) {
      const r = await tixIn(dir, ['new', title, '--channel', 'email', '--json'])
      expect(r.code, r.stderr).toBe(0)
      ids.push(r.json().ticket.id as string)
    }
  })

  it('new with --body-file - and no title exits 2 naming the argument, and never makes stdin the title', async () => {
    const before = tipOf()
    const r = await tixIn(dir, ['new', '--body-file', '-'], {input: 'From: ana@example.com\nSubject: help\n\nThe printer is on fire.\n'})
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/TITLE argument or with --title/)
    expect(tipOf()).toBe(before)
    const ok = await tixIn(dir, ['new', '--title', 'From a mail', '--body-file', '-', '--json'], {input: 'The printer is on fire.\n'})
    expect(ok.code, ok.stderr).toBe(0)
    expect(ok.json().ticket).toMatchObject({title: 'From a mail', body: 'The printer is on fire.\n'})
    await tixIn(dir, ['close', ok.json().ticket.id, '-m', 'test ticket'])
  })

  it('list -q prints full ids; "-" reads them from stdin; one commit changes them all', async () => {
    const q = await tixIn(dir, ['list', '--channel', 'email', '-q'])
    expect(q.code).toBe(0)
    expect(q.stdout.trim().split('\n').sort()).toEqual([...ids].sort())
    const before = tipOf()
    const r = await tixIn(dir, ['status', '-', 'pending', '--json'], {input: q.stdout})
    expect(r.code, r.stderr).toBe(0)
    const doc = r.json()
    expect(doc).toMatchObject({schemaVersion: 1, kind: 'ticket-batch', count: 3, changed: 3})
    expect(doc.tickets.map((t: {status: string}) => t.status)).toEqual(['pending', 'pending', 'pending'])
    expect(git(dir, 'rev-list', '--count', `${before}..tix`).trim()).toBe('1')
    expect(git(dir, 'rev-parse', 'tix').trim()).toBe(doc.commit)
  })

  it('several ids then the value: assign A B agent; one id keeps the ticket kind', async () => {
    const r = await tixIn(dir, ['assign', ids[0]!.slice(0, 5), ids[1]!, 'ana@example.com', '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.json().kind).toBe('ticket-batch')
    expect(r.json().tickets.map((t: {assignee: string}) => t.assignee)).toEqual(['ana@example.com', 'ana@example.com'])
    const one = await tixIn(dir, ['note', ids[2]!, 'just one', '--json'])
    expect(one.json().kind).toBe('ticket')
  })

  it('one unknown id: exit 3, every bad id named, nothing written', async () => {
    const before = tipOf()
    const r = await tixIn(dir, ['status', ids[0]!, 'ZZZZZZ', ids[1]!, 'XXXXX', 'open', '--json'])
    expect(r.code).toBe(3)
    expect(r.json().error.message).toMatch(/"ZZZZZZ".*"XXXXX"/)
    expect(tipOf()).toBe(before)
    const refused = await tixIn(dir, ['reopen', ids[0]!, ids[1]!])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/only resolved or closed tickets reopen.*Nothing was changed/)
    const both = await tixIn(dir, ['note', '-', '--body-file', '-'], {input: ids.join('\n')})
    expect(both.code).toBe(2)
    expect(both.stderr).toMatch(/Both the ids \("-"\) and the text/)
    expect(tipOf()).toBe(before)
  })

  it('custom fields: --field on new, set (with --unset-field), list and show; desk.json declares types', async () => {
    expect((await tixIn(dir, ['config', 'set', 'fields', '{"plan": {"type": "enum", "values": ["free", "pro", "team"]}, "seats": {"type": "number"}}'])).code).toBe(0)
    const bad = await tixIn(dir, ['config', 'set', 'fields', '{"plan": {"type": "colour"}}'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/fields\.plan\.type: expected one of string, number, boolean, date, enum/)
    const r = await tixIn(dir, ['new', 'Refund', '--field', 'order=NW-4222', '--field', 'plan=pro', '--field', 'seats=12', '--json'])
    expect(r.code, r.stderr).toBe(0)
    const id = r.json().ticket.id
    expect(r.json().ticket.fields).toEqual({order: 'NW-4222', plan: 'pro', seats: 12})
    expect((await tixIn(dir, ['new', 'x', '--field', 'plan=gold'])).stderr).toMatch(/expected one of free, pro, team/)
    expect((await tixIn(dir, ['new', 'x', '--field', '__proto__=1'])).code).toBe(2)
    expect((await tixIn(dir, ['list', '--field', 'plan=pro', '-q'])).stdout.trim()).toBe(id)
    const set = await tixIn(dir, ['set', id, '--field', 'plan=team', '--unset-field', 'order', '--json'])
    expect(set.json().ticket.fields).toEqual({plan: 'team', seats: 12})
    expect((await tixIn(dir, ['list', '--field', 'plan=pro', '-q'])).stdout.trim()).toBe('')
    expect((await tixIn(dir, ['show', id])).stdout).toMatch(/plan\s+team/)
  })
})
