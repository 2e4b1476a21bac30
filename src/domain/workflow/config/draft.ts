// The help-desk sections compile into one Workflow, in order: calendars, agents, departments, sla,
// rules, automations, hooks. Later sections refer to earlier ones (a department's calendar, a rule's
// SLA policy), so each reads what the ones before it left in the draft.
import {calendarHours, type Calendar} from '../../sla/calendar.js'
import {isValidTimeZone} from '../../config/core.js'
import {isObj} from '../conditions.js'
import {lower} from './values.js'
import type {Agent, Automation, Department, Hook, Rule, SlaPolicy, Workflow} from './types.js'

export interface WorkflowDraft {
  /** The desk's time zone (UTC when desk.json names none or an unknown one). */
  zone: string
  /** Around the clock in the desk's zone. */
  clock: Calendar
  calendars: Map<string, Calendar>
  agents: Map<string, Agent>
  /** The department keys actions may name (null: desk.json has no departments object). */
  deptKeys: Set<string> | null
  departments: Map<string, Department>
  policies: SlaPolicy[]
  policyNames: Set<string>
  rules: Rule[]
  automations: Automation[]
  hooks: Hook[]
}

export function newWorkflowDraft(config: Record<string, unknown>): WorkflowDraft {
  const timezone = typeof config.timezone === 'string' ? config.timezone : 'UTC'
  const zone = isValidTimeZone(timezone) ? timezone : 'UTC'
  return {
    zone,
    clock: calendarHours(zone),
    calendars: new Map(),
    agents: new Map(),
    deptKeys: isObj(config.departments) ? new Set(Object.keys(config.departments)) : null,
    departments: new Map(),
    policies: [],
    policyNames: new Set(),
    rules: [],
    automations: [],
    hooks: [],
  }
}

/** What rules' and automations' actions may refer to. */
export const draftRefs = (config: Record<string, unknown>, wf: WorkflowDraft) => ({departments: wf.deptKeys, policies: wf.policyNames, agents: config.agents !== undefined ? new Set(wf.agents.keys()) : null})

export function finishWorkflow(config: Record<string, unknown>, wf: WorkflowDraft): Workflow {
  const {agents} = wf
  const hasAgents = agents.size > 0
  return {
    name: typeof config.name === 'string' ? config.name : 'Help desk',
    timezone: wf.zone,
    agents,
    departments: wf.departments,
    calendars: wf.calendars,
    policies: wf.policies,
    rules: wf.rules,
    automations: wf.automations,
    hooks: wf.hooks,
    isAgent: (who, requesterEmail) => {
      const w = lower(who)
      if (requesterEmail !== null && w === lower(requesterEmail)) return false
      return hasAgents ? agents.has(w) : true
    },
  }
}
