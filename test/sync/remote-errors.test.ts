// Issue 3, test 5: a remote that is missing, unreachable or refuses the push: one clear sentence,
// exit 4, and the local desk untouched (every other command keeps working offline).
import {chmodSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {git, makeDesk, tixIn} from '../helpers.js'
import {TixError} from '../../src/errors.js'
import {newTicket} from '../../src/services/tickets.js'
import {syncWith, team} from './helpers.js'

describe('when the remote cannot be used', () => {
  it('no remote at all: exit 4 and a hint to add one', async () => {
    const {dir} = await makeDesk()
    await tixIn(dir, ['new', 'Offline ticket'])
    const r = await tixIn(dir, ['sync'])
    expect(r.code).toBe(4)
    expect(r.stderr).toContain('This repository has no remote to sync the desk with.')
    expect(r.stderr).toContain('git remote add origin URL')
    const j = await tixIn(dir, ['sync', '--json'])
    expect(j.code).toBe(4)
    expect(j.json()).toMatchObject({schemaVersion: 1, kind: 'error', error: {exitCode: 4, code: 'no-remote'}})
    expect((await tixIn(dir, ['list', '--json'])).json().tickets).toHaveLength(1)
  })

  it('a remote name that does not exist (flag or desk.json): exit 4 naming the known remotes', async () => {
    const {clones} = await team(1)
    const r = await tixIn(clones[0]!.dir, ['sync', '--remote', 'backup'])
    expect(r.code).toBe(4)
    expect(r.stderr).toContain('There is no remote called "backup" in this repository.')
    expect(r.stderr).toContain('Known remotes: origin')
    const bad = await tixIn(clones[0]!.dir, ['sync', '--remote=--upload-pack=touch'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('is not a remote name')
    await clones[0]!.desk.commitFiles([{path: 'desk.json', content: JSON.stringify({version: 1, name: 'Desk', timezone: 'UTC', remote: 'backup'})}], 'Sync with backup')
    const fromConfig = await tixIn(clones[0]!.dir, ['sync'])
    expect(fromConfig.code).toBe(4)
    expect(fromConfig.stderr).toContain('There is no remote called "backup" (named by "remote" in desk.json)')
    expect((await tixIn(clones[0]!.dir, ['sync', '--remote', 'origin'])).code).toBe(0)
  })

  it('an unreachable remote: exit 4, the local desk intact, other commands still work', async () => {
    const {clones} = await team(1)
    const dir = clones[0]!.dir
    const id = (await tixIn(dir, ['new', 'Made offline', '--json'])).json().ticket.id
    const tip = git(dir, 'rev-parse', 'tix').trim()
    git(dir, 'remote', 'set-url', 'origin', join(dir, '..', 'gone.git'))
    const r = await tixIn(dir, ['sync'])
    expect(r.code).toBe(4)
    expect(r.stderr).toMatch(/Could not fetch the desk from "origin": .*gone\.git/)
    expect(r.stderr).toContain('your local desk is unchanged')
    expect(git(dir, 'rev-parse', 'tix').trim()).toBe(tip)
    expect((await tixIn(dir, ['note', id, 'still works'])).code).toBe(0)
    expect((await tixIn(dir, ['show', id, '--json'])).code).toBe(0)
  })

  it('a remote that rejects the push (a hook): exit 4 with the reason, commits kept, pushed once allowed', async () => {
    const {remote, clones} = await team(1)
    const dir = clones[0]!.dir
    const hook = join(remote, 'hooks', 'pre-receive')
    writeFileSync(hook, '#!/bin/sh\necho "tix branch is frozen" >&2\nexit 1\n')
    chmodSync(hook, 0o755)
    await tixIn(dir, ['new', 'Waiting to go out'])
    const r = await tixIn(dir, ['sync', '--json'])
    expect(r.code).toBe(4)
    expect(r.json().error).toMatchObject({exitCode: 4, code: 'push-failed', details: {remote: 'origin', ahead: 1}})
    expect(r.json().error.message).toBe('Could not push the desk to "origin": [remote rejected] (pre-receive hook declined): tix branch is frozen.')
    expect(r.stderr).toContain('Your local desk is intact (1 commit(s) not pushed)')
    expect(git(remote, 'rev-list', '--count', 'tix').trim()).toBe('1')
    const noPush = await tixIn(dir, ['sync', '--no-push', '--json'])
    expect(noPush.code).toBe(0)
    expect(noPush.json()).toMatchObject({merged: 'up-to-date', pushed: 0, ahead: 1})
    chmodSync(hook, 0o644)
    writeFileSync(hook, '')
    const ok = await tixIn(dir, ['sync', '--json'])
    expect(ok.code, ok.stderr).toBe(0)
    expect(ok.json()).toMatchObject({merged: 'pushed', pushed: 1, ahead: 0})
    expect(git(remote, 'rev-parse', 'tix').trim()).toBe(git(dir, 'rev-parse', 'tix').trim())
  })

  it('pre-push hooks of the code repository do not run for the desk branch', async () => {
    const {clones} = await team(1)
    const dir = clones[0]!.dir
    const hook = join(dir, '.git', 'hooks', 'pre-push')
    writeFileSync(hook, '#!/bin/sh\necho "running the whole test suite..." >&2\nexit 1\n')
    chmodSync(hook, 0o755)
    await tixIn(dir, ['new', 'CI ticket'])
    const r = await tixIn(dir, ['sync'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).not.toContain('test suite')
  })

  it('someone always pushes first and the remote refuses parked refs: bounded retries (fetch, merge, push), then exit 4 with everything kept', async () => {
    const {remote, clones} = await team(1)
    const a = clones[0]!
    // A racer that moves the remote's tix branch during every push, so every push loses; the
    // remote also refuses refs/tix/clones/*, so the sync cannot park and behaves as before parking.
    const hook = racer(remote, {refuseClones: true})
    const made = await newTicket(a.desk, {title: 'Never lost'})
    const error = await syncWith(a, {attempts: 3, backoffMs: 1}).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TixError)
    expect((error as TixError).exitCode).toBe(4)
    expect((error as TixError).message).toMatch(/^Could not push the desk to "origin": \[remote rejected\]/)
    expect((error as TixError).hint).toMatch(/^Others kept pushing first \(3 attempts in \d+ s\); your 3 local commit\(s\) are kept and merged with theirs\. Run `tix sync` again\.$/)
    expect(Number(git(remote, 'rev-list', '--count', 'tix').trim())).toBe(4) // the desk + 3 racer commits, nothing of ours
    expect(git(remote, 'for-each-ref', 'refs/tix/').trim()).toBe('') // nothing parked
    // Our ticket is still here, and the racer's commits were merged in each round.
    expect(await a.desk.readTicket(made.ticket.ticket.id)).not.toBeNull()
    expect(git(a.dir, 'rev-list', '--count', 'tix').trim()).toBe('6') // desk, ticket, and per retry a racer commit + our merge of it (the 3rd racer came after our last fetch)
    writeFileSync(hook, '')
    const ok = await syncWith(a)
    expect(ok.merged).toBe('merge')
    expect(git(remote, 'rev-parse', 'tix').trim()).toBe(a.desk.tip())
  })

  it('while others keep winning, a sync keeps trying past its attempts for as long as its patience lasts', async () => {
    const {remote, clones} = await team(1)
    const a = clones[0]!
    // A racer that wins the first 5 rounds, then lets the push through.
    const count = join(remote, 'racer-count')
    writeFileSync(count, '')
    racer(remote, {wins: 5, count})
    await newTicket(a.desk, {title: 'Patient'})
    const ok = await syncWith(a, {attempts: 2, patienceMs: 120_000, backoffMs: 1, parkAfter: 0}) // parkAfter 0: never park
    expect(ok.attempts).toBe(6) // 5 lost rounds, then the push
    expect(ok.fetched).toBe(5) // each racer commit fetched once, counted after the push
    expect(git(remote, 'rev-parse', 'tix').trim()).toBe(a.desk.tip())
    // Without patience the same race is lost after the 2 attempts asked for.
    writeFileSync(count, '')
    await newTicket(a.desk, {title: 'Impatient'})
    const error = await syncWith(a, {attempts: 2, backoffMs: 1, parkAfter: 0}).catch((e: unknown) => e)
    expect((error as TixError).exitCode).toBe(4)
    expect((error as TixError).hint).toMatch(/^Others kept pushing first \(2 attempts in \d+ s\)/)
  })
})

/**
 * A pre-receive hook on the remote that moves its tix branch during a push, so the push loses the
 * race; with `wins`, only that many times (counted in the file `count`), then pushes go through;
 * with `refuseClones`, it refuses every push to refs/tix/clones/* (so nothing can be parked).
 * Returns the hook's path (write '' to it to stop the racer).
 */
function racer(remote: string, opts: {wins?: number; count?: string; refuseClones?: boolean} = {}): string {
  const hook = join(remote, 'hooks', 'pre-receive')
  const limit = opts.wins !== undefined && opts.count ? [`[ "$(wc -c < '${opts.count}')" -ge ${opts.wins} ] && exit 0`, `printf x >> '${opts.count}'`] : []
  const refuse = opts.refuseClones ? ['if grep -q " refs/tix/clones/"; then echo "only branches here" >&2; exit 1; fi'] : []
  writeFileSync(
    hook,
    [
      '#!/bin/sh',
      ...refuse,
      ...limit,
      'unset GIT_QUARANTINE_PATH GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES',
      'tip=$(git rev-parse refs/heads/tix)',
      'new=$(echo racer | GIT_AUTHOR_NAME=r GIT_AUTHOR_EMAIL=r@x GIT_COMMITTER_NAME=r GIT_COMMITTER_EMAIL=r@x git commit-tree "$tip^{tree}" -p "$tip")',
      'git update-ref refs/heads/tix "$new" "$tip"',
      '',
    ].join('\n'),
  )
  chmodSync(hook, 0o755)
  return hook
}
