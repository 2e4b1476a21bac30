// What the domain's workflow functions run against (WorkflowEnv), loaded from the desk: the
// compiled workflow, the agents' load, the macros the rules cite, and the knowledge base when a
// rule or macro quotes an article. Rules, routing, macros and automations all start here.
import type {DeskConfig} from '../../domain/config/config.js'
import type {OpContext} from '../../domain/ticket/ticket-ops.js'
import {macroPath, parseMacro, type Macro} from '../../domain/workflow/macros.js'
import {copyLoad} from '../../domain/workflow/assignment.js'
import type {WorkflowEnv} from '../../domain/workflow/workflow.js'
import {actionRefs, workflowOf, type Workflow} from '../../domain/workflow/workflow-config.js'
import type {Desk, DeskIndex} from '../../store/desk.js'
import {kbHelpers} from '../kb/search.js'

/**
 * Everything the workflow functions need. The agents' load and latest assignments come from the
 * index, which keeps them up to date as tickets change: neither the queue nor the resolved tickets
 * are read to assign one ticket, whatever the strategy (round-robin used to read every resolved
 * ticket: 1.8 s and 290 MB at 100,000 tickets).
 */
export async function workflowEnv(desk: Desk, index: DeskIndex, opts: {ctx?: OpContext; macros?: readonly string[]; commit?: string} = {}): Promise<WorkflowEnv> {
  const wf = workflowOf(index.config)
  const load = copyLoad(index.agents)
  const actor = desk.actor()
  const macros = await loadMacros(desk, opts.commit ?? index.commit, wf, index.config, opts.macros ?? referencedMacros(wf))
  return {
    wf,
    load,
    ctx: opts.ctx ?? desk.opContext(),
    actor: {email: actor.email, name: actor.name},
    ids: desk.sortedIds(index),
    macros,
    ...(citesKb(wf, macros) ? {kb: await kbHelpers(desk, opts.commit ?? index.commit, index.config)} : {}),
  }
}

/** The macros rules and automations refer to. */
export const referencedMacros = (wf: Workflow) => [...new Set([...wf.rules, ...wf.automations].map((r) => r.then.macro).filter((m): m is string => m !== undefined))]

/** Reads and validates macros (a missing one is simply absent from the map). */
async function loadMacros(desk: Desk, commit: string, wf: Workflow, config: DeskConfig, names: readonly string[]): Promise<Map<string, Macro>> {
  const out = new Map<string, Macro>()
  for (const name of names) {
    const text = await desk.readText(macroPath(name), commit)
    if (text !== null) out.set(name, parseMacro(name, text, wf, actionRefs(wf, config)))
  }
  return out
}

/** Whether a rule answers with an article or a macro cites one: only then is the knowledge base loaded. */
function citesKb(wf: Workflow, macros: Map<string, Macro>): boolean {
  return (
    [...wf.rules, ...wf.automations].some((r) => r.then.article !== undefined || (r.then.reply ?? '').includes('{{article.')) ||
    [...macros.values()].some((m) => m.body.includes('{{article.'))
  )
}
