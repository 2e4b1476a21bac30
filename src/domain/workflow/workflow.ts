// The help-desk workflow as pure operations: rules (triggers) on create and update, actions, macros,
// escalation through tiers, and time-based automations. Each works on a Draft (a ticket plus the
// events it is about to get) and returns events; nothing here reads the clock or touches git.
import {TixError, usageError} from '../../errors.js'
import {addBusinessDays, addBusinessMs, calendarHours, type Calendar} from '../sla/calendar.js'
import {groupName, pickAgent, recordAssignment, type DeskLoad, type Pick} from './assignment.js'
import type {ConditionCheck} from './conditions.js'
import {nextSeq, type EventBase} from '../ticket/events.js'
import {foldTicket} from '../ticket/fold.js'
import {renderMacroBody, templateValues, type Macro} from './macros.js'
import type {Ticket, TicketSummary} from '../ticket/model.js'
import type {TicketSla} from '../sla/sla.js'
import {renderTemplate} from './template.js'
import * as ops from '../ticket/ticket-ops.js'
import {departmentTiers, tierMembers, type Actions, type Automation, type HookEvent, type RuleTrigger, type Strategy, type Workflow} from './workflow-config.js'
import {shortIdPrefix} from '../ticket/ids.js'


/** Everything the workflow needs besides the ticket: the desk's config and state, who acts, when. */
export interface WorkflowEnv {
  wf: Workflow
  load: DeskLoad
  ctx: ops.OpContext
  actor: {email: string; name: string}
  /** Sorted ticket ids (for short ids in replies); may be empty. */
  ids: readonly string[]
  /** Macros by name, loaded by the caller (only those the config or the command names). */
  macros: Map<string, Macro>
  /** The knowledge base, when a macro or rule cites it (loaded by the caller). */
  kb?: KbHelpers
}

/** What the workflow asks of the knowledge base; synchronous, over an index the caller loaded. */
export interface KbHelpers {
  /** Values of the {{article.<slug>.*}} placeholders a text uses, for this ticket's requester. */
  values(t: Ticket, text: string): Record<string, string>
  /** The best published article for the ticket when it scores at least minScore: the reply text and what it cites. */
  best(t: Ticket, minScore: number): {slug: string; lang: string; score: number; text: string} | null
}

export interface HookFire {
  hook: HookEvent
  ticket: string
  event: Record<string, unknown>
}

export type Via = {rule: string} | {automation: string} | {macro: string}

/** A ticket and the events it is about to get; `ticket` is always the fold of both. */
export class Draft {
  readonly added: ops.NewEvent[] = []
  /** What happened that the events do not say (e.g. "nobody: all agents at capacity"). */
  readonly messages: string[] = []
  ticket: Ticket
  private readonly maxSeq: number

  constructor(
    readonly id: string,
    private readonly base: readonly EventBase[],
  ) {
    this.maxSeq = Math.max(0, ...base.map((e) => e.seq))
    this.ticket = foldTicket(id, base).ticket
  }

  private refold(): void {
    let seq = this.maxSeq
    const stamped = this.added.map((e) => ({...e, seq: (seq = nextSeq(seq))}) as EventBase)
    this.ticket = foldTicket(this.id, [...this.base, ...stamped]).ticket
  }

  push(events: ops.NewEvent[], via?: Via, extra: Record<string, unknown> = {}): number {
    if (events.length === 0) return 0
    for (const e of events) this.added.push(via ? {...e, ...extra, via} : {...e, ...extra})
    this.refold()
    return events.length
  }

  insert(index: number, e: ops.NewEvent): void {
    this.added.splice(index, 0, e)
    this.refold()
  }
}

const base = (ctx: ops.OpContext, type: string) => ({v: 1 as const, id: ctx.newEventId(), at: ctx.at, by: ctx.by, type})

/** Runs an op, turning its refusal into a message: one failed action never stops the others. */
function attempt(draft: Draft, what: string, fn: () => void): void {
  try {
    fn()
  } catch (error) {
    if (!(error instanceof TixError)) throw error
    draft.messages.push(`${what}: ${error.message}`)
  }
}

function assignTo(draft: Draft, to: string | null, env: WorkflowEnv, via: Via | undefined, pick?: Pick): void {
  const t = draft.ticket
  if ((to ?? null) === (t.assignee?.toLowerCase() ?? null)) return
  const before = t
  if (draft.push(ops.assign(t, to, env.ctx), via, pick ? {strategy: pick.strategy} : {}) > 0) recordAssignment(env.load, before, to, env.ctx.at)
}

/** Assigns by strategy unless the ticket already has an agent of the right group. */
export function autoAssign(draft: Draft, env: WorkflowEnv, opts: {strategy?: Strategy; cap?: number; force?: boolean} = {}, via?: Via): Pick {
  const t = draft.ticket
  const pick = pickAgent(t, {strategy: opts.strategy, cap: opts.cap}, env.wf, env.load)
  const members = tierMembers(env.wf, t.department, t.tier)
  if (!opts.force && t.assignee !== null && members.includes(t.assignee.toLowerCase())) {
    return {...pick, agent: t.assignee, reason: `${t.assignee} already has it (an agent of ${groupName(env.wf, t.department, t.tier)})`}
  }
  if (pick.agent === null) draft.messages.push(pick.reason)
  else assignTo(draft, pick.agent, env, via, pick)
  return pick
}

export interface ActionOptions {
  /** Replies are automatic (sent by a rule or automation): they never count as a response. */
  auto: boolean
  /** Why the rule or automation fired: the escalation reason when the action gives none. */
  why?: string
  /** Skip the public reply/macro (a rule's reply goes out once per ticket). */
  noReply?: boolean
}

/** Applies an action set in a fixed order: routing first (so assignment sees the new department), status last. */
/** 'rule "x"', 'automation "x"' or 'macro "x"': what made a change, named as it is (was: a macro called a rule). */
export function viaLabel(via: Via): string {
  const [kind, name] = Object.entries(via)[0] ?? ['rule', '?']
  return `${kind} "${String(name)}"`
}

export function applyActions(draft: Draft, a: Actions, env: WorkflowEnv, via: Via, opts: ActionOptions): void {
  const {ctx} = env
  attempt(draft, 'fields', () => {
    const input: ops.SetInput = {}
    if (a.department !== undefined) input.department = a.department
    if (a.tier !== undefined) input.tier = a.tier
    if (a.priority !== undefined) input.priority = a.priority
    if (a.type !== undefined) input.type = a.type
    if (a.addTags) input.addTags = a.addTags
    if (a.removeTags) input.removeTags = a.removeTags
    draft.push(ops.setFields(draft.ticket, input, ctx), via)
  })
  if (a.sla !== undefined && a.sla !== (draft.ticket.slaPolicy ?? null)) draft.push([{...base(ctx, 'sla-policy'), policy: a.sla}], via)
  if (a.escalate) {
    const e = a.escalate
    const reason = e.reason ?? opts.why ?? viaLabel(via)
    attempt(draft, 'escalate', () => escalate(draft, {reason, toDept: e.toDept, to: e.to}, env, via))
  }
  if (a.assign) {
    const x = a.assign
    if (x.me) assignTo(draft, env.actor.email.toLowerCase(), env, via)
    else if (x.agent !== undefined) assignTo(draft, x.agent, env, via)
    else autoAssign(draft, env, {strategy: x.strategy, cap: x.cap}, via)
  }
  if (a.macro && !opts.noReply) {
    const m = env.macros.get(a.macro)
    if (!m) draft.messages.push(`macro "${a.macro}" does not exist (see \`tix macro list\`); no reply sent`)
    else applyMacro(draft, m, env, opts.auto)
  }
  const values = (text = '') => ({...templateValues(draft.ticket, env.ids, env.wf, env.actor), ...(env.kb && text.includes('{{') ? env.kb.values(draft.ticket, text) : {})})
  if (a.reply && !opts.noReply) attempt(draft, 'reply', () => draft.push(ops.reply(draft.ticket, renderMacroBody(a.reply!, values(a.reply)), ctx), via, opts.auto ? {auto: true} : {}))
  if (a.article && !opts.noReply) {
    const min = a.article.minScore
    attempt(draft, 'article', () => {
      const best = env.kb?.best(draft.ticket, min) ?? null
      if (best === null) draft.messages.push(`no published article scored ${min} or more; no article reply sent`)
      else draft.push(ops.reply(draft.ticket, best.text, ctx).map((e) => (e.type === 'reply' ? {...e, article: {slug: best.slug, lang: best.lang, score: best.score}} : e)), via, opts.auto ? {auto: true} : {})
    })
  }
  if (a.note) attempt(draft, 'note', () => draft.push(ops.note(draft.ticket, renderTemplate(a.note!, values()), ctx), via))
  if (a.status) {
    const resolution = a.resolution ?? a.note ?? opts.why ?? viaLabel(via)
    const done = a.status === 'resolved' || a.status === 'closed'
    attempt(draft, 'status', () => draft.push(ops.changeStatus(draft.ticket, a.status!, done ? {resolution: renderTemplate(resolution, values())} : {}, ctx), via))
  }
}

/** A macro: a marker event, the reply (or note) it renders, then its actions. */
export function applyMacro(draft: Draft, m: Macro, env: WorkflowEnv, auto = false): void {
  const via: Via = {macro: m.name}
  const start = draft.added.length
  const kbValues = env.kb && m.body.includes('{{') ? env.kb.values(draft.ticket, m.body) : {}
  const body = m.body.trim() === '' ? '' : renderMacroBody(m.body, {...templateValues(draft.ticket, env.ids, env.wf, env.actor), ...kbValues})
  if (body !== '') {
    if (m.internal) draft.push(ops.note(draft.ticket, body, env.ctx), via)
    else draft.push(ops.reply(draft.ticket, body, env.ctx).map((e) => (e.type === 'reply' ? {...e, ...citedArticle(kbValues)} : e)), via, auto ? {auto: true} : {})
  }
  applyActions(draft, {...m.actions, macro: undefined, reply: undefined, note: undefined}, env, via, {auto})
  draft.insert(start, {...base(env.ctx, 'macro'), name: m.name})
}

/** The first article a rendered text cited (recorded on the reply event, for `tix kb stats` and reports). */
function citedArticle(values: Record<string, string>): {article?: {slug: string; lang: string}} {
  for (const [k, v] of Object.entries(values)) {
    const m = /^article\.(.+)\.lang$/.exec(k)
    if (m) return {article: {slug: m[1]!, lang: v}}
  }
  return {}
}

// ------------------------------------------------------------------ rules

export interface RuleReport {
  rule: string
  /** Whether the rule listens to this trigger. */
  listens: boolean
  matched: boolean
  fired: boolean
  checks: ConditionCheck[]
  /** What the rule changed (event descriptions are the caller's business; here: counts and notes). */
  events: number
  messages: string[]
}

/**
 * Runs the rules in order. A rule that changes the ticket makes the others look again (a later
 * rule may now match, an earlier one too); each rule fires at most once per batch, so the loop
 * ends after at most rules+1 passes whatever the rules say. `manual` (tix route) runs every rule.
 */
export function runRules(draft: Draft, trigger: RuleTrigger | 'manual', env: WorkflowEnv): RuleReport[] {
  const rules = env.wf.rules
  const reports = new Map<string, RuleReport>()
  const fired = new Set<string>()
  for (let pass = 0; pass <= rules.length; pass++) {
    let changed = false
    for (const rule of rules) {
      if (fired.has(rule.name)) continue
      const listens = trigger === 'manual' || rule.on.has(trigger)
      const checks = rule.conditions.explain(draft.ticket)
      const matched = checks.every((c) => c.ok)
      const report: RuleReport = {rule: rule.name, listens, matched, fired: false, checks, events: 0, messages: []}
      reports.set(rule.name, report)
      if (!listens || !matched) continue
      const start = draft.added.length
      const msgStart = draft.messages.length
      // A rule's reply goes out once per ticket: routing again must not mail the requester again.
      const noReply = draft.ticket.rulesApplied?.includes(rule.name) ?? false
      applyActions(draft, rule.then, env, {rule: rule.name}, {auto: true, noReply})
      report.messages = draft.messages.slice(msgStart)
      if (draft.added.length === start) continue
      draft.insert(start, {...base(env.ctx, 'route'), rule: rule.name, trigger})
      report.fired = true
      report.events = draft.added.length - start - 1
      fired.add(rule.name)
      changed = true
      if (rule.stop) return [...reports.values()]
    }
    if (!changed) break
  }
  return rules.map((r) => reports.get(r.name)!).filter(Boolean)
}

// ------------------------------------------------------------------ escalation

export interface EscalateInput {
  reason: string
  toDept?: string
  to?: string
}

/**
 * Escalation (docs/helpdesk.md): to the next tier of the department (hierarchical), or to another
 * department or agent (functional). The reason is required. The new tier's group gets the ticket
 * by its strategy; when everyone there is at capacity it waits unassigned in that tier's queue.
 */
export function escalate(draft: Draft, input: EscalateInput, env: WorkflowEnv, via?: Via): Pick | null {
  const t = draft.ticket
  const {wf} = env
  const sid = shortIdPrefix(t.id)
  const reason = input.reason.trim()
  if (reason === '') throw usageError('Escalating needs a reason: a tier escalates only after it has exhausted its options.', `tix escalate ${sid} --reason "Needs admin rights on the print server"`)
  if (t.status === 'closed') throw new TixError(`Ticket ${sid} is closed; reopen it before escalating.`, {hint: `tix reopen ${sid}`})
  let toDept = t.department
  let toTier: number
  let to: string | null | undefined
  if (input.to !== undefined) {
    const agent = input.to.toLowerCase()
    const conf = wf.agents.get(agent)
    if (wf.agents.size > 0 && !conf) throw usageError(`${input.to} is not an agent of this desk.`, 'See `tix agent list`, or add them with `tix agent add EMAIL`.')
    if (input.toDept !== undefined) toDept = input.toDept
    else if (conf && conf.departments.length > 0 && (toDept === null || !conf.departments.includes(toDept))) toDept = conf.departments[0]!
    toTier = departmentTiers(wf, toDept).find((n) => tierMembers(wf, toDept, n).includes(agent)) ?? conf?.tier ?? t.tier
    to = agent
  } else if (input.toDept !== undefined) {
    if (wf.departments.size > 0 && !wf.departments.has(input.toDept)) {
      throw usageError(`There is no department "${input.toDept}".`, `See \`tix dept list\`, or add it with \`tix dept add ${input.toDept}\`.`)
    }
    toDept = input.toDept
    toTier = departmentTiers(wf, toDept)[0] ?? 1
  } else {
    const tiers = departmentTiers(wf, toDept)
    const next = tiers.find((n) => n > t.tier)
    if (next === undefined) {
      const group = toDept === null ? 'the desk' : (wf.departments.get(toDept)?.name ?? toDept)
      throw new TixError(
        tiers.length === 0
          ? `${group} has no tiers to escalate to: no agents are listed for it.`
          : `Ticket ${sid} is at tier ${t.tier}, the last tier of ${group}.`,
        {hint: `Escalate to another department or agent: tix escalate ${sid} --to-dept DEPT --reason "..." (or --to AGENT).`},
      )
    }
    toTier = next
  }
  let pick: Pick | null = null
  if (to === undefined) {
    pick = pickAgent(t, {department: toDept, tier: toTier}, wf, env.load)
    to = pick.agent
    if (to === null) draft.messages.push(pick.reason)
  }
  if (toDept === t.department && toTier === t.tier && (to ?? null) === t.assignee) {
    throw new TixError(`Ticket ${sid} is already with ${to ?? 'nobody'} in ${groupName(wf, toDept, toTier)}; nothing to escalate.`)
  }
  const before = draft.ticket
  draft.push([{...base(env.ctx, 'escalate'), fromTier: t.tier, toTier, fromDept: t.department, toDept, from: t.assignee, to, reason}], via, pick ? {strategy: pick.strategy} : {})
  if (to !== before.assignee) recordAssignment(env.load, before, to, env.ctx.at)
  return pick
}

// ------------------------------------------------------------------ automations

/** The calendar an automation counts business time in: its own, the department's, the desk's first, or the clock. */
export function automationCalendar(a: Automation, t: TicketSummary, wf: Workflow): Calendar {
  const name = a.calendar ?? (t.department !== null ? wf.departments.get(t.department)?.calendar : null) ?? wf.calendars.keys().next().value ?? null
  return (name !== null && wf.calendars.get(name)) || calendarHours(wf.timezone)
}

export interface DueAutomation {
  automation: Automation
  /** Recorded on the ticket so the same condition never fires twice. */
  key: string
  why: string
}

/**
 * The automations whose conditions hold for `t` at `now` and have not fired for this occurrence
 * of their condition. The key names the occurrence: when the ticket entered its status, its last
 * activity, which SLA clocks breached. A new occurrence (pending again, a new breach) fires again.
 */
export function dueAutomations(t: TicketSummary, wf: Workflow, now: Date, slaOf: (t: TicketSummary) => TicketSla | null): DueAutomation[] {
  const out: DueAutomation[] = []
  for (const a of wf.automations) {
    if (!a.conditions.test(t)) continue
    const anchors: string[] = []
    const why: string[] = []
    const status = t.statusLog.at(-1)
    if (status) anchors.push(`${status.status}@${status.at}`)
    if (a.idleFor) {
      const since = t.activityAt ?? t.updatedAt
      const from = Date.parse(since)
      const cal = automationCalendar(a, t, wf)
      const until = a.idleFor.businessDays !== null ? addBusinessDays(cal, from, a.idleFor.businessDays).getTime() : a.idleFor.business ? addBusinessMs(cal, from, a.idleFor.ms).getTime() : from + a.idleFor.ms
      if (until > now.getTime()) continue
      anchors.push(`idle@${since}`)
      why.push(`no activity for ${a.idleFor.text} (since ${since})`)
    }
    if (a.sla) {
      const s = slaOf(t)
      // Only clocks still running: a late first response that has been given is history, not an emergency.
      const hits = s === null ? [] : (['firstResponse', 'nextResponse', 'resolution'] as const).filter((m) => s[m]?.state === a.sla && s[m]?.fulfilledAt === null)
      if (hits.length === 0) continue
      for (const m of hits) anchors.push(`${m}@${s![m]!.startedAt}`)
      why.push(`SLA ${hits.map((m) => ({firstResponse: 'first response', nextResponse: 'next response', resolution: 'resolution'})[m]).join(', ')} ${a.sla === 'warning' ? 'at risk' : 'breached'}`)
    }
    const key = `${a.name}|${anchors.join('|')}`
    if (t.automations?.includes(key)) continue
    out.push({automation: a, key, why: why.join('; ') || 'conditions hold'})
  }
  return out
}

/** Fires due automations on a draft: each records its key, then its actions (marked as automatic). */
export function fireAutomations(draft: Draft, due: DueAutomation[], env: WorkflowEnv): Array<{automation: string; events: number; messages: string[]}> {
  const out = []
  for (const d of due) {
    const start = draft.added.length
    const msgStart = draft.messages.length
    // Re-check on the draft: an earlier automation in this run may have changed the ticket.
    if (!d.automation.conditions.test(draft.ticket)) continue
    applyActions(draft, d.automation.then, env, {automation: d.automation.name}, {auto: true, why: d.why})
    const messages = draft.messages.slice(msgStart)
    if (draft.added.length === start) {
      out.push({automation: d.automation.name, events: 0, messages})
      continue
    }
    draft.insert(start, {...base(env.ctx, 'automation'), name: d.automation.name, key: d.key, why: d.why})
    out.push({automation: d.automation.name, events: draft.added.length - start - 1, messages})
  }
  return out
}

/** SLA alerts not yet raised for a ticket (for the sla-warning / sla-breach hooks). */
export function dueSlaAlerts(t: TicketSummary, s: TicketSla | null, kinds: Set<HookEvent>): Array<{key: string; metric: string; state: 'warning' | 'breached'; dueAt: string | null}> {
  if (s === null) return []
  const out: Array<{key: string; metric: string; state: 'warning' | 'breached'; dueAt: string | null}> = []
  for (const metric of ['firstResponse', 'nextResponse', 'resolution'] as const) {
    const m = s[metric]
    if (!m || m.fulfilledAt !== null) continue
    const state: 'breached' | 'warning' | null = m.state === 'breached' ? 'breached' : m.state === 'warning' ? 'warning' : null
    if (state === null || !kinds.has(state === 'breached' ? 'sla-breach' : 'sla-warning')) continue
    const key = `${metric}:${state}:${m.startedAt}`
    if (t.slaAlerts?.includes(key)) continue
    out.push({key, metric, state, dueAt: m.dueAt})
  }
  return out
}

export function raiseSlaAlerts(draft: Draft, alerts: ReturnType<typeof dueSlaAlerts>, env: WorkflowEnv): void {
  for (const a of alerts) draft.push([{...base(env.ctx, 'sla-alert'), key: a.key, metric: a.metric, state: a.state, dueAt: a.dueAt}])
}

/** The hook events a set of newly written events calls for (whoever wrote them: a person, a rule, an automation). */
export function hookFires(ticket: string, events: readonly {type: string; [k: string]: unknown}[]): HookFire[] {
  const out: HookFire[] = []
  const strip = (e: Record<string, unknown>) => {
    const {v: _v, seq: _s, ...rest} = e
    return rest
  }
  const created = events.some((e) => e.type === 'create')
  const rules = events.filter((e) => e.type === 'route').map((e) => e.rule)
  if (created && rules.length > 0) out.push({hook: 'created-by-rule', ticket, event: {type: 'created-by-rule', rules}})
  for (const e of events) {
    if (e.type === 'assign' && e.to) out.push({hook: 'assigned', ticket, event: strip(e)})
    else if (e.type === 'create' && e.assignee) out.push({hook: 'assigned', ticket, event: {...strip(e), type: 'assign', from: null, to: e.assignee}})
    else if (e.type === 'escalate') {
      out.push({hook: 'escalated', ticket, event: strip(e)})
      if (e.to && e.to !== e.from) out.push({hook: 'assigned', ticket, event: {...strip(e), type: 'assign'}})
    } else if (e.type === 'sla-alert') out.push({hook: e.state === 'breached' ? 'sla-breach' : 'sla-warning', ticket, event: strip(e)})
  }
  return out
}

