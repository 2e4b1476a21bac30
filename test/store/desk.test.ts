import {existsSync, mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it, vi} from 'vitest'
import {createTicket, type NewEvent} from '../../src/domain/ticket/ticket-ops.js'
import * as ops from '../../src/domain/ticket/ticket-ops.js'
import {Cache, type CacheMeta} from '../../src/store/cache.js'
import {Desk, ticketPath} from '../../src/store/desk.js'
import {newTicket, updateTicket, listTickets} from '../../src/services/tickets.js'
import {git, makeDesk, tempDir, testIO} from '../helpers.js'

/** Writes a ticket with a chosen id (tests need collisions and corrupt files). */
async function putTicket(desk: Desk, id: string, title: string): Promise<void> {
  await desk.change(async () => ({tickets: [{id, events: [createTicket({id, title}, desk.opContext()) as NewEvent]}], message: `${id}: create`}))
}


describe('the desk store (real git)', () => {
  it('writes one commit per change on the tix branch, authored by the actor, never touching the work tree', async () => {
    const {dir, desk} = await makeDesk()
    writeFileSync(join(dir, 'README'), 'code\n')
    git(dir, 'add', 'README')
    const statusBefore = git(dir, 'status', '--porcelain')
    const res = await newTicket(desk, {title: 'Printer jams', body: 'Since Monday'})
    expect(git(dir, 'status', '--porcelain')).toBe(statusBefore)
    expect(git(dir, 'symbolic-ref', 'HEAD').trim()).toBe('refs/heads/main')
    expect(git(dir, 'rev-list', '--all', '--count', '--', 'README').trim()).toBe('0')
    expect(existsSync(join(dir, 'tickets'))).toBe(false)
    const log = git(dir, 'log', '--format=%an <%ae>|%s', 'tix').trim().split('\n')
    expect(log).toHaveLength(2)
    expect(log[0]).toBe(`Test Agent <agent@example.com>|${res.shortId}: created "Printer jams"`)
    const file = git(dir, 'show', `tix:${ticketPath(res.ticket.ticket.id)}`)
    expect(file.trim().split('\n').map((l) => JSON.parse(l).type)).toEqual(['create'])
    expect(git(dir, 'show', 'tix:.gitattributes')).toContain('*.jsonl merge=union')
  })

  it('concurrent writers in one clone never lose a change (compare-and-swap retry)', async () => {
    const {dir, desk} = await makeDesk()
    const desks = Array.from({length: 8}, () => Desk.locate(testIO(dir)))
    await Promise.all(desks.map((d, i) => newTicket(d, {title: `Ticket ${i}`})))
    const first = (await listTickets(desk, {})).tickets
    expect(first.map((t) => t.title).sort()).toEqual(Array.from({length: 8}, (_, i) => `Ticket ${i}`).sort())
    // and concurrent appends to the same ticket keep every event
    const id = first[0]!.id
    await Promise.all(desks.map((d, i) => updateTicket(d, id, (t, ctx) => ops.note(t, `note ${i}`, ctx))))
    const shown = await desk.readTicket(id)
    expect(shown!.ticket.noteCount).toBe(8)
    expect(new Set(shown!.events.map((e) => e.seq)).size).toBe(shown!.events.length)
    git(dir, 'fsck', '--strict')
  })

  it('the cache is only an optimisation: deleting it or corrupting it changes nothing', async () => {
    const {dir, desk} = await makeDesk()
    for (let i = 0; i < 5; i++) await newTicket(desk, {title: `T${i}`, priority: i % 2 ? 'high' : 'low'})
    const t = (await listTickets(desk, {})).tickets[0]!
    await updateTicket(desk, t.id, (x, ctx) => ops.changeStatus(x, 'resolved', {resolution: 'done'}, ctx))
    const before = await listTickets(desk, {all: true})
    desk.cache.clear()
    const rebuilt = await listTickets(Desk.locate(testIO(dir)), {all: true})
    expect(rebuilt.tickets).toEqual(before.tickets)
    writeFileSync(join(desk.cache.dir, 'open.json'), '{garbage')
    writeFileSync(join(desk.cache.dir, 'meta.json'), '{"version":1,"commit":"0000000000000000000000000000000000000000","problems":{},"counts":{"open":0,"done":0},"textLines":0,"desk":null}')
    expect((await listTickets(Desk.locate(testIO(dir)), {all: true})).tickets).toEqual(before.tickets)
  })

  it('refreshes incrementally when another process moved the branch', async () => {
    const {dir, desk} = await makeDesk()
    await newTicket(desk, {title: 'Mine'})
    await desk.index()
    const other = Desk.locate(testIO(dir, {TIX_ACTOR: 'bob@example.com'}))
    const theirs = await newTicket(other, {title: 'Theirs'})
    await updateTicket(other, theirs.ticket.ticket.id, (t, ctx) => ops.changeStatus(t, 'closed', {resolution: 'x'}, ctx))
    const idx = await desk.index({done: true})
    expect(Object.values(idx.open).map((t) => t.title)).toEqual(['Mine'])
    expect(Object.values(idx.done!).map((t) => t.title)).toEqual(['Theirs'])
    expect(idx.commit).toBe(desk.tip())
    // the refreshed cache is persisted: a fresh reader agrees without rebuilding
    const again = await Desk.locate(testIO(dir)).index({done: true})
    expect(again.done).toEqual(idx.done)
  })

  it('a corrupt line is reported with file and line, and everything else still loads', async () => {
    const {dir, desk} = await makeDesk()
    await putTicket(desk, '7K3F9AAAAA', 'Good one')
    await putTicket(desk, '8M2QX00000', 'Will be damaged')
    const path = ticketPath('8M2QX00000')
    const content = git(dir, 'show', `tix:${path}`) + '{"broken\n'
    await desk.commitFiles([{path, content}], 'damage')
    const warnings: string[] = []
    const d2 = Desk.locate(testIO(dir, {}, warnings))
    const idx = await d2.index()
    d2.reportIndexProblems(idx)
    expect(Object.values(idx.open).map((t) => t.title).sort()).toEqual(['Good one', 'Will be damaged'])
    expect(warnings.join('\n')).toContain(`${path}:2: not valid JSON`)
    // appending to the damaged ticket keeps the bad line (nothing already stored is changed)
    await updateTicket(d2, '8M2Q', (t, ctx) => ops.note(t, 'still works', ctx))
    expect(git(dir, 'show', `tix:${path}`)).toContain('{"broken')
  })

  it('resolves ids by unique prefix and lists candidates when ambiguous', async () => {
    const {desk} = await makeDesk()
    await putTicket(desk, '7K3F9AAAAA', 'Printer jam')
    await putTicket(desk, '7K3QA00000', 'VPN down')
    expect(await desk.resolveId('7k3f')).toBe('7K3F9AAAAA')
    await expect(desk.resolveId('7K3')).rejects.toMatchObject({exitCode: 2})
    await expect(desk.resolveId('7K3Z')).rejects.toMatchObject({exitCode: 3})
    const err = await desk.resolveId('7K3F').then(() => null, (e) => e)
    expect(err).toBeNull()
    await putTicket(desk, '7K3F900000', 'Other printer')
    await expect(desk.resolveId('7K3F')).rejects.toMatchObject({exitCode: 3, message: expect.stringMatching(/matches 2 tickets: 7K3F90 \(Other printer\), 7K3F9A \(Printer jam\)/)})
  })

  it('reads documents on the branch (desk.json, other files) at the tip or at any commit', async () => {
    const {desk} = await makeDesk()
    const first = desk.requireTip()
    expect(await desk.deskText()).toBe(await desk.readText('desk.json'))
    await desk.commitFiles([{path: 'macros/thanks.md', content: 'Thanks!\n'}], 'add a macro')
    expect(await desk.readText('macros/thanks.md')).toBe('Thanks!\n')
    expect(await desk.readText('macros/thanks.md', first)).toBeNull()
    expect((await desk.listFiles('macros')).map((f) => f.path)).toEqual(['macros/thanks.md'])
    expect(await desk.listFiles('macros', first)).toEqual([])
    expect(await desk.readFile('nothing-here')).toBeNull()
  })

  it('adopts <remote>/tix when the local branch is missing', async () => {
    const {dir} = await makeDesk()
    const clone = join(dir, '..', `${dir.split('/').pop()}-clone`)
    git(join(dir, '..'), 'clone', '--quiet', dir, clone)
    try {
      const warnings: string[] = []
      const d = await Desk.open(testIO(clone, {}, warnings))
      expect(d.tip()).toBe(git(dir, 'rev-parse', 'tix').trim())
      expect(warnings.join()).toMatch(/created the local "tix" branch from origin\/tix/)
    } finally {
      rmSync(clone, {recursive: true, force: true})
    }
  })
})

describe('the actor', () => {
  it('follows git config user.email, also when it changes (the answer is cached per config state)', async () => {
    const {dir} = await makeDesk()
    const env = {TIX_ACTOR: ''}
    git(dir, 'config', 'user.email', 'first@example.com')
    git(dir, 'config', 'user.name', 'First')
    expect(Desk.locate(testIO(dir, env)).actor()).toMatchObject({id: 'first@example.com', name: 'First', source: 'git'})
    expect(Desk.locate(testIO(dir, env)).actor().id).toBe('first@example.com') // from the cached answer
    git(dir, 'config', 'user.email', 'second-person@example.com')
    expect(Desk.locate(testIO(dir, env)).actor().id).toBe('second-person@example.com')
    expect(Desk.locate(testIO(dir, {TIX_ACTOR: 'CI <ci@example.com>'})).actor()).toMatchObject({id: 'ci@example.com', source: 'TIX_ACTOR'})
  })
})

describe('the cache buckets are journals (issue 14: a change costs what it touches)', () => {
  const cacheDir = (dir: string) => join(dir, '.git', 'tix', 'cache', 'tix')
  const lines = (dir: string, name: string) => readFileSync(join(cacheDir(dir), name), 'utf8').split('\n').filter(Boolean)

  it('resolving a ticket appends to both buckets instead of rewriting them, and every reader agrees', async () => {
    const {dir, desk} = await makeDesk()
    const a = await newTicket(desk, {title: 'Printer jams'})
    const b = await newTicket(desk, {title: 'VPN drops'})
    await listTickets(desk, {all: true}) // a cache built from the tip
    const openBefore = lines(dir, 'open.jsonl')
    const doneBefore = existsSync(join(cacheDir(dir), 'done.jsonl')) ? lines(dir, 'done.jsonl') : []
    const idA = a.ticket.ticket.id
    await updateTicket(desk, idA, (t, ctx) => ops.changeStatus(t, 'resolved', {resolution: 'New fuser'}, ctx))
    const openAfter = lines(dir, 'open.jsonl')
    const doneAfter = lines(dir, 'done.jsonl')
    // the old lines are untouched; the change is at the end
    expect(openAfter.slice(0, openBefore.length)).toEqual(openBefore)
    expect(openAfter.at(-1)).toBe(`${idA}\t-`)
    expect(doneAfter.slice(0, doneBefore.length)).toEqual(doneBefore)
    expect(doneAfter.at(-1)!.startsWith(`${idA}\t{`)).toBe(true)
    // a fresh process reads the journals the same as a rebuild from git does
    const fresh = Desk.locate(testIO(dir))
    const open = (await listTickets(fresh, {})).tickets.map((t) => t.id)
    const all = (await listTickets(fresh, {all: true})).tickets
    expect(open).toEqual([b.ticket.ticket.id])
    expect(all.find((t) => t.id === idA)?.status).toBe('resolved')
    rmSync(cacheDir(dir), {recursive: true, force: true})
    const rebuilt = Desk.locate(testIO(dir))
    expect((await listTickets(rebuilt, {})).tickets.map((t) => t.id)).toEqual(open)
    expect((await listTickets(rebuilt, {all: true})).tickets.map((t) => [t.id, t.status]).sort()).toEqual(all.map((t) => [t.id, t.status]).sort())
  })

  it('a search of resolved tickets reads only their latest lines, pages like a full sort, and survives a damaged line', async () => {
    const {dir, desk} = await makeDesk()
    const made: string[] = []
    for (let i = 0; i < 6; i++) made.push((await newTicket(desk, {title: `Printer ${i} jams`, priority: i % 2 ? 'high' : 'low'})).ticket.ticket.id)
    for (const id of made.slice(0, 4)) await updateTicket(desk, id, (t, ctx) => ops.changeStatus(t, 'resolved', {resolution: 'Fixed'}, ctx))
    await updateTicket(desk, made[0]!, (t, ctx) => ops.changeStatus(t, 'closed', {}, ctx)) // a second line for it in done.jsonl
    const fresh = () => Desk.locate(testIO(dir))
    const all = (await listTickets(fresh(), {all: true, words: ['printer']}, {sort: 'priority'})).tickets
    expect(all).toHaveLength(6)
    expect(all.find((t) => t.id === made[0])?.status).toBe('closed')
    const page = await listTickets(fresh(), {all: true, words: ['printer']}, {sort: 'priority', limit: 2})
    expect({ids: page.tickets.map((t) => t.id), total: page.total}).toEqual({ids: all.slice(0, 2).map((t) => t.id), total: 6})
    // a done line damaged without changing the file's size: the search reads the desk again from git
    const path = join(cacheDir(dir), 'done.jsonl')
    const text = readFileSync(path, 'utf8')
    const at = text.lastIndexOf('\t{') + 1 // the latest line of a ticket the search finds
    writeFileSync(path, text.slice(0, at) + '[' + text.slice(at + 1))
    expect((await listTickets(fresh(), {all: true, words: ['printer']}, {sort: 'priority'})).tickets).toEqual(all)
  })

  it('reopening moves the ticket back (a removal line in done, the summary in open), and a search of resolved tickets agrees', async () => {
    const {dir, desk} = await makeDesk()
    const a = await newTicket(desk, {title: 'Spooler restarts itself'})
    const id = a.ticket.ticket.id
    await updateTicket(desk, id, (t, ctx) => ops.changeStatus(t, 'resolved', {resolution: 'Patched'}, ctx))
    await listTickets(desk, {all: true})
    await updateTicket(desk, id, (t, ctx) => ops.changeStatus(t, 'open', {}, ctx))
    expect(lines(dir, 'done.jsonl').at(-1)).toBe(`${id}\t-`)
    expect(lines(dir, 'open.jsonl').at(-1)!.startsWith(`${id}\t{`)).toBe(true)
    const fresh = Desk.locate(testIO(dir))
    expect((await listTickets(fresh, {})).tickets.map((t) => [t.id, t.status])).toEqual([[id, 'open']])
    expect((await listTickets(fresh, {all: true})).tickets).toHaveLength(1)
  })
})

describe('a write reads neither bucket nor the id list (issue 14: O(touched) writes)', () => {
  const cacheDir = (dir: string) => join(dir, '.git', 'tix', 'cache', 'tix')

  it('creates, resolves, reopens and closes without reading a bucket or rewriting ids.txt; counts and ids agree with a rebuild', async () => {
    const {dir, desk} = await makeDesk()
    const a = await newTicket(desk, {title: 'First'})
    await listTickets(Desk.locate(testIO(dir)), {all: true}) // the cache at the tip
    const writer = Desk.locate(testIO(dir))
    const reads = [vi.spyOn(Cache.prototype, 'open'), vi.spyOn(Cache.prototype, 'done'), vi.spyOn(Cache.prototype, 'readOpen'), vi.spyOn(Cache.prototype, 'openBucket')]
    const idWrites = vi.spyOn(Cache.prototype, 'appendIds')
    let metaAfter: CacheMeta
    let b: Awaited<ReturnType<typeof newTicket>>
    try {
      b = await newTicket(writer, {title: 'Second'})
      await updateTicket(writer, a.ticket.ticket.id, (t, ctx) => ops.changeStatus(t, 'resolved', {resolution: 'Done'}, ctx))
      await updateTicket(writer, a.ticket.ticket.id, (t, ctx) => ops.changeStatus(t, 'open', {}, ctx))
      await updateTicket(writer, b.ticket.ticket.id, (t, ctx) => ops.changeStatus(t, 'closed', {resolution: 'Duplicate'}, ctx))
      metaAfter = JSON.parse(readFileSync(join(cacheDir(dir), 'meta.json'), 'utf8')) as CacheMeta
      for (const spy of reads) expect(spy).not.toHaveBeenCalled()
      expect(idWrites.mock.calls).toEqual([[[b.ticket.ticket.id]]]) // the new id appended, nothing rewritten
    } finally {
      vi.restoreAllMocks()
    }
    // every write kept the cache at the tip (no diff needed), with counts by difference
    expect(metaAfter.commit).toBe(git(dir, 'rev-parse', 'tix').trim())
    expect(metaAfter.counts).toEqual({open: 1, done: 1})
    expect(metaAfter.idsTail).toBe(1)
    const warm = await Desk.locate(testIO(dir)).index({done: true})
    rmSync(cacheDir(dir), {recursive: true, force: true})
    const cold = await Desk.locate(testIO(dir)).index({done: true})
    expect(warm.ids).toEqual(cold.ids)
    expect(warm.open).toEqual(cold.open)
    expect(warm.done).toEqual(cold.done)
  })

  it('a process that holds the queue (a server) keeps its index up to date in place after its own commits', async () => {
    const {desk} = await makeDesk()
    await newTicket(desk, {title: 'First'})
    expect(Object.keys((await desk.index()).open)).toHaveLength(1) // the queue is in memory now
    const reads = [vi.spyOn(Cache.prototype, 'open'), vi.spyOn(Cache.prototype, 'readOpen'), vi.spyOn(Cache.prototype, 'ids')]
    try {
      const b = await newTicket(desk, {title: 'Second'})
      const idx = await desk.index()
      expect(Object.values(idx.open).map((t) => t.title).sort()).toEqual(['First', 'Second'])
      expect(idx.ids).toContain(b.ticket.ticket.id)
      expect(idx.ids).toEqual([...idx.ids].sort())
      for (const spy of reads) expect(spy).not.toHaveBeenCalled()
    } finally {
      vi.restoreAllMocks()
    }
  })

  it('sorts ids.txt again once its appended tail passes 1,000 ids', async () => {
    const {dir, desk} = await makeDesk()
    await newTicket(desk, {title: 'T0'})
    await listTickets(Desk.locate(testIO(dir)), {}) // the cache at the tip
    for (let i = 1; i < 3; i++) await newTicket(desk, {title: `T${i}`})
    const metaPath = join(cacheDir(dir), 'meta.json')
    const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as CacheMeta
    expect(meta.idsTail).toBe(2)
    writeFileSync(metaPath, JSON.stringify({...meta, idsTail: 1000})) // as after a thousand creates
    await newTicket(Desk.locate(testIO(dir)), {title: 'The 1,001st'})
    const ids = readFileSync(join(cacheDir(dir), 'ids.txt'), 'utf8').split('\n').filter(Boolean)
    expect(ids).toHaveLength(4)
    expect(ids).toEqual([...ids].sort())
    expect((JSON.parse(readFileSync(metaPath, 'utf8')) as CacheMeta).idsTail).toBe(0)
  })

  it('searches and partial reads give the same answer when the file is read in pieces smaller than a line', async () => {
    const {dir, desk} = await makeDesk()
    const titles = ['Printer jams on floor 3', 'VPN drops every hour', 'Printer toner low', 'Спулер печати падает', 'الطابعة لا تعمل']
    const made = []
    for (const title of titles) made.push((await newTicket(desk, {title})).ticket.ticket.id)
    await updateTicket(desk, made[0]!, (t, ctx) => ops.changeStatus(t, 'resolved', {resolution: 'Fixed'}, ctx))
    await listTickets(desk, {all: true})
    const cache = new Cache(join(dir, '.git'), 'tix')
    const whole = {printer: cache.search(['printer']), both: cache.search(['printer', 'toner']), ru: cache.search(['спулер']), open: await cache.open(new Set(made)), done: await cache.done(new Set(made))}
    for (const size of [1, 7, 64]) {
      cache.chunkSize = size
      expect({printer: cache.search(['printer']), both: cache.search(['printer', 'toner']), ru: cache.search(['спулер']), open: await cache.open(new Set(made)), done: await cache.done(new Set(made))}).toEqual(whole)
    }
    expect([...whole.printer!].sort()).toEqual([made[0], made[2]].sort())
    expect(Object.keys(whole.done!)).toEqual([made[0]])
    expect(Object.keys(whole.open!).sort()).toEqual(made.slice(1).sort())
  })

  it('ids.txt: a sorted head and an appended tail read as one sorted list without duplicates', () => {
    const cache = new Cache(tempDir(), 'tix')
    mkdirSync(cache.dir, {recursive: true})
    cache.appendIds(['B', 'D', 'F'], true)
    cache.appendIds(['E', 'A', 'D'])
    expect(cache.ids()).toEqual(['A', 'B', 'D', 'E', 'F'])
    cache.appendIds(['G'], true)
    expect(cache.ids()).toEqual(['G'])
  })
})
