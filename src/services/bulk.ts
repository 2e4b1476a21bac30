// Changes to several tickets in one command and one commit (`tix status A B C pending`,
// `tix list -q | tix assign - ana@example.com`). All or nothing: every id is resolved before
// anything is read for writing, and a refusal on any ticket writes nothing.
import {TixError, notFoundError} from '../errors.js'
import {commitMessage} from '../domain/ticket/describe.js'
import type {EventBase} from '../domain/ticket/events.js'
import {shortId} from '../domain/ticket/ids.js'
import type {Ticket} from '../domain/ticket/model.js'
import type {NewEvent, OpContext} from '../domain/ticket/ticket-ops.js'
import {autoAssign as autoAssignDraft, Draft, escalate as escalateDraft, runRules, type EscalateInput, type WorkflowEnv} from '../domain/workflow/workflow.js'
import {workflowOf} from '../domain/workflow/workflow-config.js'
import type {Desk, DeskIndex, LoadedTicket} from '../store/desk.js'
import type {HookResult} from './hooks.js'

export interface BatchItem {
  id: string
  shortId: string
  ticket: LoadedTicket
  /** The events written (empty when nothing changed for this ticket). */
  events: NewEvent[] | EventBase[]
  messages: string[]
}

export interface BatchResult {
  items: BatchItem[]
  commit: string | null
  hooks: HookResult[]
  index: DeskIndex
}

/**
 * Full ids for every input, in order, duplicates dropped. Every unknown or ambiguous input is
 * reported together (exit 3), so a script learns all of them at once; nothing has been written.
 */
export async function resolveIds(desk: Desk, inputs: readonly string[], index?: DeskIndex): Promise<string[]> {
  if (inputs.length === 0) throw new TixError('No ticket ids were given.', {exitCode: 2, code: 'usage', hint: 'Pass ids as arguments, or "-" to read them from standard input: tix list -q | tix status - pending'})
  const idx = index ?? (await desk.index())
  const out: string[] = []
  const failures: {input: string; error: TixError}[] = []
  for (const input of inputs) {
    try {
      const id = await desk.resolveId(input, idx)
      if (!out.includes(id)) out.push(id)
    } catch (error) {
      if (!(error instanceof TixError)) throw error
      failures.push({input, error})
    }
  }
  if (failures.length === 1 && inputs.length === 1) throw failures[0]!.error
  if (failures.length > 0) {
    // A malformed id is bad input (2); otherwise, as for one id, "no such ticket" (3).
    const usage = failures.every((f) => f.error.exitCode === 2)
    const names = failures.slice(0, 10).map((f) => JSON.stringify(f.input)).join(', ') + (failures.length > 10 ? `, ... (${failures.length} in all)` : '')
    const message = `Nothing was changed: ${failures.length} of ${inputs.length} ids ${usage ? 'are not valid' : 'match no ticket (or several)'}: ${names}.`
    const details = {failures: failures.map((f) => ({input: f.input, message: f.error.message, code: f.error.code}))}
    if (usage) throw new TixError(message, {exitCode: 2, code: 'usage', hint: 'Ids are letters and digits like 7K3F9 (at least 4 characters).', details})
    throw notFoundError(message, 'Check them with `tix list --all -q` or `tix search WORDS`.', details)
  }
  return out
}

/** What happens to each ticket of a batch: a plain ticket op, or a step of the workflow (escalation). */
export type BatchOp = {kind: 'op'; op: (t: Ticket, ctx: OpContext) => NewEvent[]} | {kind: 'draft'; fn: (draft: Draft, env: WorkflowEnv) => void}

/** Escalates each ticket as `tix escalate` does one. */
export const escalateOp = (input: EscalateInput): BatchOp => ({kind: 'draft', fn: (draft, env) => void escalateDraft(draft, input, env)})

/** Assigns each ticket by its department's strategy, as `tix assign --auto` does one. */
export const autoAssignOp = (): BatchOp => ({kind: 'draft', fn: (draft, env) => void autoAssignDraft(draft, env, {force: false})})

/**
 * Applies `op` to every ticket and commits everything in one commit. Rules listening to updates
 * run on each changed ticket in the same commit, sharing one view of the agents' load, so
 * automatic assignments spread across the batch as they would one by one.
 */
export async function updateTickets(desk: Desk, inputs: readonly string[], batch: BatchOp, opts: {dryRun?: boolean} = {}): Promise<BatchResult> {
  const index = await desk.index()
  const ids = await resolveIds(desk, inputs, index)
  const [{workflowEnv}, {afterCommit}] = await Promise.all([import('./workflow/env.js'), import('./workflow/triggers.js')])
  let items: BatchItem[] = []
  let used = index
  const res = await desk.change(async (read, tip, prefetch) => {
    const idx = tip === index.commit ? index : await desk.index()
    used = idx
    const wf = workflowOf(idx.config)
    const listens = wf.rules.some((r) => r.on.has('update'))
    let env: WorkflowEnv | null = null
    const workflow = async () => (env ??= await workflowEnv(desk, idx, {commit: tip ?? idx.commit}))
    await prefetch(ids)
    const ctx = desk.opContext()
    items = []
    const tickets: {id: string; events: NewEvent[]}[] = []
    for (const id of ids) {
      const loaded = await read(id)
      const sid = shortId(idx.ids, id)
      if (!loaded) throw new TixError(`Ticket ${sid} is listed but its file is missing on the desk branch; nothing was changed.`, {hint: 'Run `tix doctor`.'})
      const draft = new Draft(id, loaded.events)
      try {
        if (batch.kind === 'op') draft.push(batch.op(loaded.ticket, ctx))
        else batch.fn(draft, await workflow())
        if (draft.added.length > 0 && listens) runRules(draft, 'update', await workflow())
      } catch (error) {
        if (!(error instanceof TixError) || ids.length === 1) throw error
        throw new TixError(`${sid}: ${error.message} Nothing was changed (all ${ids.length} tickets or none).`, {exitCode: error.exitCode, code: error.code, hint: error.hint ?? `Leave ${sid} out and run the command again.`, details: error.details})
      }
      items.push({id, shortId: sid, ticket: {...loaded, ticket: draft.ticket}, events: draft.added, messages: draft.messages})
      if (draft.added.length > 0) tickets.push({id, events: draft.added})
    }
    if (opts.dryRun || tickets.length === 0) return null
    const message = tickets.length === 1 ? commitMessage(shortId(idx.ids, tickets[0]!.id), tickets[0]!.events) : batchMessage(tickets, idx)
    return {tickets, message}
  })
  if (res === null) return {items, commit: null, hooks: [], index: used}
  for (const item of items) {
    const written = res.events.get(item.id)
    if (written) {
      item.events = written
      item.ticket = res.tickets.get(item.id)!
    }
  }
  const hooks = await afterCommit(desk, res.events, res.tickets, res.commit)
  return {items, commit: res.commit, hooks, index: await desk.index()}
}

function batchMessage(tickets: {id: string; events: NewEvent[]}[], idx: DeskIndex): string {
  const first = commitMessage(shortId(idx.ids, tickets[0]!.id), tickets[0]!.events).split('\n')[0]!
  const ids = tickets.map((t) => shortId(idx.ids, t.id))
  return `${tickets.length} tickets: ${first.replace(/^[0-9A-Z]+:\s*/, '')}\n\n${ids.join(' ')}\n`
}
