// The actions of rules, automations and macros (`then`): what each may set, checked against the
// desk's departments, SLA policies and agents. Rules and automations are desk.json sections; macros
// are files (src/domain/workflow/macros.ts) that share these actions.
import type {ConfigProblem, JsonSchema} from '../../config/section.js'
import {isObj} from '../conditions.js'
import {PRIORITIES, STATUSES, TYPES} from '../../ticket/model.js'
import {unknownPlaceholders} from '../template.js'
import {STRATEGIES, type Actions, type AssignAction} from './types.js'
import {EMAILISH, lower, oneOfValue, positiveInt, stringArray} from './values.js'

/** An action may set any status but new. */
const ACTION_STATUSES = STATUSES.filter((x) => x !== 'new')

export function compileActions(v: unknown, path: string, problems: ConfigProblem[], ctx: {departments: Set<string> | null; policies: Set<string>; agents: Set<string> | null}, kind: 'rule' | 'automation' | 'macro'): Actions {
  const out: Actions = {}
  if (!isObj(v)) {
    problems.push({path, message: 'expected an object of actions, e.g. {"department": "it", "assign": {"strategy": "load-balanced"}}'})
    return out
  }
  const known = ['department', 'assign', 'priority', 'type', 'tier', 'tags', 'removeTags', 'sla', 'macro', 'reply', 'note', 'status', 'resolution', 'escalate', ...(kind === 'macro' ? [] : ['article'])]
  for (const [key, value] of Object.entries(v)) {
    const p = `${path}.${key}`
    switch (key) {
      case 'department':
        if (value === null) out.department = null
        else if (typeof value !== 'string' || value.trim() === '') problems.push({path: p, message: 'expected a department key (or null for none)'})
        else if (ctx.departments && !ctx.departments.has(value)) problems.push({path: p, message: `expected one of the departments (${[...ctx.departments].join(', ') || 'none yet'}); add it with \`tix dept add ${value}\``})
        else out.department = value
        break
      case 'assign': {
        if (value === null) out.assign = {agent: null}
        else if (typeof value === 'string') {
          if (value === 'auto') out.assign = {}
          else if (value === 'me') out.assign = {me: true}
          else if (!EMAILISH.test(value)) problems.push({path: p, message: 'expected an agent e-mail, "me", "auto", null, or {"strategy": ...}'})
          else out.assign = {agent: lower(value)}
        } else if (isObj(value)) {
          const a: AssignAction = {}
          for (const k of Object.keys(value)) {
            if (!['strategy', 'cap', 'agent'].includes(k)) problems.push({path: `${p}.${k}`, message: 'unknown key: expected strategy, cap or agent'})
          }
          if (value.strategy !== undefined) a.strategy = oneOfValue(value.strategy, STRATEGIES, `${p}.strategy`, problems) ?? undefined
          if (value.cap !== undefined) a.cap = positiveInt(value.cap, `${p}.cap`, problems, 'the most active tickets an agent may hold') ?? undefined
          if (value.agent !== undefined) {
            if (typeof value.agent !== 'string' || !EMAILISH.test(value.agent)) problems.push({path: `${p}.agent`, message: 'expected an agent e-mail'})
            else a.agent = lower(value.agent)
          }
          out.assign = a
        } else problems.push({path: p, message: 'expected an agent e-mail, "auto", null, or {"strategy": "round-robin" | "load-balanced" | "skills", "cap": N}'})
        break
      }
      case 'priority':
        out.priority = oneOfValue(value, PRIORITIES, p, problems) ?? undefined
        break
      case 'type':
        out.type = oneOfValue(value, TYPES, p, problems) ?? undefined
        break
      case 'status': {
        const s = oneOfValue(value, ACTION_STATUSES, p, problems)
        if (s) out.status = s
        break
      }
      case 'tier':
        out.tier = positiveInt(value, p, problems, 'a tier number') ?? undefined
        break
      case 'tags': {
        if (isObj(value)) {
          if (value.add !== undefined) out.addTags = stringArray(value.add, `${p}.add`, problems, 'tags')?.map(lower)
          if (value.remove !== undefined) out.removeTags = stringArray(value.remove, `${p}.remove`, problems, 'tags')?.map(lower)
        } else out.addTags = stringArray(value, p, problems, 'tags to add (or {"add": [...], "remove": [...]})')?.map(lower)
        break
      }
      case 'removeTags':
        out.removeTags = stringArray(value, p, problems, 'tags')?.map(lower)
        break
      case 'sla':
        if (value === null) out.sla = null
        else if (typeof value !== 'string' || !ctx.policies.has(value)) problems.push({path: p, message: `expected the name of an SLA policy (${[...ctx.policies].join(', ') || 'none defined'})`})
        else out.sla = value
        break
      case 'macro':
        if (typeof value !== 'string' || !/^[a-z0-9][a-z0-9._-]{0,63}$/.test(value)) problems.push({path: p, message: 'expected a macro name (a file macros/<name>.md; see `tix macro list`)'})
        else out.macro = value
        break
      case 'reply':
      case 'note':
      case 'resolution':
        if (typeof value !== 'string' || value.trim() === '') problems.push({path: p, message: 'expected a non-empty text'})
        else {
          const bad = unknownPlaceholders(value)
          if (bad.length > 0) problems.push({path: p, message: `unknown placeholder ${bad.map((b) => `{{${b}}}`).join(', ')}: see \`tix macro new --help\` for the list`})
          else out[key] = value
        }
        break
      case 'escalate': {
        if (value === true) out.escalate = {}
        else if (isObj(value)) {
          const e: NonNullable<Actions['escalate']> = {}
          if (value.toDept !== undefined) {
            if (typeof value.toDept !== 'string' || (ctx.departments && !ctx.departments.has(value.toDept))) problems.push({path: `${p}.toDept`, message: 'expected a department key'})
            else e.toDept = value.toDept
          }
          if (value.to !== undefined) {
            if (typeof value.to !== 'string' || !EMAILISH.test(value.to)) problems.push({path: `${p}.to`, message: 'expected an agent e-mail'})
            else e.to = lower(value.to)
          }
          if (value.reason !== undefined) {
            if (typeof value.reason !== 'string' || value.reason.trim() === '') problems.push({path: `${p}.reason`, message: 'expected a non-empty text'})
            else e.reason = value.reason
          }
          out.escalate = e
        } else problems.push({path: p, message: 'expected true (the next tier) or {"toDept": "...", "to": "...", "reason": "..."}'})
        break
      }
      case 'article': {
        // {"article": {"minScore": 8}}: answer with the best published article when it scores at least that (see `tix kb suggest ID --json` for scores)
        const min = isObj(value) ? value.minScore : value === true ? 1 : value
        if (kind === 'macro') problems.push({path: p, message: 'a macro cites an article with {{article.<slug>.link}} instead'})
        else if (isObj(value) && Object.keys(value).some((k) => k !== 'minScore')) problems.push({path: p, message: 'unknown key: expected {"minScore": N}'})
        else if (typeof min !== 'number' || !Number.isFinite(min) || min <= 0) problems.push({path: p, message: 'expected {"minScore": N} with N > 0 (the score `tix kb suggest ID --json` shows)'})
        else out.article = {minScore: min}
        break
      }
      default:
        problems.push({path: p, message: `unknown action: expected one of ${known.join(', ')}`})
    }
  }
  if (out.status === 'resolved' && out.resolution === undefined && out.note === undefined && kind === 'rule') {
    problems.push({path: `${path}.status`, message: 'resolving needs a "resolution" (or a "note") next to it'})
  }
  return out
}

/** The JSON Schema of `then` in rules and automations (macros, being files, have none). */
export function actionsSchema(): JsonSchema {
  return {
    type: 'object',
    description: 'What to do, in this order: fields, SLA policy, escalation, assignment, macro/reply/note, status.',
    additionalProperties: false,
    properties: {
      department: {type: ['string', 'null'], description: 'Move the ticket to this department.'},
      assign: {
        description: 'Assign: an agent e-mail, "me", "auto" (the department\'s strategy), null (unassign), or a strategy with an optional cap.',
        anyOf: [
          {type: 'null'},
          {type: 'string'},
          {
            type: 'object',
            additionalProperties: false,
            properties: {
              strategy: {enum: STRATEGIES},
              cap: {type: 'integer', minimum: 1, description: 'Most active tickets an agent may hold (1 = "the agent with no other tickets").'},
              agent: {type: 'string', description: 'An e-mail address.', pattern: '^[^\\s<>@]+@[^\\s<>@]+$'},
            },
          },
        ],
      },
      priority: {enum: PRIORITIES},
      type: {enum: TYPES},
      tier: {type: 'integer', minimum: 1},
      tags: {
        description: 'Tags to add, or {"add": [...], "remove": [...]}.',
        anyOf: [
          {type: 'array', items: {type: 'string'}},
          {
            type: 'object',
            additionalProperties: false,
            properties: {add: {type: 'array', items: {type: 'string'}}, remove: {type: 'array', items: {type: 'string'}}},
          },
        ],
      },
      removeTags: {type: 'array', items: {type: 'string'}},
      sla: {type: ['string', 'null'], description: 'Apply this SLA policy (by name).'},
      macro: {
        type: 'string',
        description: 'Reply with this macro (macros/<name>.md). A rule\'s reply goes out at most once per ticket.',
        pattern: '^[a-z0-9][a-z0-9._-]{0,63}$',
      },
      reply: {type: 'string', description: 'A public reply (placeholders allowed, e.g. {{ticket.requester.name}}).'},
      note: {type: 'string', description: 'An internal note (placeholders allowed).'},
      status: {enum: ACTION_STATUSES},
      resolution: {type: 'string', description: 'Resolution text when the status becomes resolved or closed.'},
      escalate: {
        description: 'true: to the next tier; or to a department / agent.',
        anyOf: [
          {const: true},
          {
            type: 'object',
            additionalProperties: false,
            properties: {
              toDept: {type: 'string'},
              to: {type: 'string', description: 'An e-mail address.', pattern: '^[^\\s<>@]+@[^\\s<>@]+$'},
              reason: {type: 'string'},
            },
          },
        ],
      },
      article: {
        description: 'Rules and automations: reply with the best published knowledge-base article whose score reaches minScore (`tix kb suggest ID --json` shows scores); true means a score of at least 1.',
        anyOf: [
          {const: true},
          {type: 'number', exclusiveMinimum: 0},
          {type: 'object', required: ['minScore'], additionalProperties: false, properties: {minScore: {type: 'number', exclusiveMinimum: 0}}},
        ],
      },
    },
  }
}
