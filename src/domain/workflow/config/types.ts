// The compiled shape of desk.json's help-desk sections (what the rest of tix uses), and the values
// the sections accept. The sections themselves are the other files of this folder.
import type {Calendar} from '../../sla/calendar.js'
import type {CompiledConditions} from '../conditions.js'
import type {Priority, Status, TicketType} from '../../ticket/model.js'

export const STRATEGIES = ['round-robin', 'load-balanced', 'skills'] as const
export type Strategy = (typeof STRATEGIES)[number]
export const HOOK_EVENTS = ['assigned', 'escalated', 'sla-warning', 'sla-breach', 'created-by-rule'] as const
export type HookEvent = (typeof HOOK_EVENTS)[number]
export const RULE_TRIGGERS = ['create', 'update'] as const
export type RuleTrigger = (typeof RULE_TRIGGERS)[number]
export const SLA_METRICS = ['firstResponse', 'nextResponse', 'resolution'] as const
export type SlaMetric = (typeof SLA_METRICS)[number]

export interface Agent {
  email: string
  name: string
  departments: string[]
  tier: number
  /** Most active tickets (new/open/on-hold) this agent takes from automatic assignment; null = no limit. */
  capacity: number | null
  skills: string[]
  /** false: skipped by automatic assignment (away, on leave). */
  available: boolean
}

export interface Department {
  key: string
  name: string
  /** Tier number -> agent e-mails, as listed under `tiers`. */
  tiers: Map<number, string[]>
  assignment: Strategy
  /** Per-agent cap for load-balanced/skills assignment in this department (overrides agents' capacity). */
  cap: number | null
  signature: string | null
  calendar: string | null
  /** Offered to requesters on the web portal's form (`tix serve`). */
  public: boolean
}

export interface SlaTarget {
  ms: number
  /** Counted in the policy's business hours (false: around the clock). */
  business: boolean
  text: string
}

export interface SlaPolicy {
  name: string
  conditions: CompiledConditions
  calendarName: string | null
  /** The policy's business calendar (around the clock in the desk's zone when it names none). */
  calendar: Calendar
  /** Around the clock, for targets written in calendar time ("4 calendar hours"). */
  clock: Calendar
  targets: Partial<Record<Priority, Partial<Record<SlaMetric, SlaTarget>>>>
  /** Statuses that stop every clock (resolved and closed always do). */
  pauseOn: Set<Status>
  /** Extra statuses that stop only the resolution clock (e.g. on-hold). */
  pauseResolutionOn: Set<Status>
  /** Warn when this fraction of the target or less remains. */
  warnAt: number
}

export interface AssignAction {
  strategy?: Strategy
  cap?: number
  /** A fixed agent (e-mail), or null to unassign. */
  agent?: string | null
  /** The acting agent (macros: "assign: me"). */
  me?: boolean
}

export interface Actions {
  department?: string | null
  assign?: AssignAction
  priority?: Priority
  type?: TicketType
  tier?: number
  addTags?: string[]
  removeTags?: string[]
  sla?: string | null
  macro?: string
  reply?: string
  note?: string
  status?: Status
  resolution?: string
  escalate?: {toDept?: string; to?: string; reason?: string}
  /** Reply with the best published knowledge-base article whose score reaches minScore (rules only). */
  article?: {minScore: number}
}

export interface Rule {
  name: string
  on: Set<RuleTrigger>
  conditions: CompiledConditions
  then: Actions
  /** Later rules are not evaluated after this one fired. */
  stop: boolean
}

export interface Automation {
  name: string
  conditions: CompiledConditions
  /** Fires only after the ticket has had no activity for this long. */
  idleFor: {ms: number; business: boolean; businessDays: number | null; text: string} | null
  /** Fires only when the ticket's SLA is in this state. */
  sla: 'breached' | 'warning' | null
  calendar: string | null
  then: Actions
}

export interface Hook {
  name: string
  on: Set<HookEvent>
  /** The command and its arguments, run without a shell. */
  run: string[]
  timeoutMs: number
}

export interface Workflow {
  name: string
  timezone: string
  agents: Map<string, Agent>
  departments: Map<string, Department>
  calendars: Map<string, Calendar>
  policies: SlaPolicy[]
  rules: Rule[]
  automations: Automation[]
  hooks: Hook[]
  /** Whether `who` counts as an agent: listed in `agents`, or (when none are listed) anyone but the requester. */
  isAgent: (who: string, requesterEmail: string | null) => boolean
}
