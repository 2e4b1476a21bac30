// Issue 9, item 6: a damaged cache is not trusted, and a ticket file at a wrong path is reported.
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {Desk} from '../../src/store/desk.js'
import {listTickets, newTicket} from '../../src/services/tickets.js'
import {git, makeDesk, tempDir, testIO, tixIn} from '../helpers.js'

describe('the cache knows when it is incomplete', () => {
  it('an emptied open.jsonl, or one line deleted from it, does not hide tickets', async () => {
    const {dir, desk} = await makeDesk()
    for (let i = 0; i < 3; i++) await newTicket(desk, {title: `T${i}`})
    const titles = (await listTickets(Desk.locate(testIO(dir)), {})).tickets.map((t) => t.title).sort()
    expect(titles).toEqual(['T0', 'T1', 'T2'])
    const open = join(desk.cache.dir, 'open.jsonl')
    writeFileSync(open, '')
    expect((await listTickets(Desk.locate(testIO(dir)), {})).tickets.map((t) => t.title).sort()).toEqual(titles)
    const lines = readFileSync(open, 'utf8').split('\n')
    writeFileSync(open, lines.slice(1).join('\n'))
    expect((await listTickets(Desk.locate(testIO(dir)), {})).tickets.map((t) => t.title).sort()).toEqual(titles)
  })

  it('a ticket file at a wrong path is ignored the same way by every reader, and doctor reports it', async () => {
    const {dir, desk} = await makeDesk()
    const res = await newTicket(desk, {title: 'Real'})
    const id = res.ticket.ticket.id
    const raw = git(dir, 'show', `tix:tickets/${id.slice(0, 2)}/${id}.jsonl`).replace(id, 'QQQQQQQQQQ')
    const fake = `tickets/ZZ/QQQQQQQQQQ.jsonl`
    await desk.commitFiles([{path: fake, content: raw}], 'a file at a wrong path')
    const cold = Desk.locate(testIO(dir))
    cold.clearCache()
    expect((await listTickets(cold, {})).tickets.map((t) => t.title)).toEqual(['Real'])
    const d = await tixIn(dir, ['doctor', '--json'])
    expect(d.code).toBe(1)
    expect(d.json().problems).toEqual([expect.objectContaining({path: fake, reason: expect.stringMatching(/not a ticket file/)})])
  })
})

describe('TIX_BRANCH names only a desk branch (issue 9 item 4)', () => {
  it('refuses a checked-out branch, a branch that is not a desk, and names git refuses; nothing is written', async () => {
    const {dir} = await makeDesk()
    writeFileSync(join(dir, 'README'), 'code\n')
    git(dir, 'add', 'README')
    git(dir, '-c', 'user.name=Dev', '-c', 'user.email=dev@example.com', 'commit', '--quiet', '-m', 'code')
    git(dir, 'branch', 'feature')
    const main = git(dir, 'rev-parse', 'main').trim()
    const feature = git(dir, 'rev-parse', 'feature').trim()

    const onMain = await tixIn(dir, ['new', 'x', '--json'], {env: {TIX_BRANCH: 'main'}})
    expect(onMain.code).toBe(2)
    expect(onMain.json().error.message).toMatch(/"main" is checked out in the main work tree/)
    const notDesk = await tixIn(dir, ['new', 'x'], {env: {TIX_BRANCH: 'feature'}})
    expect(notDesk.code).toBe(2)
    expect(notDesk.stderr).toMatch(/"feature" exists but is not a desk \(it has no desk.json\)/)
    for (const bad of ['x.lock', 'a/.b', 'HEAD', 'a//b', 'end.']) {
      const r = await tixIn(dir, ['new', 'x'], {env: {TIX_BRANCH: bad}})
      expect(r.code, bad).toBe(2)
      expect(r.stderr, bad).toMatch(/is not a usable branch name/)
    }
    expect(git(dir, 'rev-parse', 'main').trim()).toBe(main)
    expect(git(dir, 'rev-parse', 'feature').trim()).toBe(feature)
    expect(git(dir, 'for-each-ref', '--format=%(refname)').trim().split('\n').sort()).toEqual(['refs/heads/feature', 'refs/heads/main', 'refs/heads/tix'])

    // a linked work tree counts too, and a new branch name still makes a second desk
    git(dir, 'worktree', 'add', '--quiet', join(tempDir(), 'wt'), 'feature')
    expect((await tixIn(dir, ['list'], {env: {TIX_BRANCH: 'feature'}})).stderr).toMatch(/"feature" is checked out in the work tree/)
    expect((await tixIn(dir, ['init'], {env: {TIX_BRANCH: 'tix-two'}})).code).toBe(0)
    expect((await tixIn(dir, ['new', 'On the second desk'], {env: {TIX_BRANCH: 'tix-two'}})).code).toBe(0)
  })
})

describe('a damaged desk ref (issue 9 item 10, part)', () => {
  it('gives a clear error naming the restore command, not "no desk yet" or a raw git error', async () => {
    const {dir} = await makeDesk()
    writeFileSync(join(dir, '.git', 'refs', 'heads', 'tix'), 'garbage\n')
    const r = await tixIn(dir, ['list', '--json'])
    expect(r.code).toBe(1)
    expect(r.json().error).toMatchObject({code: 'damaged-ref', message: expect.stringMatching(/refs\/heads\/tix is damaged: it holds "garbage"/), hint: expect.stringMatching(/git update-ref refs\/heads\/tix <commit>/)})
  })
})

describe('tix init after the desk branch was deleted (issue 9 item 10)', () => {
  it('names the commit to restore instead of quietly starting an empty desk; --fresh starts one anyway', async () => {
    const dir = tempDir()
    git(dir, 'init', '--quiet')
    expect((await tixIn(dir, ['init'])).code).toBe(0)
    expect((await tixIn(dir, ['new', 'Printer jams'])).code).toBe(0)
    expect((await tixIn(dir, ['list'])).code).toBe(0) // the cache now remembers the tip
    const tip = git(dir, 'rev-parse', 'tix').trim()
    git(dir, 'branch', '-D', 'tix')
    const again = await tixIn(dir, ['init', '--json'])
    expect(again.code).toBe(2)
    const err = again.json().error
    expect(err.message).toContain('this clone had a desk on it')
    expect(err.details).toEqual({commit: tip, tickets: 1})
    expect(err.hint).toContain(`git branch tix ${tip}`)
    expect(() => git(dir, 'rev-parse', '--verify', '--quiet', 'tix')).toThrow() // nothing was written
    // the way back
    git(dir, 'branch', 'tix', tip)
    expect((await tixIn(dir, ['list', '--json'])).json().count).toBe(1)
    // or, on purpose, a new desk
    git(dir, 'branch', '-D', 'tix')
    const fresh = await tixIn(dir, ['init', '--fresh', '--json'])
    expect(fresh.code).toBe(0)
    expect(fresh.json().createdDesk).toBe(true)
    expect((await tixIn(dir, ['list', '--all', '--json'])).json().count).toBe(0)
  })
})
