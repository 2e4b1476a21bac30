// The facts reports run on (domain/report-facts.ts), kept in a cache file of their own next to the
// ticket cache: about 150 bytes a ticket, so a report over 100,000 tickets parses ~15 MB instead of
// every summary. Like the ticket cache it is keyed by the commit it was built from (and here also
// by desk.json, which decides calendars and SLA targets): when the branch moved, only the tickets
// `git diff-tree` names are folded again. Deleting it changes no output.
//
// `--as-of` takes the slow, exact path: every ticket folded again from git ignoring later events,
// with desk.json as it was then. Nothing of that is cached.
import {createHash} from 'node:crypto'
import {mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {parseConfig, type DeskConfig} from '../domain/config.js'
import {decodeFacts, encodeFacts, ticketFacts, type FactsContext, type FactsRow, type TicketFacts} from '../domain/report-facts.js'
import type {Desk} from './desk.js'
import {foldFile, ticketPath} from './desk.js'
import {git} from './git.js'
import {catFileBatch, diffTree, lsTree, readFileAt} from './objects.js'
import {repoCwd, repoEnv} from './repo.js'

/** Bump when the facts' shape or meaning changes: old files are then rebuilt. */
export const FACTS_VERSION = 1
const TICKET_PATH = /^tickets\/[0-9A-Z]{2}\/([0-9A-Z]{10})\.jsonl$/

interface FactsFile {
  version: number
  commit: string
  deskHash: string
  /** Ticket ids whose files had lines that were skipped. */
  problems: string[]
  rows: FactsRow[]
}

/** Facts kept encoded (compact arrays) and decoded one at a time as a report walks them. */
export class FactsRows implements Iterable<TicketFacts> {
  constructor(readonly rows: FactsRow[]) {}
  *[Symbol.iterator](): Iterator<TicketFacts> {
    for (const r of this.rows) yield decodeFacts(r)
  }
  get size(): number {
    return this.rows.length
  }
  /** The earliest creation time (ms), without decoding. */
  firstCreated(fallback: number): number {
    let first = fallback
    for (const r of this.rows) if (r[1] < first) first = r[1]
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

/** Folds ticket blobs and turns each into facts; `asOf` ignores later events. */
async function foldFacts(desk: Desk, names: string[], ids: string[], ctx: FactsContext, asOf?: string): Promise<{facts: FactsRow[]; problems: string[]}> {
  const facts: FactsRow[] = []
  const problems: string[] = []
  await catFileBatch(desk.repo, names, (i, content) => {
    if (content === null) return
    const id = ids[i]!
    const l = foldFile(id, ticketPath(id), content.toString('utf8'), asOf)
    if (l.problems.length > 0) problems.push(id)
    if (l.events.length === 0 || l.ticket.createdBy === '') return // did not exist yet (as-of), or no create event
    facts.push(encodeFacts(ticketFacts(l.ticket, l.events, ctx)))
  })
  return {facts, problems}
}

export class FactsCache {
  readonly file: string

  constructor(private readonly desk: Desk) {
    this.file = join(desk.cache.dir, `report-facts.v${FACTS_VERSION}.json`)
  }

  private read(): FactsFile | null {
    try {
      const f = JSON.parse(readFileSync(this.file, 'utf8')) as FactsFile
      return f.version === FACTS_VERSION && typeof f.commit === 'string' && Array.isArray(f.rows) ? f : null
    } catch {
      return null
    }
  }

  private write(f: FactsFile): void {
    try {
      mkdirSync(this.desk.cache.dir, {recursive: true})
      const tmp = `${this.file}.${process.pid}.tmp`
      writeFileSync(tmp, JSON.stringify(f))
      renameSync(tmp, this.file)
    } catch {
      // a read-only clone still reports, it just does not keep the facts
    }
  }

  /** The facts at the tip: cached, updated from the tickets that changed, or built from git. */
  async load(setupFor: (config: DeskConfig) => {facts: (now: number) => FactsContext}, now: number): Promise<LoadedFacts> {
    const tip = this.desk.requireTip()
    const cached = this.read()
    const text = await deskText(this.desk, tip)
    const config = parseConfig(text)
    const deskHash = hash(text)
    if (cached && cached.commit === tip && cached.deskHash === deskHash) {
      return {facts: new FactsRows(cached.rows), config, commit: tip, problems: cached.problems}
    }
    const ctx = setupFor(config).facts(now)
    if (cached && cached.deskHash === deskHash) {
      const changes = await diffTree(this.desk.repo, cached.commit, tip).catch(() => null)
      if (changes) {
        const changed = changes.map((c) => TICKET_PATH.exec(c.path)?.[1]).filter((x): x is string => x !== undefined)
        const set = new Set(changed)
        const {facts, problems} = await foldFacts(this.desk, changed.map((id) => `${tip}:${ticketPath(id)}`), changed, ctx)
        const rows = cached.rows.filter((r) => !set.has(r[0]))
        rows.push(...facts)
        const allProblems = [...cached.problems.filter((id) => !set.has(id)), ...problems]
        this.write({version: FACTS_VERSION, commit: tip, deskHash, problems: allProblems, rows})
        return {facts: new FactsRows(rows), config, commit: tip, problems: allProblems}
      }
    }
    const entries = (await lsTree(this.desk.repo, tip, 'tickets')).filter((e) => e.type === 'blob' && TICKET_PATH.test(e.path))
    const ids = entries.map((e) => TICKET_PATH.exec(e.path)![1]!)
    const {facts, problems} = await foldFacts(this.desk, entries.map((e) => e.oid), ids, ctx)
    this.write({version: FACTS_VERSION, commit: tip, deskHash, problems, rows: facts})
    return {facts: new FactsRows(facts), config, commit: tip, problems}
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
  const entries = (await lsTree(desk.repo, tip, 'tickets')).filter((e) => e.type === 'blob' && TICKET_PATH.test(e.path))
  const ids = entries.map((e) => TICKET_PATH.exec(e.path)![1]!)
  const {facts, problems} = await foldFacts(desk, entries.map((e) => e.oid), ids, setupFor(config).facts(Date.parse(asOf)), asOf)
  return {facts: new FactsRows(facts), config, commit: tip, problems}
}
