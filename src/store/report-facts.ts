// The facts reports run on (domain/reports/report-facts.ts), kept in a cache file of their own next to the
// ticket cache, by column (domain/reports/facts-table.ts): a JSON header line, then each column's
// typed array as bytes, then the strings and custom fields as one JSON text, then the ids. A report
// over 100,000 tickets reads ~15 MB and views the columns in place: no JSON line per ticket to
// parse, no object per ticket that cannot count in its periods. The index build after a clone
// writes the facts as JSON lines (report-facts.vN.jsonl, a row of encodeFacts a line), which the
// first report turns into columns.
// Like the ticket cache it is keyed by the commit it was built from (and here also by the sections
// of desk.json that decide calendars, SLA targets and who is an agent: factsKey): when the branch
// moved, only the tickets `git diff-tree` names are folded again. Deleting it changes no output.
//
// `--as-of` takes the slow, exact path: every ticket folded again from git ignoring later events,
// with desk.json as it was then. Nothing of that is cached.
import {createHash} from 'node:crypto'
import {closeSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, writeSync} from 'node:fs'
import {endianness} from 'node:os'
import {join} from 'node:path'
import {parseConfig, type DeskConfig} from '../domain/config/config.js'
import {FACTS_COLUMNS, FactsTable, FactsTableBuilder, isFloatColumn, type FactsColumns, type FactsText} from '../domain/reports/facts-table.js'
import {encodeFacts, ticketFacts, type FactsContext, type FactsRow} from '../domain/reports/report-facts.js'
import type {Desk} from './desk.js'
import {foldFile, ticketIdOfPath, ticketPath} from './desk/ticket-file.js'
import {git} from './git.js'
import {foldAll} from './bulk-reader.js'
import {catFileBatch, diffTree, lsTree, readFileAt} from './objects.js'
import {repoCwd, repoEnv} from './repo.js'

/** Bump when the facts' shape or meaning changes: old files are then rebuilt. */
export const FACTS_VERSION = 3

/** The file's first line, padded with spaces so that the columns after it start at a multiple of 8 bytes. */
interface FactsHeader {
  version: number
  commit: string
  deskHash: string
  /** Ticket ids whose files had lines that were skipped. */
  problems: string[]
  /** The typed arrays are written in the machine's byte order: a file from another order is rebuilt. */
  endian: 'LE' | 'BE'
  /** Each column's length (elements), in FACTS_COLUMNS order; then the lengths (bytes) of the JSON text and of the ids. */
  lengths: number[]
  text: number
  ids: number
}

/** The first line of the facts an index build writes (a JSON row of encodeFacts a line after it). */
type LinesHeader = Pick<FactsHeader, 'version' | 'commit' | 'deskHash' | 'problems'>

export interface LoadedFacts {
  facts: FactsTable
  config: DeskConfig
  commit: string
  /** Ticket files with skipped lines (bad JSON, unknown events). */
  problems: string[]
}

/**
 * The parts of desk.json the facts are made from (report-sla.ts, report-facts.ts): the time zone and
 * calendars business time counts in, the SLA policies (and the custom fields their conditions
 * may test), who counts as an agent (first responses), and the departments and format version they
 * are read with. A change anywhere else (the name, rules, automations, mail, hooks, the portal,
 * attachments) keeps the facts: at 100,000 tickets, folding every file again for them took 4 s.
 */
export const FACTS_SECTIONS = ['version', 'timezone', 'calendars', 'sla', 'agents', 'departments', 'fields'] as const

/** The key cached facts are kept under: FACTS_VERSION and the sections of desk.json they depend on (the whole text when it is not a JSON object). */
export function factsKey(text: string | null): string {
  let basis = text ?? ''
  try {
    const desk: unknown = JSON.parse(text ?? '{}')
    if (desk !== null && typeof desk === 'object' && !Array.isArray(desk)) basis = JSON.stringify(FACTS_SECTIONS.map((k) => (desk as Record<string, unknown>)[k] ?? null))
  } catch {
    // not JSON: keyed by the text itself
  }
  return createHash('sha1').update(`${FACTS_VERSION}\n${basis}`).digest('hex')
}
const pad8 = (n: number) => (8 - (n % 8)) % 8

async function deskText(desk: Desk, commit: string): Promise<string | null> {
  return (await readFileAt(desk.repo, commit, 'desk.json'))?.toString('utf8') ?? null
}

/** desk.json at the tip: kept in the ticket cache's meta when that was built from the tip (no git process to start), else from git. */
async function tipDeskText(desk: Desk, tip: string): Promise<string | null> {
  const meta = await desk.cache.meta()
  return meta !== null && meta.commit === tip ? meta.desk : deskText(desk, tip)
}

/** Folds ticket blobs into facts rows; `asOf` ignores later events. */
async function foldFacts(desk: Desk, names: string[], ids: string[], ctx: FactsContext, asOf?: string): Promise<{rows: FactsRow[]; problems: string[]}> {
  const rows: FactsRow[] = []
  const problems: string[] = []
  await catFileBatch(desk.repo, names, (i, content) => {
    if (content === null) return
    const id = ids[i]!
    const l = foldFile(id, ticketPath(id), content.toString('utf8'), asOf)
    if (l.problems.length > 0) problems.push(id)
    if (l.events.length === 0 || l.ticket.createdBy === '') return // did not exist yet (as-of), or no create event
    rows.push(encodeFacts(ticketFacts(l.ticket, l.events, ctx)))
  })
  return {rows, problems}
}

/** Facts lines as the index fold writes them (index-fold.ts: one JSON row of encodeFacts a line), into a table. */
function addLines(b: FactsTableBuilder, lines: string): void {
  for (const l of lines.split('\n')) if (l !== '') b.add(JSON.parse(l) as FactsRow)
}

/** Facts as the index build writes them (header line, then a JSON row a line), as a table; null when missing, of another version or cut short. */
export function readFactsLines(file: string): {header: LinesHeader; table: FactsTable} | null {
  try {
    const text = readFileSync(file, 'utf8')
    const nl = text.indexOf('\n')
    const header = JSON.parse(text.slice(0, nl)) as LinesHeader
    // a file cut short by a crash has no final newline
    if (header.version !== FACTS_VERSION || typeof header.commit !== 'string' || !text.endsWith('\n')) return null
    const b = new FactsTableBuilder()
    addLines(b, text.slice(nl + 1))
    return {header, table: b.build()}
  } catch {
    return null
  }
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

const ENDIAN = endianness()

/** The bytes of a column, as they are in memory. */
const bytesOf = (a: Float64Array | Int32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength)

/** A facts file's header and table; null when it is missing, of another version or byte order, or cut short. */
export function readFactsFile(file: string): {header: FactsHeader; table: FactsTable} | null {
  try {
    let buf: Uint8Array = readFileSync(file)
    const nl = buf.indexOf(10)
    const header = JSON.parse(Buffer.from(buf.buffer, buf.byteOffset, nl).toString('utf8')) as FactsHeader
    if (header.version !== FACTS_VERSION || typeof header.commit !== 'string' || header.endian !== ENDIAN || header.lengths.length !== FACTS_COLUMNS.length) return null
    // Typed arrays view the bytes in place, which needs them 8-byte aligned in memory
    if (buf.byteOffset % 8 !== 0) buf = Uint8Array.from(buf)
    let at = nl + 1
    const columns = {} as Record<keyof FactsColumns, Float64Array | Int32Array>
    FACTS_COLUMNS.forEach((name, k) => {
      const n = header.lengths[k]!
      const float = isFloatColumn(name)
      columns[name] = float ? new Float64Array(buf.buffer, buf.byteOffset + at, n) : new Int32Array(buf.buffer, buf.byteOffset + at, n)
      at += n * (float ? 8 : 4)
      at += pad8(at)
    })
    // a file cut short by a crash (or longer than written) is rebuilt
    if (at + header.text + header.ids !== buf.length) return null
    const bytes = Buffer.from(buf.buffer, buf.byteOffset, buf.length)
    const text = JSON.parse(bytes.toString('utf8', at, at + header.text)) as FactsText
    return {header, table: new FactsTable(columns as unknown as FactsColumns, text, bytes.toString('latin1', at + header.text))}
  } catch {
    return null
  }
}

export class FactsCache {
  readonly file: string
  /** The facts as the index build leaves them, a JSON line each: the first report turns them into `file`. */
  readonly linesFile: string

  constructor(private readonly desk: Desk) {
    this.file = join(desk.cache.dir, `report-facts.v${FACTS_VERSION}.bin`)
    this.linesFile = join(desk.cache.dir, `report-facts.v${FACTS_VERSION}.jsonl`)
  }

  private read(): {header: FactsHeader | LinesHeader; table: FactsTable} | null {
    const cached = readFactsFile(this.file)
    if (cached !== null) return cached
    const lines = readFactsLines(this.linesFile)
    if (lines === null) return null
    const {commit, deskHash, problems} = lines.header
    this.write(commit, deskHash, problems, lines.table) // and the lines file is removed
    return lines
  }

  /** Writes the table (to a temp file, renamed into place); older versions' files are removed. */
  private write(commit: string, deskHash: string, problems: string[], table: FactsTable): void {
    try {
      mkdirSync(this.desk.cache.dir, {recursive: true})
      const tmp = `${this.file}.${process.pid}.tmp`
      const text = Buffer.from(JSON.stringify(table.text), 'utf8')
      const ids = Buffer.from(table.idLines(), 'latin1') // ticket ids are ASCII
      const lengths = FACTS_COLUMNS.map((k) => table.columns[k].length)
      const json = JSON.stringify({version: FACTS_VERSION, commit, deskHash, problems, endian: ENDIAN, lengths, text: text.length, ids: ids.length} satisfies FactsHeader)
      const fd = openSync(tmp, 'w')
      try {
        writeSync(fd, `${json}${' '.repeat(pad8(Buffer.byteLength(json) + 1))}\n`)
        const zeros = new Uint8Array(8)
        for (const k of FACTS_COLUMNS) {
          const bytes = bytesOf(table.columns[k])
          writeSync(fd, bytes)
          writeSync(fd, zeros, 0, pad8(bytes.length))
        }
        writeSync(fd, text)
        writeSync(fd, ids)
      } finally {
        closeSync(fd)
      }
      renameSync(tmp, this.file)
      // the lines this table came from, and older versions' files
      for (const f of readdirSync(this.desk.cache.dir)) if (/^report-facts\.v\d+\.(jsonl|bin)$/.test(f) && join(this.desk.cache.dir, f) !== this.file) rmSync(join(this.desk.cache.dir, f), {force: true})
    } catch {
      // a read-only clone still reports, it just does not keep the facts
    }
  }

  /**
   * Facts lines as a build produces them (the index build after a clone, bulk-reader.ts), streamed
   * to a temp file; close() puts the header with the problems (known only at the end) before them,
   * in `linesFile`. The first report turns them into columns: gathering the columns during the
   * index build cost it about 0.5 s of CPU and 40 to 50 MB at its peak (100k tickets), which a
   * `tix list` after a clone has no use for. Null when the cache folder cannot be written.
   */
  writer(commit: string, deskText: string | null): {add: (lines: string) => void; close: (problems: string[]) => void; abort: () => void} | null {
    const body = `${this.linesFile}.${process.pid}.body`
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
          const tmp = `${this.linesFile}.${process.pid}.tmp`
          const out = openSync(tmp, 'w')
          const src = openSync(body, 'r')
          try {
            writeSync(out, `${JSON.stringify({version: FACTS_VERSION, commit, deskHash: factsKey(deskText), problems} satisfies LinesHeader)}\n`)
            const buf = Buffer.allocUnsafe(1 << 20)
            for (let n; (n = readSync(src, buf, 0, buf.length, null)) > 0; ) writeSync(out, buf, 0, n)
          } finally {
            closeSync(src)
            closeSync(out)
          }
          rmSync(this.file, {force: true}) // columns of an older commit: the lines are newer
          renameSync(tmp, this.linesFile)
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
    const text = await tipDeskText(this.desk, tip)
    const config = parseConfig(text)
    const deskHash = factsKey(text)
    const usable = () => cached !== null && cached.header.commit === tip && cached.header.deskHash === deskHash
    if (!usable() && this.desk.cache.builtFrom() === null) {
      // No ticket cache yet (a fresh clone): the index build writes the facts in the same pass as
      // the summaries and the search text, so the next `tix list` does not read every file again.
      await this.desk.index()
      cached = this.read()
    }
    if (usable()) return {facts: cached!.table, config, commit: tip, problems: cached!.header.problems}
    const ctx = setupFor(config).facts(now)
    if (cached && cached.header.deskHash === deskHash) {
      const changes = await diffTree(this.desk.repo, cached.header.commit, tip).catch(() => null)
      if (changes) {
        const changed = changes.map((c) => ticketIdOfPath(c.path) ?? undefined).filter((x): x is string => x !== undefined)
        const set = new Set(changed)
        const {rows, problems: found} = await foldFacts(this.desk, changed.map((id) => `${tip}:${ticketPath(id)}`), changed, ctx)
        const b = new FactsTableBuilder()
        const old = cached.table
        for (let i = 0; i < old.size; i++) if (!set.has(old.idOf(i))) b.copy(old, i)
        for (const r of rows) b.add(r)
        const table = b.build()
        const problems = [...cached.header.problems.filter((id) => !set.has(id)), ...found]
        this.write(tip, deskHash, problems, table)
        return {facts: table, config, commit: tip, problems}
      }
    }
    // Every ticket file, folded for its facts only: in pack order and in workers on a large desk.
    const {names, ids} = await ticketEntries(this.desk, tip)
    const b = new FactsTableBuilder()
    const problems: string[] = []
    await foldAll(this.desk.repo, names, ids, {
      setup: {deskText: text, now, summaries: false, facts: true, factsRows: true},
      env: this.desk.io.env,
      onBatch: (batch) => {
        for (const r of batch.rows) b.add(r)
        for (const [id] of batch.problems) problems.push(id)
      },
    })
    const table = b.build()
    this.write(tip, deskHash, problems, table)
    return {facts: table, config, commit: tip, problems}
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
  const {rows, problems} = await foldFacts(desk, names, ids, setupFor(config).facts(Date.parse(asOf)), asOf)
  const b = new FactsTableBuilder()
  for (const r of rows) b.add(r)
  return {facts: b.build(), config, commit: tip, problems}
}
