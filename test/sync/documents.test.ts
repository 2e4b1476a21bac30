// desk.json, macros and kb articles merge three-way; a true conflict keeps both versions, is
// reported (exit 4 with the commands to settle it) and is never resolved by dropping a side.
// And a plain `git merge` of the branch (the .gitattributes union driver) folds correctly.
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {readFileAt} from '../../src/store/objects.js'
import {git, tixIn} from '../helpers.js'
import {eventsOnDesk, syncWith, team, type Clone} from './helpers.js'

const put = (c: Clone, path: string, content: string | null, message = `edit ${path}`) => c.desk.commitFiles([{path, content}], message)
const read = async (c: Clone, path: string) => (await readFileAt(c.desk.repo, c.desk.requireTip(), path))?.toString('utf8') ?? null
const deskJson = async (c: Clone) => JSON.parse((await read(c, 'desk.json'))!)

async function twoWithBase(files: Record<string, string>) {
  const {clones} = await team(2)
  const [a, b] = clones as [Clone, Clone]
  await a.desk.commitFiles(Object.entries(files).map(([path, content]) => ({path, content})), 'base documents')
  await syncWith(a)
  await syncWith(b)
  return {a, b}
}

describe('desk.json merges key by key', () => {
  it('different keys changed on each side: both kept, no conflict', async () => {
    const {clones} = await team(2)
    const [a, b] = clones as [Clone, Clone]
    const base = await deskJson(a)
    await put(a, 'desk.json', JSON.stringify({...base, name: 'ACME support'}, null, 2))
    await put(b, 'desk.json', JSON.stringify({...base, timezone: 'Europe/Berlin', sla: {hours: 8}}, null, 2))
    await syncWith(a)
    const res = await syncWith(b)
    expect(res.merged).toBe('merge')
    expect(res.conflicts).toEqual([])
    await syncWith(a)
    for (const c of [a, b]) expect(await deskJson(c)).toEqual({...base, name: 'ACME support', timezone: 'Europe/Berlin', sla: {hours: 8}})
  })

  it('the same key changed on both sides: ours stays, theirs is kept whole beside it, exit 4, then settled', async () => {
    const {clones} = await team(2)
    const [a, b] = clones as [Clone, Clone]
    const base = await deskJson(a)
    await put(a, 'desk.json', JSON.stringify({...base, name: 'Alpha desk', sla: {hours: 4}}, null, 2))
    await put(b, 'desk.json', JSON.stringify({...base, name: 'Beta desk', sla: {hours: 4, warn: 0.25}}, null, 2))
    await syncWith(a)
    const run = await tixIn(b.dir, ['sync', '--json'], {env: b.env})
    expect(run.code).toBe(4)
    const out = run.json()
    const short = git(a.dir, 'rev-parse', '--short=7', 'tix').trim()
    const copy = `desk.json.conflict-${short}`
    expect(out).toMatchObject({kind: 'sync', merged: 'merge', pushed: 2, conflicts: [{path: 'desk.json', kind: 'json', keys: ['name'], copy}]})
    expect(run.stderr).toContain('Conflict: desk.json: both sides changed "name"')
    expect(run.stderr).toContain(`tix sync --resolve desk.json --take current`)
    expect(run.stderr).toContain(`tix sync --resolve ${copy} --take copy`)
    expect(await deskJson(b)).toEqual({...base, name: 'Beta desk', sla: {hours: 4, warn: 0.25}}) // the non-conflicting key merged
    expect(JSON.parse((await read(b, copy))!).name).toBe('Alpha desk')

    // The other clone gets both versions and is told about the unsettled copy (exit 0: not its merge).
    const other = await tixIn(a.dir, ['sync', '--json'], {env: a.env})
    expect(other.code, other.stderr).toBe(0)
    expect(other.json().pending).toEqual([copy])
    expect(other.stderr).toContain('Unsettled conflict copies')

    // Settle on A by taking the copy; B gets the settled desk.
    const settle = await tixIn(a.dir, ['sync', '--resolve', copy, '--take', 'copy', '--json'], {env: a.env})
    expect(settle.code, settle.stderr).toBe(0)
    expect(settle.json()).toMatchObject({resolved: {path: 'desk.json', take: 'copy', removed: [copy]}, pending: [], merged: 'pushed'})
    await syncWith(b)
    for (const c of [a, b]) {
      expect((await deskJson(c)).name).toBe('Alpha desk')
      expect(await read(c, copy)).toBeNull()
    }
    const none = await tixIn(a.dir, ['sync', '--resolve', 'desk.json', '--take', 'current'], {env: a.env})
    expect(none.code).toBe(2)
    expect(none.stderr).toContain('There is no conflict to resolve for desk.json.')
  })
})

describe('markdown documents merge line by line', () => {
  const article = '---\ntitle: VPN\n---\n# VPN\n\nStep one.\n\nStep two.\n\nStep three.\n'

  it('edits to different lines merge cleanly', async () => {
    const {a, b} = await twoWithBase({'kb/vpn.md': article})
    await put(a, 'kb/vpn.md', article.replace('Step one.', 'Step one: open the client.'))
    await put(b, 'kb/vpn.md', article.replace('Step three.', 'Step three: reconnect.'))
    await syncWith(a)
    const res = await syncWith(b)
    expect(res.conflicts).toEqual([])
    await syncWith(a)
    for (const c of [a, b]) expect(await read(c, 'kb/vpn.md')).toBe(article.replace('Step one.', 'Step one: open the client.').replace('Step three.', 'Step three: reconnect.'))
  })

  it('the same line edited on both sides: no conflict markers in the live file, theirs kept whole beside it', async () => {
    const {a, b} = await twoWithBase({'macros/thanks.md': 'Hello {{ticket.requester.name}},\n\nThanks for writing.\n\nBye\n'})
    await put(a, 'macros/thanks.md', 'Hello {{ticket.requester.name}},\n\nThanks for your patience.\n\nBye\n')
    await put(b, 'macros/thanks.md', 'Hi {{ticket.requester.name}},\n\nThanks a lot for writing.\n\nBye\n')
    await syncWith(a)
    const res = await syncWith(b)
    expect(res.conflicts).toHaveLength(1)
    const k = res.conflicts[0]!
    expect(k).toMatchObject({path: 'macros/thanks.md', kind: 'text'})
    const live = (await read(b, 'macros/thanks.md'))!
    expect(live).not.toMatch(/<<<<<<<|>>>>>>>|=======/)
    expect(live).toBe('Hi {{ticket.requester.name}},\n\nThanks a lot for writing.\n\nBye\n')
    expect(await read(b, k.copy!)).toBe('Hello {{ticket.requester.name}},\n\nThanks for your patience.\n\nBye\n')
  })

  it('deleted on one side and edited on the other: the edited version is kept and reported', async () => {
    const {a, b} = await twoWithBase({'kb/old.md': '# Old\n\ntext\n', 'kb/keep.md': '# Keep\n'})
    await put(a, 'kb/old.md', null)
    await put(b, 'kb/old.md', '# Old\n\nupdated text\n')
    await put(b, 'kb/new.md', '# New on B\n')
    await put(a, 'kb/other.md', '# New on A\n')
    await syncWith(a)
    const res = await syncWith(b)
    expect(res.conflicts).toEqual([expect.objectContaining({path: 'kb/old.md', kind: 'delete-modify', copy: null})])
    await syncWith(a)
    for (const c of [a, b]) {
      expect(await read(c, 'kb/old.md')).toBe('# Old\n\nupdated text\n')
      expect(await read(c, 'kb/new.md')).toBe('# New on B\n')
      expect(await read(c, 'kb/other.md')).toBe('# New on A\n')
    }
  })
})

describe('a plain git merge of the desk branch', () => {
  it('merges cleanly through the union driver and tix folds it, counting a repeated event once', async () => {
    const {clones} = await team(2)
    const [a, b] = clones as [Clone, Clone]
    const id = (await tixIn(a.dir, ['new', 'Printer jams', '--json'], {env: a.env})).json().ticket.id as string
    await syncWith(a)
    await syncWith(b)
    await tixIn(a.dir, ['reply', id, 'Restarted the spooler'], {env: a.env})
    await tixIn(a.dir, ['note', id, 'Toner low too'], {env: a.env})
    await syncWith(a)
    await tixIn(b.dir, ['note', id, 'Seen it on floor 3'], {env: b.env})

    // Someone checks the branch out and merges by hand, the git way.
    const wt = join(b.dir, '..', 'b-worktree')
    git(b.dir, 'worktree', 'add', '--quiet', wt, 'tix')
    git(b.dir, 'fetch', '--quiet', 'origin')
    const who = ['-c', 'user.name=Bo', '-c', 'user.email=bo@example.com']
    git(wt, ...who, 'merge', '--quiet', '--no-edit', 'origin/tix')
    expect(git(wt, 'status', '--porcelain').trim()).toBe('')

    // A repeated event: the same line added on both sides in different places; union keeps both copies.
    const path = `tickets/${id.slice(0, 2)}/${id}.jsonl`
    const lines = git(wt, 'show', `HEAD:${path}`).trimEnd().split('\n')
    const seq = Math.max(...lines.map((l) => JSON.parse(l).seq)) + 1
    const ev = (eid: string, body: string) => JSON.stringify({v: 1, id: eid, seq, at: '2030-01-01T00:00:00.000Z', by: 'bo@example.com', type: 'reply', body})
    const shared = ev('SHAREDEVENT00001', 'Fixed')
    git(wt, 'checkout', '--quiet', '-b', 'side')
    writeFileSync(join(wt, path), [...lines, ev('SIDEONLY00000001', 'side'), shared].join('\n') + '\n')
    git(wt, ...who, 'commit', '--quiet', '-am', 'side')
    git(wt, 'checkout', '--quiet', 'tix')
    writeFileSync(join(wt, path), [...lines, shared, ev('MAINONLY00000001', 'main')].join('\n') + '\n')
    git(wt, ...who, 'commit', '--quiet', '-am', 'main')
    git(wt, ...who, 'merge', '--quiet', '--no-edit', 'side')
    const merged = git(wt, 'show', `HEAD:${path}`)
    expect(merged.split('\n').filter((l) => l.includes('SHAREDEVENT00001'))).toHaveLength(2)

    // While the branch is checked out, tix refuses it (it writes with plumbing and would leave that work tree behind).
    const refused = await tixIn(b.dir, ['show', id, '--json'], {env: b.env})
    expect(refused.code).toBe(2)
    expect(refused.json().error.message).toMatch(/checked out in the work tree/)
    git(b.dir, 'worktree', 'remove', '--force', wt)

    const show = await tixIn(b.dir, ['show', id, '--json'], {env: b.env})
    expect(show.code, show.stderr).toBe(0)
    const t = show.json().ticket ?? show.json()
    expect(t.replyCount).toBe(4) // spooler, side, main, and the shared one once
    expect(t.noteCount).toBe(2)

    // And tix sync carries it on; the other clone folds the same ticket.
    expect((await tixIn(b.dir, ['sync'], {env: b.env})).code).toBe(0)
    expect((await tixIn(a.dir, ['sync'], {env: a.env})).code).toBe(0)
    expect((await tixIn(a.dir, ['show', id, '--json'], {env: a.env})).json()).toEqual((await tixIn(b.dir, ['show', id, '--json'], {env: b.env})).json())
    expect([...(await eventsOnDesk(a.desk)).get(path)!].filter((e) => e === 'SHAREDEVENT00001')).toHaveLength(2) // as stored; the fold dedups
  })
})
