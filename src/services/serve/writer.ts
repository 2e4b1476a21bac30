// One writer for the whole server, with group commit: every change a request asks for waits in a
// queue; the writer takes everything queued and writes it as ONE commit (desk.change with several
// tickets), then answers each request. Requests that arrive while a commit is being written go into
// the next one together. A request is answered only after its commit is on the branch, so nothing
// acknowledged is lost when the process dies; a change whose own checks fail is left out of the
// commit (and answered with its error), the others still go in.
import {TixError} from '../../errors.js'
import {commitMessage} from '../../domain/ticket/describe.js'
import {shortIdPrefix} from '../../domain/ticket/ids.js'
import type {Ticket} from '../../domain/ticket/model.js'
import {createTicket, type NewEvent, type NewTicketInput, type OpContext} from '../../domain/ticket/ticket-ops.js'
import type {EventBase} from '../../domain/ticket/events.js'
import type {Desk, LoadedTicket} from '../../store/desk.js'
import type {FileChange} from '../../store/writer.js'
import {attachEvents, type StagedAttachments} from '../attachments.js'

export type WriteJob =
  | {kind: 'create'; input: Omit<NewTicketInput, 'id'>; custom?: Record<string, unknown>; dedupeKey?: string; attachments?: StagedAttachments}
  | {kind: 'update'; id: string; op: (t: Ticket, ctx: OpContext) => NewEvent[]}

export interface WriteResult {
  id: string
  ticket: LoadedTicket
  events: NewEvent[]
  /** null: the change was a no-op (nothing to write). */
  commit: string | null
  /** How many requests shared the commit. */
  batch: number
  /** A create that found an unresolved ticket with the same dedupe key (returned instead). */
  deduplicated: boolean
}

/** Where a create's dedupe key is kept: a custom field of the ticket. */
export const DEDUPE_FIELD = 'dedupeKey'

interface Pending {
  job: WriteJob
  resolve: (r: WriteResult) => void
  reject: (e: unknown) => void
}

const short = shortIdPrefix

export class GroupWriter {
  private queue: Pending[] = []
  private tasks: Array<() => Promise<void>> = []
  private running = false
  private idle: Array<() => void> = []
  /** Commits written and requests they carried (for /healthz and the tests). */
  readonly stats = {commits: 0, changes: 0, failures: 0, largestBatch: 0}

  constructor(
    private readonly desk: Desk,
    private readonly maxBatch = 256,
  ) {}

  submit(job: WriteJob): Promise<WriteResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({job, resolve, reject})
      if (!this.running) void this.loop()
    })
  }

  /** Runs `fn` between two commits, alone (a sync moves the branch too). */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return new Promise((resolve, reject) => {
      this.tasks.push(() => fn().then(resolve, reject))
      if (!this.running) void this.loop()
    })
  }

  /** Resolves once everything queued so far is written (shutdown). */
  drain(): Promise<void> {
    if (!this.running && this.queue.length === 0) return Promise.resolve()
    return new Promise((r) => this.idle.push(r))
  }

  get queued(): number {
    return this.queue.length
  }

  private async loop(): Promise<void> {
    this.running = true
    try {
      while (this.queue.length > 0 || this.tasks.length > 0) {
        for (const task of this.tasks.splice(0)) await task()
        if (this.queue.length === 0) continue
        const batch: Pending[] = []
        const touched = new Set<string>()
        const later: Pending[] = []
        // Two changes to one ticket go into different commits: each sees the other's result.
        for (const p of this.queue) {
          if (batch.length >= this.maxBatch) later.push(p)
          else if (p.job.kind === 'update' && touched.has(p.job.id)) later.push(p)
          else {
            if (p.job.kind === 'update') touched.add(p.job.id)
            batch.push(p)
          }
        }
        this.queue = later
        await this.write(batch)
      }
    } finally {
      this.running = false
      for (const r of this.idle.splice(0)) r()
    }
  }

  private async write(batch: Pending[]): Promise<void> {
    const {applyTriggers, afterCommit} = await import('../workflow/triggers.js')
    const {configAt} = await import('../workflow/desk-config.js')
    const {workflowOf} = await import('../../domain/workflow/workflow-config.js')
    const desk = this.desk
    // Per request: its ticket id, and the error that kept it out (a failed check), from the last build.
    let outcome = new Map<Pending, {id: string; events: NewEvent[]; deduplicated?: boolean} | {error: unknown}>()
    let res: Awaited<ReturnType<Desk['change']>>
    try {
      res = await desk.change(async (read, tip, prefetch) => {
        outcome = new Map()
        // desk.json once per commit: the rules run only when one listens (reading it per request costs more than the commit).
        const wf = workflowOf((await configAt(desk, tip)).config)
        const listens = (trigger: 'create' | 'update') => wf.rules.some((r) => r.on.has(trigger))
        const triggers = async (id: string, base: readonly EventBase[], events: NewEvent[], trigger: 'create' | 'update', ctx: OpContext) =>
          listens(trigger) ? (await applyTriggers(desk, id, base, events, trigger, ctx, tip)).events : events
        await prefetch(batch.flatMap((p) => (p.job.kind === 'update' ? [p.job.id] : [])))
        const tickets: {id: string; events: NewEvent[]; fresh?: boolean}[] = []
        const files = new Map<string, FileChange>()
        const lines: string[] = []
        // Dedupe keys of the unresolved tickets (from the index, which this writer keeps at the tip) and of this batch.
        let keys: Map<string, string> | null = null
        const dedupe = async (): Promise<Map<string, string>> => {
          if (keys === null) {
            keys = new Map()
            const index = await desk.index()
            for (const t of Object.values(index.open)) {
              const k = t.fields[DEDUPE_FIELD]
              if (typeof k === 'string') keys.set(k, t.id)
            }
          }
          return keys
        }
        for (const p of batch) {
          try {
            const ctx = desk.opContext()
            if (p.job.kind === 'create') {
              const key = p.job.dedupeKey
              if (key !== undefined) {
                const known = (await dedupe()).get(key)
                if (known) {
                  outcome.set(p, {id: known, events: [], deduplicated: true})
                  continue
                }
              }
              const id = desk.newTicketId()
              if (key !== undefined) keys!.set(key, id)
              const custom = {...(p.job.custom ?? {}), ...(key === undefined ? {} : {[DEDUPE_FIELD]: key})}
              const created: NewEvent[] = [createTicket({...p.job.input, id}, ctx)]
              if (Object.keys(custom).length > 0) created.push({v: 1, id: ctx.newEventId(), at: ctx.at, by: ctx.by, type: 'set', fields: {custom}})
              // Files go in with the ticket: blobs and attach events in the same commit.
              if (p.job.attachments) {
                created.push(...attachEvents(null, p.job.attachments, ctx))
                for (const f of p.job.attachments.files) files.set(f.path, f)
              }
              const events = await triggers(id, [], created, 'create', ctx)
              tickets.push({id, events, fresh: true})
              outcome.set(p, {id, events})
              lines.push(commitMessage(short(id), events).split('\n')[0]!)
            } else {
              const current = await read(p.job.id)
              if (!current) throw new TixError(`Ticket ${short(p.job.id)} is listed but its file is missing on the desk branch.`, {hint: 'Run `tix doctor`.'})
              const events = p.job.op(current.ticket, ctx)
              if (events.length === 0) {
                outcome.set(p, {id: p.job.id, events: []})
                continue
              }
              const all = await triggers(p.job.id, current.events, events, 'update', ctx)
              tickets.push({id: p.job.id, events: all})
              outcome.set(p, {id: p.job.id, events: all})
              lines.push(commitMessage(short(p.job.id), all).split('\n')[0]!)
            }
          } catch (error) {
            outcome.set(p, {error})
          }
        }
        if (tickets.length === 0) return null
        const message = lines.length === 1 ? lines[0]! : `${lines.length} changes from tix serve\n\n${lines.map((l) => `- ${l}`).join('\n')}`
        return {tickets, message, ...(files.size > 0 ? {files: [...files.values()]} : {})}
      })
    } catch (error) {
      // Nothing of this batch is on the branch (the commit is one fast-import run): every request fails.
      this.stats.failures++
      const failure = error instanceof TixError ? error : new TixError(`Could not write to the desk: ${(error as Error).message}`, {code: 'write-failed'})
      for (const p of batch) {
        const o = outcome.get(p)
        p.reject(o && 'error' in o ? o.error : Object.assign(failure, {status: 503}))
      }
      return
    }
    if (res) {
      this.stats.commits++
      this.stats.largestBatch = Math.max(this.stats.largestBatch, res.tickets.size)
      await afterCommit(desk, res.events, res.tickets, res.commit)
    }
    for (const p of batch) {
      const o = outcome.get(p)
      if (!o) continue
      if ('error' in o) {
        p.reject(o.error)
        continue
      }
      this.stats.changes++
      let loaded = res?.tickets.get(o.id)
      let commit: string | null = res?.commit ?? null
      if (!loaded || o.events.length === 0) {
        loaded = (await desk.readTicket(o.id).catch(() => null)) ?? undefined
        commit = null
      }
      if (!loaded) p.reject(new TixError(`Ticket ${short(o.id)} could not be read back.`, {hint: 'Run `tix doctor`.'}))
      else p.resolve({id: o.id, ticket: loaded, events: o.events, commit, batch: batch.length, deduplicated: o.deduplicated === true})
    }
  }
}
