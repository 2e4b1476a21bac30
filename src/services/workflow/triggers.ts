// The workflow inside a write: the rules a create or an update triggers run in the same commit,
// and the hooks its events call for run after it. changeOne is the one-ticket write that
// assignment, escalation and macros share (their change, the update rules, one commit, the hooks).
// Every write goes through here, so what only some writes need (the workflow's environment, the
// hook runner) is imported when it is needed: `tix new` on a desk without rules or hooks loads neither.
import {TixError} from '../../errors.js'
import {commitMessage} from '../../domain/ticket/describe.js'
import type {EventBase} from '../../domain/ticket/events.js'
import {shortId, shortIdPrefix} from '../../domain/ticket/ids.js'
import {ticketJson} from '../../domain/ticket/ticket-json.js'
import type {NewEvent, OpContext} from '../../domain/ticket/ticket-ops.js'
import {ticketSla} from '../../domain/sla/sla.js'
import {Draft, hookFires, runRules, type WorkflowEnv} from '../../domain/workflow/workflow.js'
import {workflowOf, type RuleTrigger} from '../../domain/workflow/workflow-config.js'
import type {Desk, LoadedTicket} from '../../store/desk.js'
import type {HookResult} from '../hooks.js'
import {configAt} from './desk-config.js'

export interface TriggerResult {
  events: NewEvent[]
  /** Rules that changed the ticket. */
  fired: string[]
  /** What the events do not say ("nobody: all agents of IT tier 1 are at capacity"). */
  messages: string[]
}

/**
 * Runs the rules listening to `trigger` on a ticket about to get `events`, in the same commit.
 * Returns the events unchanged (and reads nothing more) when no rule listens.
 */
export async function applyTriggers(desk: Desk, id: string, base: readonly EventBase[], events: NewEvent[], trigger: RuleTrigger, ctx: OpContext, tip: string | null): Promise<TriggerResult> {
  const {config} = await configAt(desk, tip)
  const wf = workflowOf(config)
  if (!wf.rules.some((r) => r.on.has(trigger))) return {events, fired: [], messages: []}
  const [index, {workflowEnv}] = await Promise.all([desk.index(), import('./env.js')])
  const env = await workflowEnv(desk, index, {ctx, commit: tip ?? index.commit})
  const draft = new Draft(id, base)
  draft.push(events)
  const reports = runRules(draft, trigger, env)
  return {events: draft.added, fired: reports.filter((r) => r.fired).map((r) => r.rule), messages: draft.messages}
}

/** After a commit: runs the hooks its events call for. Never throws; failures are reported on stderr. */
export async function afterCommit(desk: Desk, written: Map<string, readonly EventBase[]>, tickets: Map<string, LoadedTicket>, commit: string): Promise<HookResult[]> {
  try {
    const fires = [...written].flatMap(([id, events]) => hookFires(id, events))
    if (fires.length === 0) return []
    const {config} = await configAt(desk, commit)
    const wf = workflowOf(config)
    if (wf.hooks.length === 0) return []
    const [index, {runHooks}] = await Promise.all([desk.index(), import('../hooks.js')])
    return await runHooks(desk, wf, fires, (id) => {
      const t = tickets.get(id)?.ticket ?? index.open[id]
      return t ? {...ticketJson(t, index.ids), sla: ticketSla(t, wf, desk.now())} : null
    })
  } catch (error) {
    desk.io.warn(`tix: hooks did not run: ${(error as Error).message}. The change itself is saved.`)
    return []
  }
}

export interface WorkflowChange {
  id: string
  shortId: string
  ticket: LoadedTicket
  events: EventBase[] | NewEvent[]
  commit: string | null
  messages: string[]
  hooks: HookResult[]
}

/**
 * Applies `fn` to a Draft of one ticket and commits what it added (unless dryRun). `fn` runs
 * again when another process moved the branch first, so it always sees the latest ticket.
 * `macros`: the ones `fn` needs loaded (none unless named).
 */
export async function changeOne<T>(
  desk: Desk,
  idInput: string,
  opts: {dryRun?: boolean; macros: readonly string[]},
  fn: (draft: Draft, env: WorkflowEnv) => T,
): Promise<WorkflowChange & {result: T}> {
  const [index, {workflowEnv}] = await Promise.all([desk.index(), import('./env.js')])
  const id = await desk.resolveId(idInput, index)
  let out: {draft: Draft; result: T; loaded: LoadedTicket} | null = null
  const res = await desk.change(async (read, tip) => {
    const loaded = await read(id)
    if (!loaded) throw new TixError(`Ticket ${shortIdPrefix(id)} is listed but its file is missing on the desk branch.`, {hint: 'Run `tix doctor`.'})
    const idx = tip === index.commit ? index : await desk.index()
    const env = await workflowEnv(desk, idx, {macros: opts.macros, commit: tip ?? idx.commit})
    const draft = new Draft(id, loaded.events)
    const result = fn(draft, env)
    // Like any change made through tix, this one is an update the rules may listen to.
    if (draft.added.length > 0 && env.wf.rules.some((r) => r.on.has('update'))) runRules(draft, 'update', env)
    out = {draft, result, loaded}
    if (opts.dryRun || draft.added.length === 0) return null
    return {tickets: [{id, events: draft.added}], message: commitMessage(shortId(desk.sortedIds(idx), id), draft.added)}
  })
  const {draft, result, loaded} = out!
  const sid = shortId(desk.sortedIds(index), id)
  if (res === null) {
    const preview: LoadedTicket = {...loaded, ticket: draft.ticket}
    return {id, shortId: sid, ticket: preview, events: draft.added, commit: null, messages: draft.messages, hooks: [], result}
  }
  const hooks = await afterCommit(desk, res.events, res.tickets, res.commit)
  return {id, shortId: sid, ticket: res.tickets.get(id)!, events: res.events.get(id)!, commit: res.commit, messages: draft.messages, hooks, result}
}
