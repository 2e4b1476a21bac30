// Time-based automations (`tix automate`): the automations due on the desk's tickets, and the SLA
// alerts hooks listen for, fired across the desk in one commit.
import {commitMessage} from '../../domain/ticket/describe.js'
import {emptyTicket} from '../../domain/ticket/fold.js'
import {shortId} from '../../domain/ticket/ids.js'
import type {TicketSummary} from '../../domain/ticket/model.js'
import type {NewEvent} from '../../domain/ticket/ticket-ops.js'
import type {DeskConfig} from '../../domain/config/config.js'
import {ticketSla, type TicketSla} from '../../domain/sla/sla.js'
import {Draft, dueAutomations, dueSlaAlerts, fireAutomations, raiseSlaAlerts} from '../../domain/workflow/workflow.js'
import {workflowOf, type HookEvent} from '../../domain/workflow/workflow-config.js'
import type {Desk} from '../../store/desk.js'
import type {HookResult} from '../hooks.js'
import {referencedMacros, workflowEnv} from './env.js'
import {afterCommit} from './triggers.js'

export interface AutomationFiring {
  id: string
  shortId: string
  title: string
  automations: Array<{automation: string; events: number; messages: string[]}>
  alerts: string[]
  events: NewEvent[]
}

/**
 * `tix automate`: fires due automations (and records SLA alerts when hooks want them) across the
 * desk in one commit. Idempotent: every firing records its key, so a second run finds nothing due.
 */
export async function runAutomations(desk: Desk, opts: {dryRun?: boolean} = {}): Promise<{firings: AutomationFiring[]; commit: string | null; hooks: HookResult[]; scanned: number}> {
  const first = await desk.index()
  const wf0 = workflowOf(first.config)
  const alertKinds = new Set<HookEvent>(wf0.hooks.flatMap((h) => [...h.on]).filter((k) => k === 'sla-warning' || k === 'sla-breach'))
  // Automations look at the unresolved queue, and at resolved/closed tickets only when their
  // `status` condition names those (e.g. close tickets resolved for a week).
  const namesDone = (a: (typeof wf0.automations)[number]) =>
    (['resolved', 'closed'] as const).some((status) => a.conditions.explain({...sample, status}).some((c) => c.key === 'status' && c.ok))
  const needDone = wf0.automations.some(namesDone)
  let firings: AutomationFiring[] = []
  let scanned = 0
  const res = await desk.change(async (read, tip, prefetch) => {
    const index = tip === first.commit && (!needDone || first.done) ? first : await desk.index({done: needDone})
    const wf = workflowOf(index.config)
    const now = desk.now()
    const pool = [...Object.values(index.open), ...(needDone ? Object.values(index.done ?? {}).filter((t) => wf.automations.some((a) => namesDone(a) && a.conditions.test(t))) : [])]
    scanned = pool.length
    const slaCache = new Map<string, TicketSla | null>()
    const slaOf = (t: TicketSummary) => {
      if (!slaCache.has(t.id)) slaCache.set(t.id, ticketSla(t, wf, now))
      return slaCache.get(t.id)!
    }
    const plan: Array<{t: TicketSummary; due: ReturnType<typeof dueAutomations>; alerts: ReturnType<typeof dueSlaAlerts>}> = []
    for (const t of pool) {
      const due = wf.automations.length > 0 ? dueAutomations(t, wf, now, slaOf) : []
      const alerts = alertKinds.size > 0 ? dueSlaAlerts(t, slaOf(t), alertKinds) : []
      if (due.length > 0 || alerts.length > 0) plan.push({t, due, alerts})
    }
    firings = []
    if (plan.length === 0) return null
    plan.sort((a, b) => (a.t.createdAt < b.t.createdAt ? -1 : a.t.createdAt > b.t.createdAt ? 1 : a.t.id < b.t.id ? -1 : 1))
    const macros = referencedMacros(wf).filter((m) => wf.automations.some((a) => a.then.macro === m))
    const env = await workflowEnv(desk, index, {commit: tip ?? index.commit, macros})
    await prefetch(plan.map((p) => p.t.id))
    const tickets: {id: string; events: NewEvent[]}[] = []
    for (const p of plan) {
      const loaded = await read(p.t.id)
      if (!loaded) continue
      const draft = new Draft(p.t.id, loaded.events)
      const fired = fireAutomations(draft, p.due, env)
      raiseSlaAlerts(draft, p.alerts, env)
      if (draft.added.length === 0 && fired.every((f) => f.messages.length === 0)) continue
      firings.push({id: p.t.id, shortId: shortId(index.ids, p.t.id), title: p.t.title, automations: fired, alerts: p.alerts.map((a) => `${a.metric} ${a.state}`), events: draft.added})
      if (draft.added.length > 0) tickets.push({id: p.t.id, events: draft.added})
    }
    if (opts.dryRun || tickets.length === 0) return null
    const names = [...new Set(firings.flatMap((f) => f.automations.filter((a) => a.events > 0).map((a) => a.automation)))]
    const message =
      tickets.length === 1
        ? commitMessage(shortId(index.ids, tickets[0]!.id), tickets[0]!.events)
        : `Automations on ${tickets.length} tickets${names.length > 0 ? `: ${names.join(', ')}` : ''}`
    return {tickets, message}
  })
  if (res === null) return {firings, commit: null, hooks: [], scanned}
  return {firings, commit: res.commit, hooks: await afterCommit(desk, res.events, res.tickets, res.commit), scanned}
}

/** Whether `tix automate` has anything to look for on this desk (automations, or SLA alert hooks). */
export function hasAutomationWork(config: DeskConfig): boolean {
  const wf = workflowOf(config)
  return wf.automations.length > 0 || wf.hooks.some((h) => h.on.has('sla-warning') || h.on.has('sla-breach'))
}

/** A ticket with nothing set, for asking which statuses a condition can ever match. */
const sample: TicketSummary = {...emptyTicket(''), status: 'open'}
