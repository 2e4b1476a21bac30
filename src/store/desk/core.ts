// The desk's identity and context: which repository and branch it is, who is acting, what time it
// is, and where the tip is. Reading (indexing.ts), writing (writing.ts) and documents
// (documents.ts) build on this, and `Desk` (../desk.ts) adds how a desk is found and opened.
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {TixError} from '../../errors.js'
import {newId} from '../../domain/ticket/ids.js'
import type {OpContext} from '../../domain/ticket/ticket-ops.js'
import {resolveActor, type Actor} from '../actor.js'
import {Cache} from '../cache.js'
import {git, gitSync} from '../git.js'
import {readRef, repoCwd, repoEnv, type Repo} from '../repo.js'

export interface DeskIO {
  cwd: string
  /** --repo / TIX_REPO */
  repoPath?: string
  env: NodeJS.ProcessEnv
  /** One line to stderr (notices, corrupt lines). */
  warn: (line: string) => void
  /** A progress line for long work, only on a terminal (src/output/progress.ts); null erases it. */
  progress?: (text: string | null) => void
}

/** Secure random bytes through the global Web Crypto, which loads on first use: commands that only read never pay for it. */
const randomBytes = (n: number): Uint8Array => globalThis.crypto.getRandomValues(new Uint8Array(n))

export class DeskCore {
  readonly ref: string
  readonly cache: Cache
  private actorValue: Actor | null = null

  constructor(
    readonly repo: Repo,
    readonly branch: string,
    readonly io: DeskIO,
  ) {
    this.ref = `refs/heads/${branch}`
    this.cache = new Cache(repo.commonDir, branch)
  }

  /** Deletes this clone's cache of the desk (it is rebuilt from git on the next read). */
  clearCache(): void {
    this.cache.clear()
  }

  tip(): string | null {
    const tip = readRef(this.repo, this.ref)
    if (tip === null) this.refusedDamagedRef()
    return tip
  }

  /** A loose ref file that exists but names no commit is damage, not "no desk yet": say so. */
  private refusedDamagedRef(): void {
    let text: string
    try {
      text = readFileSync(join(this.repo.commonDir, this.ref), 'utf8')
    } catch {
      return // no loose ref: really absent (or packed, which readRef reads)
    }
    const shown = JSON.stringify(text.trim().slice(0, 40))
    throw new TixError(`The desk's ref ${this.ref} is damaged: it holds ${shown}, not a commit id.`, {
      code: 'damaged-ref',
      hint: `Find the last good commit with \`git reflog show ${this.branch}\` (or \`git fsck --lost-found\`), then restore it with \`git update-ref ${this.ref} <commit>\`.`,
    })
  }

  requireTip(): string {
    const tip = this.tip()
    if (tip === null) throw new TixError(`The "${this.branch}" branch disappeared.`, {hint: 'Run `tix init` or `tix sync`.'})
    return tip
  }

  /** Creates the local branch from a remote-tracking one (origin first). */
  async adoptRemoteBranch(): Promise<boolean> {
    const r = await git(['for-each-ref', '--format=%(refname) %(objectname)', `refs/remotes/*/${this.branch}`], {cwd: repoCwd(this.repo), env: repoEnv(this.repo)})
    const rows = r.stdout.toString('utf8').trim().split('\n').filter(Boolean).map((l) => l.split(' ') as [string, string])
    const pick = rows.find(([name]) => name === `refs/remotes/origin/${this.branch}`) ?? rows[0]
    if (!pick) return false
    await git(['update-ref', this.ref, pick[1], ''], {cwd: repoCwd(this.repo), env: repoEnv(this.repo)})
    this.io.warn(`tix: created the local "${this.branch}" branch from ${pick[0].replace('refs/remotes/', '')}.`)
    return true
  }

  /**
   * The desk branch's first commit (the oldest root; with several, the smallest id), which names the
   * desk for dedupe keys. Remembered in the cache folder: it never changes while the branch exists.
   */
  async rootCommit(): Promise<string> {
    const file = join(this.cache.dir, 'root-commit')
    try {
      const known = readFileSync(file, 'utf8').trim()
      if (/^[0-9a-f]{40,64}$/.test(known)) return known
    } catch {
      // not remembered yet
    }
    const r = await git(['rev-list', '--max-parents=0', this.requireTip()], {cwd: repoCwd(this.repo), env: repoEnv(this.repo)})
    const root = r.stdout.toString('utf8').split('\n').filter(Boolean).sort()[0]!
    let shallow = ''
    try {
      shallow = readFileSync(join(this.repo.commonDir, 'shallow'), 'utf8')
    } catch {
      // not a shallow repository
    }
    if (shallow.split('\n').includes(root)) {
      throw new TixError(`The "${this.branch}" branch was fetched shallow, so its first commit (which names the desk for dedupe keys) is missing.`, {
        hint: 'Fetch its whole history (git fetch --unshallow, or `tix sync` in a clone made without --depth), or set "deskId" in desk.json.',
      })
    }
    try {
      mkdirSync(this.cache.dir, {recursive: true})
      writeFileSync(file, root + '\n')
    } catch {
      // a read-only cache folder: computed again next time
    }
    return root
  }

  actor(): Actor {
    this.actorValue ??= resolveActor(this.repo, this.io.env, this.io.warn)
    return this.actorValue
  }

  /** The clock: TIX_NOW fixes it (tests, demos, back-filling); otherwise the real time. */
  now(): Date {
    const fixed = this.io.env.TIX_NOW
    if (fixed) {
      const d = new Date(fixed)
      if (Number.isNaN(d.getTime())) throw new TixError(`TIX_NOW "${fixed}" is not an ISO date.`)
      return d
    }
    return new Date()
  }

  newTicketId(): string {
    return newId(randomBytes(7))
  }

  opContext(): OpContext {
    return {by: this.actor().id, at: this.now().toISOString(), newEventId: () => newId(randomBytes(10), 16)}
  }

  // ---------------------------------------------------------------- this clone only

  /** A key of this clone's own git config (`tix.*`): secrets and local settings that never go on the branch. */
  localConfig(key: string): string | null {
    return this.gitConfig(key, {local: true})
  }

  /** A key of git config at any level (the clone's, the user's, the system's), or only the clone's (`local`); `bool` as git reads booleans ("true"/"false"). */
  gitConfig(key: string, opts: {bool?: boolean; local?: boolean} = {}): string | null {
    const r = gitSync(['config', ...(opts.local ? ['--local'] : []), ...(opts.bool ? ['--bool'] : []), '--get', key], {cwd: repoCwd(this.repo), env: repoEnv(this.repo), okCodes: [1, 128]})
    const v = r.stdout.toString('utf8').trim()
    return r.code === 0 && v !== '' ? v : null
  }

  setLocalConfig(key: string, value: string): void {
    gitSync(['config', '--local', key, value], {cwd: repoCwd(this.repo), env: repoEnv(this.repo)})
  }
}
