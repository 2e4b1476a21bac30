// The per-clone cache (DESIGN.md §5): folded ticket summaries and the commit they were built from,
// in <git common dir>/tix/cache. It is an optimisation only: deleting it changes no output.
//
// The default view must not parse what it does not show, so the unresolved tickets (open.json,
// small) are kept apart from the resolved and closed ones (done.json, large). Ids and search text
// are append-only journals (ids.txt, text.tsv) so that a new ticket costs an append, not a rewrite.
import {appendFileSync, mkdirSync, openSync, closeSync, rmSync, statSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {DataFileSync} from 'lowdb/node'
import type {TicketSummary} from '../domain/model.js'

export const CACHE_VERSION = 3

export interface FileProblem {
  path: string
  line: number
  reason: string
}

export interface CacheMeta {
  version: number
  commit: string
  /** The desk.json text at `commit` (null when the desk has none). */
  desk: string | null
  problems: Record<string, FileProblem[]>
  counts: {open: number; done: number}
  textLines: number
  /** Set while files are being rewritten; a meta left dirty by a crash forces a rebuild. */
  dirty?: boolean
}

type Bucket = {tickets: Record<string, TicketSummary>}

/**
 * lowdb's synchronous file adapter with compact JSON: its async JSONFile reads through fs/promises
 * (chunked string decoding, ~2x slower on a 10 MB done.json) and pretty-prints (a third larger,
 * slower to parse). Writes stay atomic (temp file + rename).
 */
const jsonFile = <T>(path: string) => new DataFileSync<T>(path, {parse: JSON.parse, stringify: (data) => JSON.stringify(data)})

export class Cache {
  readonly dir: string
  private readonly metaFile: DataFileSync<CacheMeta>
  private readonly openFile: DataFileSync<Bucket>
  private readonly doneFile: DataFileSync<Bucket>

  constructor(commonDir: string, branch: string) {
    this.dir = join(commonDir, 'tix', 'cache', branch.replace(/[^A-Za-z0-9._-]/g, '_'))
    this.metaFile = jsonFile(join(this.dir, 'meta.json'))
    this.openFile = jsonFile(join(this.dir, 'open.json'))
    this.doneFile = jsonFile(join(this.dir, 'done.json'))
  }

  async meta(): Promise<CacheMeta | null> {
    try {
      const m = await this.metaFile.read()
      return m && m.version === CACHE_VERSION && !m.dirty ? m : null
    } catch {
      return null // corrupt: rebuilt from git
    }
  }

  async open(): Promise<Record<string, TicketSummary> | null> {
    return this.bucket(this.openFile)
  }

  async done(): Promise<Record<string, TicketSummary> | null> {
    return this.bucket(this.doneFile)
  }

  private async bucket(file: DataFileSync<Bucket>): Promise<Record<string, TicketSummary> | null> {
    try {
      return (await file.read())?.tickets ?? null
    } catch {
      return null
    }
  }

  /** Every ticket id (sorted); null when the journal is missing. */
  ids(): string[] | null {
    try {
      const lines = readFileSync(join(this.dir, 'ids.txt'), 'utf8').split('\n')
      if (lines[lines.length - 1] === '') lines.pop()
      // Written sorted by a rebuild, then appended to: sort (and dedupe) only when it is not in order.
      let ordered = true
      for (let i = 1; i < lines.length && ordered; i++) ordered = lines[i - 1]! < lines[i]!
      if (ordered && lines[0] !== '') return lines
      return [...new Set(lines.filter((x) => x.length > 0))].sort()
    } catch {
      return null
    }
  }

  /** Search text per ticket (later lines win); null when the journal is missing. */
  text(): Map<string, string> | null {
    let raw: string
    try {
      raw = readFileSync(join(this.dir, 'text.tsv'), 'utf8')
    } catch {
      return null
    }
    const out = new Map<string, string>()
    let at = 0
    while (at < raw.length) {
      let nl = raw.indexOf('\n', at)
      if (nl < 0) nl = raw.length
      const tab = raw.indexOf('\t', at)
      if (tab > at && tab < nl) out.set(raw.slice(at, tab), raw.slice(tab + 1, nl))
      at = nl + 1
    }
    return out
  }

  /** Takes the writer's lock; false when another live process holds it (then we don't write). */
  lock(): boolean {
    mkdirSync(this.dir, {recursive: true})
    const path = join(this.dir, 'lock')
    try {
      closeSync(openSync(path, 'wx'))
      return true
    } catch {
      try {
        if (Date.now() - statSync(path).mtimeMs > 30_000) {
          rmSync(path, {force: true}) // left by a crashed process
          closeSync(openSync(path, 'wx'))
          return true
        }
      } catch {
        // raced with another process: let it write
      }
      return false
    }
  }

  unlock(): void {
    rmSync(join(this.dir, 'lock'), {force: true})
  }

  async markDirty(meta: CacheMeta | null): Promise<void> {
    if (meta) await this.metaFile.write({...meta, dirty: true})
  }

  async writeMeta(meta: CacheMeta): Promise<void> {
    await this.metaFile.write({...meta, dirty: false})
  }

  async writeOpen(tickets: Record<string, TicketSummary>): Promise<void> {
    await this.openFile.write({tickets})
  }

  async writeDone(tickets: Record<string, TicketSummary>): Promise<void> {
    await this.doneFile.write({tickets})
  }

  appendIds(ids: readonly string[], reset = false): void {
    const path = join(this.dir, 'ids.txt')
    if (reset) rmSync(path, {force: true})
    if (ids.length > 0) appendFileSync(path, ids.join('\n') + '\n')
  }

  appendText(entries: readonly [string, string][], reset = false): void {
    const path = join(this.dir, 'text.tsv')
    if (reset) rmSync(path, {force: true})
    if (entries.length > 0) appendFileSync(path, entries.map(([id, t]) => `${id}\t${t}`).join('\n') + '\n')
  }

  clear(): void {
    rmSync(this.dir, {recursive: true, force: true})
  }
}
