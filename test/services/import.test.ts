// tix import and export in-process on real git desks: every fixture format, bad rows, re-import,
// and the round trip export -> import into an empty desk -> export.
import {cpSync, readFileSync, readdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {exportTickets} from '../../src/services/export.js'
import {importTickets} from '../../src/services/import/index.js'
import {elementLines} from '../../src/services/import/readers.js'
import {listTickets, showTicket, updateTicket} from '../../src/services/tickets.js'
import * as ops from '../../src/domain/ticket/ticket-ops.js'
import {git, makeDesk, ROOT, tempDir} from '../helpers.js'

const FIX = join(ROOT, 'test', 'fixtures', 'import')
const all = async (desk: Awaited<ReturnType<typeof makeDesk>>['desk']) => (await listTickets(desk, {all: true})).tickets.sort((a, b) => a.title.localeCompare(b.title))

async function exportText(desk: Awaited<ReturnType<typeof makeDesk>>['desk'], format: 'jsonl' | 'csv') {
  let out = ''
  await exportTickets(desk, {all: true}, format, {write: (c) => (out += c)})
  return out
}

describe('tix import', () => {
  it('CSV: RFC 4180 quoting, --map, custom fields, times, one commit; the same file again adds nothing', async () => {
    const {dir, desk} = await makeDesk()
    const before = git(dir, 'rev-list', '--count', 'tix').trim()
    const res = await importTickets(desk, join(FIX, 'tickets.csv'), {map: ['field:plan=Plan', 'id=Ticket ID']})
    expect(res).toMatchObject({format: 'csv', read: 3, created: 3, skipped: 0, errors: [], commits: 1})
    expect(Number(git(dir, 'rev-list', '--count', 'tix').trim())).toBe(Number(before) + 1)
    const [printer, refund, vpn] = await all(desk)
    expect(printer).toMatchObject({title: 'Printer on 3rd floor jams', status: 'open', priority: 'high', assignee: 'bob@example.com', department: 'it', tags: ['printer', 'hardware'], requester: {name: 'Ana Diaz', email: 'ana@example.com'}, createdAt: '2026-03-01T09:30:00.000Z', fields: {plan: 'pro'}})
    expect(printer!.body).toBe('Since Monday, every job.\nSecond line, with a "quote".')
    expect(vpn).toMatchObject({status: 'pending', priority: 'urgent', createdAt: '2026-03-02T10:15:00.000Z', requester: {email: 'zed@corp.com'}})
    expect(refund).toMatchObject({status: 'resolved', requester: {name: 'Kim Lee', email: 'kim@example.com'}})
    const again = await importTickets(desk, join(FIX, 'tickets.csv'), {map: ['field:plan=Plan', 'id=Ticket ID']})
    expect(again).toMatchObject({created: 0, skipped: 3, commit: null})
    expect(Number(git(dir, 'rev-list', '--count', 'tix').trim())).toBe(Number(before) + 1)
  })

  it('bad rows are reported as FILE:LINE: reason and nothing is written; --skip-invalid imports the rest', async () => {
    const {dir, desk} = await makeDesk()
    const tip = git(dir, 'rev-parse', 'tix').trim()
    const res = await importTickets(desk, join(FIX, 'bad.csv'))
    expect(res.created).toBe(0)
    expect(res.errors.map((e) => `${e.line}: ${e.reason}`)).toEqual([
      '3: the title is empty',
      '4: status "sideways" is not one of new, open, pending, on-hold, resolved, closed',
      expect.stringMatching(/^5: createdAt "yesterday-ish" is not a time/),
      expect.stringMatching(/^6: requester "<nobody>" has no valid e-mail/),
    ])
    expect(res.errors[0]!.file).toBe(join(FIX, 'bad.csv'))
    expect(git(dir, 'rev-parse', 'tix').trim()).toBe(tip)
    const dry = await importTickets(desk, join(FIX, 'bad.csv'), {skipInvalid: true, dryRun: true})
    expect(dry).toMatchObject({created: 1, commit: null, dryRun: true})
    expect(git(dir, 'rev-parse', 'tix').trim()).toBe(tip)
    const skip = await importTickets(desk, join(FIX, 'bad.csv'), {skipInvalid: true})
    expect(skip.created).toBe(1)
    expect((await all(desk)).map((t) => t.title)).toEqual(['Fine row'])
  })

  it('JSON and JSONL: comments become replies and notes with their authors and times; bad lines are numbered', async () => {
    const {desk} = await makeDesk()
    expect((await importTickets(desk, join(FIX, 'tickets.json'))).created).toBe(2)
    expect((await importTickets(desk, join(FIX, 'tickets.jsonl'))).created).toBe(2)
    const tickets = await all(desk)
    const laptop = tickets.find((t) => t.title === 'Laptop will not boot')!
    const shown = (await showTicket(desk, laptop.id)).ticket
    expect(shown.thread.map((e) => [e.kind, e.author, e.at])).toEqual([
      ['reply', 'bob@example.com', '2026-04-01T09:00:00.000Z'],
      ['note', 'bob@example.com', '2026-04-01T09:05:00.000Z'],
    ])
    expect(laptop).toMatchObject({status: 'open', type: 'incident', fields: {asset: 'LT-0042'}, firstResponseAt: '2026-04-01T09:00:00.000Z'})
    expect(shown.events[0]).toMatchObject({type: 'create', source: {format: 'json', id: 'J-1'}})
    expect(tickets.find((t) => t.title === 'New starter needs an account')).toMatchObject({status: 'closed', resolution: 'Account created', closedAt: '2026-04-02T12:00:00.000Z'})
    expect(tickets.find((t) => t.title === 'Shared drive is slow')).toMatchObject({status: 'on-hold', priority: 'low'})
    // a JSONL file with a broken line and an invalid record
    const bad = join(tempDir(), 'bad.jsonl')
    writeFileSync(bad, '{"title": "ok", "id": 1}\n{"title": \n\n{"id": 3, "title": "x", "priority": "asap"}\n')
    const res = await importTickets(desk, bad)
    expect(res.errors.map((e) => [e.line, e.reason.slice(0, 20)])).toEqual([[2, 'not valid JSON (Unex'], [4, 'priority "asap" is n']])
  })

  it('GitHub issues (gh issue list --json ...): labels as tags, comments as replies, state', async () => {
    const {desk} = await makeDesk()
    const res = await importTickets(desk, join(FIX, 'github.json'), {format: 'github'})
    expect(res.created).toBe(2)
    const [crash, docs] = await all(desk)
    expect(crash).toMatchObject({title: 'Crash when the config is empty', status: 'open', channel: 'web', tags: ['bug', 'good-first-issue'], requester: {name: '@octocat'}, fields: {'github.number': '12'}, replyCount: 1})
    expect(docs).toMatchObject({status: 'closed', resolution: 'Closed on GitHub (completed)'})
    expect((await importTickets(desk, join(FIX, 'github.json'), {format: 'github'})).skipped).toBe(2)
  })

  it('a Zendesk export: side-loaded users, the description as the body, private comments as notes, hold -> on-hold', async () => {
    const {desk} = await makeDesk()
    expect((await importTickets(desk, join(FIX, 'zendesk.json'), {format: 'zendesk'})).created).toBe(2)
    const [fire, reset] = await all(desk)
    expect(fire).toMatchObject({status: 'on-hold', priority: 'urgent', type: 'incident', channel: 'email', requester: {name: 'Frida Fire', email: 'frida@example.org'}, assignee: 'sam@helpdesk.example.com', tags: ['enterprise', 'other_tag'], body: 'The fire is very colorful.', fields: {'zendesk.id': '35436', 'zendesk.27642': '745'}})
    const thread = (await showTicket(desk, fire!.id)).ticket.thread
    expect(thread.map((e) => [e.kind, e.author, e.body])).toEqual([
      ['reply', 'sam@helpdesk.example.com', 'Please step away from the printer.'],
      ['note', 'sam@helpdesk.example.com', 'Called the fire brigade.'],
    ])
    expect(reset).toMatchObject({status: 'resolved', channel: 'web', replyCount: 1})
  })

  it('a Backlog.md folder: front matter through gray-matter, completed tasks resolved', async () => {
    const {desk} = await makeDesk()
    const folder = join(tempDir(), 'project')
    cpSync(join(FIX, 'backlog'), join(folder, 'backlog'), {recursive: true})
    const res = await importTickets(desk, folder)
    expect(res).toMatchObject({format: 'backlog', created: 3})
    const [name, ci, docs] = await all(desk)
    expect(ci).toMatchObject({title: 'Set up CI', status: 'open', priority: 'high', tags: ['infra', 'ci'], createdAt: '2026-06-01T10:00:00.000Z', fields: {'backlog.id': 'task-1', 'backlog.assignee': '@alice'}})
    expect(ci!.body).toMatch(/^## Description\n\nRun the tests/)
    expect(docs).toMatchObject({status: 'new'})
    expect(name).toMatchObject({title: 'Pick a name', status: 'resolved'})
    writeFileSync(join(folder, 'backlog', 'tasks', 'task-9 - broken.md'), '---\ntitle: [unclosed\n---\n')
    const bad = await importTickets(desk, folder)
    expect(bad.errors).toHaveLength(1)
    expect(bad.errors[0]!.file).toMatch(/task-9 - broken\.md$/)
    expect(bad.skipped).toBe(3)
  })

  it('many tickets in batches: one commit per batch', async () => {
    const {dir, desk} = await makeDesk()
    const file = join(tempDir(), 'many.jsonl')
    writeFileSync(file, Array.from({length: 25}, (_, i) => JSON.stringify({id: i, title: `Ticket ${i}`, createdAt: '2026-01-01T00:00:00Z'})).join('\n') + '\n')
    const res = await importTickets(desk, file, {batch: 10})
    expect(res).toMatchObject({created: 25, commits: 3})
    expect(git(dir, 'log', '--format=%s', '-3', 'tix').trim().split('\n')).toEqual(['Import tickets 21-25 of 25 from many.jsonl (jsonl)', 'Import tickets 11-20 of 25 from many.jsonl (jsonl)', 'Import tickets 1-10 of 25 from many.jsonl (jsonl)'])
    expect((await listTickets(desk, {all: true})).total).toBe(25)
  })

  it('element lines of a JSON document', () => {
    expect(elementLines('[\n {"a": "[x,"},\n {"b": 1}, {"c": [1,\n2]}\n]', null)).toEqual([2, 3, 3])
    expect(elementLines('{"users": [{"id": 1}],\n "tickets": [\n  {"id": 1},\n  {"id": 2}]}', 'tickets')).toEqual([3, 4])
  })
})

describe('tix export', () => {
  it('jsonl round trip: export, import into an empty desk, export again: equal', async () => {
    const {desk} = await makeDesk()
    await importTickets(desk, join(FIX, 'zendesk.json'), {format: 'zendesk'})
    await importTickets(desk, join(FIX, 'tickets.csv'), {map: ['field:plan=Plan']})
    const first = (await all(desk))[0]!
    await updateTicket(desk, first.id, (t, ctx) => ops.reply(t, 'A reply with "quotes" and \u001b[31mescapes\u001b[0m', ctx))
    const text = await exportText(desk, 'jsonl')
    expect(text.trim().split('\n')).toHaveLength(5)
    const file = join(tempDir(), 'desk.jsonl')
    writeFileSync(file, text)
    const {desk: other} = await makeDesk()
    const res = await importTickets(other, file)
    expect(res).toMatchObject({created: 5, errors: []})
    expect(await exportText(other, 'jsonl')).toBe(text)
    expect((await importTickets(other, file)).skipped).toBe(5)
  })

  it('csv: one row per ticket with custom fields as field:KEY columns; it imports back', async () => {
    const {desk} = await makeDesk()
    await importTickets(desk, join(FIX, 'tickets.csv'), {map: ['field:plan=Plan']})
    const csv = await exportText(desk, 'csv')
    const lines = csv.trim().split('\n')
    expect(lines[0]).toMatch(/^id,title,body,status,.*,field:plan$/)
    const file = join(tempDir(), 'out.csv')
    writeFileSync(file, csv)
    const {desk: other} = await makeDesk()
    expect((await importTickets(other, file)).created).toBe(3)
    const a = (await all(desk)).map((t) => [t.title, t.body, t.status, t.priority, t.requester, t.tags, t.fields, t.createdAt])
    const b = (await all(other)).map((t) => [t.title, t.body, t.status, t.priority, t.requester, t.tags, t.fields, t.createdAt])
    expect(b).toEqual(a)
  })

  it('markdown: one file per ticket, named by id, into the folder; filters apply', async () => {
    const {desk} = await makeDesk()
    await importTickets(desk, join(FIX, 'tickets.csv'))
    const out = join(tempDir(), 'md')
    const res = await exportTickets(desk, {all: true, tags: ['printer']}, 'markdown', {out, write: () => {}})
    expect(res.count).toBe(1)
    const files = readdirSync(out)
    expect(files).toEqual([expect.stringMatching(/^[0-9A-Z]{10}\.md$/)])
    const md = readFileSync(join(out, files[0]!), 'utf8')
    expect(md).toMatch(/^---\nid: "[0-9A-Z]{10}"\ntitle: "Printer on 3rd floor jams"/)
    expect(md).toMatch(/\n# Printer on 3rd floor jams\n/)
  })
})
