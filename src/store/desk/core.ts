// The desk's identity and context: which repository and branch it is, who is acting, what time it
// is, and where the tip is. Reading (indexing.ts), writing (writing.ts) and documents
// (documents.ts) build on this, and `Desk` (../desk.ts) adds how a desk is found and opened.
import {TixError} from '../../errors.js'
import {newId} from '../../domain/ids.js'
import type {OpContext} from '../../domain/ticket-ops.js'
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

  tip(): string | null {
    return readRef(this.repo, this.ref)
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
    const r = gitSync(['config', '--local', '--get', key], {cwd: repoCwd(this.repo), env: repoEnv(this.repo), okCodes: [1]})
    return r.code === 0 ? r.stdout.toString('utf8').trim() : null
  }

  setLocalConfig(key: string, value: string): void {
    gitSync(['config', '--local', key, value], {cwd: repoCwd(this.repo), env: repoEnv(this.repo)})
  }
}
