// Parking: a push of the desk branch that keeps losing the race goes to the clone's own ref on the
// remote (refs/tix/clones/<clone id>) instead; every sync fetches and merges those refs, and the
// next sync that pushes the branch publishes them and deletes the refs (with a lease). Real git:
// a bare remote whose pre-receive hook plays the clone that always pushes first.
import {spawnSync} from 'node:child_process'
import {chmodSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {newTicket} from '../../src/services/tickets.js'
import {git, tixIn} from '../helpers.js'
import {eventsOnDesk, syncWith, team, type Clone} from './helpers.js'

const cloneIdOf = (c: Clone) => git(c.dir, 'config', '--local', 'tix.cloneId').trim()
const remoteRefs = (remote: string) => git(remote, 'for-each-ref', '--format=%(refname)', 'refs/tix/').split('\n').filter(Boolean)
const ticketsOnRemoteBranch = (remote: string) => git(remote, 'ls-tree', '-r', '--name-only', 'tix', 'tickets').split('\n').filter(Boolean).map((p) => p.replace(/^.*\//, '').replace('.jsonl', ''))
const isAncestor = (dir: string, a: string, b: string) => spawnSync('git', ['merge-base', '--is-ancestor', a, b], {cwd: dir}).status === 0

/**
 * A pre-receive hook on the remote. Whenever a push updates refs/heads/tix, the first `wins` times
 * (counted in a file), it first moves the branch itself (someone else pushed first, so the push
 * fails with "failed to update ref") and, with `move`, moves that parked ref to a new commit on top
 * of it (its owner parked again). Pushes of other refs go through untouched.
 */
function hook(remote: string, opts: {wins: number; move?: string}): void {
  const file = join(remote, 'hooks', 'pre-receive')
  const count = join(remote, `count-${Math.random().toString(36).slice(2)}`)
  writeFileSync(count, '')
  writeFileSync(
    file,
    [
      '#!/bin/sh',
      'input=$(cat)',
      'case "$input" in *" refs/heads/tix"*) ;; *) exit 0 ;; esac',
      `[ "$(wc -c < '${count}')" -ge ${opts.wins} ] && exit 0`,
      `printf x >> '${count}'`,
      'unset GIT_QUARANTINE_PATH GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES',
      'export GIT_AUTHOR_NAME=r GIT_AUTHOR_EMAIL=r@x GIT_COMMITTER_NAME=r GIT_COMMITTER_EMAIL=r@x',
      ...(opts.move
        ? [`old=$(git rev-parse '${opts.move}')`, `moved=$(echo parked again | git commit-tree "$old^{tree}" -p "$old")`, `git update-ref '${opts.move}' "$moved" "$old"`]
        : ['tip=$(git rev-parse refs/heads/tix)', 'new=$(echo racer | git commit-tree "$tip^{tree}" -p "$tip")', 'git update-ref refs/heads/tix "$new" "$tip"']),
      '',
    ].join('\n'),
  )
  chmodSync(file, 0o755)
}

describe('parking a push that keeps losing the race', () => {
  it('parks on the clone ref, the next sync of another clone publishes it and deletes the ref, a third sees it; nothing doubled', async () => {
    const {remote, clones} = await team(3)
    const [a, b, c] = clones as [Clone, Clone, Clone]
    hook(remote, {wins: 4})
    const t1 = (await newTicket(a.desk, {title: 'Parked once'})).ticket.ticket.id
    const first = await syncWith(a)
    const id = cloneIdOf(a)
    expect(id).toMatch(/^[0-9a-f]{12}$/)
    expect(first).toMatchObject({parked: true, parkedRef: `refs/tix/clones/${id}`, attempts: 2, ahead: 0, ticketsOut: [t1], clonesMerged: 0})
    expect(first.pushed).toBe(2) // the ticket's commit and the merge of the racer's first commit
    expect(git(remote, 'rev-parse', `refs/tix/clones/${id}`).trim()).toBe(a.desk.tip())
    expect(ticketsOnRemoteBranch(remote)).not.toContain(t1) // parked, not on the branch yet
    expect(git(a.dir, 'config', '--local', 'tix.cloneId').trim()).toBe(id) // kept in the clone's own config
    expect(spawnSync('git', ['grep', '-q', id, 'tix'], {cwd: a.dir}).status).toBe(1) // and never on the branch

    // Parking again moves the same ref forward (a fast-forward of the first parked commit).
    const p1 = a.desk.tip()!
    const t2 = (await newTicket(a.desk, {title: 'Parked twice'})).ticket.ticket.id
    const second = await syncWith(a)
    expect(second).toMatchObject({parked: true, parkedRef: `refs/tix/clones/${id}`})
    expect(cloneIdOf(a)).toBe(id)
    const p2 = git(remote, 'rev-parse', `refs/tix/clones/${id}`).trim()
    expect(p2).toBe(a.desk.tip())
    expect(isAncestor(remote, p1, p2)).toBe(true)
    expect(remoteRefs(remote)).toEqual([`refs/tix/clones/${id}`])

    // --no-push merges what is parked, parks nothing and deletes nothing.
    const look = await syncWith(c, {push: false})
    expect(look).toMatchObject({parked: false, parkedRef: null, clonesMerged: 1, newTickets: [t1, t2].sort()})
    expect(remoteRefs(remote)).toEqual([`refs/tix/clones/${id}`])

    // B (the racer has had its 4 wins) merges the parked commit, pushes the branch, deletes the ref.
    const theirEvents = [...(await eventsOnDesk(a.desk)).values()].reduce((n, ids) => n + ids.length, 0)
    const pub = await syncWith(b)
    expect(pub).toMatchObject({parked: false, parkedRef: null, clonesMerged: 1, newTickets: [t1, t2].sort(), eventsIn: theirEvents})
    expect(ticketsOnRemoteBranch(remote)).toEqual(expect.arrayContaining([t1, t2]))
    expect(remoteRefs(remote)).toEqual([])
    expect(git(b.dir, 'for-each-ref', 'refs/tix/').trim()).toBe('')

    // C sees both, A catches up; its tracking ref of the deleted parked ref is pruned.
    await syncWith(c)
    const back = await syncWith(a)
    expect(back).toMatchObject({parked: false, clonesMerged: 0, eventsIn: 0})
    expect(git(a.dir, 'for-each-ref', 'refs/tix/').trim()).toBe('')
    for (const x of [b, c, a]) await syncWith(x)
    expect(new Set(clones.map((x) => x.desk.tip()))).toEqual(new Set([git(remote, 'rev-parse', 'tix').trim()]))
    const reference = await eventsOnDesk(a.desk)
    for (const x of clones) {
      const events = await eventsOnDesk(x.desk)
      expect(events).toEqual(reference)
      for (const ids of events.values()) expect(new Set(ids).size).toBe(ids.length) // nothing doubled
    }
    expect(reference.size).toBe(2)
  }, 60_000)

  it('says so on the command line and in --json', async () => {
    const {remote, clones} = await team(2)
    const [a, b] = clones as [Clone, Clone]
    hook(remote, {wins: 2})
    await tixIn(a.dir, ['new', 'Through the CLI'], {env: a.env})
    const r = await tixIn(a.dir, ['sync'], {env: a.env})
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain(`Parked on origin as refs/tix/clones/${cloneIdOf(a)}: others were pushing at the same time; the next sync by anyone puts it on the tix branch.`)
    expect(r.stdout).not.toContain('Not pushed')
    const j = await tixIn(b.dir, ['sync', '--json'], {env: b.env})
    expect(j.code, j.stderr).toBe(0)
    expect(j.json()).toMatchObject({parked: false, parkedRef: null, clonesMerged: 1, merged: 'merge'})
    expect(remoteRefs(remote)).toEqual([])
  }, 60_000)

  it('ignores parked refs whose names are not safe clone ids, and those that are no commit', async () => {
    const {remote, clones} = await team(3)
    const [a, b, c] = clones as [Clone, Clone, Clone]
    const stranger = (await newTicket(a.desk, {title: 'Under a strange name'})).ticket.ticket.id
    const long = `refs/tix/clones/${'x'.repeat(65)}`
    git(a.dir, '-c', 'user.name=T', '-c', 'user.email=t@example.com', 'tag', '-a', '-m', 'a tag, not a commit', 'strange', 'tix')
    git(a.dir, 'push', '--quiet', 'origin', 'tix:refs/tix/clones/a%b', `tix:${long}`, 'tix:refs/tix/clones/x/y', 'tix:refs/tix/clones/a+b', 'refs/tags/strange:refs/tix/clones/tagged')
    const fine = (await newTicket(c.desk, {title: 'Under a clone id'})).ticket.ticket.id
    git(c.dir, 'push', '--quiet', 'origin', 'tix:refs/tix/clones/ok-1')
    const r = await syncWith(b)
    expect(r).toMatchObject({clonesMerged: 1, newTickets: [fine], parked: false})
    expect(await b.desk.readTicket(stranger)).toBeNull()
    expect(ticketsOnRemoteBranch(remote)).toEqual([fine])
    // the merged one is deleted; the others are left alone
    expect(remoteRefs(remote).sort()).toEqual(['refs/tix/clones/a%b', 'refs/tix/clones/a+b', 'refs/tix/clones/tagged', 'refs/tix/clones/x/y', long].sort())
  }, 60_000)

  it('merges only the parked heads no other parked commit holds, and deletes every parked ref the pushed commit holds', async () => {
    const {remote, clones} = await team(3)
    const [a, b, c] = clones as [Clone, Clone, Clone]
    const ta = (await newTicket(a.desk, {title: 'Parked by A'})).ticket.ticket.id
    git(a.dir, 'push', '--quiet', 'origin', 'tix:refs/tix/clones/aaaa')
    expect((await syncWith(b, {push: false})).clonesMerged).toBe(1) // B holds A's parked commit...
    const tb = (await newTicket(b.desk, {title: 'Parked by B'})).ticket.ticket.id
    git(b.dir, 'push', '--quiet', 'origin', 'tix:refs/tix/clones/bbbb') // ...and parks one that holds it
    const tc = (await newTicket(c.desk, {title: 'Made by C'})).ticket.ticket.id
    const r = await syncWith(c)
    expect(r).toMatchObject({clonesMerged: 2, newTickets: [ta, tb].sort(), ticketsOut: [ta, tb, tc].sort()}) // the branch got all three through this push
    const merges = git(c.dir, 'log', '--merges', '--format=%s', 'tix').split('\n').filter(Boolean)
    expect(merges.filter((m) => m.includes('refs/tix/clones/'))).toEqual([expect.stringMatching(/^Merge origin refs\/tix\/clones\/bbbb /)])
    expect(remoteRefs(remote)).toEqual([])
    expect(ticketsOnRemoteBranch(remote)).toEqual(expect.arrayContaining([ta, tb, tc]))
  }, 60_000)

  it('pruning removes the tracking refs of parked refs that are gone, and nothing else', async () => {
    const {clones} = await team(2)
    const [a, b] = clones as [Clone, Clone]
    await newTicket(a.desk, {title: 'Parked by hand'})
    git(a.dir, 'push', '--quiet', 'origin', 'tix:refs/tix/clones/gone1')
    git(b.dir, 'config', 'fetch.pruneTags', 'true')
    git(b.dir, 'config', 'remote.origin.prune', 'true')
    git(b.dir, 'tag', 'local-only', 'tix')
    git(b.dir, 'update-ref', 'refs/remotes/origin/not-on-the-remote', 'tix')
    git(b.dir, 'update-ref', 'refs/tix/remotes/origin/clones/stale', 'tix') // a parked ref the remote no longer has
    git(b.dir, 'update-ref', 'refs/tix/remotes/backup/clones/other', 'tix') // another remote's
    expect((await syncWith(b)).clonesMerged).toBe(1)
    const refs = git(b.dir, 'for-each-ref', '--format=%(refname)').split('\n').filter(Boolean)
    expect(refs).toEqual(expect.arrayContaining(['refs/heads/tix', 'refs/remotes/origin/tix', 'refs/remotes/origin/not-on-the-remote', 'refs/tags/local-only', 'refs/tix/remotes/backup/clones/other']))
    expect(refs.filter((r) => r.startsWith('refs/tix/remotes/origin/'))).toEqual([]) // stale pruned, gone1 deleted after it was published
  }, 60_000)

  it('a parked ref its owner moved after another clone merged it is not deleted (lease), and is published by the next sync', async () => {
    const {remote, clones} = await team(3)
    const [a, b, c] = clones as [Clone, Clone, Clone]
    hook(remote, {wins: 2})
    await newTicket(a.desk, {title: 'Parked'})
    expect((await syncWith(a)).parked).toBe(true)
    const ref = `refs/tix/clones/${cloneIdOf(a)}`
    const p1 = git(remote, 'rev-parse', ref).trim()
    // While B pushes the branch (after B merged p1), A's ref moves to a newer commit.
    hook(remote, {wins: 1, move: ref})
    const r = await syncWith(b)
    expect(r).toMatchObject({clonesMerged: 1, parked: false})
    const p2 = git(remote, 'rev-parse', ref).trim()
    expect(p2).not.toBe(p1)
    expect(isAncestor(remote, p1, 'tix')).toBe(true)
    expect(isAncestor(remote, p2, 'tix')).toBe(false)
    // The next sync merges the newer commit, publishes it and deletes the ref.
    const next = await syncWith(c)
    expect(next.clonesMerged).toBe(1)
    expect(isAncestor(remote, p2, 'tix')).toBe(true)
    expect(remoteRefs(remote)).toEqual([])
  }, 60_000)
})
