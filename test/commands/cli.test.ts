// The CLI run in-process (tixIn, test/run-tix.ts) in fresh temp repositories.
import {beforeAll, describe, expect, it} from 'vitest'
import {createTicket, type NewEvent} from '../../src/domain/ticket/ticket-ops.js'
import {Desk} from '../../src/store/desk.js'
import {git, gitRepo, tempDir, testIO, tixIn} from '../helpers.js'

const TICKET_KEYS = ['id', 'shortId', 'title', 'body', 'status', 'priority', 'type', 'channel', 'requester', 'assignee', 'department', 'tags', 'createdAt', 'updatedAt', 'firstResponseAt', 'resolvedAt', 'closedAt', 'resolution']

describe('tix, end to end', () => {
  let dir: string
  let id: string

  beforeAll(async () => {
    dir = gitRepo()
    expect((await tixIn(dir, ['init'])).code).toBe(0)
    const r = await tixIn(dir, ['new', 'Printer on 3rd floor jams', '--body', 'Since Monday...', '--requester', 'Ana Diaz <ana@example.com>', '--channel', 'email', '--priority', 'high', '--type', 'incident', '--tag', 'printer', '--department', 'it', '--json'])
    expect(r.code, r.stderr).toBe(0)
    id = r.json().ticket.id
  })

  it('init makes a repository and a desk, and is idempotent', async () => {
    const d = tempDir()
    const first = await tixIn(d, ['init', '--json'])
    expect(first.code, first.stderr).toBe(0)
    expect(first.json()).toMatchObject({schemaVersion: 1, kind: 'init', createdRepo: true, createdDesk: true, branch: 'tix'})
    expect(git(d, 'show', 'tix:desk.json')).toContain('"timezone"')
    const again = await tixIn(d, ['init'])
    expect(again.code).toBe(0)
    expect(again.stdout).toMatch(/already exists.*nothing changed/)
  })

  it('outside a desk, says to run tix init', async () => {
    const r = await tixIn(gitRepo(), ['list'])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/no desk yet/)
    expect(r.stderr).toMatch(/tix init/)
    const notRepo = await tixIn(tempDir(), ['list'])
    expect(notRepo.code).toBe(1)
    expect(notRepo.stderr).toMatch(/not inside a git repository.*\n.*tix init/)
  })

  it('new prints the JSON contract', async () => {
    const r = await tixIn(dir, ['show', id, '--json'])
    expect(r.code).toBe(0)
    const doc = r.json()
    expect(doc).toMatchObject({schemaVersion: 1, kind: 'ticket'})
    for (const k of [...TICKET_KEYS, 'thread', 'events']) expect(doc.ticket).toHaveProperty(k)
    expect(doc.ticket).toMatchObject({
      title: 'Printer on 3rd floor jams',
      body: 'Since Monday...',
      status: 'new',
      priority: 'high',
      type: 'incident',
      channel: 'email',
      requester: {name: 'Ana Diaz', email: 'ana@example.com'},
      assignee: null,
      department: 'it',
      tags: ['printer'],
      firstResponseAt: null,
      resolvedAt: null,
    })
    expect(doc.ticket.shortId).toBe(id.slice(0, 5))
    expect(doc.ticket.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
  })

  it('walks the lifecycle and keeps the work tree and HEAD as they were', async () => {
    const sid = id.slice(0, 5).toLowerCase()
    const status = git(dir, 'status', '--porcelain')
    const head = git(dir, 'symbolic-ref', 'HEAD')
    expect((await tixIn(dir, ['reply', sid, 'Restarted the spooler; please try again.'])).stdout).toMatch(/public reply.*status new -> open/)
    expect((await tixIn(dir, ['note', sid, 'Toner sensor looks faulty'])).code).toBe(0)
    expect((await tixIn(dir, ['assign', sid, 'ana@example.com'])).stdout).toMatch(/assigned to ana@example.com/)
    expect((await tixIn(dir, ['assign', sid, 'ana@example.com'])).stdout).toMatch(/nothing changed/)
    expect((await tixIn(dir, ['status', sid, 'pending'])).stdout).toMatch(/status open -> pending/)
    expect((await tixIn(dir, ['set', sid, '--priority', 'urgent', '--add-tag', 'hw', '--remove-tag', 'printer', '--title', 'Printer jams on every job'])).code).toBe(0)
    const noRes = await tixIn(dir, ['resolve', sid])
    expect(noRes.code).toBe(2)
    expect((await tixIn(dir, ['close', sid])).code).toBe(2)
    expect((await tixIn(dir, ['resolve', sid, '--resolution', 'Replaced the fuser'])).code).toBe(0)
    expect((await tixIn(dir, ['list', '--json'])).json().tickets.map((t: {id: string}) => t.id)).not.toContain(id)
    expect((await tixIn(dir, ['close', sid])).code).toBe(0)
    expect((await tixIn(dir, ['reply', sid, 'hello'])).code).toBe(1)
    expect((await tixIn(dir, ['reopen', sid])).code).toBe(0)
    const doc = (await tixIn(dir, ['show', sid, '--json'])).json().ticket
    expect(doc).toMatchObject({status: 'open', priority: 'urgent', tags: ['hw'], title: 'Printer jams on every job', resolution: 'Replaced the fuser', assignee: 'ana@example.com', reopenCount: 1})
    expect(doc.thread.map((e: {kind: string; public: boolean}) => [e.kind, e.public])).toEqual([['reply', true], ['note', false]])
    expect(doc.firstResponseAt).not.toBeNull()
    const hist = (await tixIn(dir, ['history', sid, '--json'])).json()
    expect(hist.kind).toBe('history')
    expect(hist.events.map((e: {type: string}) => e.type)).toEqual(['create', 'reply', 'status', 'note', 'assign', 'status', 'set', 'tags', 'status', 'status', 'status'])
    expect(git(dir, 'status', '--porcelain')).toBe(status)
    expect(git(dir, 'symbolic-ref', 'HEAD')).toBe(head)
  })

  it('lists with filters, as tab-separated lines in a pipe', async () => {
    const d = gitRepo()
    await tixIn(d, ['init'])
    const env = {TIX_NOW: '2026-11-20T10:00:00.000Z'}
    const a = (await tixIn(d, ['new', 'VPN drops', '--priority', 'high', '--department', 'it', '--tag', 'vpn', '--channel', 'chat', '--json'], {env})).json().ticket
    await tixIn(d, ['new', 'Refund please', '--department', 'support', '--requester', 'bo@example.com'], {env: {TIX_NOW: '2026-11-20T11:00:00.000Z'}})
    const list = await tixIn(d, ['list'])
    expect(list.stdout.split('\n')[1]).toBe(`${a.shortId}\thigh\tnew\t2026-11-20T10:00:00.000Z\t\tit\tVPN drops`)
    expect(list.stdout.split('\n')[0]).toMatch(/\tnormal\tnew\t.*\tsupport\tRefund please$/)
    expect((await tixIn(d, ['list', '--department', 'it', '--json'])).json().tickets).toHaveLength(1)
    expect((await tixIn(d, ['list', '--requester', 'bo@', '--json'])).json().tickets[0].title).toBe('Refund please')
    expect((await tixIn(d, ['list', '--unassigned', '--channel', 'chat', '--tag', 'vpn', '--json'])).json().count).toBe(1)
    expect((await tixIn(d, ['list', '--sort', 'priority', '--limit', '1', '--json'])).json()).toMatchObject({count: 1, total: 2, tickets: [{title: 'VPN drops'}]})
    const empty = await tixIn(d, ['list', '--status', 'pending'])
    expect(empty).toMatchObject({code: 0, stdout: ''})
    expect(empty.stderr).toMatch(/No unresolved tickets match/)
  })

  it('takes the body from standard input and searches every text', async () => {
    const d = gitRepo()
    await tixIn(d, ['init'])
    const r = await tixIn(d, ['new', 'VPN drops', '--body-file', '-', '--json'], {input: 'The tunnel resets every 5 minutes\n'})
    expect(r.json().ticket.body).toBe('The tunnel resets every 5 minutes\n')
    await tixIn(d, ['note', r.json().ticket.shortId, 'Looks like the spooler again'])
    expect((await tixIn(d, ['search', 'SPOOLER', '--json'])).json().tickets.map((t: {title: string}) => t.title)).toEqual(['VPN drops'])
    expect((await tixIn(d, ['search', 'tunnel', 'minutes', '--json'])).json().count).toBe(1)
    expect((await tixIn(d, ['search', 'tunnel', 'absent', '--json'])).json().count).toBe(0)
  })

  it('never prompts without a terminal', async () => {
    const r = await tixIn(dir, ['new'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/title is required/)
    expect(r.stderr).toMatch(/tix new "/)
  })

  it('rejects bad input with a clear message and the right exit code, changing nothing', async () => {
    const tip = git(dir, 'rev-parse', 'tix')
    const cases: [string[], number, RegExp][] = [
      [['new', 'x', '--priority', 'extreme'], 2, /Expected --priority=extreme to be one of: low, normal, high, urgent/],
      [['list', '--status', 'done'], 2, /--status "done" is not valid/],
      [['new', '  '], 2, /title is empty/],
      [['new', 'x', '--body-file', 'nope.txt'], 2, /--body-file nope.txt: no such file/],
      [['new', 'x', '--requester', 'Ana <ana>'], 2, /no valid e-mail/],
      [['show', '../../etc'], 2, /not a ticket id/],
      [['show', 'ZZZZZ'], 3, /No ticket matches "ZZZZZ"/],
      [['list', '--bogus'], 2, /Nonexistent flag: --bogus/],
      [['status', id.slice(0, 5), 'done'], 2, /Expected done to be one of/],
    ]
    for (const [args, code, message] of cases) {
      const r = await tixIn(dir, args)
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(code)
      expect(r.stderr).toMatch(message)
    }
    expect(git(dir, 'rev-parse', 'tix')).toBe(tip)
  })

  it('errors are a JSON document with --json', async () => {
    const r = await tixIn(dir, ['show', 'ZZZZZ', '--json'])
    expect(r.code).toBe(3)
    expect(r.json()).toEqual({schemaVersion: 1, kind: 'error', error: {message: 'No ticket matches "ZZZZZ".', hint: expect.any(String), code: 'not-found', exitCode: 3}})
  })

  it('ambiguous ids exit 3 and list the candidates', async () => {
    const d = gitRepo()
    await tixIn(d, ['init'])
    const desk = await Desk.open(testIO(d))
    for (const [tid, title] of [['7K3F9AAAAA', 'Printer jam'], ['7K3QA00000', 'VPN down']]) {
      await desk.change(async () => ({tickets: [{id: tid!, events: [createTicket({id: tid!, title: title!}, desk.opContext()) as NewEvent]}], message: 'x'}))
    }
    const r = await tixIn(d, ['show', '7k3'])
    expect(r.code).toBe(2)
    const amb = await tixIn(d, ['show', '7K3F9AAAAA'.slice(0, 4)])
    expect(amb.code).toBe(0)
    await desk.change(async () => ({tickets: [{id: '7K3F800000', events: [createTicket({id: '7K3F800000', title: 'Other'}, desk.opContext()) as NewEvent]}], message: 'x'}))
    const r2 = await tixIn(d, ['show', '7K3F'])
    expect(r2.code).toBe(3)
    expect(r2.stderr).toContain('"7K3F" matches 2 tickets: 7K3F8 (Other), 7K3F9 (Printer jam).')
  })

  it('a desk.json that is not JSON, or fails its schema, exits 2 naming what is wrong', async () => {
    const d = gitRepo()
    await tixIn(d, ['init'])
    const desk = await Desk.open(testIO(d))
    await desk.commitFiles([{path: 'desk.json', content: '{"timezone": '}], 'break it')
    const bad = await tixIn(d, ['list'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/desk.json is not valid JSON/)
    expect(bad.stderr).toMatch(/tix config edit/)
    await desk.commitFiles([{path: 'desk.json', content: '{"timezone": "Mars/Olympus"}'}], 'bad zone')
    const schema = await tixIn(d, ['list'])
    expect(schema.code).toBe(2)
    expect(schema.stderr).toMatch(/timezone: expected an IANA time zone/)
  })

  it('stores terminal escape sequences as given and prints them neutralised', async () => {
    const d = gitRepo()
    await tixIn(d, ['init'])
    const evil = 'Build \u001b[31mfailed\u001b]0;owned\u0007\u001b[2J'
    const r = await tixIn(d, ['new', evil, '--body', 'log:\u001b[1A\u001b[Khidden', '--json'])
    expect(r.json().ticket.title).toBe(evil)
    for (const args of [['list'], ['show', r.json().ticket.shortId], ['history', r.json().ticket.shortId]]) {
      const out = (await tixIn(d, args, {env: {FORCE_COLOR: '0'}})).stdout
      expect(out).not.toMatch(/\u001b|\u0007/)
      expect(out).toContain('\\x1b[31mfailed')
    }
  })

  it('works with no git identity at all (a fresh CI runner)', async () => {
    const d = gitRepo()
    const env = {TIX_ACTOR: '', GIT_AUTHOR_NAME: '', GIT_AUTHOR_EMAIL: '', EMAIL: ''}
    expect((await tixIn(d, ['init'], {env})).code).toBe(0)
    const r = await tixIn(d, ['new', 'Nightly failed', '--channel', 'ci', '--json'], {env})
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/acting as .*@/)
    expect(r.json().ticket.createdBy).toMatch(/@/)
  })

  it('doctor lists damaged lines with file and line and exits 1; everything else still works', async () => {
    const d = gitRepo()
    await tixIn(d, ['init'])
    const a = (await tixIn(d, ['new', 'Healthy', '--json'])).json().ticket
    const b = (await tixIn(d, ['new', 'Damaged', '--json'])).json().ticket
    const path = `tickets/${b.id.slice(0, 2)}/${b.id}.jsonl`
    const desk = await Desk.open(testIO(d))
    await desk.commitFiles([{path, content: git(d, 'show', `tix:${path}`) + 'not json at all\n'}], 'damage')
    const list = await tixIn(d, ['list', '--json'])
    expect(list.code).toBe(0)
    expect(list.json().count).toBe(2)
    expect(list.stderr).toContain(`${path}:2: not valid JSON`)
    const doc = await tixIn(d, ['doctor'])
    expect(doc.code).toBe(1)
    expect(doc.stdout).toContain(`${path}:2: not valid JSON`)
    expect((await tixIn(d, ['show', a.shortId])).code).toBe(0)
  })

  it('an unknown command suggests the nearest one', async () => {
    const r = await tixIn(dir, ['lst'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('Unknown command "lst".')
    expect(r.stderr).toContain('Did you mean `tix list`?')
  })

  it('--version answers without loading the CLI', async () => {
    const r = await tixIn(dir, ['--version'])
    expect(r.stdout).toMatch(/^tix\/\d+\.\d+\.\d+ /)
  })
})
