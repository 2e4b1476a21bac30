// desk.json as the workflow services see it: the config at a commit, what it says about the acting
// agent, and the three ways of changing it (one key, the whole text, or read for printing).
import {TixError, usageError} from '../../errors.js'
import {parseConfig, type DeskConfig} from '../../domain/config/config.js'
import {workflowOf} from '../../domain/workflow/workflow-config.js'
import type {Desk} from '../../store/desk.js'

/** desk.json at `tip` (the cache's copy when it was built from that commit: no git call). */
export async function configAt(desk: Desk, tip: string | null): Promise<{text: string | null; config: DeskConfig}> {
  if (tip === null) return {text: null, config: parseConfig(null)}
  const text = await desk.deskText(tip)
  return {text, config: parseConfig(text)}
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

/**
 * Changes desk.json in one commit: `edit` gets the current value (as parsed JSON) and returns the
 * new one. The result is validated before anything is written; on a moved branch it runs again.
 */
export async function updateDeskJson(desk: Desk, message: string, edit: (current: Record<string, unknown>) => Record<string, unknown>): Promise<{commit: string | null; config: Record<string, unknown>}> {
  let next: Record<string, unknown> = {}
  const res = await desk.change(async (_read, tip) => {
    const text = await desk.readText('desk.json', tip)
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
    if ((await desk.readText('desk.json', tip)) === text) return null
    return {tickets: [], message, files: [{path: 'desk.json', content: text}]}
  })
  return res?.commit ?? null
}

/** desk.json as written on the branch's tip (null when the desk has none). */
export async function deskJsonText(desk: Desk): Promise<string | null> {
  return desk.readText('desk.json', desk.requireTip())
}
