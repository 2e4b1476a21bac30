// Where tickets go: assignment by the departments' strategies, escalation through a department's
// tiers, and re-running the desk's rules on tickets already filed (`tix route`).
import {TixError, usageError} from '../../errors.js'
import {commitMessage} from '../../domain/ticket/describe.js'
import {shortId} from '../../domain/ticket/ids.js'
import type {NewEvent} from '../../domain/ticket/ticket-ops.js'
import type {Pick} from '../../domain/workflow/assignment.js'
import {autoAssign as autoAssignDraft, Draft, escalate as escalateDraft, runRules, type EscalateInput, type RuleReport} from '../../domain/workflow/workflow.js'
import {workflowOf} from '../../domain/workflow/workflow-config.js'
import type {Desk} from '../../store/desk.js'
import type {HookResult} from '../hooks.js'
import {workflowEnv} from './env.js'
import {afterCommit, changeOne} from './triggers.js'

/** `tix assign --auto`: an agent picked by the department's strategy (kept when one of its tier already has it). */
export function autoAssign(desk: Desk, idInput: string, opts: {dryRun?: boolean} = {}) {
  return changeOne(desk, idInput, {...opts, macros: []}, (draft, env) => autoAssignDraft(draft, env, {force: false}))
}

/** `tix escalate`: to the next tier (or another department, or a named agent), with a reason. */
export function escalateTicket(desk: Desk, idInput: string, input: EscalateInput, opts: {dryRun?: boolean} = {}) {
  if (input.reason.trim() === '') {
    throw usageError('Escalating needs a reason: a tier escalates only after it has exhausted its options.', `tix escalate ${idInput} --reason "Needs admin rights on the print server"`)
  }
  if (input.to !== undefined && input.toDept !== undefined && input.to.trim() === '') throw usageError('--to needs an agent e-mail.')
  return changeOne(desk, idInput, {...opts, macros: []}, (draft, env): Pick | null => escalateDraft(draft, input, env))
}

export interface RouteResult {
  id: string
  shortId: string
  title: string
  reports: RuleReport[]
  events: NewEvent[]
  messages: string[]
}

/** Re-runs every rule on tickets (one, or the whole unresolved queue); one commit for all. */
export async function routeTickets(desk: Desk, opts: {ids?: string[]; all?: boolean; dryRun?: boolean}): Promise<{results: RouteResult[]; commit: string | null; hooks: HookResult[]}> {
  const index = await desk.index()
  const wf = workflowOf(index.config)
  if (wf.rules.length === 0) throw new TixError('This desk has no rules to run.', {hint: 'Add rules under "rules" in desk.json with `tix config edit` or `tix config set rules \'[...]\'`.'})
  const ids = opts.all ? Object.keys(index.open).sort() : await Promise.all((opts.ids ?? []).map((i) => desk.resolveId(i, index)))
  let results: RouteResult[] = []
  const res = await desk.change(async (read, tip, prefetch) => {
    const idx = tip === index.commit ? index : await desk.index()
    const env = await workflowEnv(desk, idx, {commit: tip ?? idx.commit})
    await prefetch(ids)
    results = []
    const tickets: {id: string; events: NewEvent[]}[] = []
    for (const id of ids) {
      const loaded = await read(id)
      if (!loaded) continue
      const draft = new Draft(id, loaded.events)
      const reports = runRules(draft, 'manual', env)
      results.push({id, shortId: shortId(idx.ids, id), title: draft.ticket.title, reports, events: draft.added, messages: draft.messages})
      if (draft.added.length > 0) tickets.push({id, events: draft.added})
    }
    if (opts.dryRun || tickets.length === 0) return null
    const message = tickets.length === 1 ? commitMessage(shortId(idx.ids, tickets[0]!.id), tickets[0]!.events) : `Route ${tickets.length} tickets by the desk's rules`
    return {tickets, message}
  })
  if (res === null) return {results, commit: null, hooks: []}
  return {results, commit: res.commit, hooks: await afterCommit(desk, res.events, res.tickets, res.commit)}
}
