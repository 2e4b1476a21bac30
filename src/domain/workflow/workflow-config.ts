// The help-desk sections of desk.json (docs/helpdesk.md): calendars, agents, departments and their
// tiers, SLA policies, rules, automations and hooks. Each section is a module of ./config/ that checks
// its part (every problem names its JSON path and what is expected) and compiles it; this file runs
// them in order into the `Workflow` the rest of tix uses, and keeps one compiled workflow per config.
import {DEFAULT_CONFIG, type DeskConfig} from '../config/core.js'
import type {ConfigProblem, DeskSection} from '../config/section.js'
import {isObj} from './conditions.js'
import {agentsSection} from './config/agents.js'
import {automationsSection} from './config/automations.js'
import {calendarsSection} from './config/calendars.js'
import {departmentsSection} from './config/departments.js'
import {finishWorkflow, newWorkflowDraft} from './config/draft.js'
import {hooksSection} from './config/hooks.js'
import {rulesSection} from './config/rules.js'
import {slaSection} from './config/sla.js'
import type {Workflow} from './config/types.js'

export * from './config/types.js'
export {compileActions} from './config/actions.js'

/** Where editors find the JSON Schema of desk.json (the file ships in the package as schema/desk.schema.json). */
export const SCHEMA_URL = 'https://unpkg.com/tix/schema/desk.schema.json'

/** The help-desk sections in the order they compile: each may refer to those before it. */
export const WORKFLOW_SECTIONS: readonly DeskSection[] = [calendarsSection, agentsSection, departmentsSection, slaSection, rulesSection, automationsSection, hooksSection]

/** Validates the workflow sections of a desk.json value and compiles them; problems are appended. */
export function compileWorkflow(config: Record<string, unknown>, problems: ConfigProblem[]): Workflow {
  const draft = {workflow: newWorkflowDraft(config)}
  for (const section of WORKFLOW_SECTIONS) section.compile(config, problems, draft)
  return finishWorkflow(config, draft.workflow)
}

/** What actions may refer to (for macros, validated against the desk's current config). */
export function actionRefs(wf: Workflow, config: Record<string, unknown>): {departments: Set<string> | null; policies: Set<string>; agents: Set<string> | null} {
  return {
    departments: isObj(config.departments) ? new Set(wf.departments.keys()) : null,
    policies: new Set(wf.policies.map((p) => p.name)),
    agents: config.agents !== undefined ? new Set(wf.agents.keys()) : null,
  }
}

/** The top-level keys a workflow depends on (the desk's name and zone, and its sections). */
const WORKFLOW_KEYS = ['timezone', 'name', ...WORKFLOW_SECTIONS.flatMap((s) => s.keys)]

// One compiled workflow per config object, with the values it was compiled from: a config whose
// workflow keys were changed since (a command editing desk.json) is compiled again.
const compiled = new WeakMap<object, {wf: Workflow; from: unknown[]}>()
const sourceOf = (config: Record<string, unknown>, key: string) => config[key] ?? (DEFAULT_CONFIG as Record<string, unknown>)[key]

/**
 * Keeps the workflow validateDesk compiled for a parsed config (parseConfig), so workflowOf does
 * not compile it a second time. `raw` is the object that was validated, `wf` its workflow.
 */
export function rememberWorkflow(config: DeskConfig, raw: Record<string, unknown>, wf: Workflow): void {
  compiled.set(config, {wf, from: WORKFLOW_KEYS.map((k) => sourceOf(raw, k))})
}

/** The compiled workflow of a (validated) desk config; compiled once per config object. */
export function workflowOf(config: DeskConfig): Workflow {
  const hit = compiled.get(config)
  if (hit !== undefined) {
    let same = true
    for (let i = 0; i < WORKFLOW_KEYS.length && same; i++) same = hit.from[i] === sourceOf(config, WORKFLOW_KEYS[i]!)
    if (same) return hit.wf
  }
  const wf = compileWorkflow(config, [])
  rememberWorkflow(config, config, wf)
  return wf
}

/** Agents of a department at a tier: those listed under its tiers, and agents who name the department and that tier. */
export function tierMembers(wf: Workflow, dept: string | null, tier: number): string[] {
  const out = new Set<string>()
  if (dept === null) {
    for (const a of wf.agents.values()) if (a.tier === tier) out.add(a.email)
    return [...out].sort()
  }
  const d = wf.departments.get(dept)
  for (const m of d?.tiers.get(tier) ?? []) out.add(m)
  // An agent listed under one of the department's tiers is in that tier only; otherwise their own tier counts.
  const listed = new Set([...(d?.tiers.values() ?? [])].flat())
  for (const a of wf.agents.values()) if (a.departments.includes(dept) && a.tier === tier && !listed.has(a.email)) out.add(a.email)
  return [...out].sort()
}

/** The tiers a department has (numbers with at least one agent), ascending. */
export function departmentTiers(wf: Workflow, dept: string | null): number[] {
  const tiers = new Set<number>()
  if (dept !== null) for (const n of wf.departments.get(dept)?.tiers.keys() ?? []) tiers.add(n)
  for (const a of wf.agents.values()) tiers.add(a.tier)
  return [...tiers].filter((n) => tierMembers(wf, dept, n).length > 0).sort((a, b) => a - b)
}
