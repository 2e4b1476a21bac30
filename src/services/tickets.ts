// One function per use case; commands and the TUI call these with a plain options object.
import {existsSync, mkdirSync} from 'node:fs'
import {resolve} from 'node:path'
import {ExitCode, TixError} from '../errors.js'
import {DEFAULT_CONFIG} from '../domain/config/config.js'
import {SCHEMA_URL, workflowOf} from '../domain/workflow/workflow-config.js'
import {commitMessage} from '../domain/ticket/describe.js'
import {shortIdPrefix} from '../domain/ticket/ids.js'
import type {TicketSummary, Ticket} from '../domain/ticket/model.js'
import {firstInOrder, matcher, matchesAll, needsDone, sorter, sortRows, type SortKey, type TicketQuery} from '../domain/queue/query.js'
import {createTicket, type NewEvent, type NewTicketInput, type OpContext} from '../domain/ticket/ticket-ops.js'
import {checkWrittenValues} from '../domain/ticket/values.js'
import {earlyString, laterString, shiftParts, summaryId, summaryParts, summaryRow, type SummaryLine, type SummaryParts, type TicketRow} from '../domain/ticket/summary-text.js'
import {Desk, type DeskIndex, type DeskIO, type LoadedTicket, type SummaryScan} from '../store/desk.js'

export const GITATTRIBUTES = '# Event logs only ever grow: a plain `git merge` of this branch unions them.\n*.jsonl merge=union\n'

export interface InitResult {
  path: string
  createdRepo: boolean
  createdDesk: boolean
  branch: string
  commit: string
}

/** Makes the desk: the branch with desk.json and .gitattributes (and `git init` first if needed). */
export async function initDesk(io: DeskIO, opts: {name?: string; timezone?: string; remote?: string; fresh?: boolean} = {}): Promise<InitResult> {
  let desk = Desk.find(io)
  let createdRepo = false
  if (!desk) {
    const path = resolve(io.repoPath ?? io.env.TIX_REPO ?? io.cwd)
    if (!existsSync(path)) mkdirSync(path, {recursive: true})
    Desk.initRepository(path)
    createdRepo = true
    desk = Desk.locate({...io, repoPath: path})
  }
  const path = desk.repo.workTree ?? desk.repo.gitDir
  const existing = desk.tip() ?? ((await desk.adoptRemoteBranch()) ? desk.tip() : null)
  if (existing) return {path, createdRepo, createdDesk: false, branch: desk.branch, commit: existing}
  // The branch was deleted but this clone still knows its last desk: say so rather than start over.
  const previous = opts.fresh ? null : await desk.previousDesk()
  if (previous) {
    throw new TixError(`The "${desk.branch}" branch is gone, but this clone had a desk on it (commit ${previous.commit.slice(0, 10)}, ${previous.tickets} ticket${previous.tickets === 1 ? '' : 's'}).`, {
      exitCode: ExitCode.usage,
      code: 'usage',
      hint: `Restore it with \`git branch ${desk.branch} ${previous.commit}\`, or start an empty desk anyway with \`tix init --fresh\`.`,
      details: {commit: previous.commit, tickets: previous.tickets},
    })
  }
  const config = {
    $schema: SCHEMA_URL,
    ...DEFAULT_CONFIG,
    ...(opts.name ? {name: opts.name} : {}),
    ...(opts.timezone ? {timezone: opts.timezone} : {}),
    ...(opts.remote ? {remote: opts.remote} : {}),
  }
  const commit = await desk.commitFiles(
    [
      {path: '.gitattributes', content: GITATTRIBUTES},
      {path: 'desk.json', content: JSON.stringify(config, null, 2) + '\n'},
    ],
    'Create the desk',
  )
  return {path, createdRepo, createdDesk: true, branch: desk.branch, commit}
}

export interface TicketChange {
  ticket: LoadedTicket
  /** The events written (empty when nothing changed). */
  events: NewEvent[]
  commit: string | null
  shortId: string
  /** Rules that changed the ticket in the same commit, and what their events do not say. */
  rules?: string[]
  messages?: string[]
}

const short = shortIdPrefix

export async function newTicket(desk: Desk, input: Omit<NewTicketInput, 'id'>): Promise<TicketChange> {
  const id = desk.newTicketId()
  const {applyTriggers, afterCommit} = await import('./workflow/triggers.js')
  let run: Awaited<ReturnType<typeof applyTriggers>> | null = null
  const res = await desk.change(async (_read, tip) => {
    const ctx = desk.opContext()
    const created = [createTicket({...input, id}, ctx)]
    await checkValues(desk, created, tip)
    // The desk's rules run on the new ticket in the same commit (routing, assignment, SLA policy...).
    run = await applyTriggers(desk, id, [], created, 'create', ctx, tip)
    return {tickets: [{id, events: run.events, fresh: true}], message: commitMessage(short(id), run.events)}
  })
  await afterCommit(desk, res!.events, res!.tickets, res!.commit)
  const r = run as Awaited<ReturnType<typeof applyTriggers>> | null
  return {ticket: res!.tickets.get(id)!, events: res!.events.get(id)!, commit: res!.commit, shortId: short(id), rules: r?.fired ?? [], messages: r?.messages ?? []}
}

/**
 * Applies `op` to one ticket and commits what it returns. `op` sees the ticket as it is at the
 * moment of writing (it runs again if another process wrote first), so its checks are never stale.
 */
export async function updateTicket(desk: Desk, idInput: string, op: (t: Ticket, ctx: OpContext) => NewEvent[]): Promise<TicketChange> {
  const id = await desk.resolveId(idInput)
  const {applyTriggers, afterCommit} = await import('./workflow/triggers.js')
  let unchanged: LoadedTicket | null = null
  let run: Awaited<ReturnType<typeof applyTriggers>> | null = null
  const res = await desk.change(async (read, tip) => {
    const current = await read(id)
    if (!current) throw new TixError(`Ticket ${short(id)} is listed but its file is missing on the desk branch.`, {hint: 'Run `tix doctor`.'})
    const ctx = desk.opContext()
    const events = op(current.ticket, ctx)
    if (events.length === 0) {
      unchanged = current
      return null
    }
    await checkValues(desk, events, tip)
    // Rules listening to updates run in the same commit.
    run = await applyTriggers(desk, id, current.events, events, 'update', ctx, tip)
    return {tickets: [{id, events: run.events}], message: commitMessage(short(id), run.events)}
  })
  if (res === null) return {ticket: unchanged!, events: [], commit: null, shortId: short(id)}
  await afterCommit(desk, res.events, res.tickets, res.commit)
  const r = run as Awaited<ReturnType<typeof applyTriggers>> | null
  return {ticket: res.tickets.get(id)!, events: res.events.get(id)!, commit: res.commit, shortId: short(id), rules: r?.fired ?? [], messages: r?.messages ?? []}
}

/** The assignee and department a command stores: the domain's rule, against desk.json at `tip`. */
async function checkValues(desk: Desk, events: readonly NewEvent[], tip: string | null): Promise<void> {
  const carries = (e: NewEvent) => (e.type === 'create' && (e.assignee != null || e.department != null)) || e.type === 'assign' || (e.type === 'set' && (e.fields as Record<string, unknown> | undefined)?.department != null)
  if (!events.some(carries)) return
  const {configAt} = await import('./workflow/desk-config.js')
  checkWrittenValues(events as never, (await configAt(desk, tip)).config)
}

export interface ListResult {
  tickets: TicketSummary[]
  total: number
  index: DeskIndex
  /** The agent's working view that was applied (their departments), if any. */
  scope?: {departments: string[]; agent: string} | null
}

export async function listTickets(desk: Desk, q: TicketQuery, opts: ListOptions = {}): Promise<ListResult> {
  const words = (q.words ?? []).map((w) => w.toLowerCase()).filter(Boolean)
  // Search: the words are matched on the text journal first, then only the tickets that matched are parsed.
  const index = words.length > 0 ? await desk.index() : await desk.index({done: needsDone(q)})
  const {match, order, scope} = await selection(desk, index, q, opts)
  // Only the first `limit` in order are kept while the matches are read (a search over every
  // ticket of a large desk would otherwise hold thousands of summaries per request).
  const picked = firstInOrder(order, opts.limit !== undefined && opts.limit > 0 ? opts.limit : null)
  if (words.length > 0) {
    const hits = await desk.searchIds(words)
    const open = await desk.openSubset(hits)
    if (needsDone(q)) {
      const resolved = new Set<string>()
      for (const id of hits) if (!open[id]) resolved.add(id)
      await desk.eachDone(resolved, (t) => match(t) && picked.add(t), () => picked.clear())
    }
    for (const t of Object.values(open)) if (match(t)) picked.add(t)
  } else {
    for (const t of Object.values(index.open)) if (match(t)) picked.add(t)
    if (needsDone(q)) for (const t of Object.values(index.done ?? {})) if (match(t)) picked.add(t)
  }
  const {tickets, total} = picked.result()
  return {tickets, total, index, scope}
}

/**
 * A ticket table's rows when every ticket is listed (`tix list --all`), or every unresolved one
 * (`tix list` outside an agent's working view), read from the summaries'
 * texts without parsing them (src/domain/ticket/summary-text.ts). Null when the table needs more
 * than a row holds (a filter, a word search, an agent's working view, the SLA column) or the cache
 * does not hold the tip: use listTickets then.
 */
export async function listRows(desk: Desk, q: TicketQuery, opts: ListOptions = {}): Promise<RowList | null> {
  if (!matchesAll(q) || opts.sort === 'due') return null
  const scan = await desk.scanSummaries({done: needsDone(q)})
  if (!scan) return null
  const index = await desk.index()
  let odd = scan.size < (opts.plainFrom ?? PLAIN_FROM) || workflowOf(index.config).policies.length > 0
  if (!odd && opts.scope && index.config.agents !== undefined) {
    // the working view of an agent listed in desk.json filters by department: a row does not say enough
    const {agentScope} = await import('./workflow/desk-config.js')
    odd = agentScope(desk, index.config) !== null
  }
  if (odd) {
    scan.close()
    return null
  }
  if (scan.size > (opts.holdUpTo ?? ROWS_HOLD_UP_TO)) {
    // a very large desk: only the sort keys are kept, and each listed line is read again as it is written
    const plain = plainStream(scan, opts)
    if (!plain) return null
    return {
      count: plain.count,
      total: plain.total,
      index,
      *rows() {
        for (const {bytes, parts} of plain.summaryLines()) yield summaryRow(bytes, parts) ?? scan.parse(bytes.toString('utf8', parts.start, parts.end))
      },
    }
  }
  const rows: TicketRow[] = []
  scan.eachLine((b, start, end) => {
    if (odd) return
    const p = summaryParts(b, start, end)
    const row = p && summaryRow(b, p)
    if (row) rows.push(row)
    else odd = true
  })
  scan.close()
  if (odd) return null
  sortRows(rows, opts.sort)
  const shown = opts.limit !== undefined && opts.limit > 0 ? rows.slice(0, opts.limit) : rows
  return {count: shown.length, total: rows.length, index, rows: () => shown}
}

/** listRows' answer: how many are listed and matched, and the listed rows in order (read as they are reached on a large desk). */
export interface RowList {
  count: number
  total: number
  index: DeskIndex
  rows: () => Iterable<TicketRow>
}

interface ListOptions {
  sort?: SortKey
  limit?: number
  scope?: boolean
  now?: Date
  /** streamTickets: up to this many tickets, keep the parsed summaries (default HOLD_UP_TO). */
  holdUpTo?: number
  /** listRows: from this many summaries, read them unparsed when the list allows it (default PLAIN_FROM; streamTickets always does). */
  plainFrom?: number
}

/** The filter and the order of a list: the query, the agent's working view, SLA states, due times. */
async function selection(desk: Desk, index: DeskIndex, q: TicketQuery, opts: ListOptions) {
  let scope: ListResult['scope'] = null
  if (opts.scope && index.config.agents !== undefined) {
    const {agentScope} = await import('./workflow/desk-config.js')
    scope = agentScope(desk, index.config)
    if (scope) q = {...q, scope}
  }
  let sla: ((t: TicketSummary) => boolean) | undefined
  if (q.sla && q.sla.length > 0) {
    const {slaPredicate} = await import('./workflow/sla.js')
    sla = slaPredicate(index.config, q.sla, opts.now ?? desk.now())
  }
  const match = matcher({...q, words: undefined}, undefined, sla)
  let dueOf: ((t: TicketSummary) => string | null) | undefined
  if (opts.sort === 'due') {
    const [{slaLookup}, {soonestDue}] = await Promise.all([import('./workflow/sla.js'), import('../domain/sla/sla.js')])
    const slaOf = slaLookup(index.config, opts.now ?? desk.now())
    dueOf = (t) => soonestDue(slaOf(t))
  }
  return {match, dueOf, order: sorter(opts.sort, {dueOf}), scope}
}

/** What a sort reads of a ticket: kept for each match of a wide list instead of the whole summary. */
type SortRow = Pick<TicketSummary, 'id' | 'createdAt' | 'updatedAt' | 'priority' | 'status'> & {ref: number; due: string | null}

/**
 * From this many summaries a table that shows every one (listRows) reads them unparsed. Below it, parsing is
 * as fast: JSON.parse is native, while the per-line code of the unparsed path runs cold in a
 * short-lived process (measured: 1,000 tickets 4-7% slower unparsed, 10,000 12-40% faster).
 */
const PLAIN_FROM = 2_000


/**
 * Up to this many tickets, listRows keeps every row (about 250 bytes each) instead of reading each
 * listed line again: at 100,000 reading them again made a `tix list --all` 1.5 s -> 2.1 s for no
 * less memory. At 1,000,000, rows kept and the output built as one string took 1.4 GB; reading
 * each line again and writing in pieces, 632 MB.
 */
const ROWS_HOLD_UP_TO = 200_000

/** Up to this many tickets, a streamed list keeps the parsed summaries (parsing them again costs more than holding them). */
const HOLD_UP_TO = 20_000

export interface TicketStream {
  /** Tickets listed (after --limit), and how many matched. */
  count: number
  total: number
  index: DeskIndex
  scope: ListResult['scope']
  /** The listed tickets in order (at most `limit`), each parsed as it is reached when the desk is large. */
  tickets: () => Iterable<TicketSummary>
  /** When every ticket is listed: their summaries' UTF-8 texts in order, unparsed, with their parts found (src/domain/ticket/summary-text.ts). */
  summaryLines?: () => Iterable<SummaryLine>
  /** A summary's text parsed. */
  parse?: (text: string) => TicketSummary
}

/**
 * The same list as listTickets, for wide reads (`--all` on a large desk): the summaries are walked
 * one at a time and only what the order needs is kept, so 100,000 tickets are never all objects
 * at once. Null when a word search or a cold cache calls for listTickets instead.
 */
export async function streamTickets(desk: Desk, q: TicketQuery, opts: ListOptions = {}): Promise<TicketStream | null> {
  if ((q.words ?? []).some((w) => w.trim() !== '')) return null
  const scan = await desk.scanSummaries({done: needsDone(q)})
  if (!scan) return null
  const index = await desk.index()
  const {match, order, dueOf, scope} = await selection(desk, index, q, opts)
  const hold = scan.size <= (opts.holdUpTo ?? HOLD_UP_TO)
  // Unlike the table (listRows, PLAIN_FROM), `--json` reads the summaries unparsed at any size: the
  // parsed path hands every summary to ticketJson, which V8 compiles with TurboFan on a background
  // thread once it is hot (17 to 19 ms for the 1,000-ticket queue of the 10k desk), and the process
  // waits for that compile at exit. Median of 15 alternated runs: `list --json` at 10k 188 -> 173 ms.
  if (matchesAll(q) && !scope && opts.sort !== 'due') {
    const plain = plainStream(scan, opts)
    if (plain) return {...plain, index, scope, parse: scan.parse, tickets: () => map(plain.summaryLines(), (l) => scan.parse(l.bytes.toString('utf8', l.parts.start, l.parts.end)))}
  }
  const rows: (SortRow | TicketSummary)[] = []
  scan.each((t, ref) => {
    if (!match(t)) return
    rows.push(hold ? t : {id: t.id, createdAt: t.createdAt, updatedAt: t.updatedAt, priority: t.priority, status: t.status, ref, due: dueOf ? dueOf(t) : null})
  })
  const rowDue = dueOf && ((r: SortRow | TicketSummary) => ('ref' in r ? r.due : dueOf(r)))
  // the sorters read only SortRow's fields (src/domain/queue/query.ts)
  rows.sort((hold ? order : sorter(opts.sort, {dueOf: rowDue as never})) as (a: SortRow | TicketSummary, b: SortRow | TicketSummary) => number)
  const shown = opts.limit !== undefined && opts.limit > 0 ? rows.slice(0, opts.limit) : rows
  return {
    count: shown.length,
    total: rows.length,
    index,
    scope,
    *tickets() {
      try {
        for (const r of shown) yield 'ref' in r ? scan.get(r.ref) : r
      } finally {
        scan.close()
      }
    },
  }
}

/**
 * Every ticket, sorted by what the summaries' texts say without parsing them (summary-text.ts):
 * `list --all --json` then splices each text into the contract's JSON. Null when a text is not in
 * the order the cache writes (the caller parses instead).
 */
function plainStream(scan: SummaryScan, opts: ListOptions) {
  const rows: (SortRow & {parts: SummaryParts})[] = []
  const sort = opts.sort ?? 'created'
  const early = sort === 'priority' || sort === 'status'
  let odd = false
  scan.eachLine((line, start, end, ref) => {
    if (odd) return
    const p = summaryParts(line, start, end)
    const createdAt = p && laterString(line, p, 'createdAt')
    const updatedAt = p && sort === 'updated' ? laterString(line, p, 'updatedAt') : ''
    const priority = p && early ? earlyString(line, p, 'priority') : 'normal'
    const status = p && early ? earlyString(line, p, 'status') : 'new'
    if (!p || createdAt === null || updatedAt === null || priority === null || status === null) {
      odd = true
      return
    }
    rows.push({id: summaryId(line, p), createdAt, updatedAt, priority: priority as TicketSummary['priority'], status: status as TicketSummary['status'], ref, due: null, parts: p})
  })
  if (odd) return null
  sortRows(rows, sort === 'due' ? 'created' : sort)
  const shown = opts.limit !== undefined && opts.limit > 0 ? rows.slice(0, opts.limit) : rows
  return {
    count: shown.length,
    total: rows.length,
    *summaryLines(): Iterable<SummaryLine> {
      try {
        for (const r of shown) {
          const l = scan.line(r.ref)
          yield {bytes: l.bytes, parts: shiftParts(r.parts, l.start)}
        }
      } finally {
        scan.close()
      }
    },
  }
}

function* map<A, B>(xs: Iterable<A>, f: (x: A) => B): Iterable<B> {
  for (const x of xs) yield f(x)
}

/** One ticket, folded from git; `ids` are the desk's sorted ids for its short ids (read only where looked at). */
export async function showTicket(desk: Desk, idInput: string, opts: {asOf?: string} = {}): Promise<{ticket: LoadedTicket; index: DeskIndex; ids: readonly string[]}> {
  const index = await desk.index()
  const id = await desk.resolveId(idInput, index)
  const loaded = await desk.readTicket(id, index.commit, opts.asOf)
  if (!loaded) throw new TixError(`Ticket ${short(id)} is listed but its file is missing on the desk branch.`, {hint: 'Run `tix doctor`.'})
  if (opts.asOf && loaded.events.length === 0) {
    throw new TixError(`Ticket ${short(id)} did not exist yet on ${opts.asOf}.`, {exitCode: 3, code: 'not-found'})
  }
  return {ticket: loaded, index, ids: desk.sortedIds(index)}
}
