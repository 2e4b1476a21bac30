// The desk: the `tix` branch of a repository, read through the cache and written one commit per
// change. Everything that touches git or the cache for tickets goes through this class.
import {TixError} from '../errors.js'
import {parseConfig, type DeskConfig} from '../domain/config.js'
import {parseEventLines, serializeEvent, type EventBase} from '../domain/events.js'
import {foldTicket} from '../domain/fold.js'
import '../domain/workflow-config.js' // registers the validators of the workflow sections of desk.json
import {idsWithPrefix, isValidId, MIN_PREFIX, newId, normalizeIdInput, shortId} from '../domain/ids.js'
import {isUnresolved, type ThreadEntry, type Ticket, type TicketSummary} from '../domain/model.js'
import type {NewEvent, OpContext} from '../domain/ticket-ops.js'
import {resolveActor, type Actor} from './actor.js'
import {Cache, CACHE_VERSION, type CacheMeta, type FileProblem} from './cache.js'
import {git, gitSync} from './git.js'
import {catFileBatch, diffTree, lsTree, readFileAt} from './objects.js'
import {findRepo, readRef, repoCwd, repoEnv, requireRepo, type Repo} from './repo.js'
import {commitWithRetry, type FileChange} from './writer.js'

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

export const ticketPath = (id: string) => `tickets/${id.slice(0, 2)}/${id}.jsonl`
const TICKET_PATH = /^tickets\/[0-9A-Z]{2}\/([0-9A-Z]{10})\.jsonl$/

export interface LoadedTicket {
  ticket: Ticket
  thread: ThreadEntry[]
  events: EventBase[]
  problems: FileProblem[]
  /** The file as stored, to append to. */
  raw: string
}

export interface DeskIndex {
  commit: string
  config: DeskConfig
  open: Record<string, TicketSummary>
  /** Resolved and closed tickets; loaded only when asked for. */
  done: Record<string, TicketSummary> | null
  /** Search text per ticket; loaded only when asked for. */
  text: Map<string, string> | null
  ids: string[]
  problems: Record<string, FileProblem[]>
}

interface Folded {
  id: string
  summary: TicketSummary | null
  text: string
  problems: FileProblem[]
}

/** Lower-cased words of everything a person might search for in a ticket. */
export function searchText(t: Ticket, thread: readonly ThreadEntry[]): string {
  const parts = [t.title, t.body, t.requester.name ?? '', t.requester.email ?? '', t.resolution ?? '', t.tags.join(' ')]
  for (const e of thread) parts.push(e.body)
  return parts.join(' ').replace(/\s+/g, ' ').toLowerCase()
}

export function foldFile(id: string, path: string, raw: string, asOf?: string): LoadedTicket {
  const parsed = parseEventLines(raw)
  const problems: FileProblem[] = parsed.problems.map((p) => ({path, line: p.line, reason: p.reason}))
  const folded = foldTicket(id, parsed.events, {asOf})
  for (const e of folded.unknown) {
    const line = parsed.lines[parsed.events.indexOf(e)] ?? 0
    problems.push({path, line, reason: `unknown event type "${e.type}" (skipped; a newer tix may know it)`})
  }
  return {ticket: folded.ticket, thread: folded.thread, events: folded.events, problems, raw}
}

export class Desk {
  readonly ref: string
  readonly cache: Cache
  private actorValue: Actor | null = null
  /** The last index this process built or loaded, reused while the branch stays where it was. */
  private memo: DeskIndex | null = null
  /** The commit whose folded state is in the cache files on disk (null: unknown or stale). */
  private persisted: string | null = null

  constructor(
    readonly repo: Repo,
    readonly branch: string,
    readonly io: DeskIO,
  ) {
    this.ref = `refs/heads/${branch}`
    this.cache = new Cache(repo.commonDir, branch)
  }

  static branchName(env: NodeJS.ProcessEnv): string {
    const b = env.TIX_BRANCH?.trim() || 'tix'
    if (!/^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(b) || b.includes('..')) throw new TixError(`TIX_BRANCH "${b}" is not a usable branch name.`)
    return b
  }

  static locate(io: DeskIO): Desk {
    const start = io.repoPath ?? io.env.TIX_REPO ?? io.cwd
    return new Desk(requireRepo(start), Desk.branchName(io.env), io)
  }

  static find(io: DeskIO): Desk | null {
    const repo = findRepo(io.repoPath ?? io.env.TIX_REPO ?? io.cwd)
    return repo ? new Desk(repo, Desk.branchName(io.env), io) : null
  }

  /** Opens an existing desk; a missing local branch is created from `<remote>/tix` when there is one. */
  static async open(io: DeskIO): Promise<Desk> {
    const desk = Desk.locate(io)
    if (desk.tip() === null && !(await desk.adoptRemoteBranch())) {
      throw new TixError(`This repository has no desk yet (no "${desk.branch}" branch).`, {
        hint: 'Run `tix init` to make one here, or `tix sync` if a remote already has it.',
        code: 'no-desk',
      })
    }
    return desk
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

  // ---------------------------------------------------------------- reading

  async readTicket(id: string, commit = this.requireTip(), asOf?: string): Promise<LoadedTicket | null> {
    const blob = await readFileAt(this.repo, commit, ticketPath(id))
    if (blob === null) return null
    const loaded = foldFile(id, ticketPath(id), blob.toString('utf8'), asOf)
    this.reportProblems(loaded.problems)
    return loaded
  }

  /** A file on the desk branch (an attachment's blob, a macro), or null when it is not there. */
  readFile(path: string, commit = this.requireTip()): Promise<Buffer | null> {
    return readFileAt(this.repo, commit, path)
  }

  reportProblems(problems: readonly FileProblem[], limit = 5): void {
    for (const p of problems.slice(0, limit)) this.io.warn(`${p.path}:${p.line}: ${p.reason}`)
    if (problems.length > limit) this.io.warn(`... and ${problems.length - limit} more problems; the lines were skipped and everything else loaded.`)
  }

  private async foldBlobs(names: string[], ids: string[]): Promise<Folded[]> {
    const out: Folded[] = []
    await catFileBatch(this.repo, names, (i, content) => {
      const id = ids[i]!
      if (content === null) {
        out.push({id, summary: null, text: '', problems: []})
        return
      }
      const l = foldFile(id, ticketPath(id), content.toString('utf8'))
      out.push({id, summary: l.ticket, text: searchText(l.ticket, l.thread), problems: l.problems})
    })
    return out
  }

  /**
   * The folded desk at the tip. Uses the cache when it was built from the tip; re-folds only the
   * tickets `git diff-tree` names when the branch moved; rebuilds from git when the cache is
   * missing or unusable.
   */
  async index(want: {done?: boolean; text?: boolean} = {}): Promise<DeskIndex> {
    const tip = this.requireTip()
    const memo = this.memo
    if (memo && memo.commit === tip && (!want.done || memo.done) && (!want.text || memo.text)) return memo
    return (this.memo = await this.loadIndex(tip, want))
  }

  private async loadIndex(tip: string, want: {done?: boolean; text?: boolean}): Promise<DeskIndex> {
    const meta = await this.cache.meta()
    if (meta) {
      const open = await this.cache.open()
      const ids = this.cache.ids()
      if (open && ids) {
        if (meta.commit === tip) {
          const done = want.done ? await this.cache.done() : null
          const text = want.text ? this.cache.text() : null
          if ((!want.done || done) && (!want.text || text)) {
            this.persisted = tip
            return {commit: tip, config: parseConfig(meta.desk), open, done, text, ids, problems: meta.problems}
          }
        } else {
          const incremental = await this.refresh(meta, open, ids, tip, want).catch(() => null)
          if (incremental) return incremental
        }
      }
    }
    return this.rebuild(tip, want)
  }

  private async refresh(meta: CacheMeta, open: Record<string, TicketSummary>, ids: string[], tip: string, want: {done?: boolean; text?: boolean}): Promise<DeskIndex | null> {
    const changes = await diffTree(this.repo, meta.commit, tip)
    const changed: string[] = []
    let deskChanged = false
    for (const c of changes) {
      const m = TICKET_PATH.exec(c.path)
      if (m) changed.push(m[1]!)
      else if (c.path === 'desk.json') deskChanged = true
    }
    const folded = await this.foldBlobs(changed.map((id) => `${tip}:${ticketPath(id)}`), changed)
    const deskText = deskChanged ? ((await readFileAt(this.repo, tip, 'desk.json'))?.toString('utf8') ?? null) : meta.desk
    return this.apply(meta, tip, open, ids, folded, deskText, want)
  }

  /** Applies re-folded tickets to the cached index and persists it (when no other process is). */
  /** Ids of tickets whose text contains every word (lower-case), at the tip. */
  async searchIds(words: readonly string[]): Promise<Set<string>> {
    const idx = await this.index()
    const lower = words.map((w) => w.toLowerCase())
    if (!idx.text && this.persisted === idx.commit) {
      const found = this.cache.search(lower)
      if (found) return found
    }
    const text = idx.text ?? (await this.index({text: true})).text!
    const out = new Set<string>()
    for (const [id, t] of text) if (lower.every((w) => t.includes(w))) out.add(id)
    return out
  }

  /** Resolved and closed tickets among `ids`, parsing only their cache lines when it can. */
  async doneSubset(ids: ReadonlySet<string>): Promise<Record<string, TicketSummary>> {
    const idx = await this.index()
    if (idx.done) return Object.fromEntries([...ids].filter((id) => idx.done![id]).map((id) => [id, idx.done![id]!]))
    if (this.persisted === idx.commit) {
      const subset = await this.cache.done(ids)
      if (subset) return subset
    }
    const all = (await this.index({done: true})).done!
    return Object.fromEntries([...ids].filter((id) => all[id]).map((id) => [id, all[id]!]))
  }

  private async apply(
    meta: CacheMeta,
    commit: string,
    open: Record<string, TicketSummary>,
    ids: string[],
    folded: Folded[],
    deskText: string | null,
    want: {done?: boolean; text?: boolean},
  ): Promise<DeskIndex | null> {
    const known = new Set(ids)
    const touchesDone = folded.some((f) => (known.has(f.id) && !open[f.id]) || (f.summary && !isUnresolved(f.summary.status)))
    const done = want.done || touchesDone ? await this.cache.done() : null
    if ((want.done || touchesDone) && !done) return null
    const text = want.text ? this.cache.text() : null
    if (want.text && !text) return null
    const problems = {...meta.problems}
    const newIds: string[] = []
    for (const f of folded) {
      delete open[f.id]
      if (done) delete done[f.id]
      if (f.summary) (isUnresolved(f.summary.status) ? open : done!)[f.id] = f.summary
      if (!known.has(f.id) && f.summary) {
        known.add(f.id)
        newIds.push(f.id)
      }
      if (f.problems.length > 0) problems[f.id] = f.problems
      else delete problems[f.id]
      text?.set(f.id, f.text)
    }
    const allIds = newIds.length > 0 ? [...known].sort() : ids
    const doneCount = done ? Object.keys(done).length : meta.counts.done
    const next: CacheMeta = {
      version: CACHE_VERSION,
      commit,
      desk: deskText,
      problems,
      counts: {open: Object.keys(open).length, done: doneCount},
      textLines: meta.textLines + folded.length,
    }
    const compact = next.textLines > 2 * (next.counts.open + next.counts.done) + 1000
    if (this.cache.lock()) {
      try {
        await this.cache.markDirty(meta)
        if (newIds.length > 0) this.cache.appendIds(allIds, true) // rewritten in order: readers need not sort
        if (compact) {
          const all = text ?? this.cache.text() ?? new Map()
          for (const f of folded) all.set(f.id, f.text)
          this.cache.appendText([...all], true)
          next.textLines = all.size
        } else {
          this.cache.appendText(folded.map((f) => [f.id, f.text]))
        }
        await this.cache.writeOpen(open)
        if (touchesDone && done) await this.cache.writeDone(done)
        await this.cache.writeMeta(next)
        this.persisted = commit
      } finally {
        this.cache.unlock()
      }
    }
    return {commit, config: parseConfig(deskText), open, done, text, ids: allIds, problems}
  }

  /**
   * Folds every ticket at `tip` and rewrites the cache. When it holds the cache's lock, resolved
   * tickets and search text stream straight to their files (only the open queue stays in memory,
   * and `want` says what to read back); otherwise everything is kept in memory.
   */
  async rebuild(tip = this.requireTip(), want: {done?: boolean; text?: boolean} = {done: true, text: true}): Promise<DeskIndex> {
    this.memo = null
    this.persisted = null
    const entries = (await lsTree(this.repo, tip, 'tickets')).filter((e) => e.type === 'blob' && TICKET_PATH.test(e.path))
    const ids = entries.map((e) => TICKET_PATH.exec(e.path)![1]!)
    const deskText = (await readFileAt(this.repo, tip, 'desk.json'))?.toString('utf8') ?? null
    const open: Record<string, TicketSummary> = {}
    let done: Record<string, TicketSummary> | null = {}
    let text: Map<string, string> | null = new Map()
    const problems: Record<string, FileProblem[]> = {}
    const present: string[] = []
    let doneCount = 0
    const streaming = this.cache.lock()
    try {
      if (streaming) await this.cache.markDirty(await this.cache.meta())
      const doneOut = streaming ? this.cache.lineWriter('done.jsonl') : null
      const textOut = streaming ? this.cache.lineWriter('text.tsv') : null
      await catFileBatch(this.repo, entries.map((e) => e.oid), (i, content) => {
        if (content === null) return
        const id = ids[i]!
        const l = foldFile(id, ticketPath(id), content.toString('utf8'))
        const t = l.ticket
        present.push(id)
        if (isUnresolved(t.status)) open[id] = t
        else if (doneOut) {
          doneOut.add(id, JSON.stringify(t))
          doneCount++
        } else done![id] = t
        const words = searchText(t, l.thread)
        if (textOut) textOut.add(id, words)
        else text!.set(id, words)
        if (l.problems.length > 0) problems[id] = l.problems
      })
      present.sort()
      if (streaming) {
        doneOut!.close()
        textOut!.close()
        this.cache.appendIds(present, true)
        await this.cache.writeOpen(open)
        await this.cache.writeMeta({
          version: CACHE_VERSION,
          commit: tip,
          desk: deskText,
          problems,
          counts: {open: Object.keys(open).length, done: doneCount},
          textLines: present.length,
        })
        this.persisted = tip
      }
    } finally {
      if (streaming) this.cache.unlock()
    }
    if (streaming) {
      done = want.done ? await this.cache.done() : null
      text = want.text ? this.cache.text() : null
    }
    return {commit: tip, config: parseConfig(deskText), open, done, text, ids: present, problems}
  }

  /** All problems the index knows of, reported once per command. */
  reportIndexProblems(index: DeskIndex): void {
    const all = Object.values(index.problems).flat()
    if (all.length > 0) this.reportProblems(all)
  }

  /** A full ticket id from what a person typed (a unique prefix, case-insensitive). */
  async resolveId(input: string, index?: DeskIndex): Promise<string> {
    const prefix = normalizeIdInput(input)
    if (prefix === null) {
      throw new TixError(`"${input}" is not a ticket id: ids are letters and digits like 7K3F9.`, {exitCode: 2, code: 'usage', hint: 'Find the id with `tix list` or `tix search WORDS`.'})
    }
    if (prefix.length < MIN_PREFIX) {
      throw new TixError(`"${input}" is too short: give at least ${MIN_PREFIX} characters of the id.`, {exitCode: 2, code: 'usage'})
    }
    const idx = index ?? (await this.index())
    const matches = idsWithPrefix(idx.ids, prefix)
    if (matches.length === 1) return matches[0]!
    if (matches.length === 0) {
      throw new TixError(`No ticket matches "${input}".`, {exitCode: 3, code: 'not-found', hint: 'List tickets with `tix list --all` or find one with `tix search WORDS`.'})
    }
    const done = idx.done ?? (await this.cache.done()) ?? {}
    const shown = matches.slice(0, 10).map((id) => `${shortId(idx.ids, id)} (${(idx.open[id] ?? done[id])?.title ?? '?'})`)
    throw new TixError(`"${input}" matches ${matches.length} tickets: ${shown.join(', ')}${matches.length > 10 ? ', ...' : ''}.`, {
      exitCode: 3,
      code: 'ambiguous',
      hint: 'Type more characters of the id.',
      details: {candidates: matches},
    })
  }

  // ---------------------------------------------------------------- writing

  /**
   * Appends events to tickets in one commit. `build` runs against the current tip and again if
   * another process moved the branch first; it returns the events per ticket, or null for "no change".
   */
  async change(
    build: (
      read: (id: string) => Promise<LoadedTicket | null>,
      tip: string | null,
      /** Reads many tickets with one git process, so the `read`s that follow cost nothing (bulk changes). */
      prefetch: (ids: readonly string[]) => Promise<void>,
    ) => Promise<{tickets: {id: string; events: NewEvent[]; fresh?: boolean}[]; message: string; files?: FileChange[]} | null>,
  ): Promise<{commit: string; tickets: Map<string, LoadedTicket>; events: Map<string, EventBase[]>} | null> {
    const actor = this.actor()
    let results = new Map<string, LoadedTicket>()
    let written = new Map<string, EventBase[]>()
    let otherFiles = false
    const res = await commitWithRetry(
      this.repo,
      this.ref,
      async (tip) => {
        results = new Map()
        written = new Map()
        const cacheRead = new Map<string, LoadedTicket | null>()
        const read = async (id: string) => {
          if (!isValidId(id)) throw new TixError(`Refusing to read ticket "${id}": not a valid id.`)
          if (!cacheRead.has(id)) {
            const blob = tip ? await readFileAt(this.repo, tip, ticketPath(id)) : null
            cacheRead.set(id, blob ? foldFile(id, ticketPath(id), blob.toString('utf8')) : null)
          }
          return cacheRead.get(id)!
        }
        const prefetch = async (ids: readonly string[]) => {
          const want = [...new Set(ids)].filter((id) => isValidId(id) && !cacheRead.has(id))
          if (!tip || want.length === 0) return
          await catFileBatch(this.repo, want.map((id) => `${tip}:${ticketPath(id)}`), (i, content) => {
            const id = want[i]!
            cacheRead.set(id, content ? foldFile(id, ticketPath(id), content.toString('utf8')) : null)
          })
        }
        const plan = await build(read, tip, prefetch)
        if (plan === null) return null
        const files: FileChange[] = [...(plan.files ?? [])]
        otherFiles = files.length > 0
        for (const {id, events, fresh} of plan.tickets) {
          if (events.length === 0) continue
          if (!isValidId(id)) throw new TixError(`Refusing to write ticket "${id}": not a valid id.`)
          // A new random id (50 bits) has no file yet: no need to ask git.
          const current = fresh ? null : await read(id)
          let seq = Math.max(0, ...(current?.events.map((e) => e.seq) ?? []))
          const stamped = events.map((e) => ({...e, seq: ++seq}) as EventBase)
          let raw = current?.raw ?? ''
          if (raw !== '' && !raw.endsWith('\n')) raw += '\n'
          raw += stamped.map(serializeEvent).join('\n') + '\n'
          const loaded = foldFile(id, ticketPath(id), raw)
          results.set(id, loaded)
          written.set(id, stamped)
          files.push({path: ticketPath(id), content: raw})
        }
        if (files.length === 0) return null
        return {files, message: plan.message}
      },
      {name: actor.name, email: actor.email},
      () => this.now(),
      undefined,
      this.io.warn,
    )
    if (res === null) return null
    // Our own commit: update the cache from what we folded, without asking git what changed.
    if (!otherFiles) await this.afterCommit(res.parent, res.commit, results).catch(() => {})
    return {commit: res.commit, tickets: results, events: written}
  }

  /** Writes files (desk.json, macros, ...) in one commit, no ticket involved. */
  async commitFiles(files: FileChange[], message: string): Promise<string> {
    const actor = this.actor()
    const res = await commitWithRetry(this.repo, this.ref, async () => ({files, message}), {name: actor.name, email: actor.email}, () => this.now(), undefined, this.io.warn)
    return res!.commit
  }

  /** Keeps the cache in step with our own commit without asking git what changed. */
  private async afterCommit(parent: string | null, commit: string, tickets: Map<string, LoadedTicket>): Promise<void> {
    const meta = await this.cache.meta()
    if (!meta || meta.commit !== parent) return // someone else moved it too: the next read diffs
    const known = this.memo?.commit === parent ? this.memo : null
    this.memo = null // apply() edits these maps in place
    const open = known?.open ?? (await this.cache.open())
    const ids = known?.ids ?? this.cache.ids()
    if (!open || !ids) return
    const folded: Folded[] = [...tickets].map(([id, l]) => ({id, summary: l.ticket, text: searchText(l.ticket, l.thread), problems: l.problems}))
    const next = await this.apply(meta, commit, open, ids, folded, meta.desk, {})
    if (next) this.memo = next
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
