// Macros (docs/helpdesk.md "Rules"): named, manually applied actions plus a reply text with placeholders.
// Stored as `macros/<name>.md` on the desk branch: a front matter of `key: value` lines (the
// actions), then the reply body.
//
//   ---
//   description: Tell the requester how to reset a password
//   status: pending
//   tags: password, account
//   ---
//   Hello {{ticket.requester.name | "there"}}, ...
//   {{department.signature}}
import {editDistance} from '../common/text-distance.js'
import {usageError} from '../../errors.js'
import type {ConfigProblem} from '../config/config.js'
import {shortId as shortIdOf, shortIdPrefix} from '../ticket/ids.js'
import type {Ticket} from '../ticket/model.js'
import {PLACEHOLDERS, renderTemplate, unknownPlaceholders, type TemplateValues} from './template.js'
import {compileActions, type Actions, type Workflow} from './workflow-config.js'

export interface Macro {
  name: string
  description: string | null
  /** The body goes out as an internal note instead of a public reply. */
  internal: boolean
  actions: Actions
  /** The front matter as written (kept when the file is saved again). */
  front: Record<string, string>
  body: string
}

export const MACRO_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/
export const macroPath = (name: string) => `macros/${name}.md`

/** The front matter keys a macro may have, and what each does (shown in help). */
export const MACRO_KEYS: Record<string, string> = {
  description: 'one line shown by `tix macro list`',
  status: 'status to set (open, pending, on-hold, resolved, closed)',
  priority: 'priority to set',
  type: 'type to set',
  department: 'department to move the ticket to',
  tier: 'tier to set',
  assign: 'an agent e-mail, "me", "auto" (the department\'s strategy) or "none"',
  tags: 'tags to add, comma-separated',
  'remove-tags': 'tags to remove, comma-separated',
  sla: 'SLA policy to apply',
  internal: 'true: the body is an internal note, not a public reply',
}

export function checkMacroName(name: string): string {
  if (!MACRO_NAME.test(name)) {
    throw usageError(`"${name}" is not a usable macro name: use lower-case letters, digits, . _ - (up to 64), starting with a letter or digit.`, 'e.g. tix macro new password-reset')
  }
  return name
}

function splitFront(text: string): {front: string | null; body: string} {
  const t = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n')
  if (!t.startsWith('---\n')) return {front: null, body: t}
  const end = t.indexOf('\n---', 3)
  if (end < 0) return {front: null, body: t}
  const after = t.indexOf('\n', end + 4)
  return {front: t.slice(4, end), body: after < 0 ? '' : t.slice(after + 1)}
}

const unquote = (v: string) => {
  const s = v.trim()
  return /^"(.*)"$/.test(s) || /^'(.*)'$/.test(s) ? s.slice(1, -1) : s
}
const listOf = (v: string) =>
  unquote(v)
    .replace(/^\[(.*)\]$/, '$1')
    .split(',')
    .map((x) => unquote(x).trim())
    .filter(Boolean)

/**
 * Parses and validates a macro file against the desk's workflow. Every problem is reported at
 * once, named `<file>: <key>: expected ...`; an unknown placeholder is one of them.
 */
export function parseMacro(name: string, text: string, wf: Workflow, refs: Parameters<typeof compileActions>[3]): Macro {
  const file = macroPath(name)
  const problems: ConfigProblem[] = []
  const {front, body} = splitFront(text)
  const fields: Record<string, string> = {}
  if (front !== null) {
    front.split('\n').forEach((line, i) => {
      if (line.trim() === '' || line.trim().startsWith('#')) return
      const m = /^([A-Za-z][\w-]*)\s*:\s*(.*)$/.exec(line)
      if (!m) problems.push({path: `front matter line ${i + 2}`, message: 'expected "key: value"'})
      else if (!(m[1]! in MACRO_KEYS)) problems.push({path: m[1]!, message: `unknown key: expected one of ${Object.keys(MACRO_KEYS).join(', ')}`})
      else fields[m[1]!] = m[2]!.trim()
    })
  }
  const spec: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(fields)) {
    const value = unquote(v)
    switch (k) {
      case 'description':
      case 'internal':
        break
      case 'tier':
        spec.tier = /^\d+$/.test(value) ? Number(value) : value
        break
      case 'tags':
        spec.tags = listOf(v)
        break
      case 'remove-tags':
        spec.removeTags = listOf(v)
        break
      case 'assign':
        spec.assign = value === 'none' ? null : value
        break
      default:
        spec[k] = value
    }
  }
  if (fields.internal !== undefined && !['true', 'false'].includes(unquote(fields.internal))) problems.push({path: 'internal', message: 'expected true or false'})
  const actions = compileActions(spec, '', problems, refs, 'macro')
  const bad = unknownPlaceholders(body)
  if (bad.length > 0) {
    const hint = bad.map(closestPlaceholder).find((x) => x !== null)
    problems.push({
      path: 'body',
      message: `unknown placeholder ${bad.map((b) => (b.includes(' ') ? b : `{{${b}}}`)).join(', ')}${hint ? ` (did you mean {{${hint}}}?)` : ''}: expected one of ${Object.keys(PLACEHOLDERS).map((p) => `{{${p}}}`).join(', ')}`,
    })
  }
  if (body.trim() === '' && Object.keys(spec).length === 0) problems.push({path: 'body', message: 'expected a reply text or at least one action'})
  if (problems.length > 0) {
    throw usageError(
      `${file} is not valid: ${problems.map((p) => `${p.path.replace(/^\./, '')}: ${p.message}`).join('; ')}.`,
      'See `tix macro new --help` for the front matter keys and the placeholders.',
      {problems},
    )
  }
  return {name, description: fields.description ? unquote(fields.description) : null, internal: unquote(fields.internal ?? 'false') === 'true', actions, front: fields, body}
}

/** The file text for a macro. */
export function serializeMacro(front: Record<string, string>, body: string): string {
  const keys = Object.entries(front).filter(([, v]) => v !== '')
  const head = keys.length > 0 ? `---\n${keys.map(([k, v]) => `${k}: ${v}`).join('\n')}\n---\n` : ''
  return head + (body.endsWith('\n') || body === '' ? body : body + '\n')
}

/** A starting point for `tix macro new` in an editor. */
export function macroTemplate(name: string): string {
  return `---
description: ${name.replace(/[-_.]/g, ' ')}
# status: pending
# tags: ${name}
---
Hello {{ticket.requester.name | "there"}},



{{department.signature}}
`
}

/** The values placeholders stand for, for one ticket and the acting agent. */
export function templateValues(t: Ticket, ids: readonly string[], wf: Workflow, agent: {email: string; name: string}): TemplateValues {
  const dept = t.department === null ? undefined : wf.departments.get(t.department)
  const agentConf = wf.agents.get(agent.email.toLowerCase())
  return {
    'ticket.id': t.id,
    'ticket.shortId': ids.length > 0 ? shortIdOf(ids, t.id) : shortIdPrefix(t.id),
    'ticket.title': t.title,
    'ticket.status': t.status,
    'ticket.priority': t.priority,
    'ticket.type': t.type,
    'ticket.channel': t.channel,
    'ticket.department': t.department,
    'ticket.tier': t.tier,
    'ticket.assignee': t.assignee,
    'ticket.requester.name': t.requester.name ?? t.requester.email,
    'ticket.requester.email': t.requester.email,
    'agent.name': agentConf?.name ?? agent.name,
    'agent.email': agent.email,
    'department.name': dept?.name ?? t.department,
    'department.signature': dept?.signature ?? null,
    'desk.name': wf.name,
  }
}

export const renderMacroBody = (body: string, values: TemplateValues) => renderTemplate(body, values).replace(/\s+$/, '')

/** The known placeholder closest to a mistyped one (a few edits away), for "did you mean". */
export function closestPlaceholder(name: string): string | null {
  let best: string | null = null
  let bestD = Infinity
  for (const p of Object.keys(PLACEHOLDERS)) {
    const d = editDistance(name.toLowerCase(), p.toLowerCase())
    if (d < bestD) {
      bestD = d
      best = p
    }
  }
  return bestD <= Math.max(2, Math.floor(name.length / 5)) ? best : null
}

