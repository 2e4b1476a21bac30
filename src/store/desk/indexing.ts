// Reading the desk: one ticket from git, or the folded index of all of them, kept in the per-clone
// cache and brought up to date from what `git diff-tree` says changed since it was built.
import {TixError} from '../../errors.js'
import {parseConfig, type DeskConfig} from '../../domain/config/config.js'
import '../../domain/workflow/workflow-config.js' // registers the validators of the workflow sections of desk.json
import '../../domain/mail/config.js' // registers the validator of desk.json's mail section
import {hasSortedId, idsWithPrefix, isValidId, mergeSortedIds, MIN_PREFIX, normalizeIdInput, shortId} from '../../domain/ticket/ids.js'
import {isUnresolved, type TicketSummary} from '../../domain/ticket/model.js'
import {addLoad, countLoad, noteAssignments, type DeskLoad} from '../../domain/workflow/assignment.js'
import {CACHE_VERSION, type BucketReader, type CacheMeta, type FileProblem, type LineRef} from '../cache.js'
import {foldAll} from '../bulk-reader.js'
import type {Desk} from '../desk.js'
import {catFileBatch, diffTree, lsTreeBlobs, readFileAt} from '../objects.js'
import {FactsCache} from '../report-facts.js'
import {DeskCore} from './core.js'
import {foldFile, isStrayTicketFile, searchText, strayProblem, ticketIdOfPath, ticketPath, type LoadedTicket} from './ticket-file.js'

/** From this many ticket files, a rebuild shows a progress line (on a terminal, DeskIO.progress). */
const PROGRESS_FROM = 5000

const utf8 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')

/** Calls `each` with the id and value of every `ID<TAB>value` line of `lines`. */
function eachLine(lines: string, each: (id: string, value: string) => void): void {
  for (let at = 0; at < lines.length; ) {
    const nl = lines.indexOf('\n', at)
    const tab = lines.indexOf('\t', at)
    each(lines.slice(at, tab), lines.slice(tab + 1, nl))
    at = nl + 1
  }
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
  /** Active tickets per agent and each agent's latest assignment, over every ticket (kept in the cache's meta). */
  agents: DeskLoad
}

const agentsOf = (a: CacheMeta['agents']): DeskLoad => ({load: new Map(a.load), lastAssigned: new Map(a.lastAssigned)})
const agentsJson = (a: DeskLoad): CacheMeta['agents'] => ({load: [...a.load], lastAssigned: [...a.lastAssigned]})

/** Indexes whose id list has not been read yet (withLazyIds), and the view that looks ids up in the file instead. */
const idViews = new WeakMap<object, readonly string[]>()

/** An index whose `ids` are read on first use (a failed read drops the cache, as withLazyOpen's). */
function withLazyIds(base: Omit<DeskIndex, 'open' | 'ids'>, read: () => string[] | null, forget: () => void): Omit<DeskIndex, 'open'> {
  let ids: string[] | undefined
  return Object.defineProperty(base, 'ids', {
    enumerable: true,
    configurable: true,
    get() {
      if (ids === undefined) {
        const loaded = read()
        if (loaded === null) {
          forget()
          throw damagedCache()
        }
        ids = loaded
        idViews.delete(base)
      }
      return ids
    },
    set(value: string[]) {
      ids = value
      idViews.delete(base)
    },
  }) as Omit<DeskIndex, 'open'>
}

/**
 * The sorted ids of an index for looking a few up (resolveId, short ids of one ticket): the list
 * itself once something has read it, else a view of ids.txt that reads only the lines a binary
 * search touches (Cache.idsView).
 */
export const idList = (idx: DeskIndex): readonly string[] => idViews.get(idx) ?? idx.ids

/** Indexes whose queue has not been parsed yet (withLazyOpen): a subset is then read from the file instead. */
const openNotRead = new WeakSet<object>()

/** Whether this index holds its queue in memory already (then keeping it up to date costs nothing to read). */
export const queueInMemory = (idx: DeskIndex): boolean => !openNotRead.has(idx)

const damagedCache = () => new TixError('The desk cache was damaged and has been dropped; nothing on the desk is lost.', {hint: 'Run the command again: the cache is rebuilt from git.'})

/**
 * An index whose `open` bucket is read on first use. A bucket that fails to parse (damaged in a
 * way its recorded size did not show) makes the cache be rebuilt next time, and this command stop
 * with a message rather than show a queue it could not read.
 */
function withLazyOpen(base: Omit<DeskIndex, 'open'>, read: () => Record<string, TicketSummary> | null, forget: () => void): DeskIndex {
  let open: Record<string, TicketSummary> | undefined
  openNotRead.add(base)
  return Object.defineProperty(base, 'open', {
    enumerable: true,
    configurable: true,
    get() {
      if (open === undefined) {
        const loaded = read()
        if (loaded === null) {
          forget()
          throw damagedCache()
        }
        open = loaded
        openNotRead.delete(base)
      }
      return open
    },
    set(value: Record<string, TicketSummary>) {
      open = value
      openNotRead.delete(base)
    },
  }) as DeskIndex
}

export interface SummaryScan {
  /** How many tickets the scan walks. */
  size: number
  /** Each summary, parsed as it is reached; `ref` names it for `get`. */
  each(visit: (t: TicketSummary, ref: number) => void): void
  get(ref: number): TicketSummary
  /** Each summary's UTF-8 text as the cache has it (src/domain/ticket/summary-text.ts), unparsed: `bytes[start, end)`, valid during the call only. */
  eachLine(visit: (bytes: Buffer, start: number, end: number, ref: number) => void): void
  /** Where one summary's text is: the object returned is reused by the next call. */
  line(ref: number): LineRef
  /** A summary's text parsed (a damaged cache is forgotten and reported). */
  parse(text: string): TicketSummary
  /** Closes the files the scan reads. */
  close(): void
}

export interface Folded {
  id: string
  summary: TicketSummary | null
  text: string
  problems: FileProblem[]
}

export class DeskIndexing extends DeskCore {
  /** The last index this process built or loaded, reused while the branch stays where it was. */
  protected memo: DeskIndex | null = null
  /** The commit whose folded state is in the cache files on disk (null: unknown or stale). */
  protected persisted: string | null = null

  async readTicket(id: string, commit = this.requireTip(), asOf?: string): Promise<LoadedTicket | null> {
    const blob = await readFileAt(this.repo, commit, ticketPath(id))
    if (blob === null) return null
    const loaded = foldFile(id, ticketPath(id), blob.toString('utf8'), asOf)
    this.reportProblems(loaded.problems)
    return loaded
  }

  /**
   * A ticket as the cache folded it at `index.commit` (its fields, without the thread), without a
   * git process; null when the cache files are not at that commit or lack it (read it from git then).
   */
  async cachedTicket(id: string, index: DeskIndex): Promise<TicketSummary | null> {
    if (this.persisted !== index.commit) return null
    const only = new Set([id])
    const ticket = (await this.cache.open(only))?.[id] ?? (await this.cache.done(only))?.[id] ?? null
    if (ticket) this.reportProblems(index.problems[id] ?? [])
    return ticket
  }

  /** Many tickets at `commit` with one git process (missing ones are left out). */
  async readTickets(ids: readonly string[], commit = this.requireTip()): Promise<Map<string, LoadedTicket>> {
    const out = new Map<string, LoadedTicket>()
    const want = ids.filter(isValidId)
    await catFileBatch(this.repo, want.map((id) => `${commit}:${ticketPath(id)}`), (i, content) => {
      if (content !== null) out.set(want[i]!, foldFile(want[i]!, ticketPath(want[i]!), content.toString('utf8')))
    })
    return out
  }

  /** Ids of the tickets whose files differ between two commits of the branch. */
  async changedTickets(from: string, to: string): Promise<string[]> {
    const out: string[] = []
    for (const c of await diffTree(this.repo, from, to)) {
      const id = ticketIdOfPath(c.path)
      if (id) out.push(id)
    }
    return out
  }

  reportProblems(problems: readonly FileProblem[], limit = 5): void {
    for (const p of problems.slice(0, limit)) this.io.warn(`${p.path}:${p.line}: ${p.reason}`)
    if (problems.length > limit) this.io.warn(`... and ${problems.length - limit} more problems; the lines were skipped and everything else loaded.`)
  }

  protected async foldBlobs(names: string[], ids: string[]): Promise<Folded[]> {
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
    // A cache file that was emptied or lost lines since meta.json was written is not trusted.
    // (intact: every file is there with its recorded size, so an ids.txt recorded as present is)
    if (meta && this.cache.intact(meta) && meta.sizes!['ids.txt'] >= 0) {
      if (meta.commit === tip) {
        const done = want.done ? await this.cache.done() : null
        const text = want.text ? this.cache.text() : null
        if ((!want.done || done) && (!want.text || text)) {
          this.persisted = tip
          // The queue and the id list are read when something reads them: `tix show` and a `tix
          // new` without load-based rules never parse the queue (at 10,000 tickets a 1,000-line
          // bucket), and `tix show` looks up ids in ids.txt's bytes by offset (idList) instead of
          // making 100,000 strings.
          const forget = () => this.cache.forget()
          const base = withLazyIds({commit: tip, config: parseConfig(meta.desk), done, text, problems: meta.problems, agents: agentsOf(meta.agents)}, () => this.cache.ids(), forget)
          const view = this.cache.idsView(meta.idsTail ?? 0, meta.sizes!['ids.txt'], () => {
            forget()
            throw damagedCache()
          })
          if (view) idViews.set(base, view)
          return withLazyOpen(base, () => this.cache.readOpen(), forget)
        }
      } else {
        const ids = this.cache.ids()
        if (ids) {
          const open = await this.cache.open()
          const incremental = open ? await this.refresh(meta, open, ids, tip, want).catch(() => null) : null
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
      const id = ticketIdOfPath(c.path)
      if (id) changed.push(id)
      else if (isStrayTicketFile(c.path)) return null // recorded by a rebuild
      else if (c.path === 'desk.json') deskChanged = true
    }
    const folded = await this.foldBlobs(changed.map((id) => `${tip}:${ticketPath(id)}`), changed)
    const deskText = deskChanged ? ((await readFileAt(this.repo, tip, 'desk.json'))?.toString('utf8') ?? null) : meta.desk
    return this.apply(meta, tip, open, ids, folded, deskText, want)
  }

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

  /**
   * The ticket summaries at the tip, parsed one at a time from the cache and not kept: what a wide
   * read (`tix list --all --json` on 100,000 tickets) walks through without holding the desk as
   * objects. `get(ref)` parses one again. Null when the cache does not hold the tip (the caller
   * reads the index instead).
   */
  async scanSummaries(want: {done: boolean}): Promise<SummaryScan | null> {
    const idx = await this.index()
    if (this.persisted !== idx.commit) return null
    const names = want.done ? (['open.jsonl', 'done.jsonl'] as const) : (['open.jsonl'] as const)
    const buckets: BucketReader[] = []
    const close = () => {
      for (const b of buckets.splice(0)) b.close()
    }
    for (const name of names) {
      const b = this.cache.openBucket(name)
      if (!b) {
        close()
        return null
      }
      buckets.push(b)
    }
    // ref -> bucket and offsets: a line is read again by its offsets when it is reached. Refs count
    // the live lines in the order eachLine visits them (file order, bucket after bucket).
    const where: number[] = []
    buckets.forEach((b, k) => {
      for (const [start, end] of b.live.values()) where.push(k, start, end)
    })
    const cache = this.cache
    const parse = (text: string): TicketSummary => {
      try {
        return JSON.parse(text) as TicketSummary
      } catch {
        close()
        cache.forget()
        throw damagedCache()
      }
    }
    const at: LineRef = {bytes: Buffer.alloc(0), start: 0, end: 0}
    const line = (ref: number) => buckets[where[3 * ref]!]!.line(where[3 * ref + 1]!, where[3 * ref + 2]!, at)
    const eachLine = (visit: (bytes: Buffer, start: number, end: number, ref: number) => void) => {
      let ref = 0
      for (const b of buckets) b.eachLine((_id, bytes, start, end) => visit(bytes, start, end, ref++))
    }
    return {
      size: where.length / 3,
      get: (ref) => {
        const l = line(ref)
        return parse(l.bytes.toString('utf8', l.start, l.end))
      },
      each: (visit) => eachLine((bytes, start, end, ref) => visit(parse(bytes.toString('utf8', start, end)), ref)),
      line,
      eachLine,
      parse,
      close,
    }
  }

  /** Unresolved tickets among `ids`, parsing only their cache lines when it can (a search never parses the whole queue). */
  async openSubset(ids: ReadonlySet<string>): Promise<Record<string, TicketSummary>> {
    const idx = await this.index()
    if (openNotRead.has(idx) && this.persisted === idx.commit) {
      const subset = await this.cache.open(ids)
      if (subset) return subset
    }
    return Object.fromEntries([...ids].filter((id) => idx.open[id]).map((id) => [id, idx.open[id]!]))
  }

  /**
   * Calls `visit` with each resolved or closed ticket among `ids` (in no set order), parsing only
   * their cache lines when it can and keeping none: the caller keeps what it needs. `restart` is
   * called when what was visited so far is to be forgotten (a cache line turned out damaged and
   * the index is read again).
   */
  async eachDone(ids: ReadonlySet<string>, visit: (t: TicketSummary) => void, restart: () => void): Promise<void> {
    const idx = await this.index()
    if (!idx.done && this.persisted === idx.commit) {
      try {
        if (this.cache.eachLatest('done.jsonl', ids, visit)) return
      } catch {
        restart() // damaged: read through the index below
      }
    }
    const all = idx.done ?? (await this.index({done: true})).done!
    for (const id of ids) if (all[id]) visit(all[id])
  }

  /** Applies re-folded tickets to the cached index and persists it (when no other process is). */
  protected async apply(
    meta: CacheMeta,
    commit: string,
    open: Record<string, TicketSummary>,
    ids: string[],
    folded: Folded[],
    deskText: string | null,
    want: {done?: boolean; text?: boolean},
    /**
     * From a writer that read neither the buckets nor the id list (`open` and `ids` are empty): what
     * each folded ticket was before (null: new). Counts and the agents' load change by difference,
     * new ids are appended, and no index is returned.
     */
    before?: ReadonlyMap<string, TicketSummary | null>,
  ): Promise<DeskIndex | null> {
    const partialOpen = before !== undefined
    // `ids` is sorted: a binary search per folded ticket, not a Set of every id per commit (at
    // 100,000 tickets that Set was most of what a server's writes left for the GC).
    const added = new Set<string>()
    const known = (id: string) => added.has(id) || hasSortedId(ids, id)
    // The buckets are journals (cache.ts): a change appends its tickets' lines, so neither bucket is
    // read or rewritten here unless asked for (`want.done`) or due for compaction.
    const done = want.done ? await this.cache.done() : null
    if (want.done && !done) return null
    const text = want.text ? this.cache.text() : null
    if (want.text && !text) return null
    const problems = {...meta.problems}
    const newIds: string[] = []
    const openChanges: [string, TicketSummary | null][] = []
    const doneChanges: [string, TicketSummary | null][] = []
    let doneCount = meta.counts.done
    let openCount = meta.counts.open
    const agents = agentsOf(meta.agents)
    for (const f of folded) {
      const was = before ? before.get(f.id) : Object.hasOwn(open, f.id) ? open[f.id] : undefined
      const wasOpen = before ? was != null && isUnresolved(was.status) : was !== undefined
      const wasDone = before ? was != null && !wasOpen : known(f.id) && !wasOpen
      const isNew = before ? was == null : !known(f.id)
      // a resolved ticket counts against nobody, so what it was matters only when it was unresolved
      if (wasOpen) countLoad(agents.load, was, -1)
      if (f.summary) {
        countLoad(agents.load, f.summary, 1)
        noteAssignments(agents.lastAssigned, f.summary)
      }
      const nowOpen = f.summary !== null && isUnresolved(f.summary.status)
      const nowDone = f.summary !== null && !nowOpen
      delete open[f.id]
      if (done) delete done[f.id]
      if (nowOpen) {
        open[f.id] = f.summary!
        openChanges.push([f.id, f.summary])
      } else if (wasOpen) openChanges.push([f.id, null])
      if (nowDone) {
        if (done) done[f.id] = f.summary!
        doneChanges.push([f.id, f.summary])
      } else if (wasDone) doneChanges.push([f.id, null])
      doneCount += (nowDone ? 1 : 0) - (wasDone ? 1 : 0)
      openCount += (nowOpen ? 1 : 0) - (wasOpen ? 1 : 0)
      if (isNew && f.summary && !added.has(f.id)) {
        added.add(f.id)
        newIds.push(f.id)
      }
      if (f.problems.length > 0) problems[f.id] = f.problems
      else delete problems[f.id]
      text?.set(f.id, f.text)
    }
    if (done) doneCount = Object.keys(done).length
    // A writer that did not read the id list appends the new ids; the list is sorted again when its
    // unsorted tail passes 1,000 lines (readers merge the tail: Cache.ids()).
    const allIds = newIds.length > 0 && !partialOpen ? mergeSortedIds(ids, newIds) : ids
    const idsTail = (meta.idsTail ?? 0) + newIds.length
    const lines = meta.bucketLines ?? {open: meta.counts.open, done: meta.counts.done}
    const next: CacheMeta = {
      version: CACHE_VERSION,
      commit,
      desk: deskText,
      problems,
      counts: {open: partialOpen ? Math.max(0, openCount) : Object.keys(open).length, done: Math.max(0, doneCount)},
      textLines: meta.textLines + folded.length,
      bucketLines: {open: lines.open + openChanges.length, done: lines.done + doneChanges.length},
      idsTail,
      agents: agentsJson(agents),
    }
    const compact = next.textLines > 2 * (next.counts.open + next.counts.done) + 1000
    const index = partialOpen ? null : {commit, config: parseConfig(deskText), open, done, text, ids: allIds, problems, agents}
    // What is written here is counted from `meta` (the counts, ids.txt's unsorted tail, the agents'
    // load), so it is written only onto the cache `meta` describes: another writer (this process or
    // another) may have moved it since `meta` was read, and then the next read refreshes from theirs.
    if (this.cache.lock()) {
      try {
        if (!(await this.cache.stillAt(meta))) return index
        await this.cache.markDirty(meta)
        // New ids are appended; the list is written sorted again once the tail passes 1,000 ids
        // (from memory when this process holds it, else read back: readers merge the tail meanwhile).
        if (newIds.length > 0) this.cache.appendIds(newIds)
        if (idsTail > 1000) {
          const sorted = partialOpen ? this.cache.ids() : allIds
          if (sorted) {
            this.cache.appendIds(sorted, true)
            next.idsTail = 0
          }
        }
        if (compact) {
          const all = text ?? this.cache.text() ?? new Map()
          for (const f of folded) all.set(f.id, f.text)
          this.cache.appendText([...all], true)
          next.textLines = all.size
        } else {
          this.cache.appendText(folded.map((f) => [f.id, f.text]))
        }
        this.cache.appendBucket('open.jsonl', openChanges)
        if (next.bucketLines!.open > 2 * next.counts.open + 1000) {
          const all = partialOpen ? await this.cache.open() : open
          if (all) {
            await this.cache.writeOpen(all)
            next.counts.open = Object.keys(all).length
            next.bucketLines!.open = next.counts.open
          }
        }
        this.cache.appendBucket('done.jsonl', doneChanges)
        if (next.bucketLines!.done > 2 * next.counts.done + 1000) {
          const all = done ?? (await this.cache.done())
          if (all) {
            await this.cache.writeDone(all)
            next.counts.done = Object.keys(all).length
            next.bucketLines!.done = next.counts.done
          }
        }
        await this.cache.writeMeta(next)
        this.persisted = commit
      } finally {
        this.cache.unlock()
      }
    }
    return index
  }

  /**
   * Folds every ticket at `tip` and rewrites the cache. When it holds the cache's lock, resolved
   * tickets and search text stream straight to their files (only the open queue stays in memory,
   * and `want` says what to read back); otherwise everything is kept in memory.
   */
  async rebuild(tip = this.requireTip(), want: {done?: boolean; text?: boolean} = {done: true, text: true}): Promise<DeskIndex> {
    this.memo = null
    this.persisted = null
    const [listed, deskBlob] = await Promise.all([lsTreeBlobs(this.repo, tip, 'tickets'), readFileAt(this.repo, tip, 'desk.json')])
    const deskText = deskBlob?.toString('utf8') ?? null
    const oids: string[] = []
    const ids: string[] = []
    const problems: Record<string, FileProblem[]> = {}
    listed.paths.forEach((path, k) => {
      const id = ticketIdOfPath(path)
      if (id !== null) {
        oids.push(listed.oids[k]!)
        ids.push(id)
      } else if (isStrayTicketFile(path)) problems[path] = [strayProblem(path)]
    })
    const open: Record<string, TicketSummary> = {}
    let done: Record<string, TicketSummary> | null = {}
    let text: Map<string, string> | null = new Map()
    const present: string[] = []
    // the queue's lines as the fold wrote them: open.jsonl is written from these, not stringified again
    const openLines: [string, string][] = []
    let doneCount = 0
    const agents: DeskLoad = {load: new Map(), lastAssigned: new Map()}
    const streaming = this.cache.lock()
    // The report facts come from the same fold (index-fold.ts), written when this process writes the cache.
    const facts = streaming ? new FactsCache(this as unknown as Desk).writer(tip, deskText) : null
    const progress = this.io.progress && ids.length >= PROGRESS_FROM ? this.io.progress : undefined
    try {
      if (streaming) await this.cache.markDirty(await this.cache.meta())
      const doneOut = streaming ? this.cache.lineWriter('done.jsonl') : null
      const textOut = streaming ? this.cache.lineWriter('text.tsv') : null
      const total = ids.length.toLocaleString('en')
      progress?.(`Indexing ${total} tickets…`)
      await foldAll(
        this.repo,
        oids,
        ids,
        {
          setup: {deskText, now: this.now().getTime(), summaries: true, facts: facts !== null},
          env: this.io.env,
          progress: progress && ((n) => progress(`Indexing ${n.toLocaleString('en')} of ${total} tickets…`)),
          onBatch: (b) => {
            for (const id of b.present) present.push(id)
            for (const [id, json] of b.open) {
              open[id] = JSON.parse(json) as TicketSummary
              openLines.push([id, json])
            }
            for (const [id, p] of b.problems) problems[id] = p
            addLoad(agents, b.load, b.lastAssigned)
            doneCount += b.doneCount
            facts?.add(b.facts)
            if (doneOut) doneOut.addLines(b.done)
            else eachLine(utf8(b.done), (id, value) => (done![id] = JSON.parse(value) as TicketSummary))
            if (textOut) textOut.addLines(b.text)
            else eachLine(utf8(b.text), (id, value) => text!.set(id, value))
          },
        },
      ).catch((error: unknown) => {
        facts?.abort()
        throw error
      })
      present.sort()
      if (streaming) {
        doneOut!.close()
        textOut!.close()
        this.cache.appendIds(present, true)
        const openOut = this.cache.lineWriter('open.jsonl')
        for (const [id, json] of openLines) openOut.add(id, json)
        openOut.close()
        facts?.close(Object.keys(problems).filter((id) => isValidId(id)))
        await this.cache.writeMeta({
          version: CACHE_VERSION,
          commit: tip,
          desk: deskText,
          problems,
          counts: {open: Object.keys(open).length, done: doneCount},
          bucketLines: {open: Object.keys(open).length, done: doneCount},
          textLines: present.length,
          agents: agentsJson(agents),
        })
        this.persisted = tip
      }
    } finally {
      if (streaming) this.cache.unlock()
      progress?.(null)
    }
    if (streaming) {
      done = want.done ? await this.cache.done() : null
      text = want.text ? this.cache.text() : null
    }
    return {commit: tip, config: parseConfig(deskText), open, done, text, ids: present, problems, agents}
  }

  /** All problems the index knows of, reported once per command. */
  reportIndexProblems(index: DeskIndex): void {
    const all = Object.values(index.problems).flat()
    if (all.length > 0) this.reportProblems(all)
  }

  /** The index's sorted ids for a few look-ups (short ids of one ticket), without reading them all when the cache can (idList). */
  sortedIds(index: DeskIndex): readonly string[] {
    return idList(index)
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
    const ids = idList(idx)
    const matches = idsWithPrefix(ids, prefix)
    if (matches.length === 1) return matches[0]!
    if (matches.length === 0) {
      throw new TixError(`No ticket matches "${input}".`, {exitCode: 3, code: 'not-found', hint: 'List tickets with `tix list --all` or find one with `tix search WORDS`.'})
    }
    const done = idx.done ?? (await this.cache.done()) ?? {}
    const shown = matches.slice(0, 10).map((id) => `${shortId(ids, id)} (${(idx.open[id] ?? done[id])?.title ?? '?'})`)
    throw new TixError(`"${input}" matches ${matches.length} tickets: ${shown.join(', ')}${matches.length > 10 ? ', ...' : ''}.`, {
      exitCode: 3,
      code: 'ambiguous',
      hint: 'Type more characters of the id.',
      details: {candidates: matches},
    })
  }
}
