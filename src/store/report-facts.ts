// The facts reports run on (domain/reports/report-facts.ts), kept in a cache file of their own next to the
// ticket cache: one short JSON line a ticket (~170 bytes), so a report over 100,000 tickets reads
// ~17 MB instead of every summary, and holds each ticket's facts decoded only while it counts them.
// Like the ticket cache it is keyed by the commit it was built from (and here also by desk.json,
// which decides calendars and SLA targets): when the branch moved, only the tickets `git diff-tree`
// names are folded again. Deleting it changes no output.
//
// `--as-of` takes the slow, exact path: every ticket folded again from git ignoring later events,
// with desk.json as it was then. Nothing of that is cached.
import {createHash} from 'node:crypto'
import {closeSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, writeSync} from 'node:fs'
import {join} from 'node:path'
import {parseConfig, type DeskConfig} from '../domain/config/config.js'
import {decodeFacts, encodeFacts, ticketFacts, type FactsContext, type FactsRow, type TicketFacts} from '../domain/reports/report-facts.js'
import type {Desk} from './desk.js'
import {foldFile, ticketIdOfPath, ticketPath} from './desk/ticket-file.js'
import {git} from './git.js'
import {foldAll} from './bulk-reader.js'
import {catFileBatch, diffTree, lsTree, readFileAt} from './objects.js'
import {repoCwd, repoEnv} from './repo.js'

/** Bump when the facts' shape or meaning changes: old files are then rebuilt. */
export const FACTS_VERSION = 2

/** The file's first line; then one line per ticket: the JSON of its encoded facts. */
interface FactsHeader {
  version: number
  commit: string
  deskHash: string
  /** Ticket ids whose files had lines that were skipped. */
  problems: string[]
}

/** A line's ticket id: lines start with ["<10-character id>", */
const lineId = (line: string) => line.slice(2, 12)

/** Facts as cache lines, decoded one at a time as a report walks them. */
export class FactsRows implements Iterable<TicketFacts> {
  constructor(readonly lines: string[]) {}
  *[Symbol.iterator](): Iterator<TicketFacts> {
    for (const l of this.lines) yield decodeFacts(JSON.parse(l) as FactsRow)
  }
  get size(): number {
    return this.lines.length
  }
  /** The earliest creation time (ms), read without decoding: the second value of each line. */
  firstCreated(fallback: number): number {
    let first = fallback
    for (const l of this.lines) {
      const a = l.indexOf(',') + 1
      const created = Number(l.slice(a, l.indexOf(',', a)))
      if (created < first) first = created
    }
    return first
  }
}

export interface LoadedFacts {
  facts: FactsRows
  config: DeskConfig
  commit: string
  /** Ticket files with skipped lines (bad JSON, unknown events). */
  problems: string[]
}

const hash = (text: string | null) => createHash('sha1').update(`${FACTS_VERSION}\n${text ?? ''}`).digest('hex')

async function deskText(desk: Desk, commit: string): Promise<string | null> {
  return (await readFileAt(desk.repo, commit, 'desk.json'))?.toString('utf8') ?? null
}

/** Folds ticket blobs and turns each into a facts line; `asOf` ignores later events. */
async function foldFacts(desk: Desk, names: string[], ids: string[], ctx: FactsContext, asOf?: string): Promise<{lines: string[]; problems: string[]}> {
  const lines: string[] = []
  const problems: string[] = []
  await catFileBatch(desk.repo, names, (i, content) => {
    if (content === null) return
    const id = ids[i]!
    const l = foldFile(id, ticketPath(id), content.toString('utf8'), asOf)
    if (l.problems.length > 0) problems.push(id)
    if (l.events.length === 0 || l.ticket.createdBy === '') return // did not exist yet (as-of), or no create event
    lines.push(JSON.stringify(encodeFacts(ticketFacts(l.ticket, l.events, ctx))))
  })
  return {lines, problems}
}

async function ticketEntries(desk: Desk, commit: string): Promise<{names: string[]; ids: string[]}> {
  const names: string[] = []
  const ids: string[] = []
  for (const e of await lsTree(desk.repo, commit, 'tickets')) {
    const m = e.type === 'blob' ? ticketIdOfPath(e.path) : null
    if (!m) continue
    names.push(e.oid)
    ids.push(m)
  }
  return {names, ids}
}

export class FactsCache {
  readonly file: string

  constructor(private readonly desk: Desk) {
    this.file = join(desk.cache.dir, `report-facts.v${FACTS_VERSION}.jsonl`)
  }

  private read(): {header: FactsHeader; lines: string[]} | null {
    try {
      const lines = readFileSync(this.file, 'utf8').split('\n')
      const header = JSON.parse(lines[0]!) as FactsHeader
      if (header.version !== FACTS_VERSION || typeof header.commit !== 'string' || lines.at(-1) !== '') return null
      lines.pop() // the final newline: a file cut short by a crash has none and is rebuilt
      return {header, lines: lines.slice(1)}
    } catch {
      return null
    }
  }

  private write(header: FactsHeader, lines: string[]): void {
    try {
      mkdirSync(this.desk.cache.dir, {recursive: true})
      const tmp = `${this.file}.${process.pid}.tmp`
      // In pieces of 1,024 lines: the whole file as one string (17 MB at 100,000 tickets, and as
      // much again as bytes) was the last step up of a server's memory during its first report.
      const fd = openSync(tmp, 'w')
      try {
        writeSync(fd, `${JSON.stringify(header)}\n`)
        for (let i = 0; i < lines.length; i += 1024) writeSync(fd, lines.slice(i, i + 1024).join('\n') + '\n')
      } finally {
        closeSync(fd)
      }
      renameSync(tmp, this.file)
    } catch {
      // a read-only clone still reports, it just does not keep the facts
    }
  }

  /**
   * Facts lines as a build produces them (the index build after a clone, bulk-reader.ts), streamed
   * to a temp file; close() puts the header with the problems (known only at the end) before them.
   * Null when the cache folder cannot be written.
   */
  writer(commit: string, deskText: string | null): {add: (lines: string) => void; close: (problems: string[]) => void; abort: () => void} | null {
    const body = `${this.file}.${process.pid}.body`
    let fd: number
    try {
      mkdirSync(this.desk.cache.dir, {recursive: true})
      fd = openSync(body, 'w')
    } catch {
      return null
    }
    const abort = () => {
      try {
        closeSync(fd)
      } catch {
        // already closed
      }
      rmSync(body, {force: true})
    }
    return {
      add: (lines) => {
        if (lines !== '') writeSync(fd, lines)
      },
      abort,
      close: (problems) => {
        try {
          closeSync(fd)
          const tmp = `${this.file}.${process.pid}.tmp`
          const out = openSync(tmp, 'w')
          const src = openSync(body, 'r')
          try {
            writeSync(out, `${JSON.stringify({version: FACTS_VERSION, commit, deskHash: hash(deskText), problems} satisfies FactsHeader)}\n`)
            const buf = Buffer.allocUnsafe(1 << 20)
            for (let n; (n = readSync(src, buf, 0, buf.length, null)) > 0; ) writeSync(out, buf, 0, n)
          } finally {
            closeSync(src)
            closeSync(out)
          }
          renameSync(tmp, this.file)
        } catch {
          // a read-only clone still reports, it just does not keep the facts
        } finally {
          rmSync(body, {force: true})
        }
      },
    }
  }

  /** The facts at the tip: cached, updated from the tickets that changed, or built from git. */
  async load(setupFor: (config: DeskConfig) => {facts: (now: number) => FactsContext}, now: number): Promise<LoadedFacts> {
    const tip = this.desk.requireTip()
    let cached = this.read()
    const text = await deskText(this.desk, tip)
    const config = parseConfig(text)
    const deskHash = hash(text)
    const usable = () => cached !== null && cached.header.commit === tip && cached.header.deskHash === deskHash
    if (!usable() && this.desk.cache.builtFrom() === null) {
      // No ticket cache yet (a fresh clone): the index build writes the facts in the same pass as
      // the summaries and the search text, so the next `tix list` does not read every file again.
      await this.desk.index()
      cached = this.read()
    }
    if (usable()) return {facts: new FactsRows(cached!.lines), config, commit: tip, problems: cached!.header.problems}
    const ctx = setupFor(config).facts(now)
    if (cached && cached.header.deskHash === deskHash) {
      const changes = await diffTree(this.desk.repo, cached.header.commit, tip).catch(() => null)
      if (changes) {
        const changed = changes.map((c) => ticketIdOfPath(c.path) ?? undefined).filter((x): x is string => x !== undefined)
        const set = new Set(changed)
        const {lines, problems} = await foldFacts(this.desk, changed.map((id) => `${tip}:${ticketPath(id)}`), changed, ctx)
        const all = cached.lines.filter((l) => !set.has(lineId(l)))
        all.push(...lines)
        const header = {version: FACTS_VERSION, commit: tip, deskHash, problems: [...cached.header.problems.filter((id) => !set.has(id)), ...problems]}
        this.write(header, all)
        return {facts: new FactsRows(all), config, commit: tip, problems: header.problems}
      }
    }
    // Every ticket file, folded for its facts only: in pack order and in workers on a large desk.
    const {names, ids} = await ticketEntries(this.desk, tip)
    const out = this.writer(tip, text)
    const lines: string[] = []
    const problems: string[] = []
    await foldAll(this.desk.repo, names, ids, {
      setup: {deskText: text, now, summaries: false, facts: true},
      env: this.desk.io.env,
      onBatch: (b) => {
        out?.add(b.facts)
        for (const l of b.facts.split('\n')) if (l !== '') lines.push(l)
        for (const [id] of b.problems) problems.push(id)
      },
    }).catch((error: unknown) => {
      out?.abort()
      throw error
    })
    out?.close(problems)
    return {facts: new FactsRows(lines), config, commit: tip, problems}
  }
}

/**
 * The desk as it was at `asOf` (ISO): desk.json from the last commit before then, every ticket
 * folded from its events up to then. Exact, and slower: nothing is cached.
 */
export async function factsAsOf(desk: Desk, asOf: string, setupFor: (config: DeskConfig) => {facts: (now: number) => FactsContext}): Promise<LoadedFacts> {
  const tip = desk.requireTip()
  const seconds = Math.floor(Date.parse(asOf) / 1000)
  const r = await git(['rev-list', '-1', `--before=${seconds}`, tip, '--', 'desk.json'], {cwd: repoCwd(desk.repo), env: repoEnv(desk.repo)})
  const at = r.stdout.toString('utf8').trim()
  const text = await deskText(desk, at || tip)
  const config = parseConfig(text)
  const {names, ids} = await ticketEntries(desk, tip)
  const {lines, problems} = await foldFacts(desk, names, ids, setupFor(config).facts(Date.parse(asOf)), asOf)
  return {facts: new FactsRows(lines), config, commit: tip, problems}
}
