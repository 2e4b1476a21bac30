// Use cases of the help-desk workflow: rules on create/update, routing, assignment, escalation,
// SLA views, automations, macros, and desk.json editing. Commands and the TUI call these.
import {emptyTicket} from '../domain/ticket/fold.js'
import {TixError, usageError} from '../errors.js'
import {parseConfig, type DeskConfig} from '../domain/config/config.js'
import {commitMessage} from '../domain/ticket/describe.js'
import type {EventBase} from '../domain/ticket/events.js'
import {shortId, shortIdPrefix} from '../domain/ticket/ids.js'
import {kbHelpers} from './kb/search.js'
import {checkMacroName, macroPath, parseMacro, serializeMacro, type Macro} from '../domain/workflow/macros.js'
import type {TicketSummary} from '../domain/ticket/model.js'
import {slaSortKey, ticketSla, type TicketSla} from '../domain/sla/sla.js'
import type {NewEvent, OpContext} from '../domain/ticket/ticket-ops.js'
import {
  applyMacro,
  autoAssign as autoAssignDraft,
  deskLoad,
  Draft,
  dueAutomations,
  dueSlaAlerts,
  escalate as escalateDraft,
  fireAutomations,
  hookFires,
  raiseSlaAlerts,
  runRules,
  type EscalateInput,
  type RuleReport,
  type WorkflowEnv,
} from '../domain/workflow/workflow.js'
import {actionRefs, workflowOf, type HookEvent, type RuleTrigger, type Workflow} from '../domain/workflow/workflow-config.js'
import type {Pick} from '../domain/workflow/assignment.js'
import {ticketJson} from '../domain/ticket/ticket-json.js'
import type {Desk, DeskIndex, LoadedTicket} from '../store/desk.js'
import {runHooks, type HookResult} from './hooks.js'

const short = shortIdPrefix

// ------------------------------------------------------------------ config and environment

/** desk.json at `tip` (the cache's copy when it was built from that commit: no git call). */
export async function configAt(desk: Desk, tip: string | null): Promise<{text: string | null; config: DeskConfig}> {
  if (tip === null) return {text: null, config: parseConfig(null)}
  const text = await desk.deskText(tip)
  return {text, config: parseConfig(text)}
}

const usesRoundRobin = (wf: Workflow) =>
  [...wf.departments.values()].some((d) => d.assignment === 'round-robin') ||
  [...wf.rules, ...wf.automations].some((r) => r.then.assign?.strategy === 'round-robin')

/** The macros rules and automations refer to. */
const referencedMacros = (wf: Workflow) => [...new Set([...wf.rules, ...wf.automations].map((r) => r.then.macro).filter((m): m is string => m !== undefined))]

/** Reads and validates macros (a missing one is simply absent from the map). */
export async function loadMacros(desk: Desk, commit: string, wf: Workflow, config: DeskConfig, names: readonly string[]): Promise<Map<string, Macro>> {
  const out = new Map<string, Macro>()
  for (const name of names) {
    const blob = await desk.readFile(macroPath(name), commit)
    if (blob) out.set(name, parseMacro(name, blob.toString('utf8'), wf, actionRefs(wf, config)))
  }
  return out
}

/** Everything the workflow functions need: loads from the index (plus history for round-robin). */
export async function workflowEnv(desk: Desk, index: DeskIndex, opts: {ctx?: OpContext; macros?: readonly string[]; commit?: string} = {}): Promise<WorkflowEnv> {
  const wf = workflowOf(index.config)
  const done = usesRoundRobin(wf) ? (index.done ?? (await desk.index({done: true})).done ?? {}) : {}
  const load = deskLoad([...Object.values(index.open), ...Object.values(done)])
  const actor = desk.actor()
  const macros = await loadMacros(desk, opts.commit ?? index.commit, wf, index.config, opts.macros ?? referencedMacros(wf))
  return {
    wf,
    load,
    ctx: opts.ctx ?? desk.opContext(),
    actor: {email: actor.email, name: actor.name},
    ids: index.ids,
    macros,
    ...(citesKb(wf, macros) ? {kb: await kbHelpers(desk, opts.commit ?? index.commit, index.config)} : {}),
  }
}

/** Whether a rule answers with an article or a macro cites one: only then is the knowledge base loaded. */
function citesKb(wf: Workflow, macros: Map<string, Macro>): boolean {
  return (
    [...wf.rules, ...wf.automations].some((r) => r.then.article !== undefined || (r.then.reply ?? '').includes('{{article.')) ||
    [...macros.values()].some((m) => m.body.includes('{{article.'))
  )
}

// ------------------------------------------------------------------ rules on create and update

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
  const index = await desk.index()
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
    const index = await desk.index()
    return await runHooks(desk, wf, fires, (id) => {
      const t = tickets.get(id)?.ticket ?? index.open[id]
      return t ? {...ticketJson(t, index.ids), sla: ticketSla(t, wf, desk.now())} : null
    })
  } catch (error) {
    desk.io.warn(`tix: hooks did not run: ${(error as Error).message}. The change itself is saved.`)
    return []
  }
}

// ------------------------------------------------------------------ one ticket through the workflow

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
 */
async function changeOne<T>(
  desk: Desk,
  idInput: string,
  opts: {dryRun?: boolean; macros?: readonly string[]},
  fn: (draft: Draft, env: WorkflowEnv) => T,
): Promise<WorkflowChange & {result: T}> {
  const index = await desk.index()
  const id = await desk.resolveId(idInput, index)
  let out: {draft: Draft; result: T; loaded: LoadedTicket} | null = null
  const res = await desk.change(async (read, tip) => {
    const loaded = await read(id)
    if (!loaded) throw new TixError(`Ticket ${short(id)} is listed but its file is missing on the desk branch.`, {hint: 'Run `tix doctor`.'})
    const idx = tip === index.commit ? index : await desk.index()
    const env = await workflowEnv(desk, idx, {macros: opts.macros, commit: tip ?? idx.commit})
    const draft = new Draft(id, loaded.events)
    const result = fn(draft, env)
    // Like any change made through tix, this one is an update the rules may listen to.
    if (draft.added.length > 0 && env.wf.rules.some((r) => r.on.has('update'))) runRules(draft, 'update', env)
    out = {draft, result, loaded}
    if (opts.dryRun || draft.added.length === 0) return null
    return {tickets: [{id, events: draft.added}], message: commitMessage(shortId(idx.ids, id), draft.added)}
  })
  const {draft, result, loaded} = out!
  const sid = shortId(index.ids, id)
  if (res === null) {
    const preview: LoadedTicket = {...loaded, ticket: draft.ticket}
    return {id, shortId: sid, ticket: preview, events: draft.added, commit: null, messages: draft.messages, hooks: [], result}
  }
  const hooks = await afterCommit(desk, res.events, res.tickets, res.commit)
  return {id, shortId: sid, ticket: res.tickets.get(id)!, events: res.events.get(id)!, commit: res.commit, messages: draft.messages, hooks, result}
}

export function autoAssign(desk: Desk, idInput: string, opts: {dryRun?: boolean} = {}) {
  return changeOne(desk, idInput, {...opts, macros: []}, (draft, env) => autoAssignDraft(draft, env, {force: false}))
}

export function escalateTicket(desk: Desk, idInput: string, input: EscalateInput, opts: {dryRun?: boolean} = {}) {
  if (input.reason.trim() === '') {
    throw usageError('Escalating needs a reason: a tier escalates only after it has exhausted its options.', `tix escalate ${idInput} --reason "Needs admin rights on the print server"`)
  }
  if (input.to !== undefined && input.toDept !== undefined && input.to.trim() === '') throw usageError('--to needs an agent e-mail.')
  return changeOne(desk, idInput, {...opts, macros: []}, (draft, env): Pick | null => escalateDraft(draft, input, env))
}

export function applyMacroTo(desk: Desk, name: string, idInput: string, opts: {dryRun?: boolean} = {}) {
  checkMacroName(name)
  return changeOne(desk, idInput, {...opts, macros: [name]}, (draft, env) => {
    const m = env.macros.get(name)
    if (!m) throw new TixError(`There is no macro "${name}".`, {exitCode: 3, code: 'not-found', hint: 'See `tix macro list`, or make it with `tix macro new ' + name + '`.'})
    applyMacro(draft, m, env)
    return m
  })
}

// ------------------------------------------------------------------ routing

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

// ------------------------------------------------------------------ SLA

export interface SlaRow {
  ticket: TicketSummary
  sla: TicketSla | null
}

export type SlaFilter = 'breached' | 'at-risk' | 'ok' | 'none'

/** Whether a ticket's SLA is in one of the filter's states (at-risk = warning). */
export function slaMatches(s: TicketSla | null, filters: readonly SlaFilter[]): boolean {
  for (const f of filters) {
    if (f === 'none' && s === null) return true
    if (s === null) continue
    if (f === 'breached' && s.state === 'breached') return true
    if (f === 'at-risk' && s.state === 'warning') return true
    if (f === 'ok' && (s.state === 'ok' || s.state === 'paused' || s.state === 'met')) return true
  }
  return false
}

/**
 * The acting agent's working view: their departments (from `agents` and the departments' tiers).
 * null when the actor is not an agent of any department. A view, not access control.
 */
export function agentScope(desk: Desk, config: DeskConfig): {departments: string[]; agent: string} | null {
  const wf = workflowOf(config)
  if (wf.agents.size === 0) return null
  const me = desk.actor().id.toLowerCase()
  const depts = new Set(wf.agents.get(me)?.departments ?? [])
  for (const d of wf.departments.values()) for (const members of d.tiers.values()) if (members.includes(me)) depts.add(d.key)
  return depts.size === 0 ? null : {departments: [...depts].sort(), agent: me}
}

/** A predicate for `tix list --sla ...`. */
export function slaPredicate(config: DeskConfig, filters: readonly string[], now: Date): (t: TicketSummary) => boolean {
  const slaOf = slaLookup(config, now)
  return (t) => slaMatches(slaOf(t), filters as SlaFilter[])
}

const slaMemo = new WeakMap<DeskConfig, {now: number; map: Map<string, TicketSla | null>}>()

/** SLA per ticket, computed once per command (the filter, the table column and the JSON share it). */
export function slaLookup(config: DeskConfig, now: Date): (t: TicketSummary) => TicketSla | null {
  const wf = workflowOf(config)
  let memo = slaMemo.get(config)
  if (!memo || memo.now !== now.getTime()) slaMemo.set(config, (memo = {now: now.getTime(), map: new Map()}))
  const map = memo.map
  return (t) => {
    if (wf.policies.length === 0) return null
    let s = map.get(t.id)
    if (s === undefined) map.set(t.id, (s = ticketSla(t, wf, now)))
    return s
  }
}

export async function slaOfTicket(desk: Desk, idInput: string, opts: {asOf?: string} = {}) {
  const index = await desk.index()
  const id = await desk.resolveId(idInput, index)
  const loaded = await desk.readTicket(id, index.commit, opts.asOf)
  if (!loaded) throw new TixError(`Ticket ${short(id)} is listed but its file is missing on the desk branch.`, {hint: 'Run `tix doctor`.'})
  const wf = workflowOf(index.config)
  const now = opts.asOf ? new Date(opts.asOf) : desk.now()
  return {ticket: loaded.ticket, sla: ticketSla(loaded.ticket, wf, now), index, wf, now}
}

/** The SLA queue: unresolved tickets in the given states, soonest due first. */
export async function slaQueue(desk: Desk, filters: readonly SlaFilter[], opts: {match?: (t: TicketSummary) => boolean} = {}) {
  const index = await desk.index()
  const wf = workflowOf(index.config)
  const now = desk.now()
  const rows: SlaRow[] = []
  for (const t of Object.values(index.open)) {
    if (opts.match && !opts.match(t)) continue
    const sla = ticketSla(t, wf, now)
    if (slaMatches(sla, filters)) rows.push({ticket: t, sla})
  }
  rows.sort((a, b) => slaSortKey(a.sla) - slaSortKey(b.sla) || (a.ticket.id < b.ticket.id ? -1 : 1))
  return {rows, index, wf, now}
}

// ------------------------------------------------------------------ automations

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

// ------------------------------------------------------------------ desk.json

/**
 * Changes desk.json in one commit: `edit` gets the current value (as parsed JSON) and returns the
 * new one. The result is validated before anything is written; on a moved branch it runs again.
 */
export async function updateDeskJson(desk: Desk, message: string, edit: (current: Record<string, unknown>) => Record<string, unknown>): Promise<{commit: string | null; config: Record<string, unknown>}> {
  let next: Record<string, unknown> = {}
  const res = await desk.change(async (_read, tip) => {
    const text = tip ? ((await desk.readFile('desk.json', tip))?.toString('utf8') ?? null) : null
    const current = parseConfig(text) as Record<string, unknown> // refuses to edit a broken file (exit 2)
    // Edit the file as written (key order, no defaults filled in), not the parsed config.
    next = edit(text === null ? {...current} : (JSON.parse(text) as Record<string, unknown>))
    const out = JSON.stringify(next, null, 2) + '\n'
    try {
      parseConfig(out)
    } catch (error) {
      if (!(error instanceof TixError)) throw error
      const problems = (error.details as {problems?: {path: string; message: string}[]} | undefined)?.problems
      const what = problems ? problems.map((p) => `${p.path}: ${p.message}`).join('; ') : error.message
      throw usageError(`Not saved: desk.json would not be valid: ${what}.`, 'Check the value; `tix config get` shows the current desk.json.', {problems: problems ?? []})
    }
    if (text !== null && out === text) return null
    return {tickets: [], message, files: [{path: 'desk.json', content: out}]}
  })
  return {commit: res?.commit ?? null, config: next}
}

/** Saves desk.json text as given (tix config edit), after validating it. */
export async function saveDeskJsonText(desk: Desk, text: string, message = 'Edit desk.json'): Promise<string | null> {
  parseConfig(text, 'The edited desk.json')
  const res = await desk.change(async (_read, tip) => {
    const current = tip ? ((await desk.readFile('desk.json', tip))?.toString('utf8') ?? null) : null
    if (current === text) return null
    return {tickets: [], message, files: [{path: 'desk.json', content: text}]}
  })
  return res?.commit ?? null
}

export async function deskJsonText(desk: Desk): Promise<string | null> {
  return (await desk.readFile('desk.json', desk.requireTip()))?.toString('utf8') ?? null
}

// ------------------------------------------------------------------ macros

export async function listMacros(desk: Desk): Promise<Array<{name: string; macro: Macro | null; problem: string | null}>> {
  const tip = desk.requireTip()
  const entries = (await desk.listFiles('macros', tip)).filter((e) => /^macros\/[^/]+\.md$/.test(e.path))
  const index = await desk.index()
  const wf = workflowOf(index.config)
  const out = []
  for (const e of entries) {
    const name = e.path.slice('macros/'.length, -'.md'.length)
    try {
      const blob = await desk.readFile(e.path, tip)
      out.push({name, macro: parseMacro(name, blob?.toString('utf8') ?? '', wf, actionRefs(wf, index.config)), problem: null})
    } catch (error) {
      out.push({name, macro: null, problem: (error as Error).message})
    }
  }
  return out
}

export async function readMacro(desk: Desk, name: string): Promise<{macro: Macro; text: string}> {
  checkMacroName(name)
  const blob = await desk.readFile(macroPath(name))
  if (!blob) throw new TixError(`There is no macro "${name}".`, {exitCode: 3, code: 'not-found', hint: `See \`tix macro list\`, or make it with \`tix macro new ${name}\`.`})
  const index = await desk.index()
  const wf = workflowOf(index.config)
  const text = blob.toString('utf8')
  return {macro: parseMacro(name, text, wf, actionRefs(wf, index.config)), text}
}

/** Validates (placeholders, actions) and commits a macro file. `mustExist`: edit; false: new. */
export async function saveMacro(desk: Desk, name: string, text: string, opts: {mustExist: boolean}): Promise<{macro: Macro; commit: string | null}> {
  checkMacroName(name)
  const index = await desk.index()
  const wf = workflowOf(index.config)
  const macro = parseMacro(name, text, wf, actionRefs(wf, index.config))
  const content = serializeMacro(macro.front, macro.body)
  const res = await desk.change(async (_read, tip) => {
    const existing = tip ? await desk.readFile(macroPath(name), tip) : null
    if (opts.mustExist && !existing) throw new TixError(`There is no macro "${name}".`, {exitCode: 3, code: 'not-found', hint: `Make it with \`tix macro new ${name}\`.`})
    if (!opts.mustExist && existing) throw usageError(`A macro "${name}" already exists.`, `Change it with \`tix macro edit ${name}\`.`)
    if (existing?.toString('utf8') === content) return null
    return {tickets: [], message: `${opts.mustExist ? 'Edit' : 'Add'} macro ${name}`, files: [{path: macroPath(name), content}]}
  })
  return {macro, commit: res?.commit ?? null}
}
