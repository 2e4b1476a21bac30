// One change = one commit on the desk branch, written by one `git fast-import` run from the
// current tip (docs/storage.md). fast-import refuses to move the branch unless the new commit
// descends from where the branch is now, which makes the update a compare-and-swap: when another
// process got there first we re-read and build the change again on top of theirs.
import {setTimeout as sleep} from 'node:timers/promises'
import {TixError} from '../errors.js'
import {safeLine, safeText} from '../domain/common/safe-text.js'
import {FAST_IMPORT_ENV, git} from './git.js'
import {clearStaleLock, lockInMessage, STALE_LOCK_MS} from './locks.js'
import {readRef, repoCwd, repoEnv, type Repo} from './repo.js'
import {inTurn} from './write-queue.js'

export interface FileChange {
  path: string
  /** null deletes the path. */
  content: string | Buffer | null
  /** An existing blob to put at the path instead of `content` (a merge taking one side's file). */
  blob?: {oid: string; mode: string}
}

export interface Author {
  name: string
  email: string
}

export interface CommitPlan {
  files: FileChange[]
  message: string
  /** More parents after the tip: a merge commit (sync). */
  merge?: string[]
}

// Authors and messages come from outside (TIX_ACTOR, reply bodies, assignees): no control sequence
// may reach `git log tix` (safe-text.ts is the one sanitiser), no <, > or newline may break the header.
const clean = (s: string) => safeLine(s).replace(/[<>]/g, '').trim()

function fastImportStream(ref: string, parent: string | null, plan: CommitPlan, author: Author, at: Date): Buffer {
  const when = `${Math.floor(at.getTime() / 1000)} +0000`
  const who = `${clean(author.name) || clean(author.email) || 'tix'} <${clean(author.email)}>`
  const text = safeText(plan.message)
  const message = Buffer.from(text.endsWith('\n') ? text : text + '\n', 'utf8')
  const parts: Buffer[] = [
    Buffer.from(`feature done\ncommit ${ref}\nmark :1\nauthor ${who} ${when}\ncommitter ${who} ${when}\ndata ${message.length}\n`),
    message,
  ]
  if (parent) parts.push(Buffer.from(`from ${parent}\n`))
  for (const m of plan.merge ?? []) parts.push(Buffer.from(`merge ${m}\n`))
  for (const f of plan.files) {
    if (/[\n"]/.test(f.path) || f.path.startsWith('/') || f.path.split('/').includes('..')) {
      throw new TixError(`Refusing to write the unsafe path ${JSON.stringify(f.path)}.`)
    }
    if (f.blob) {
      if (!/^[0-7]{6}$/.test(f.blob.mode) || !/^[0-9a-f]{40,64}$/.test(f.blob.oid)) throw new TixError(`Refusing to write ${f.path}: bad blob ${f.blob.mode} ${f.blob.oid}.`)
      parts.push(Buffer.from(`M ${f.blob.mode} ${f.blob.oid} ${f.path}\n`))
      continue
    }
    if (f.content === null) {
      parts.push(Buffer.from(`D ${f.path}\n`))
      continue
    }
    const data = typeof f.content === 'string' ? Buffer.from(f.content, 'utf8') : f.content
    parts.push(Buffer.from(`M 100644 inline ${f.path}\ndata ${data.length}\n`), data, Buffer.from('\n'))
  }
  parts.push(Buffer.from('\nget-mark :1\ndone\n'))
  return Buffer.concat(parts)
}

export interface CommitResult {
  commit: string
  parent: string | null
  attempts: number
}

/**
 * Builds the change with `build(tip)` and commits it on top of `tip`; when the ref moved in the
 * meantime, calls `build` again on the new tip. `build` returning null means nothing to write.
 */
export async function commitWithRetry(
  repo: Repo,
  ref: string,
  build: (tip: string | null) => Promise<CommitPlan | null>,
  author: Author,
  at: () => Date,
  maxAttempts = 50,
  warn?: (line: string) => void,
): Promise<CommitResult | null> {
  // The clone's writers take turns (write-queue.ts); the compare-and-swap below still guards
  // against everything else that moves the ref (git itself, another clone's push into this one).
  return inTurn(repo, () => casLoop(repo, ref, build, author, at, maxAttempts, warn))
}

async function casLoop(
  repo: Repo,
  ref: string,
  build: (tip: string | null) => Promise<CommitPlan | null>,
  author: Author,
  at: () => Date,
  maxAttempts: number,
  warn?: (line: string) => void,
): Promise<CommitResult | null> {
  let lockWaitUntil = 0
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const tip = readRef(repo, ref)
    const plan = await build(tip)
    if (plan === null) return null
    const input = fastImportStream(ref, tip, plan, author, at())
    const r = await git(['fast-import', '--quiet', '--done'], {cwd: repoCwd(repo), env: {...FAST_IMPORT_ENV, ...repoEnv(repo)}, input, okCodes: [1, 128]})
    if (r.code === 0) {
      const commit = r.stdout.toString('utf8').trim()
      if (!/^[0-9a-f]{40,64}$/.test(commit)) throw new TixError(`git fast-import did not report the new commit (got ${JSON.stringify(commit)}).`)
      return {commit, parent: tip, attempts: attempt}
    }
    const now = readRef(repo, ref)
    const lock = lockInMessage(r.stderr)
    if (now === tip && lock !== null) {
      // Another process is moving the ref right now (or one died holding the lock): wait for it,
      // without using up attempts, until the lock is old enough to be stale.
      lockWaitUntil ||= Date.now() + STALE_LOCK_MS + 2_000
      if (!clearStaleLock(lock, warn) && Date.now() > lockWaitUntil) {
        throw new TixError(`Could not write to ${ref}: ${lock} stays locked.`, {hint: 'Another git process is holding it; try again in a moment.'})
      }
      attempt--
      await sleep(10 + Math.floor(Math.random() * 40))
      continue
    }
    lockWaitUntil = 0
    if (now === tip) throw new TixError(`Could not write to ${ref}: ${r.stderr.trim().split('\n').slice(-2).join(' ')}`)
    // Someone else moved the branch: build the change again on top of theirs, after a short jitter.
    await sleep(Math.floor(Math.random() * 5 * Math.min(attempt, 10)))
  }
  throw new TixError(`Gave up writing to ${ref} after ${maxAttempts} attempts: other processes keep moving it.`, {hint: 'Try again in a moment.'})
}
