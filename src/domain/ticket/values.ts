// The values a ticket may hold that name desk.json's people and places: the assignee (an agent) and
// the department. One rule for every way in: `tix new/assign/set`, the TUI's picker and form, and
// every write (services/tickets.ts checks what a command's events store).
import {usageError} from '../../errors.js'
import type {DeskConfig} from '../config/config.js'
import * as ops from './ticket-ops.js'

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/

export interface AgentChoice {
  id: string
  label: string
}

/** Agents listed in desk.json, in any of the shapes a person might write them. */
export function configuredAgents(config: DeskConfig): AgentChoice[] {
  const raw = config.agents
  const out: AgentChoice[] = []
  const add = (id: unknown, name?: unknown) => {
    if (typeof id !== 'string' || id.trim() === '') return
    out.push({id: id.trim().toLowerCase(), label: typeof name === 'string' && name.trim() !== '' ? `${name.trim()} <${id.trim()}>` : id.trim()})
  }
  const fromObject = (o: Record<string, unknown>, key?: string) => add(o.email ?? o.id ?? key, o.name)
  if (Array.isArray(raw)) {
    for (const a of raw) {
      if (typeof a === 'string') add(a)
      else if (typeof a === 'object' && a !== null) fromObject(a as Record<string, unknown>)
    }
  } else if (typeof raw === 'object' && raw !== null) {
    for (const [key, a] of Object.entries(raw as Record<string, unknown>)) {
      if (typeof a === 'object' && a !== null) fromObject(a as Record<string, unknown>, key)
      else add(key, typeof a === 'string' ? a : undefined)
    }
  }
  return out
}


/**
 * What a person typed as an assignee, checked: "me", or an e-mail address; when desk.json lists
 * agents, one of them. Returns the agent id to store.
 */
export function checkAssignee(input: string, ctx: {me: string; config: DeskConfig}): string {
  const v = input.trim()
  if (v === '') throw usageError('Type an e-mail address, or "me".')
  if (v.toLowerCase() === 'me') return ctx.me
  if (CONTROL.test(v)) throw usageError(`The assignee ${JSON.stringify(v)} has control characters: assign to an agent's e-mail, or "me".`)
  let email: string | null = null
  try {
    const p = ops.parsePerson(v, 'The assignee')
    email = p.name === null ? p.email : null
  } catch {
    email = null
  }
  if (email === null) throw usageError(`"${v}" is not an e-mail address: assign to an agent's e-mail, or "me".`)
  const agents = configuredAgents(ctx.config)
  if (agents.length > 0 && !agents.some((a) => a.id === email)) {
    throw usageError(
      `${email} is not an agent of this desk (desk.json lists ${agents.length}: ${agents.map((a) => a.id).join(', ')}).`,
      `Pick one of them, or add the agent with \`tix agent add ${email}\`.`,
      {agents: agents.map((a) => a.id)},
    )
  }
  return email
}

/** The stored assignee checked again at the write (after "me" became the actor): the same rule. */
export function checkStoredAssignee(value: string, config: DeskConfig): string {
  return checkAssignee(value, {me: value, config})
}

/** Department keys desk.json defines, or null when it defines none (then any plain name is allowed). */
export function configuredDepartments(config: DeskConfig): string[] | null {
  const d = config.departments
  return typeof d === 'object' && d !== null && !Array.isArray(d) ? Object.keys(d) : null
}

/**
 * A department typed by a person: when desk.json defines departments, one of them (any case; the
 * key as desk.json spells it is stored); otherwise a plain name without control characters.
 */
export function checkDepartment(input: string, config: DeskConfig): string {
  const v = input.trim()
  const known = configuredDepartments(config)
  if (known !== null) {
    const hit = known.find((k) => k === v) ?? known.find((k) => k.toLowerCase() === v.toLowerCase())
    if (hit !== undefined) return hit
    throw usageError(
      `Department "${v}" is not defined on this desk: expected one of ${known.join(', ') || '(none yet)'}.`,
      'See `tix dept list`, or add it with `tix dept add KEY`.',
      {departments: known},
    )
  }
  if (v === '' || CONTROL.test(v) || v.length > 64) throw usageError(`Department "${v}" is not a department name: expected a short name such as "it".`, 'Define departments with `tix dept add KEY`.')
  return v
}

type StoredEvent = {type: string; assignee?: unknown; department?: unknown; to?: unknown; fields?: Record<string, unknown>}

/** Checks the assignees and departments a change is about to store (exit 2 naming what is allowed). */
export function checkWrittenValues(events: readonly StoredEvent[], config: DeskConfig): void {
  for (const e of events) {
    const assignee = e.type === 'create' ? e.assignee : e.type === 'assign' ? e.to : undefined
    if (typeof assignee === 'string') checkStoredAssignee(assignee, config)
    const dept = e.type === 'create' ? e.department : e.type === 'set' ? e.fields?.department : undefined
    if (typeof dept === 'string' && checkDepartment(dept, config) !== dept) {
      throw usageError(`Department "${dept}" is spelled "${checkDepartment(dept, config)}" on this desk.`, `Use --department ${checkDepartment(dept, config)}.`)
    }
  }
}

/** TIX_ACTOR: "Name <email>" or an e-mail address; anything else is refused rather than recorded. */
export function checkActor(value: string, source = 'TIX_ACTOR'): {name: string; email: string} {
  const hint = `Set ${source}="Ana Diaz <ana@example.com>" (or just an e-mail address), or unset it to act as git's user.email.`
  if (CONTROL.test(value)) throw usageError(`${source} ${JSON.stringify(value)} has control characters.`, hint)
  let p: ReturnType<typeof ops.parsePerson>
  try {
    p = ops.parsePerson(value, source)
  } catch {
    throw usageError(`${source} "${value}" is not a person with an e-mail address.`, hint)
  }
  if (p.email === null) throw usageError(`${source} "${value}" has no e-mail address: events record who acted by e-mail.`, hint)
  return {name: p.name ?? p.email, email: p.email}
}
