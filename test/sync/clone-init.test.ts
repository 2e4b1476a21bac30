// Getting a desk onto a remote and off it again: `tix init --remote origin` publishes (or adopts
// what the remote already has), and a fresh clone starts from origin/tix by itself.
import {join} from 'node:path'
import {writeFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {git, tempDir, tixIn} from '../helpers.js'
import {actorEnv} from './helpers.js'

const A = actorEnv('Ana')
const B = actorEnv('Bo')

/** A code repository with a commit on main, pushed to a bare remote. */
function codeRepoWithRemote() {
  const root = tempDir('tix-clone-')
  const remote = join(root, 'remote.git')
  const code = join(root, 'code')
  git(root, 'init', '--quiet', '--bare', remote)
  git(root, 'init', '--quiet', '-b', 'main', code)
  writeFileSync(join(code, 'README.md'), '# app\n')
  git(code, 'add', 'README.md')
  git(code, '-c', 'user.name=Dev', '-c', 'user.email=dev@example.com', 'commit', '--quiet', '-m', 'code')
  git(code, 'remote', 'add', 'origin', remote)
  git(code, 'push', '--quiet', 'origin', 'main')
  git(remote, 'symbolic-ref', 'HEAD', 'refs/heads/main')
  return {root, remote, code}
}

describe('publishing and cloning a desk', () => {
  it('`tix init --remote origin` publishes the desk; only the tix branch is pushed', async () => {
    const {remote, code} = codeRepoWithRemote()
    const mainBefore = git(remote, 'rev-parse', 'main').trim()
    const r = await tixIn(code, ['init', '--remote', 'origin'], {env: A})
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('Created the desk on branch "tix"')
    expect(r.stdout).toContain('Published it to origin (1 commit)')
    expect(git(remote, 'rev-parse', 'tix').trim()).toBe(git(code, 'rev-parse', 'tix').trim())
    expect(git(remote, 'rev-parse', 'main').trim()).toBe(mainBefore)
    expect(JSON.parse(git(code, 'show', 'tix:desk.json')).remote).toBe('origin')
    expect(git(code, 'status', '--porcelain').trim()).toBe('') // the working tree never moved
  })

  it('a plain `git clone` gets origin/tix and `tix list` starts from it', async () => {
    const {root, code} = codeRepoWithRemote()
    await tixIn(code, ['init', '--remote', 'origin'], {env: A})
    const id = (await tixIn(code, ['new', 'Printer jams', '--json'], {env: A})).json().ticket.id
    expect((await tixIn(code, ['sync'], {env: A})).code).toBe(0)
    const clone = join(root, 'clone')
    git(root, 'clone', '--quiet', join(root, 'remote.git'), clone)
    expect(git(clone, 'branch', '-r')).toContain('origin/tix')
    const list = await tixIn(clone, ['list', '--json'], {env: B})
    expect(list.code, list.stderr).toBe(0)
    expect(list.json().tickets.map((t: {id: string}) => t.id)).toEqual([id])
    expect(list.stderr).toContain('created the local "tix" branch from origin/tix')
    expect(git(clone, 'rev-parse', 'tix').trim()).toBe(git(code, 'rev-parse', 'tix').trim())
  })

  it('a single-branch clone (CI checkouts) has no origin/tix: `tix sync` fetches and adopts it', async () => {
    const {root, remote, code} = codeRepoWithRemote()
    await tixIn(code, ['init', '--remote', 'origin'], {env: A})
    const clone = join(root, 'ci')
    git(root, 'clone', '--quiet', '--depth', '1', '--single-branch', '--branch', 'main', `file://${remote}`, clone)
    const list = await tixIn(clone, ['list'], {env: B})
    expect(list.code).toBe(1)
    expect(list.stderr).toContain('`tix sync` if a remote already has it')
    const sync = await tixIn(clone, ['sync', '--json'], {env: {TIX_ACTOR: 'ci@example.com'}})
    expect(sync.code, sync.stderr).toBe(0)
    expect(sync.json()).toMatchObject({merged: 'fast-forward', fetched: 1, pushed: 0})
    expect((await tixIn(clone, ['new', 'Nightly build failed', '--channel', 'ci'], {env: {TIX_ACTOR: 'ci@example.com'}})).code).toBe(0)
    const out = await tixIn(clone, ['sync', '--json'], {env: {TIX_ACTOR: 'ci@example.com'}})
    expect(out.code, out.stderr).toBe(0)
    expect(out.json()).toMatchObject({merged: 'pushed', pushed: 1, eventsOut: 1})
    expect(git(remote, 'log', '--format=%an', '-1', 'tix').trim()).toBe('ci@example.com')
  })

  it('`tix init --remote origin` where the remote already has a desk adopts it instead of starting a second one', async () => {
    const {root, remote, code} = codeRepoWithRemote()
    await tixIn(code, ['init', '--remote', 'origin'], {env: A})
    const other = join(root, 'other')
    git(root, 'clone', '--quiet', '--single-branch', '--branch', 'main', remote, other)
    const r = await tixIn(other, ['init', '--remote', 'origin', '--json'], {env: B})
    expect(r.code, r.stderr).toBe(0)
    expect(r.json()).toMatchObject({kind: 'init', createdDesk: false, remote: 'origin', sync: {merged: 'up-to-date', pushed: 0}})
    expect(git(other, 'rev-parse', 'tix').trim()).toBe(git(remote, 'rev-parse', 'tix').trim())
    expect(git(other, 'rev-list', '--max-parents=0', 'tix').trim().split('\n')).toHaveLength(1)
  })

  it('`tix init --remote NAME` without that remote makes the desk and says how to publish it', async () => {
    const dir = tempDir()
    const r = await tixIn(dir, ['init', '--remote', 'origin'], {env: A})
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('The repository has no remote "origin" yet: add it with `git remote add origin URL`, then run `tix sync`')
  })

  it('an unreachable remote at init: the desk is made, exit 4 says it was not published', async () => {
    const {code} = codeRepoWithRemote()
    git(code, 'remote', 'set-url', 'origin', '/nonexistent/remote.git')
    const r = await tixIn(code, ['init', '--remote', 'origin'], {env: A})
    expect(r.code).toBe(4)
    expect(r.stdout).toContain('Created the desk')
    expect(r.stderr).toContain('The desk was made here but could not be published')
    expect((await tixIn(code, ['new', 'Works offline'], {env: A})).code).toBe(0)
  })
})
