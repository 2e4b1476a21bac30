// Conditions on a ticket, shared by SLA policies (`if`), rules (`if`) and automations (`if`).
// Validation names the JSON path and what is expected; compiled conditions are plain predicates
// that can also explain themselves (`tix route --explain`).
import type {ConfigProblem, JsonSchema} from '../config/section.js'
import {CHANNELS, PRIORITIES, STATUSES, TYPES, type TicketSummary} from '../ticket/model.js'
import {requireModule} from '../../runtime.js'

export type {ConfigProblem}

/** What desk.json may say in an `if`. Lists mean "any of"; `null` in department/assignee means "none". */
interface ConditionsConfig {
  channel?: string | string[]
  /** E-mail addresses, "@example.com" or "example.com" (a whole domain). */
  requester?: string | string[]
  /** Regular expressions, case-insensitive. */
  title?: string
  body?: string
  /** The ticket has any of these tags. */
  tags?: string | string[]
  priority?: string | string[]
  type?: string | string[]
  status?: string | string[]
  department?: string | null | (string | null)[]
  assignee?: string | null | (string | null)[]
  tier?: number | number[]
  /** Custom fields: each key must equal the value (or one of the values). */
  fields?: Record<string, unknown>
}

export const CONDITION_KEYS = ['channel', 'requester', 'title', 'body', 'tags', 'priority', 'type', 'status', 'department', 'assignee', 'tier', 'fields'] as const satisfies readonly (keyof ConditionsConfig)[]

export interface ConditionCheck {
  key: string
  ok: boolean
  /** What was expected and what the ticket has, for --explain. */
  detail: string
}

export interface CompiledConditions {
  test: (t: TicketSummary) => boolean
  explain: (t: TicketSummary) => ConditionCheck[]
  /** True when there is nothing to check (matches every ticket). */
  empty: boolean
}

export const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x)
const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v])

/** Longest pattern accepted, and a body prefix limit: a desk's regexes run on every new ticket. */
const MAX_PATTERN = 300
export const MAX_MATCH_TEXT = 20_000

/** A compiled rule pattern: matched in time linear in the text, whatever the pattern. */
export interface Pattern {
  source: string
  test: (text: string) => boolean
}

type RE2Module = typeof import('re2js')
let re2: RE2Module | null = null
// re2js (RE2's engine in JavaScript) is loaded the first time a desk has a pattern: desks without
// title/body conditions never pay for it (it is about 260 kB, kept outside the CLI bundle).
const engine = (): RE2Module => (re2 ??= requireModule<RE2Module>('re2js'))

/** What RE2 cannot do, said so that the author of desk.json knows what to change. */
function unsupported(source: string): string | null {
  const look = /\(\?(<?[=!])/.exec(source)
  if (look) {
    const what = look[1]!.startsWith('<') ? 'look-behind' : 'look-ahead'
    return `${what} \`(?${look[1]}\` is not supported: tix matches rules with RE2, which runs in time linear in the text and has no look-around. Match the text itself (e.g. "refund" instead of "(?=.*refund)"), or use two conditions`
  }
  const back = /\\([1-9]|k<)/.exec(source)
  if (back) {
    return `the back-reference \`\\${back[1]}\` is not supported: tix matches rules with RE2, which runs in time linear in the text and has no back-references. Spell out the repeated text instead`
  }
  return null
}

/**
 * Compiles a pattern from desk.json with RE2 (case-insensitive), or says why not. RE2 never
 * backtracks, so no pattern (`(a+)+$`, `(a|aa)+$`, `.*.*.*=x`) can make a ticket hang the desk.
 */
export function compilePattern(source: unknown, path: string, problems: ConfigProblem[]): Pattern | null {
  if (typeof source !== 'string' || source === '') {
    problems.push({path, message: 'expected a regular expression as a non-empty string, e.g. "(?:printer|toner)"'})
    return null
  }
  if (source.length > MAX_PATTERN) {
    problems.push({path, message: `expected a regular expression of at most ${MAX_PATTERN} characters`})
    return null
  }
  const why = unsupported(source)
  if (why) {
    problems.push({path, message: `expected a regular expression RE2 supports: ${why}`})
    return null
  }
  const {RE2JS} = engine()
  try {
    const re = RE2JS.compile(source, RE2JS.CASE_INSENSITIVE)
    return {source, test: (text) => re.test(text)}
  } catch (error) {
    const message = (error as Error).message.replace(/^error parsing regexp: /, '').replace('`(?i)', '`') // RE2JS shows its own flag
    problems.push({path, message: `expected a valid regular expression (RE2: ${message})`})
    return null
  }
}

function stringList(v: unknown, path: string, problems: ConfigProblem[], allowed?: readonly string[], allowNull = false): (string | null)[] | null {
  const items = asList(v as unknown)
  const ok = items.every((x) => typeof x === 'string' || (allowNull && x === null))
  if (!ok || items.length === 0) {
    problems.push({path, message: `expected a string or a list of strings${allowNull ? ' (null for none)' : ''}${allowed ? `: ${allowed.join(', ')}` : ''}`})
    return null
  }
  if (allowed) {
    for (const x of items) {
      if (x !== null && !allowed.includes((x as string).toLowerCase())) {
        problems.push({path, message: `expected one of ${allowed.join(', ')} (got "${x}")`})
        return null
      }
    }
  }
  return items.map((x) => (x === null ? null : (x as string).toLowerCase()))
}

/**
 * Validates and compiles an `if` object. `extraKeys` are keys the caller handles itself (e.g. an
 * automation's `idleFor`); any other unknown key is a problem (a typo must not match everything).
 */
export function compileConditions(value: unknown, path: string, problems: ConfigProblem[], extraKeys: readonly string[] = []): CompiledConditions {
  const checks: Array<{key: string; test: (t: TicketSummary) => boolean; show: (t: TicketSummary) => string; want: string}> = []
  if (value === undefined) return build(checks)
  if (!isObj(value)) {
    problems.push({path, message: 'expected an object of conditions, e.g. {"channel": ["email"], "priority": "urgent"}'})
    return build(checks)
  }
  for (const [key, v] of Object.entries(value)) {
    const p = `${path}.${key}`
    switch (key) {
      case 'channel':
      case 'priority':
      case 'type':
      case 'status': {
        const allowed = key === 'channel' ? CHANNELS : key === 'priority' ? PRIORITIES : key === 'type' ? TYPES : STATUSES
        const list = stringList(v, p, problems, allowed)
        if (list) {
          const set = new Set(list)
          const get = (t: TicketSummary) => (key === 'channel' ? t.channel : key === 'priority' ? t.priority : key === 'type' ? t.type : t.status)
          checks.push({key, want: list.join(' or '), test: (t) => set.has(get(t)), show: get})
        }
        break
      }
      case 'department':
      case 'assignee': {
        const list = stringList(v, p, problems, undefined, true)
        if (list) {
          const set = new Set(list)
          const get = (t: TicketSummary) => (key === 'department' ? t.department : t.assignee)?.toLowerCase() ?? null
          checks.push({key, want: list.map((x) => x ?? '(none)').join(' or '), test: (t) => set.has(get(t)), show: (t) => get(t) ?? '(none)'})
        }
        break
      }
      case 'requester': {
        const list = stringList(v, p, problems)
        if (list) {
          const emails = new Set<string>()
          const domains = new Set<string>()
          for (const x of list as string[]) {
            if (x.includes('@') && !x.startsWith('@')) emails.add(x)
            else domains.add(x.replace(/^@/, ''))
          }
          const test = (t: TicketSummary) => {
            const e = t.requester.email?.toLowerCase()
            if (!e) return false
            return emails.has(e) || domains.has(e.slice(e.lastIndexOf('@') + 1))
          }
          checks.push({key, want: (list as string[]).join(' or '), test, show: (t) => t.requester.email ?? '(no e-mail)'})
        }
        break
      }
      case 'title':
      case 'body': {
        const re = compilePattern(v, p, problems)
        if (re) {
          const get = (t: TicketSummary) => (key === 'title' ? t.title : t.body.slice(0, MAX_MATCH_TEXT))
          checks.push({key, want: `/${re.source}/i`, test: (t) => re.test(get(t)), show: (t) => JSON.stringify(get(t).slice(0, 60))})
        }
        break
      }
      case 'tags': {
        const list = stringList(v, p, problems)
        if (list) {
          const set = new Set(list as string[])
          checks.push({key, want: `any of ${(list as string[]).join(', ')}`, test: (t) => t.tags.some((x) => set.has(x)), show: (t) => t.tags.join(', ') || '(none)'})
        }
        break
      }
      case 'tier': {
        const list = asList(v)
        if (list.length === 0 || !list.every((x) => Number.isInteger(x) && (x as number) > 0)) {
          problems.push({path: p, message: 'expected a tier number (1, 2, 3, ...) or a list of them'})
        } else {
          const set = new Set(list as number[])
          checks.push({key, want: (list as number[]).join(' or '), test: (t) => set.has(t.tier), show: (t) => String(t.tier)})
        }
        break
      }
      case 'fields': {
        if (!isObj(v)) {
          problems.push({path: p, message: 'expected an object of custom field values, e.g. {"product": ["vpn", "wifi"]}'})
          break
        }
        for (const [field, want] of Object.entries(v)) {
          const wants = asList(want)
          const keys = new Set(wants.map((x) => JSON.stringify(x)))
          checks.push({
            key: `fields.${field}`,
            want: wants.map((x) => JSON.stringify(x)).join(' or '),
            test: (t) => keys.has(JSON.stringify(t.fields[field] ?? null)),
            show: (t) => JSON.stringify(t.fields[field] ?? null),
          })
        }
        break
      }
      default:
        if (!extraKeys.includes(key)) {
          problems.push({path: p, message: `unknown condition: expected one of ${[...CONDITION_KEYS, ...extraKeys].join(', ')}`})
        }
    }
  }
  return build(checks)
}

function build(checks: Array<{key: string; test: (t: TicketSummary) => boolean; show: (t: TicketSummary) => string; want: string}>): CompiledConditions {
  return {
    empty: checks.length === 0,
    test: (t) => {
      for (const c of checks) if (!c.test(t)) return false
      return true
    },
    explain: (t) => checks.map((c) => {
      const ok = c.test(t)
      return {key: c.key, ok, detail: `${c.key} ${ok ? 'is' : 'is not'} ${c.want} (ticket: ${c.show(t)})`}
    }),
  }
}

/** The JSON Schema of an `if` (SLA policies and rules; automations add their time conditions). */
export function conditionsSchema(): {properties: Record<string, JsonSchema>} & JsonSchema {
  return {
    type: 'object',
    description: 'Conditions on a ticket; all must hold. Lists mean "any of".',
    additionalProperties: false,
    properties: {
      channel: {description: 'Channel the ticket came through.', anyOf: [{enum: CHANNELS}, {type: 'array', items: {enum: CHANNELS}, minItems: 1}]},
      requester: {
        description: 'Requester e-mail addresses, or whole domains ("@example.com" or "example.com").',
        anyOf: [{type: 'string'}, {type: 'array', items: {type: 'string'}, minItems: 1}],
      },
      title: {type: 'string', description: 'Regular expression on the title (case-insensitive).', examples: ['printer|toner', '\\bvpn\\b']},
      body: {type: 'string', description: 'Regular expression on the body (case-insensitive, first 20,000 characters).'},
      tags: {description: 'The ticket has any of these tags.', anyOf: [{type: 'string'}, {type: 'array', items: {type: 'string'}, minItems: 1}]},
      priority: {description: 'Priority.', anyOf: [{enum: PRIORITIES}, {type: 'array', items: {enum: PRIORITIES}, minItems: 1}]},
      type: {description: 'Type.', anyOf: [{enum: TYPES}, {type: 'array', items: {enum: TYPES}, minItems: 1}]},
      status: {description: 'Status.', anyOf: [{enum: STATUSES}, {type: 'array', items: {enum: STATUSES}, minItems: 1}]},
      department: {
        description: 'Department key (null: no department).',
        anyOf: [{type: ['string', 'null']}, {type: 'array', items: {type: ['string', 'null']}, minItems: 1}],
      },
      assignee: {
        description: 'Assignee e-mail (null: unassigned).',
        anyOf: [{type: ['string', 'null']}, {type: 'array', items: {type: ['string', 'null']}, minItems: 1}],
      },
      tier: {
        description: 'Tier (1 = first line).',
        anyOf: [{type: 'integer', minimum: 1}, {type: 'array', items: {type: 'integer', minimum: 1}, minItems: 1}],
      },
      fields: {type: 'object', description: 'Custom fields: each must equal the value (or one of the values).'},
    },
  }
}
