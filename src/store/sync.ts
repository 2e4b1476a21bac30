// Sharing the desk through a git remote (docs/storage.md): fetch the remote's desk branch, merge it
// into ours, push, and do it again when someone pushed first.
//
// - Fetch and push are plain `git fetch`/`git push` of the one branch (nothing else of the
//   repository moves: CI can push tickets while `main` is protected).
// - Merge: fast-forward when only one side moved; otherwise one merge commit with both parents,
//   written by `git fast-import` like every other change. Per path: the side that alone changed it
//   wins; ticket logs changed on both sides become the union of their events (by id, canonical
//   order); JSON documents merge key by key, text documents line by line (`git merge-file`),
//   against the merge base. A true conflict keeps ours in place and theirs whole beside it as
//   `<path>.conflict-<their commit>`: nothing is ever dropped, and the live file stays usable
//   (a macro with conflict markers could be sent to a customer).
// - Every ref move is a compare-and-swap: when a local process commits meanwhile, the merge is
//   built again on top of its commit.
// - Parking: when the push of the desk branch loses the race a few times (others pushed first),
//   the commit goes to this clone's own ref on the remote, `refs/tix/clones/<clone id>`, which
//   nobody else moves, so that push never races. Every sync fetches those refs along with the
//   branch and merges them (the union merge makes the order irrelevant); a sync that pushes the
//   branch deletes the parked refs its commit contains, each with a lease on the commit it merged.
import {randomBytes} from 'node:crypto'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'
import {ExitCode, TixError} from '../errors.js'
import {isRemoteName, validateDesk} from '../domain/config/config.js'
import {alignUpdated, parseArticlePath} from '../domain/kb/article.js'
import {eventIds, mergeJson3, unionEventLogs} from '../domain/ticket/merge.js'
import {parseEventLines, serializeEvent} from '../domain/ticket/events.js'
import type {Desk} from './desk.js'
import {git, gitProgress, type GitResult} from './git.js'
import {clearStaleLock, lockInMessage, STALE_LOCK_MS} from './locks.js'
import {catFileBatch, readBlobs} from './objects.js'
import {readRef, repoCwd, repoEnv, type Repo} from './repo.js'
import {commitWithRetry, type CommitPlan, type FileChange} from './writer.js'

/** Settling a conflict: keep the file as it is now on the desk, or the conflict copy. */
export type Take = 'current' | 'copy'

export type MergeKind = 'up-to-date' | 'fast-forward' | 'merge' | 'pushed'

export interface SyncConflict {
  /** The document both sides changed. */
  path: string
  /** json: keys changed on both sides; text: overlapping lines; delete-modify: one side deleted it. */
  kind: 'json' | 'text' | 'binary' | 'delete-modify' | 'invalid'
  /** Where their whole version is kept (null when the kept file is the only version: delete-modify). */
  copy: string | null
  /** For JSON: the keys both sides changed (`sla.hours`). */
  keys: string[]
  /** One sentence for a person. */
  message: string
}

export interface SyncOptions {
  /** Remote name; default: desk.json "remote", else origin, else the only remote. */
  remote?: string
  /** false: fetch and merge only. */
  push?: boolean
  /** Push attempts before giving up (default 16: a team of twenty on a slow machine needs more than a few). */
  attempts?: number
  /**
   * While others keep pushing first, keep trying past `attempts` until this many ms have passed since
   * the sync started (default 0). Measured with 20 clones pushing at once (bench/contention.mjs), a
   * minute of patience did not lower the number of syncs that gave up (docs/scale.md).
   */
  patienceMs?: number
  /**
   * Lost races on the desk branch before the commit is parked on this clone's own ref
   * (`refs/tix/clones/<id>`) instead (default 2; 0: never park, keep retrying the branch).
   */
  parkAfter?: number
  /**
   * false: merge other clones' parked commits one at a time (one merge commit each), as before the
   * octopus merge; for tests comparing the two (default true).
   */
  octopus?: boolean
  /** First backoff after a rejected push, in ms (doubles each time up to 3 s, jittered; default 100). */
  backoffMs?: number
  /** Allow git to ask for credentials on the terminal (only when there is one). */
  interactive?: boolean
  /** Before syncing, settle a conflict: keep the current file (drop its copies) or the copy (it replaces the file). */
  resolve?: {path: string; take: Take}
}

export interface SyncResult {
  remote: string
  /** Local tip before and after. */
  before: string | null
  after: string | null
  /** The remote's tip after the sync (what we pushed, or what we fetched with --no-push). */
  remoteTip: string | null
  /** Commits that came in from the remote. */
  fetched: number
  /** Commits the remote got from us. */
  pushed: number
  merged: MergeKind
  /** Tickets whose files changed here (came in), full ids, sorted. */
  tickets: string[]
  /** Of those, tickets this clone had not seen at all. */
  newTickets: string[]
  eventsIn: number
  /** Tickets and events the remote got from us. */
  ticketsOut: string[]
  eventsOut: number
  /** Local commits the remote does not have (with --no-push, or when nothing could be pushed). */
  ahead: number
  conflicts: SyncConflict[]
  /** Conflict copies still on the desk from earlier syncs (`<path>.conflict-<sha>`). */
  pending: string[]
  /** The resolution applied first, if any. */
  resolved: {path: string; take: Take; removed: string[]} | null
  /** Fetch-merge-push rounds (more than 1 when someone pushed first). */
  attempts: number
  /**
   * The desk branch kept losing the race, so the commit was pushed to this clone's own ref on the
   * remote (`parkedRef`) instead; the next sync of any clone merges it and puts it on the branch.
   */
  parked: boolean
  parkedRef: string | null
  /** Other clones' parked commits this sync merged (refs/tix/clones/*). */
  clonesMerged: number
  /**
   * Tickets whose log the remote tried to shorten (it deleted the file, dropped or changed event
   * lines, or reverted a commit). The logs are append-only: the missing events were merged back.
   */
  shortened: ShortenedLog[]
}

export interface ShortenedLog {
  /** Full ticket id. */
  id: string
  path: string
  /** Events this clone holds that the remote's version lacks (all kept). */
  missing: number
  /** The remote deleted the whole file. */
  deleted: boolean
}

const syncError = (message: string, hint: string, code: string, details?: unknown) => new TixError(message, {exitCode: ExitCode.sync, hint, code, details})

const TICKET_PATH = /^tickets\/[0-9A-Z]{2}\/([0-9A-Z]{10})\.jsonl$/
const CONFLICT_COPY = /\.conflict-[0-9a-f]{7,64}$/
const ZERO = /^0+$/

interface Ctx {
  desk: Desk
  repo: Repo
  env: NodeJS.ProcessEnv
}

const run = (c: Ctx, args: string[], okCodes?: number[], input?: string | Buffer, onStderrLine?: (line: string) => void): Promise<GitResult> =>
  git(args, {cwd: repoCwd(c.repo), env: {...repoEnv(c.repo), ...c.env}, okCodes, input, onStderrLine})

/** git's progress lines, shown on our progress line after `what` ("Fetching the desk from origin: receiving objects 45% ..."). */
const gitProgressTo =
  (progress: (text: string | null) => void, what: string) =>
  (line: string): void => {
    const p = gitProgress(line)
    if (p !== null) progress(`${what}: ${p}`)
  }

/** What git said, in one line: its first fatal/error line (the cause), else its last words. */
function lastWords(stderr: string): string {
  const lines = stderr
    .split(/[\r\n]/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^(hint:|To |From )/.test(l) && gitProgress(l) === null)
  const cause = lines.find((l) => /^(fatal|error): /.test(l))
  const words = (cause ?? lines.slice(-2).join(' ')).replace(/^(fatal|error): /, '').replace(/[.\s]+$/, '')
  return words || 'no message from git'
}

// ---------------------------------------------------------------------------------------- remotes

export async function listRemotes(desk: Desk): Promise<string[]> {
  const r = await git(['remote'], {cwd: repoCwd(desk.repo), env: repoEnv(desk.repo)})
  return r.stdout.toString('utf8').split('\n').map((s) => s.trim()).filter(Boolean)
}

/** The remote named in desk.json (read leniently: a broken desk.json must not stop a sync that may fix it). */
async function configuredRemote(desk: Desk): Promise<string | null> {
  const tip = desk.tip()
  if (!tip) return null
  const meta = await desk.cache.meta() // holds desk.json as of its commit: no git call when it is current
  let text: string | null
  if (meta?.commit === tip) text = meta.desk
  else {
    const r = await git(['cat-file', 'blob', `${tip}:desk.json`], {cwd: repoCwd(desk.repo), env: repoEnv(desk.repo), okCodes: [128]})
    text = r.code === 0 ? r.stdout.toString('utf8') : null
  }
  try {
    const v = JSON.parse(text ?? 'null') as {remote?: unknown} | null
    return typeof v?.remote === 'string' && v.remote.trim() !== '' ? v.remote.trim() : null
  } catch {
    return null
  }
}

/** --remote, else desk.json "remote", else origin, else the only remote; exit 4 when there is none. */
export async function chooseRemote(desk: Desk, requested?: string): Promise<string> {
  const [remotes, fromConfig] = await Promise.all([listRemotes(desk), requested === undefined ? configuredRemote(desk) : null])
  const name = requested ?? fromConfig ?? (remotes.includes('origin') ? 'origin' : remotes.length === 1 ? remotes[0]! : null)
  if (name === null) {
    throw syncError(
      remotes.length === 0 ? 'This repository has no remote to sync the desk with.' : `This repository has several remotes (${remotes.join(', ')}) and none is the default.`,
      remotes.length === 0
        ? 'Add one with `git remote add origin URL`, then run `tix sync`.'
        : `Pick one: \`tix sync --remote ${remotes[0]}\` (or set "remote" in desk.json).`,
      'no-remote',
    )
  }
  if (!remotes.includes(name) || name.startsWith('-')) {
    const where = requested !== undefined ? '' : fromConfig !== null ? ' (named by "remote" in desk.json)' : ''
    // A name that is no remote name (e.g. "--upload-pack=...") is never echoed as a command to run.
    if (!isRemoteName(name)) throw syncError(`${JSON.stringify(name)}${where} is not a remote name.`, `Pass --remote NAME${remotes.length > 0 ? ` (known: ${remotes.join(', ')})` : ''}, and fix desk.json with \`tix config set remote origin\`.`, 'no-remote')
    throw syncError(
      `There is no remote called "${name}"${where} in this repository.`,
      remotes.length > 0 ? `Known remotes: ${remotes.join(', ')}. Add it with \`git remote add ${name} URL\` or pass --remote NAME.` : `Add it with \`git remote add ${name} URL\`.`,
      'no-remote',
    )
  }
  return name
}

export const trackingRef = (remote: string, branch: string) => `refs/remotes/${remote}/${branch}`

// ---------------------------------------------------------------------------------------- clone refs

/** Where clones park commits on the remote: one ref per clone, moved only by its owner. */
const CLONES = 'refs/tix/clones/'
/** This clone's copies of a remote's clone refs (per remote, apart from refs/remotes/). */
const clonesTracking = (remote: string) => `refs/tix/remotes/${remote}/clones/`

/** A clone id that is safe as one ref component (and as a word on a command line). */
const isCloneId = (id: string): boolean => /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$/.test(id) && !id.includes('..') && !id.endsWith('.') && !id.endsWith('.lock')

/**
 * This clone's id (`tix.cloneId` in the repository's own git config, never on the branch), made on
 * first need: 12 random hex digits. Null, with a warning, when someone set it to something that
 * is no safe ref name (then this clone does not park).
 */
async function cloneId(c: Ctx): Promise<string | null> {
  const read = async () => {
    const r = await run(c, ['config', '--local', '--get', 'tix.cloneId'], [1])
    return r.code === 0 ? r.stdout.toString('utf8').trim() : null
  }
  let id = await read()
  if (id === null) {
    await run(c, ['config', '--local', 'tix.cloneId', randomBytes(6).toString('hex')])
    id = await read() // two processes making it at once: both use the one written last
  }
  if (id !== null && isCloneId(id)) return id
  c.desk.io.warn(`tix.cloneId in this repository's git config is not a usable ref name; sync pushes only to the desk branch (remove it with \`git config --unset tix.cloneId\` and a new one is made).`)
  return null
}

interface ParkedRef {
  id: string
  /** The local tracking ref (refs/tix/remotes/<remote>/clones/<id>). */
  tracking: string
  oid: string
}

/**
 * The remote's parked refs as last fetched: all, or those `merged` into or `notMerged` into a
 * commit. Names are strangers' text: only refs/tix/clones/<id> with a safe id, pointing at a
 * commit, count; any other is ignored.
 */
async function parkedRefs(c: Ctx, remote: string, filter?: {merged: string} | {notMerged: string}): Promise<ParkedRef[]> {
  const prefix = clonesTracking(remote)
  const only = filter === undefined ? [] : ['merged' in filter ? `--merged=${filter.merged}` : `--no-merged=${filter.notMerged}`]
  const r = await run(c, ['for-each-ref', '--format=%(objecttype) %(objectname) %(refname)', ...only, prefix], [1, 128])
  if (r.code !== 0) return []
  const out: ParkedRef[] = []
  for (const line of r.stdout.toString('utf8').split('\n')) {
    const m = /^commit ([0-9a-f]{40,64}) (\S+)$/.exec(line) // a commit: not a tag or a tree
    if (!m || !m[2]!.startsWith(prefix)) continue
    const id = m[2]!.slice(prefix.length)
    if (isCloneId(id)) out.push({id, tracking: m[2]!, oid: m[1]!})
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

/**
 * Fetches the remote's desk branch into refs/remotes/<remote>/<branch>, with `clones` also its
 * parked refs into refs/tix/remotes/<remote>/clones/ (in the same fetch; tracking refs of parked
 * refs that are gone are pruned, and only those: --prune applies to the refspecs given, and
 * --no-prune-tags keeps a fetch.pruneTags setting away from the tags); returns
 * the branch's commit, or null when the remote has no desk branch yet. Exit 4 when the remote
 * cannot be reached.
 */
export async function fetchDesk(c: Ctx, remote: string, clones = false): Promise<string | null> {
  const tracking = trackingRef(remote, c.desk.branch)
  const progress = c.desk.io.progress
  const args = ['fetch', progress ? '--progress' : '--quiet', '--no-tags', '--no-write-fetch-head', '--recurse-submodules=no', ...(clones ? ['--prune', '--no-prune-tags'] : []), remote, `+refs/heads/${c.desk.branch}:${tracking}`, ...(clones ? [`+${CLONES}*:${clonesTracking(remote)}*`] : [])]
  const deadline = Date.now() + STALE_LOCK_MS + 5_000
  for (;;) {
    progress?.(`Fetching the desk from ${remote}…`)
    const r = await run(c, args, [1, 128], undefined, progress && gitProgressTo(progress, `Fetching the desk from ${remote}`))
    if (r.code === 0) return readRef(c.repo, tracking)
    if (/couldn't find remote ref/i.test(r.stderr)) return null
    const lock = lockInMessage(r.stderr)
    if (lock !== null && Date.now() < deadline) {
      if (!clearStaleLock(lock, c.desk.io.warn)) await sleep(20 + Math.random() * 80)
      continue
    }
    throw syncError(
      `Could not fetch the desk from "${remote}": ${lastWords(r.stderr)}.`,
      `Check the remote with \`git remote -v\` and \`git fetch ${remote}\`; your local desk is unchanged and every other command works offline.`,
      'unreachable',
    )
  }
}

// ---------------------------------------------------------------------------------------- merging

// The empty tree's id is fixed per hash function; a repository's object ids say which one it uses.
const EMPTY_TREE: Record<number, string> = {40: '4b825dc642cb6eb9a060e54bf8d69288fbee4904', 64: '6ef19b41225c5369f1c104d45d8d85efa9b057b53b14b4b9b939dd74decc5321'}
let emptyTreeOid: string | null = null
async function emptyTree(c: Ctx): Promise<string> {
  const known = EMPTY_TREE[c.desk.tip()?.length ?? 0]
  if (known) return known
  emptyTreeOid ??= (await run(c, ['hash-object', '-t', 'tree', '--stdin'], undefined, '')).stdout.toString('utf8').trim()
  return emptyTreeOid
}

async function mergeBase(c: Ctx, a: string, b: string): Promise<string | null> {
  const r = await run(c, ['merge-base', a, b], [1])
  return r.code === 0 ? r.stdout.toString('utf8').trim() : null
}

/** Commits reachable from `to` (any of them) and not from `notIn`. */
async function countCommits(c: Ctx, to: string | string[], notIn: string | null): Promise<number> {
  const r = await run(c, ['rev-list', '--count', ...(typeof to === 'string' ? [to] : to), ...(notIn ? [`^${notIn}`] : [])])
  return Number(r.stdout.toString('utf8').trim()) || 0
}

interface Entry {
  mode: string
  oid: string
}
interface RawChange {
  path: string
  /** null: absent on that side. */
  before: Entry | null
  after: Entry | null
}

/** `git diff-tree --raw` between two tree-ishes, with the blob ids on both sides. */
async function diffRaw(c: Ctx, from: string, to: string, paths: string[] = []): Promise<Map<string, RawChange>> {
  const r = await run(c, ['diff-tree', '-r', '-z', '--no-renames', '--raw', from, to, ...(paths.length ? ['--', ...paths] : [])])
  const parts = r.stdout.toString('utf8').split('\0')
  const out = new Map<string, RawChange>()
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const [srcMode, dstMode, srcOid, dstOid] = parts[i]!.replace(/^:/, '').split(' ')
    const path = parts[i + 1]!
    out.set(path, {
      path,
      before: ZERO.test(srcOid!) ? null : {mode: srcMode!, oid: srcOid!},
      after: ZERO.test(dstOid!) ? null : {mode: dstMode!, oid: dstOid!},
    })
  }
  return out
}

const sameEntry = (a: Entry | null, b: Entry | null) => (a === null ? b === null : b !== null && a.oid === b.oid && a.mode === b.mode)

/** Three-way line merge of text with `git merge-file`; on overlapping changes ours wins those lines. */
async function mergeText(c: Ctx, base: Buffer, ours: Buffer, theirs: Buffer): Promise<{text: Buffer; conflicted: boolean}> {
  const dir = mkdtempSync(join(tmpdir(), 'tix-merge-'))
  try {
    const [o, b, t] = [join(dir, 'ours'), join(dir, 'base'), join(dir, 'theirs')]
    writeFileSync(o, ours)
    writeFileSync(b, base)
    writeFileSync(t, theirs)
    const clean = await run(c, ['merge-file', '-p', o, b, t], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 255])
    if (clean.code === 0) return {text: clean.stdout, conflicted: false}
    if (clean.code > 127) throw new TixError(`git merge-file failed: ${lastWords(clean.stderr)}`)
    const favoured = await run(c, ['merge-file', '-p', '--ours', o, b, t])
    return {text: favoured.stdout, conflicted: true}
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}

const isBinary = (b: Buffer) => b.subarray(0, 8000).includes(0)

interface MergeOutcome {
  files: FileChange[]
  conflicts: SyncConflict[]
  shortened: ShortenedLog[]
  /** Ticket files changed on both sides (unioned). */
  unioned: number
  oursTickets: number
  theirsTickets: number
}

/** The file changes that turn `ours` into the merge of `ours` and `theirs` (base: their merge base). */
async function buildMerge(c: Ctx, base: string | null, ours: string, theirs: string): Promise<MergeOutcome> {
  const baseTree = base ?? (await emptyTree(c))
  const [mine, other] = await Promise.all([diffRaw(c, baseTree, ours), diffRaw(c, baseTree, theirs)])
  const files: FileChange[] = []
  const both: {path: string; base: Entry | null; ours: Entry | null; theirs: Entry | null}[] = []
  let theirsTickets = 0
  // Ticket logs only the remote changed: taken as they are, once we know they kept every event.
  const guarded: RawChange[] = []
  for (const [path, t] of other) {
    if (TICKET_PATH.test(path)) theirsTickets++
    const o = mine.get(path)
    if (o === undefined) {
      if (TICKET_PATH.test(path) && t.before !== null) guarded.push(t)
      else files.push(t.after ? {path, content: null, blob: t.after} : {path, content: null})
      continue
    }
    if (sameEntry(o.after, t.after)) continue
    both.push({path, base: t.before, ours: o.after, theirs: t.after})
  }
  const oursTickets = [...mine.keys()].filter((p) => TICKET_PATH.test(p)).length

  // Read every blob the three-way merges need in one cat-file run.
  const want = new Set<string>()
  for (const b of both) for (const e of [b.base, b.ours, b.theirs]) if (e) want.add(e.oid)
  for (const g of guarded) for (const e of [g.before, g.after]) if (e) want.add(e.oid)
  const oids = [...want]
  const blobs = new Map<string, Buffer>()
  const read = await readBlobs(c.repo, oids)
  oids.forEach((oid, i) => {
    if (read[i]) blobs.set(oid, read[i]!)
  })
  const blob = (e: Entry | null) => (e ? (blobs.get(e.oid) ?? Buffer.alloc(0)) : null)

  const shortened: ShortenedLog[] = []
  for (const g of guarded) {
    const had = blob(g.before)!.toString('utf8')
    const now = blob(g.after)?.toString('utf8') ?? null
    const missing = now === null ? eventLines(had).size : lostEvents(had, now)
    if (missing === 0) {
      files.push(g.after ? {path: g.path, content: null, blob: g.after} : {path: g.path, content: null})
      continue
    }
    shortened.push({id: TICKET_PATH.exec(g.path)![1]!, path: g.path, missing, deleted: now === null})
    files.push({path: g.path, content: unionEventLogs(had, now ?? '')})
  }

  const conflicts: SyncConflict[] = []
  const short = theirs.slice(0, 7)
  const copyPath = (path: string) => `${path}.conflict-${short}`
  let unioned = 0
  for (const b of both) {
    const [bb, ob, tb] = [blob(b.base), blob(b.ours), blob(b.theirs)]
    const keepTheirsBeside = (kind: SyncConflict['kind'], message: string, keys: string[] = []) => {
      files.push({path: copyPath(b.path), content: null, blob: {oid: b.theirs!.oid, mode: b.theirs!.mode}})
      conflicts.push({path: b.path, kind, copy: copyPath(b.path), keys, message})
    }
    if (b.path.endsWith('.jsonl')) {
      // Event logs only grow: the union of both sides (a side that deleted the file gave nothing).
      // Theirs shortened the log when it lost events of the base: the events only ours added are
      // not theirs to have (both sides appending is the ordinary case, not a shortening).
      unioned++
      const m = TICKET_PATH.exec(b.path)
      if (m && bb !== null) {
        const missing = tb === null ? eventLines(bb.toString('utf8')).size : lostEvents(bb.toString('utf8'), tb.toString('utf8'))
        if (missing > 0) shortened.push({id: m[1]!, path: b.path, missing, deleted: tb === null})
      }
      files.push({path: b.path, content: unionEventLogs(ob?.toString('utf8') ?? '', tb?.toString('utf8') ?? '')})
      continue
    }
    if (ob === null || tb === null) {
      // Deleted on one side, changed on the other: keep the changed version.
      if (tb !== null) files.push({path: b.path, content: null, blob: b.theirs!})
      conflicts.push({
        path: b.path,
        kind: 'delete-modify',
        copy: null,
        keys: [],
        message: `${b.path} was deleted on ${ob === null ? 'this clone' : 'the remote'} and changed on ${ob === null ? 'the remote' : 'this clone'}; the changed version is kept.`,
      })
      continue
    }
    if (isBinary(ob) || isBinary(tb)) {
      keepTheirsBeside('binary', `${b.path} changed on both sides; kept this clone's version, theirs is in ${copyPath(b.path)}.`)
      continue
    }
    if (b.path.endsWith('.json')) {
      const parse = (x: Buffer | null) => {
        if (x === null) return undefined
        try {
          return JSON.parse(x.toString('utf8'))
        } catch {
          return Symbol.for('invalid')
        }
      }
      const [pb, po, pt] = [parse(bb), parse(ob), parse(tb)]
      if (typeof pb !== 'symbol' && typeof po !== 'symbol' && typeof pt !== 'symbol') {
        const m = mergeJson3(pb, po, pt)
        if (b.path === 'desk.json' && m.conflicts.length === 0 && validateDesk(m.value).length > 0 && validateDesk(po).length === 0) {
          keepTheirsBeside('invalid', `desk.json: both sides' changes together do not make a valid configuration (${validateDesk(m.value).map((p) => `${p.path}: ${p.message}`).join('; ')}); kept this clone's version, theirs is in ${copyPath(b.path)}.`)
          continue
        }
        files.push({path: b.path, content: JSON.stringify(m.value ?? {}, null, 2) + '\n'})
        if (m.conflicts.length > 0) {
          keepTheirsBeside(
            'json',
            `${b.path}: both sides changed ${m.conflicts.map((k) => JSON.stringify(k)).join(', ')}; kept this clone's values, theirs are in ${copyPath(b.path)}.`,
            m.conflicts,
          )
        }
        continue
      }
    }
    let [mb, mo, mt] = [bb ?? Buffer.alloc(0), ob, tb]
    if (parseArticlePath(b.path)) {
      // Knowledge-base articles: both sides' `updated:` stamps would always collide; take the later one.
      const [x, y, z] = alignUpdated(mb.toString('utf8'), mo.toString('utf8'), mt.toString('utf8'))
      ;[mb, mo, mt] = [Buffer.from(x), Buffer.from(y), Buffer.from(z)]
    }
    const m = await mergeText(c, mb, mo, mt)
    files.push({path: b.path, content: m.text})
    if (m.conflicted) keepTheirsBeside('text', `${b.path}: both sides changed the same lines; kept this clone's lines there (the rest merged), theirs is whole in ${copyPath(b.path)}.`)
  }
  return {files, conflicts, shortened, unioned, oursTickets, theirsTickets}
}

/** A log's events as their canonical lines (what a union writes). */
function eventLines(text: string): Set<string> {
  return new Set(parseEventLines(text).events.map(serializeEvent))
}

/** How many of the events in `before` are not in `after` (0: `after` only added to it). */
export function lostEvents(before: string, after: string): number {
  if (after.startsWith(before)) return 0
  const kept = eventLines(after)
  let n = 0
  for (const line of eventLines(before)) if (!kept.has(line)) n++
  return n
}

/**
 * Ticket logs that `theirs` shortened compared with `ours` (deleted files, dropped or changed event
 * lines). Empty when `theirs` only added to them: then a fast-forward keeps every event.
 */
async function shortenedBetween(c: Ctx, ours: string, theirs: string): Promise<ShortenedLog[]> {
  const changes = [...(await diffRaw(c, ours, theirs, ['tickets'])).values()].filter((ch) => ch.before !== null && TICKET_PATH.test(ch.path))
  if (changes.length === 0) return []
  const oids = [...new Set(changes.flatMap((ch) => [ch.before!.oid, ...(ch.after ? [ch.after.oid] : [])]))]
  const read = await readBlobs(c.repo, oids)
  const text = new Map(oids.map((oid, i) => [oid, read[i]?.toString('utf8') ?? '']))
  const out: ShortenedLog[] = []
  for (const ch of changes) {
    const had = text.get(ch.before!.oid)!
    const missing = ch.after === null ? eventLines(had).size : lostEvents(had, text.get(ch.after.oid)!)
    if (missing > 0) out.push({id: TICKET_PATH.exec(ch.path)![1]!, path: ch.path, missing, deleted: ch.after === null})
  }
  return out
}

interface Integration {
  kind: 'up-to-date' | 'fast-forward' | 'merge'
  before: string | null
  after: string | null
  conflicts: SyncConflict[]
  shortened: ShortenedLog[]
}

async function casUpdateRef(c: Ctx, ref: string, to: string, from: string | null, message: string): Promise<boolean> {
  const r = await run(c, ['update-ref', '-m', message, ref, to, from ?? ''], [1, 128])
  if (r.code === 0) return true
  const lock = lockInMessage(r.stderr)
  if (lock !== null && !clearStaleLock(lock, c.desk.io.warn)) await sleep(10 + Math.random() * 40)
  return false
}

/**
 * Commits `plan()` as a merge on top of `tip`, once: the new commit, or null when another process
 * of this clone moved the desk branch first (the caller starts over on its commit).
 */
async function commitMergeOn(c: Ctx, tip: string, plan: () => Promise<CommitPlan>): Promise<string | null> {
  const desk = c.desk
  const actor = desk.actor()
  let moved = false
  const res = await commitWithRetry(
    desk.repo,
    desk.ref,
    async (now) => {
      if (now === tip) return plan()
      moved = true
      return null
    },
    {name: actor.name, email: actor.email},
    () => desk.now(),
    1,
    desk.io.warn,
  ).catch((error: unknown) => {
    if (desk.tip() === tip) throw error
    moved = true
    return null
  })
  return res === null || moved ? null : res.commit
}

/** Brings the remote commit into the local branch: nothing, a fast-forward, or a merge commit. */
async function integrate(c: Ctx, remote: string, theirs: string, label = `${remote}/${c.desk.branch}`): Promise<Integration> {
  const desk = c.desk
  for (let round = 1; round <= 100; round++) {
    const tip = desk.tip()
    if (tip === theirs) return {kind: 'up-to-date', before: tip, after: tip, conflicts: [], shortened: []}
    if (tip === null) {
      if (await casUpdateRef(c, desk.ref, theirs, null, `tix sync: from ${remote}`)) return {kind: 'fast-forward', before: null, after: theirs, conflicts: [], shortened: []}
      continue
    }
    const base = await mergeBase(c, tip, theirs)
    if (base === theirs) return {kind: 'up-to-date', before: tip, after: tip, conflicts: [], shortened: []}
    // The logs are append-only: a remote history that deletes, shortens or reverts one is merged
    // (the union keeps our events) instead of fast-forwarded.
    if (base === tip && (await shortenedBetween(c, tip, theirs)).length === 0) {
      if (await casUpdateRef(c, desk.ref, theirs, tip, `tix sync: fast-forward from ${remote}`)) return {kind: 'fast-forward', before: tip, after: theirs, conflicts: [], shortened: []}
      continue
    }
    let outcome: MergeOutcome | null = null
    const commit = await commitMergeOn(c, tip, async () => {
      outcome = await buildMerge(c, base, tip, theirs)
      return {files: outcome.files, message: mergeMessage(remote, label, theirs, outcome), merge: [theirs]}
    })
    if (commit === null) continue // a local process committed: start over (it may even have merged already)
    const done = outcome as MergeOutcome | null
    return {kind: 'merge', before: tip, after: commit, conflicts: done?.conflicts ?? [], shortened: done?.shortened ?? []}
  }
  throw new TixError('Gave up merging: other processes on this clone keep moving the desk branch.', {hint: 'Run `tix sync` again in a moment.'})
}

function mergeMessage(remote: string, label: string, theirs: string, o: MergeOutcome): string {
  const lines = [`Merge ${label} (${theirs.slice(0, 7)})`, '']
  lines.push(`${o.theirsTickets} ticket${o.theirsTickets === 1 ? '' : 's'} changed on ${remote}, ${o.oursTickets} here; ${o.unioned} changed on both sides (events unioned).`)
  for (const k of o.conflicts) lines.push(`Conflict: ${k.message}`)
  for (const k of o.shortened) lines.push(`Kept ${k.missing} event${k.missing === 1 ? '' : 's'} of ${k.id} that ${remote} ${k.deleted ? 'deleted with the file' : 'dropped'} (ticket logs are append-only).`)
  return lines.join('\n')
}

// ---------------------------------------------------------------------------------------- octopus

/** A parked commit to merge, and the ref it was parked on (refs/tix/clones/<id>). */
interface ParkedHead {
  oid: string
  ref: string
}

/** At most this many paths per ls-tree (a command line has a limit; one call in practice). */
const LS_TREE_CHUNK = 2_000

/** The entries of `paths` at `commit` (absent paths are missing from the map). */
async function entriesAt(c: Ctx, commit: string, paths: string[]): Promise<Map<string, Entry>> {
  const out = new Map<string, Entry>()
  for (let i = 0; i < paths.length; i += LS_TREE_CHUNK) {
    const r = await run(c, ['ls-tree', '-z', '--full-tree', commit, '--', ...paths.slice(i, i + LS_TREE_CHUNK)])
    for (const rec of r.stdout.toString('utf8').split('\0')) {
      const tab = rec.indexOf('\t')
      if (tab < 0) continue
      const [mode, type, oid] = rec.slice(0, tab).split(' ')
      if (type === 'blob') out.set(rec.slice(tab + 1), {mode: mode!, oid: oid!})
    }
  }
  return out
}

/**
 * Brings several parked heads into the local branch with one merge commit whose parents are the tip
 * and every head (an octopus), for the heads that changed only ticket logs since their merge base
 * with the tip: the union of logs is order-free, so each changed log becomes the union of the tip's
 * version and every such head's. The heads that changed a document too (desk.json, a macro, an
 * article) are left in `rest`, for the caller to merge one at a time afterwards. Null when fewer
 * than two heads can go in the octopus (or a head shares no history with the tip): then each is
 * merged on its own.
 * About two git processes per head (merge-base, diff-tree, run at once) and three in all (ls-tree
 * of the changed paths, cat-file, fast-import), instead of about six per head.
 */
async function integrateMany(c: Ctx, remote: string, heads: ParkedHead[]): Promise<{step: Integration; rest: ParkedHead[]} | null> {
  const desk = c.desk
  for (let round = 1; round <= 100; round++) {
    const tip = desk.tip()
    if (tip === null || heads.length < 2) return null
    const bases = await Promise.all(heads.map((h) => mergeBase(c, tip, h.oid)))
    if (bases.includes(null)) return null // unrelated histories: integrate() merges against the empty tree
    const waiting = heads.map((h, i) => ({...h, base: bases[i]!})).filter((h) => h.base !== h.oid)
    if (waiting.length === 0) return {step: {kind: 'up-to-date', before: tip, after: tip, conflicts: [], shortened: []}, rest: []}
    if (waiting.length < 2) return null
    const changes = await Promise.all(waiting.map((h) => diffRaw(c, h.base, h.oid)))
    const ticketsOnly = changes.map((d) => [...d.keys()].every((p) => TICKET_PATH.test(p)))
    const todo = waiting.filter((_, i) => ticketsOnly[i])
    const diffs = changes.filter((_, i) => ticketsOnly[i])
    const rest = waiting.filter((_, i) => !ticketsOnly[i]).map(({oid, ref}) => ({oid, ref}))
    if (todo.length < 2) return null
    let outcome: OctopusOutcome | null = null
    const commit = await commitMergeOn(c, tip, async () => {
      outcome = await buildOctopus(c, tip, diffs)
      return {files: outcome.files, message: octopusMessage(remote, todo, outcome), merge: todo.map((h) => h.oid)}
    })
    if (commit === null) continue // a local process committed: start over on its commit
    const done = outcome as OctopusOutcome | null
    return {step: {kind: 'merge', before: tip, after: commit, conflicts: [], shortened: done?.shortened ?? []}, rest}
  }
  throw new TixError('Gave up merging: other processes on this clone keep moving the desk branch.', {hint: 'Run `tix sync` again in a moment.'})
}

interface OctopusOutcome {
  files: FileChange[]
  shortened: ShortenedLog[]
  /** Ticket logs the heads changed. */
  changed: number
  /** Of those, the ones written as a union (changed here too, or differently by several heads, or shortened). */
  unioned: number
}

/**
 * The file changes that turn `tip` into the union of `tip` and every head, from each head's changes
 * since its merge base with the tip (`diffs`, ticket logs only). Per log, as buildMerge would do
 * merging the heads one after the other: a log only the heads changed, all to the same version that
 * kept every event, is taken as it is; any other becomes the union of the tip's version and every
 * head's (a head that deleted it gives nothing), and a head whose version lost events of its base
 * is reported as shortened.
 */
async function buildOctopus(c: Ctx, tip: string, diffs: Map<string, RawChange>[]): Promise<OctopusOutcome> {
  const byPath = new Map<string, RawChange[]>()
  for (const d of diffs) for (const ch of d.values()) byPath.set(ch.path, [...(byPath.get(ch.path) ?? []), ch])
  const paths = [...byPath.keys()].sort()
  const ours = await entriesAt(c, tip, paths)

  type Plan = {path: string; changes: RawChange[]; versions: (Entry | null)[]; tip: Entry | null; union: boolean}
  const plans: Plan[] = []
  const want = new Set<string>()
  for (const path of paths) {
    const changes = byPath.get(path)!
    const tipEntry = ours.get(path) ?? null
    const versions: (Entry | null)[] = []
    for (const ch of changes) if (!versions.some((v) => sameEntry(v, ch.after))) versions.push(ch.after)
    if (versions.length === 1 && sameEntry(tipEntry, versions[0]!)) continue // the tip has it already
    // The tip did not change the log since a head's base (or never had it, like the heads' bases).
    const tipUnchanged = changes.some((ch) => sameEntry(ch.before, tipEntry))
    const union = versions.length > 1 || !tipUnchanged
    plans.push({path, changes, versions, tip: tipEntry, union})
    // The heads' bases and versions, to see whether one shortened the log (as buildMerge reads them).
    for (const ch of changes) if (ch.before) for (const e of [ch.before, ch.after]) if (e) want.add(e.oid)
    if (union) for (const e of [tipEntry, ...versions]) if (e) want.add(e.oid)
  }
  const oids = [...want]
  const read = await readBlobs(c.repo, oids)
  const text = new Map(oids.map((oid, i) => [oid, read[i]?.toString('utf8') ?? '']))
  const of = (e: Entry | null) => (e ? text.get(e.oid)! : null)

  const files: FileChange[] = []
  const shortened: ShortenedLog[] = []
  let unioned = 0
  for (const p of plans) {
    const id = TICKET_PATH.exec(p.path)![1]!
    let worst: ShortenedLog | null = null
    for (const ch of p.changes) {
      if (ch.before === null) continue
      const had = of(ch.before)!
      const now = of(ch.after)
      const missing = now === null ? eventLines(had).size : lostEvents(had, now)
      if (missing > 0 && (worst === null || missing > worst.missing)) worst = {id, path: p.path, missing, deleted: now === null}
    }
    if (worst) shortened.push(worst)
    if (!p.union && worst === null) {
      const only = p.versions[0]!
      files.push(only ? {path: p.path, content: null, blob: only} : {path: p.path, content: null})
      continue
    }
    unioned++
    let log = of(p.tip) ?? ''
    for (const v of p.versions) if (v) log = unionEventLogs(log, of(v)!)
    files.push({path: p.path, content: log})
  }
  return {files, shortened, changed: paths.length, unioned}
}

function octopusMessage(remote: string, heads: ParkedHead[], o: OctopusOutcome): string {
  const lines = [`Merge ${heads.length} parked commits from ${remote} (${heads.map((h) => `${h.ref} ${h.oid.slice(0, 7)}`).join(', ')})`, '']
  lines.push(`${o.changed} ticket${o.changed === 1 ? '' : 's'} changed in the parked commits; ${o.unioned} also changed here or in several of them (events unioned).`)
  for (const k of o.shortened) lines.push(`Kept ${k.missing} event${k.missing === 1 ? '' : 's'} of ${k.id} that ${remote} ${k.deleted ? 'deleted with the file' : 'dropped'} (ticket logs are append-only).`)
  return lines.join('\n')
}

// ---------------------------------------------------------------------------------------- counting

/** Tickets whose files differ between two commits, and the events `to` has that `from` lacks. */
export async function ticketDelta(c: Ctx, from: string | null, to: string): Promise<{tickets: string[]; created: string[]; events: number}> {
  if (from === to) return {tickets: [], created: [], events: 0}
  const changes = await diffRaw(c, from ?? (await emptyTree(c)), to, ['tickets'])
  const rows: {id: string; before: string | null; after: string | null}[] = []
  for (const ch of changes.values()) {
    const m = TICKET_PATH.exec(ch.path)
    if (m) rows.push({id: m[1]!, before: ch.before?.oid ?? null, after: ch.after?.oid ?? null})
  }
  // One stream with each file's old version right before its new one: only the old version's event
  // ids are held, one file at a time (a clone adopting a 100,000-ticket desk holds nothing).
  const names: string[] = []
  const isAfter: boolean[] = []
  const rowOf: number[] = []
  rows.forEach((r, k) => {
    for (const [oid, after] of [[r.before, false], [r.after, true]] as const) {
      if (oid === null) continue
      names.push(oid)
      isAfter.push(after)
      rowOf.push(k)
    }
  })
  let had: Set<string> | null = null
  let events = 0
  await catFileBatch(c.repo, names, (i, content) => {
    const ids = content ? eventIds(content.toString('utf8')) : []
    if (!isAfter[i]) {
      had = new Set(ids)
      return
    }
    const old: Set<string> | null = i > 0 && rowOf[i - 1] === rowOf[i] ? had : null
    for (const id of new Set(ids)) if (!old?.has(id)) events++
  })
  const created = rows.filter((r) => r.before === null).map((r) => r.id)
  return {tickets: rows.map((r) => r.id).sort(), created: created.sort(), events}
}

/** Conflict copies (`<path>.conflict-<sha>`) on the desk, outside tickets/. */
export async function pendingConflicts(c: Ctx, tip: string | null): Promise<string[]> {
  if (!tip) return []
  const r = await run(c, ['diff-tree', '-r', '-z', '--name-only', await emptyTree(c), tip, '--', '.', ':(exclude)tickets'])
  return r.stdout.toString('utf8').split('\0').filter((p) => CONFLICT_COPY.test(p))
}

// ---------------------------------------------------------------------------------------- pushing

type PushOutcome = {ok: true} | {ok: false; retry: boolean; reason: string}

/** A plain push of `commit` to `dst` (the desk branch, or this clone's parked ref): never forced. */
async function pushDesk(c: Ctx, remote: string, commit: string, dst = `refs/heads/${c.desk.branch}`): Promise<PushOutcome> {
  // --no-verify: the desk branch holds no code, so the repository's pre-push hooks (tests, linters) are not for it.
  const progress = c.desk.io.progress
  progress?.(`Pushing the desk to ${remote}…`)
  const r = await run(c, ['push', '--porcelain', ...(progress ? ['--progress'] : []), '--no-verify', '--recurse-submodules=no', remote, `${commit}:${dst}`], [1, 128], undefined, progress && gitProgressTo(progress, `Pushing the desk to ${remote}`))
  const line = r.stdout
    .toString('utf8')
    .split('\n')
    .find((l) => l.includes(`:${dst}\t`))
  if (r.code === 0 && line && !line.startsWith('!')) return {ok: true}
  if (line?.startsWith('!')) {
    const reason = line.split('\t')[2] ?? 'rejected'
    // Someone pushed first (or the remote was busy moving the ref): fetch, merge, push again.
    const retry = /^\[rejected\]/.test(reason) || /lock|failed to update ref|incorrect old value|is at .* but expected/i.test(reason)
    // The server's own words (a protected-branch rule, a hook's message) say what to do about it.
    const server = r.stderr
      .split(/[\r\n]/)
      .filter((l) => l.startsWith('remote:') && l.slice(7).trim() !== '' && gitProgress(l) === null)
      .slice(0, 3)
      .map((l) => l.slice(7).trim())
      .join(' ')
    return {ok: false, retry, reason: retry || !server ? reason : `${reason}: ${server}`}
  }
  return {ok: false, retry: false, reason: lastWords(r.stderr)}
}

/** Of these commits, the ones no other of them contains (`git merge-base --independent`), in their order. */
async function independent(c: Ctx, oids: string[]): Promise<string[]> {
  const unique = [...new Set(oids)]
  if (unique.length < 2) return unique
  const r = await run(c, ['merge-base', '--independent', ...unique], [1, 128])
  const heads = new Set(r.stdout.toString('utf8').split('\n').filter(Boolean))
  return r.code === 0 && heads.size > 0 ? unique.filter((o) => heads.has(o)) : unique
}

/**
 * Deletes the remote's parked refs that `published` (now on the desk branch) contains, each with a
 * lease on the commit that was merged: a ref its owner moved meanwhile is left alone. Best effort
 * (a refusal or a lost lease changes nothing: the next sync merges the ref again, which is a no-op).
 */
async function clearParked(c: Ctx, remote: string, published: string): Promise<void> {
  const merged = await parkedRefs(c, remote, {merged: published})
  if (merged.length === 0) return
  const args = ['push', '--porcelain', '--no-verify', '--recurse-submodules=no']
  for (const p of merged) args.push(`--force-with-lease=${CLONES}${p.id}:${p.oid}`)
  args.push(remote, ...merged.map((p) => `:${CLONES}${p.id}`))
  const r = await run(c, args, [1, 128])
  const out = r.stdout.toString('utf8').split('\n')
  const deleted = merged.filter((p) => out.some((l) => l.startsWith('-\t') && l.includes(`:${CLONES}${p.id}\t`)))
  if (deleted.length > 0) await run(c, ['update-ref', '--stdin'], [1, 128], deleted.map((p) => `delete ${p.tracking} ${p.oid}\n`).join(''))
}

// ---------------------------------------------------------------------------------------- resolving

async function applyResolution(c: Ctx, path: string, take: Take): Promise<{path: string; take: Take; removed: string[]}> {
  const desk = c.desk
  const clean = path.replace(/^\/+/, '').replace(/\\/g, '/')
  if (clean.split('/').includes('..') || clean === '') throw new TixError(`"${path}" is not a path on the desk.`, {exitCode: ExitCode.usage, code: 'usage'})
  const target = clean.replace(CONFLICT_COPY, '')
  let removed: string[] = []
  const actor = desk.actor()
  const res = await commitWithRetry(
    desk.repo,
    desk.ref,
    async (tip) => {
      const copies = (await pendingConflicts(c, tip)).filter((p) => (CONFLICT_COPY.test(clean) ? p === clean : p.replace(CONFLICT_COPY, '') === target))
      if (copies.length === 0) {
        throw new TixError(`There is no conflict to resolve for ${clean}.`, {
          exitCode: ExitCode.usage,
          code: 'usage',
          hint: 'Run `tix sync` to see the conflicts that are left (they are listed as pending).',
        })
      }
      if (take === 'copy' && copies.length > 1) {
        throw new TixError(`${target} has ${copies.length} conflict copies: ${copies.join(', ')}.`, {
          exitCode: ExitCode.usage,
          code: 'usage',
          hint: `Name the one to take: tix sync --resolve ${copies[0]} --take copy`,
        })
      }
      removed = copies
      const files: FileChange[] = copies.map((p) => ({path: p, content: null}))
      if (take === 'copy') {
        const entry = (await run(c, ['ls-tree', '-z', tip!, '--', copies[0]!])).stdout.toString('utf8')
        const [mode, , oid] = entry.slice(0, entry.indexOf('\t')).split(' ')
        files.push({path: target, content: null, blob: {oid: oid!, mode: mode!}})
      }
      return {files, message: `Resolve the sync conflict in ${target}: keep ${take === 'current' ? 'the current version' : `the version from ${copies[0]}`}`}
    },
    {name: actor.name, email: actor.email},
    () => desk.now(),
    50,
    desk.io.warn,
  )
  if (!res) throw new TixError('Nothing to resolve.')
  return {path: target, take, removed}
}

// ---------------------------------------------------------------------------------------- sync

export async function sync(desk: Desk, opts: SyncOptions = {}): Promise<SyncResult> {
  const interactive = opts.interactive === true
  const c: Ctx = {desk, repo: desk.repo, env: {GIT_TERMINAL_PROMPT: interactive ? '1' : '0'}}
  const remote = await chooseRemote(desk, opts.remote)
  const push = opts.push !== false
  const maxAttempts = Math.max(1, opts.attempts ?? 16)
  const backoff = Math.max(1, opts.backoffMs ?? 100)
  const patience = opts.patienceMs ?? 0
  const parkAfter = Math.max(0, opts.parkAfter ?? 2)
  const began = Date.now()
  const start = desk.tip()
  const resolved = opts.resolve ? await applyResolution(c, opts.resolve.path, opts.resolve.take) : null

  let fetched = 0
  let kind: MergeKind = 'up-to-date'
  const conflicts: SyncConflict[] = []
  const shortened = new Map<string, ShortenedLog>()
  const inTickets = new Set<string>()
  const inCreated = new Set<string>()
  let eventsIn = 0
  let remoteTip: string | null = null
  let lastReason: string
  let lostRace: boolean
  let attempts: number
  const steps: Array<{remoteTips: string[]; before: string | null; stepBefore: string | null; stepAfter: string | null}> = []
  /** The commits fetched and the tickets and events merged in, summed over the attempts. */
  async function countIncoming(): Promise<void> {
    // Steps that followed one another with no local commit between them (the branch, then the
    // parked heads, then the next round's) are counted together: one rev-list and one ticket delta
    // for the run instead of one per step. The same sums: a commit or event new in the run is new
    // in exactly one of its steps, and the merges made here are reachable from none of the tips.
    for (let i = 0; i < steps.length; ) {
      let j = i
      while (j + 1 < steps.length && steps[j + 1]!.before === steps[j]!.stepAfter && steps[j + 1]!.stepBefore === steps[j]!.stepAfter) j++
      const run = steps.slice(i, j + 1)
      const [first, last] = [run[0]!, run.at(-1)!]
      const tips = [...new Set(run.flatMap((st) => st.remoteTips.filter((t) => t !== st.before)))]
      if (tips.length > 0) fetched += await countCommits(c, tips, first.before)
      if (last.stepAfter !== first.stepBefore && last.stepAfter !== null) {
        const d = await ticketDelta(c, first.stepBefore, last.stepAfter)
        for (const id of d.tickets) inTickets.add(id)
        for (const id of d.created) inCreated.add(id)
        eventsIn += d.events
      }
      i = j + 1
    }
  }
  /** Parked refs of other clones merged in (their ids). */
  const clonesMerged = new Set<string>()
  /** null until needed; false: this clone does not park (a bad tix.cloneId, or the remote refused the ref). */
  let parkAs: string | null | false = parkAfter > 0 ? null : false
  let lost = 0
  /** Brings in `theirs` (the desk branch, or a parked ref) and records the step. */
  async function bringIn(theirs: string, label?: string): Promise<Integration> {
    const before = desk.tip()
    if (before !== theirs) desk.io.progress?.(`Merging the desk with ${remote}…`)
    return record([theirs], before, await integrate(c, remote, theirs, label))
  }
  /**
   * Brings in several parked heads: those that changed only ticket logs with one octopus merge, the
   * others one at a time after it (each one alone when fewer than two changed only logs).
   */
  async function bringInAll(heads: ParkedHead[]): Promise<void> {
    const before = desk.tip()
    let many: Awaited<ReturnType<typeof integrateMany>> = null
    if (heads.length >= 2 && opts.octopus !== false) {
      desk.io.progress?.(`Merging ${heads.length} parked commits from ${remote}…`)
      many = await integrateMany(c, remote, heads)
    }
    if (many !== null) {
      const rest = new Set(many.rest.map((h) => h.oid))
      record(
        heads.filter((h) => !rest.has(h.oid)).map((h) => h.oid),
        before,
        many.step,
      )
    }
    for (const h of many?.rest ?? heads) await bringIn(h.oid, `${remote} ${h.ref}`)
  }
  function record(theirs: string[], before: string | null, step: Integration): Integration {
    if (step.kind === 'merge') kind = 'merge'
    else if (step.kind === 'fast-forward' && kind !== 'merge') kind = 'fast-forward'
    conflicts.push(...step.conflicts)
    for (const k of step.shortened) shortened.set(k.id, k)
    // What came in is counted after the push: every git process between the fetch and the push
    // widens the window in which another clone can push first (and this one must start again).
    steps.push({remoteTips: theirs, before, stepBefore: step.before, stepAfter: step.after})
    return step
  }
  for (let attempt = 1; ; attempt++) {
    attempts = attempt
    remoteTip = await fetchDesk(c, remote, true)
    // Usually nobody has parked: one listing, and neither the merge of parked heads nor the clean-up
    // below asks git again.
    const anyParked = (await parkedRefs(c, remote)).length > 0
    if (remoteTip !== null) {
      await bringIn(remoteTip)
      // Then what other clones parked (and this desk does not hold yet). A parked commit usually
      // holds others (its clone merged them before parking), so only the heads that no other one
      // holds are merged: those that changed only ticket logs in one octopus merge, the others one
      // after the other. Afterwards the desk holds every one of them.
      const waiting = anyParked ? await parkedRefs(c, remote, {notMerged: desk.tip()!}) : []
      const heads = (await independent(c, waiting.map((p) => p.oid))).map((oid) => ({oid, ref: `${CLONES}${waiting.find((p) => p.oid === oid)!.id}`}))
      await bringInAll(heads)
      for (const p of waiting) clonesMerged.add(p.id)
    }
    const local = desk.tip()
    if (local === null) {
      throw new TixError(`Neither this repository nor "${remote}" has a desk yet.`, {hint: 'Run `tix init` to make one (then `tix sync` publishes it).', code: 'no-desk'})
    }
    if (!push) return finish(attempt)
    if (local === remoteTip) {
      if (anyParked) await clearParked(c, remote, local) // parked refs the branch already holds (an earlier deletion failed)
      return finish(attempt)
    }
    const res = await pushDesk(c, remote, local)
    if (res.ok) {
      await run(c, ['update-ref', '-m', `tix sync: pushed to ${remote}`, trackingRef(remote, desk.branch), local], [1, 128]) // best effort: the next fetch sets it anyway
      if (anyParked) await clearParked(c, remote, local)
      return finish(attempt, await sent(local, null))
    }
    lastReason = res.reason
    lostRace = res.retry
    if (!res.retry) break
    lost++
    if (parkAs !== false && lost >= parkAfter) {
      parkAs ??= (await cloneId(c)) ?? false
      if (parkAs !== false) {
        // Only this clone moves its ref, and its last parked commit was fetched and merged above,
        // so this plain (never forced) push is a fast-forward.
        const ref = `${CLONES}${parkAs}`
        const parked = await pushDesk(c, remote, local, ref)
        if (parked.ok) {
          await run(c, ['update-ref', '-m', `tix sync: parked on ${remote}`, `${clonesTracking(remote)}${parkAs}`, local], [1, 128]) // best effort, like the branch's
          return finish(attempt, await sent(local, ref))
        }
        // Refused (a hook, a server rule): push only the branch, as before. Lost a race (another
        // sync of this clone parked first): fetch, merge and try again.
        if (!parked.retry) parkAs = false
      }
    }
    if (attempt >= maxAttempts && Date.now() - began >= patience) break
    // Exponential backoff with jitter, capped at 3 s.
    await sleep(Math.min(3_000, backoff * 2 ** Math.min(attempt - 1, 20)) * (0.5 + Math.random()))
  }
  const ahead = await countCommits(c, desk.tip()!, remoteTip)
  throw syncError(
    `Could not push the desk to "${remote}": ${lastReason}.`,
    lostRace
      ? `Others kept pushing first (${attempts} attempts in ${Math.round((Date.now() - began) / 1000)} s); your ${ahead} local commit(s) are kept and merged with theirs. Run \`tix sync\` again.`
      : `Your local desk is intact (${ahead} commit(s) not pushed). Check that you may push the "${desk.branch}" branch to ${remote} (protected-branch rules must allow it), then run \`tix sync\` again.`,
    'push-failed',
    {remote, ahead, conflicts},
  )

  /** What the remote got from us: `local`, on the branch (parkedRef null) or parked. */
  async function sent(local: string, parkedRef: string | null): Promise<Sent> {
    const out = await ticketDelta(c, remoteTip, local)
    if (kind === 'up-to-date') kind = 'pushed'
    return {pushed: await countCommits(c, local, remoteTip), held: local, remoteTip: parkedRef === null ? local : remoteTip, ticketsOut: out.tickets, eventsOut: out.events, parkedRef}
  }

  async function finish(attempts: number, out: Sent = {pushed: 0, held: remoteTip, remoteTip, ticketsOut: [], eventsOut: 0, parkedRef: null}): Promise<SyncResult> {
    desk.io.progress?.('Counting what came in…')
    await countIncoming()
    desk.io.progress?.(null)
    const after = desk.tip()
    const pending = (await pendingConflicts(c, after)).filter((p) => !conflicts.some((k) => k.copy === p))
    return {
      remote,
      before: start,
      after,
      remoteTip: out.remoteTip,
      fetched,
      pushed: out.pushed,
      merged: kind,
      tickets: [...inTickets].sort(),
      newTickets: [...inCreated].sort(),
      eventsIn,
      ticketsOut: out.ticketsOut,
      eventsOut: out.eventsOut,
      ahead: after && out.held !== after ? await countCommits(c, after, out.held) : 0,
      conflicts,
      pending,
      resolved,
      attempts,
      parked: out.parkedRef !== null,
      parkedRef: out.parkedRef,
      clonesMerged: clonesMerged.size,
      shortened: [...shortened.values()].sort((a, b) => (a.id < b.id ? -1 : 1)),
    }
  }
}

interface Sent {
  pushed: number
  /** The newest commit of ours the remote holds (on the branch or parked). */
  held: string | null
  /** The desk branch's tip on the remote, as far as this sync knows. */
  remoteTip: string | null
  ticketsOut: string[]
  eventsOut: number
  parkedRef: string | null
}

/** Fetches `<remote>`'s desk branch without merging (used before `tix init` so an existing desk is adopted). */
export async function fetchOnly(desk: Desk, remote: string): Promise<string | null> {
  return fetchDesk({desk, repo: desk.repo, env: {GIT_TERMINAL_PROMPT: '0'}}, remote)
}
