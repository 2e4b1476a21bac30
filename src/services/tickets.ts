// One function per use case; commands and the TUI call these with a plain options object.
import {existsSync, mkdirSync} from 'node:fs'
import {resolve} from 'node:path'
import {TixError} from '../errors.js'
import {DEFAULT_CONFIG} from '../domain/config.js'
import {commitMessage} from '../domain/describe.js'
import {SHORT_ID_LENGTH} from '../domain/ids.js'
import type {TicketSummary, Ticket} from '../domain/model.js'
import {matcher, needsDone, sorter, type SortKey, type TicketQuery} from '../domain/query.js'
import {createTicket, type NewEvent, type NewTicketInput, type OpContext} from '../domain/ticket-ops.js'
import {Desk, type DeskIndex, type DeskIO, type LoadedTicket} from '../store/desk.js'
import {gitSync} from '../store/git.js'

export const GITATTRIBUTES = '# Event logs only ever grow: a plain `git merge` of this branch unions them.\n*.jsonl merge=union\n'

export interface InitResult {
  path: string
  createdRepo: boolean
  createdDesk: boolean
  branch: string
  commit: string
}

/** Makes the desk: the branch with desk.json and .gitattributes (and `git init` first if needed). */
export async function initDesk(io: DeskIO, opts: {name?: string; timezone?: string; remote?: string} = {}): Promise<InitResult> {
  let desk = Desk.find(io)
  let createdRepo = false
  if (!desk) {
    const path = resolve(io.repoPath ?? io.env.TIX_REPO ?? io.cwd)
    if (!existsSync(path)) mkdirSync(path, {recursive: true})
    gitSync(['init', '--quiet', path], {cwd: path})
    createdRepo = true
    desk = Desk.locate({...io, repoPath: path})
  }
  const path = desk.repo.workTree ?? desk.repo.gitDir
  const existing = desk.tip() ?? ((await desk.adoptRemoteBranch()) ? desk.tip() : null)
  if (existing) return {path, createdRepo, createdDesk: false, branch: desk.branch, commit: existing}
  const config = {
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
}

const short = (id: string) => id.slice(0, SHORT_ID_LENGTH)

export async function newTicket(desk: Desk, input: Omit<NewTicketInput, 'id'>): Promise<TicketChange> {
  const id = desk.newTicketId()
  const res = await desk.change(async () => {
    const ctx = desk.opContext()
    const events = [createTicket({...input, id}, ctx)]
    return {tickets: [{id, events, fresh: true}], message: commitMessage(short(id), events as NewEvent[])}
  })
  return {ticket: res!.tickets.get(id)!, events: res!.events.get(id)!, commit: res!.commit, shortId: short(id)}
}

/**
 * Applies `op` to one ticket and commits what it returns. `op` sees the ticket as it is at the
 * moment of writing (it runs again if another process wrote first), so its checks are never stale.
 */
export async function updateTicket(desk: Desk, idInput: string, op: (t: Ticket, ctx: OpContext) => NewEvent[]): Promise<TicketChange> {
  const id = await desk.resolveId(idInput)
  let unchanged: LoadedTicket | null = null
  const res = await desk.change(async (read) => {
    const current = await read(id)
    if (!current) throw new TixError(`Ticket ${short(id)} is listed but its file is missing on the desk branch.`, {hint: 'Run `tix doctor`.'})
    const events = op(current.ticket, desk.opContext())
    if (events.length === 0) {
      unchanged = current
      return null
    }
    return {tickets: [{id, events}], message: commitMessage(short(id), events)}
  })
  if (res === null) return {ticket: unchanged!, events: [], commit: null, shortId: short(id)}
  return {ticket: res.tickets.get(id)!, events: res.events.get(id)!, commit: res.commit, shortId: short(id)}
}

export interface ListResult {
  tickets: TicketSummary[]
  total: number
  index: DeskIndex
}

export async function listTickets(desk: Desk, q: TicketQuery, opts: {sort?: SortKey; limit?: number} = {}): Promise<ListResult> {
  const words = q.words ?? []
  const index = await desk.index({done: needsDone(q), text: words.length > 0})
  const match = matcher(q, index.text ?? undefined)
  const pool = [...Object.values(index.open), ...(needsDone(q) ? Object.values(index.done ?? {}) : [])]
  const all = pool.filter(match).sort(sorter(opts.sort))
  const tickets = opts.limit !== undefined && opts.limit > 0 ? all.slice(0, opts.limit) : all
  return {tickets, total: all.length, index}
}

export async function showTicket(desk: Desk, idInput: string, opts: {asOf?: string} = {}): Promise<{ticket: LoadedTicket; index: DeskIndex}> {
  const index = await desk.index()
  const id = await desk.resolveId(idInput, index)
  const loaded = await desk.readTicket(id, index.commit, opts.asOf)
  if (!loaded) throw new TixError(`Ticket ${short(id)} is listed but its file is missing on the desk branch.`, {hint: 'Run `tix doctor`.'})
  if (opts.asOf && loaded.events.length === 0) {
    throw new TixError(`Ticket ${short(id)} did not exist yet on ${opts.asOf}.`, {exitCode: 3, code: 'not-found'})
  }
  return {ticket: loaded, index}
}
