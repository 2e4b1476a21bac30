// Assignment strategies (docs/helpdesk.md): pure functions of the desk's folded tickets, so every clone
// that has seen the same events picks the same agent. Ties always break by the oldest last
// assignment, then by e-mail, never by arrival order or chance.
import {isUnresolved, type Status, type TicketSummary} from '../ticket/model.js'
import {tierMembers, type Strategy, type Workflow} from './workflow-config.js'

/** Tickets that count against an agent's capacity. Pending waits on the requester, so it does not. */
export const ACTIVE: readonly Status[] = ['new', 'open', 'on-hold']

export interface DeskLoad {
  /** Active tickets per agent. */
  load: Map<string, number>
  /** The latest time each agent was given a ticket (ISO). */
  lastAssigned: Map<string, string>
}

const lower = (s: string) => s.toLowerCase()

/**
 * Loads and last assignments from the tickets. The desk's index keeps both up to date as tickets
 * change (DeskIndex.agents), so a command that assigns reads neither bucket; this is how the index
 * build counts them, and what a test compares it with.
 */
export function deskLoad(tickets: Iterable<TicketSummary>): DeskLoad {
  const state: DeskLoad = {load: new Map(), lastAssigned: new Map()}
  for (const t of tickets) {
    countLoad(state.load, t, 1)
    noteAssignments(state.lastAssigned, t)
  }
  return state
}

/** Adds (1) or takes back (-1) what one ticket counts against its assignee: one while it is active. */
export function countLoad(load: Map<string, number>, t: TicketSummary | null | undefined, by: 1 | -1): void {
  if (!t || t.assignee === null || !ACTIVE.includes(t.status)) return
  const k = lower(t.assignee)
  const n = (load.get(k) ?? 0) + by
  if (n > 0) load.set(k, n)
  else load.delete(k)
}

/** Moves an agent's latest assignment up to `at` (never back). */
function raiseLast(lastAssigned: Map<string, string>, agent: string, at: string): void {
  const prev = lastAssigned.get(agent)
  if (prev === undefined || at > prev) lastAssigned.set(agent, at)
}

/** Moves each agent's latest assignment up to those in `t` (a log only grows, so it never moves back). */
export function noteAssignments(lastAssigned: Map<string, string>, t: TicketSummary): void {
  for (const a of t.assignments ?? []) if (a.to !== null) raiseLast(lastAssigned, lower(a.to), a.at)
}

/** Adds counts made elsewhere (a fold batch's, as pairs) into `into`. */
export function addLoad(into: DeskLoad, load: Iterable<[string, number]>, lastAssigned: Iterable<[string, string]>): void {
  for (const [agent, n] of load) into.load.set(agent, (into.load.get(agent) ?? 0) + n)
  for (const [agent, at] of lastAssigned) raiseLast(into.lastAssigned, agent, at)
}

/** A copy to change within one command (recordAssignment), leaving the index's as it was. */
export const copyLoad = (state: DeskLoad): DeskLoad => ({load: new Map(state.load), lastAssigned: new Map(state.lastAssigned)})

/** Keeps a DeskLoad in step within one batch (route --all, automate): the next pick sees this one. */
export function recordAssignment(state: DeskLoad, t: TicketSummary, to: string | null, at: string): void {
  if (t.assignee !== null && ACTIVE.includes(t.status)) {
    const k = lower(t.assignee)
    state.load.set(k, Math.max(0, (state.load.get(k) ?? 0) - 1))
  }
  if (to !== null) {
    const k = lower(to)
    if (isUnresolved(t.status) && t.status !== 'pending') state.load.set(k, (state.load.get(k) ?? 0) + 1)
    raiseLast(state.lastAssigned, k, at)
  }
}

export interface Candidate {
  agent: string
  load: number
  cap: number | null
  lastAssignedAt: string | null
  /** Why this agent was passed over (null: eligible). */
  excluded: string | null
}

export interface Pick {
  agent: string | null
  strategy: Strategy
  department: string | null
  tier: number
  /** One sentence: who and why, or why nobody. */
  reason: string
  candidates: Candidate[]
}

export interface PickOptions {
  strategy?: Strategy
  cap?: number
  department?: string | null
  tier?: number
}

/** The group a ticket is assigned within: "IT tier 2", "tier 1". */
export function groupName(wf: Workflow, dept: string | null, tier: number): string {
  const d = dept === null ? null : (wf.departments.get(dept)?.name ?? dept)
  return d === null ? `tier ${tier}` : `${d} tier ${tier}`
}

/** Picks the agent for `t` by the strategy (default: the department's). */
export function pickAgent(t: TicketSummary, opts: PickOptions, wf: Workflow, state: DeskLoad): Pick {
  const department = opts.department === undefined ? t.department : opts.department
  const tier = opts.tier ?? t.tier
  const dept = department === null ? undefined : wf.departments.get(department)
  const strategy = opts.strategy ?? dept?.assignment ?? 'load-balanced'
  const group = groupName(wf, department, tier)
  const members = tierMembers(wf, department, tier)
  const base = {strategy, department, tier}
  if (members.length === 0) {
    const why = wf.agents.size === 0 ? 'the desk lists no agents (add them with `tix agent add EMAIL --dept DEPT`)' : `${group} has no agents`
    return {...base, agent: null, reason: `nobody: ${why}`, candidates: []}
  }
  const ownLoad = (agent: string) => (t.assignee !== null && lower(t.assignee) === agent && ACTIVE.includes(t.status) ? 1 : 0)
  const skillTags = new Set<string>()
  for (const a of wf.agents.values()) for (const s of a.skills) skillTags.add(s)
  const needed = strategy === 'skills' ? t.tags.filter((x) => skillTags.has(x)) : []
  const candidates: Candidate[] = members.map((agent) => {
    const a = wf.agents.get(agent)
    const caps = opts.cap !== undefined ? [opts.cap] : [dept?.cap ?? null, a?.capacity ?? null].filter((x): x is number => x !== null)
    const cap = caps.length === 0 ? null : Math.min(...caps)
    const load = (state.load.get(agent) ?? 0) - ownLoad(agent)
    let excluded: string | null = null
    if (a && !a.available) excluded = 'not available'
    else if (needed.length > 0 && !needed.every((s) => a?.skills.includes(s))) excluded = `lacks ${needed.filter((s) => !a?.skills.includes(s)).join(', ')}`
    else if (cap !== null && load >= cap) excluded = `at capacity (${load}/${cap})`
    return {agent, load, cap, lastAssignedAt: state.lastAssigned.get(agent) ?? null, excluded}
  })
  const eligible = candidates.filter((c) => c.excluded === null)
  const older = (a: Candidate, b: Candidate) =>
    a.lastAssignedAt === b.lastAssignedAt ? (a.agent < b.agent ? -1 : 1) : a.lastAssignedAt === null ? -1 : b.lastAssignedAt === null ? 1 : a.lastAssignedAt < b.lastAssignedAt ? -1 : 1
  eligible.sort(strategy === 'round-robin' ? older : (a, b) => a.load - b.load || older(a, b))
  const chosen = eligible[0]
  if (!chosen) {
    const atCap = candidates.filter((c) => c.excluded?.startsWith('at capacity')).length
    const why =
      needed.length > 0 && candidates.every((c) => c.excluded?.startsWith('lacks'))
        ? `no agent of ${group} has the skills ${needed.join(', ')}`
        : atCap === candidates.length
          ? candidates.length === 1
            ? `the only agent of ${group} (${candidates[0]!.agent}) is at capacity`
            : `all ${candidates.length} agents of ${group} are at capacity`
          : `no agent of ${group} is available (${candidates.map((c) => `${c.agent}: ${c.excluded}`).join('; ')})`
    return {...base, agent: null, reason: `nobody: ${why}; the ticket stays in the ${group} queue`, candidates}
  }
  const detail =
    strategy === 'round-robin'
      ? `longest since an assignment (${chosen.lastAssignedAt ?? 'never'})`
      : `fewest active tickets (${chosen.load}${chosen.cap !== null ? ` of ${chosen.cap}` : ''})${needed.length > 0 ? ` with ${needed.join(', ')}` : ''}`
  return {...base, agent: chosen.agent, reason: `${chosen.agent} by ${strategy} in ${group}: ${detail}`, candidates}
}
