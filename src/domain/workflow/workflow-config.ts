// The help-desk sections of desk.json (docs/helpdesk.md): calendars, agents, departments and their tiers,
// SLA policies, rules, automations and hooks. One pass validates (every problem names its JSON path
// and what is expected) and compiles them into the `Workflow` the rest of tix uses.
import {calendarHours, compileCalendar, parseDuration, type Calendar, type CalendarSpec} from '../sla/calendar.js'
import {DEFAULT_CONFIG, isValidTimeZone, sectionValidators, type ConfigProblem, type DeskConfig} from '../config/config.js'
import {compileConditions, isObj, type CompiledConditions} from './conditions.js'
import {PRIORITIES, STATUSES, TYPES, type Priority, type Status, type TicketType} from '../ticket/model.js'
import {unknownPlaceholders} from './template.js'
import '../ticket/fields.js' // registers the validator of desk.json's `fields` section

/** Where editors find the JSON Schema of desk.json (the file ships in the package as schema/desk.schema.json). */
export const SCHEMA_URL = 'https://unpkg.com/tix/schema/desk.schema.json'

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

const lower = (s: string) => s.trim().toLowerCase()
const EMAILISH = /^[^\s<>@]+@[^\s<>@]+$/

function stringArray(v: unknown, path: string, problems: ConfigProblem[], what = 'strings'): string[] | null {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) {
    problems.push({path, message: `expected a list of ${what}`})
    return null
  }
  return v as string[]
}

function positiveInt(v: unknown, path: string, problems: ConfigProblem[], what: string, min = 1): number | null {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    problems.push({path, message: `expected ${what} (a whole number${min === 0 ? '' : `, at least ${min}`})`})
    return null
  }
  return v
}

function oneOfValue<T extends string>(v: unknown, list: readonly T[], path: string, problems: ConfigProblem[]): T | null {
  if (typeof v === 'string' && (list as readonly string[]).includes(v)) return v as T
  problems.push({path, message: `expected one of ${list.join(', ')}`})
  return null
}

function duration(v: unknown, path: string, problems: ConfigProblem[]): {ms: number; business: boolean | null; text: string} | null {
  if (typeof v !== 'string') {
    problems.push({path, message: 'expected a duration such as "90m", "6h", "3d" or "5 business days"'})
    return null
  }
  try {
    const d = parseDuration(v, path)
    return {ms: d.minutes * 60_000, business: d.business, text: v}
  } catch {
    problems.push({path, message: `expected a duration such as "90m", "6h", "1h30m", "3d" or "5 business days" (got "${v}")`})
    return null
  }
}

/** The working day of a calendar in ms (for "N business days"). */
const workingDayMs = (cal: Calendar) => {
  const days = cal.week.map((d) => d.reduce((a, [s, e]) => a + (e - s), 0)).filter((x) => x > 0)
  return (days.reduce((a, b) => a + b, 0) / Math.max(1, days.length)) * 60_000
}

/** Converts "5 business days" to business ms of `cal`; other durations are taken as written. */
function durationIn(cal: Calendar, text: string, ms: number): number {
  const bd = /^(\d+(?:\.\d+)?)\s*(business|working)\s+days?$/i.exec(text.trim())
  return bd ? Number(bd[1]) * workingDayMs(cal) : ms
}

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
        const s = oneOfValue(value, STATUSES.filter((x) => x !== 'new'), p, problems)
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

/** Validates the workflow sections of a desk.json value and compiles them; problems are appended. */
export function compileWorkflow(config: Record<string, unknown>, problems: ConfigProblem[]): Workflow {
  const timezone = typeof config.timezone === 'string' ? config.timezone : 'UTC'
  const zone = isValidTimeZone(timezone) ? timezone : 'UTC'

  // calendars
  const calendars = new Map<string, Calendar>()
  if (config.calendars !== undefined) {
    if (!isObj(config.calendars)) problems.push({path: 'calendars', message: 'expected an object: {"office": {"hours": {"mon-fri": "09:00-17:00"}, "holidays": ["2026-12-24"]}}'})
    else {
      for (const [name, spec] of Object.entries(config.calendars)) {
        const p = `calendars.${name}`
        if (!isObj(spec) || !isObj(spec.hours)) {
          problems.push({path: `${p}.hours`, message: 'expected working hours per weekday, e.g. {"mon-fri": "09:00-17:00"}'})
          continue
        }
        if (spec.holidays !== undefined && !Array.isArray(spec.holidays)) {
          problems.push({path: `${p}.holidays`, message: 'expected a list of dates (YYYY-MM-DD)'})
          continue
        }
        let tz = zone
        if (spec.timezone !== undefined) {
          if (typeof spec.timezone === 'string' && isValidTimeZone(spec.timezone)) tz = spec.timezone
          else problems.push({path: `${p}.timezone`, message: 'expected an IANA time zone such as "Europe/Berlin"'})
        }
        try {
          calendars.set(name, compileCalendar(spec as unknown as CalendarSpec, tz, p))
        } catch (error) {
          const m = /^(.+?): (.*?)\.?$/.exec((error as Error).message)
          problems.push(m ? {path: m[1]!, message: m[2]!} : {path: p, message: (error as Error).message})
        }
      }
    }
  }

  // departments (keys first: agents and rules refer to them)
  const departments = new Map<string, Department>()
  const deptKeys = isObj(config.departments) ? new Set(Object.keys(config.departments)) : null
  if (config.departments !== undefined && !isObj(config.departments)) {
    problems.push({path: 'departments', message: 'expected an object: {"it": {"name": "IT", "tiers": {"1": ["ana@example.com"]}}}'})
  }

  // agents
  const agents = new Map<string, Agent>()
  if (config.agents !== undefined) {
    if (!isObj(config.agents)) problems.push({path: 'agents', message: 'expected an object keyed by e-mail: {"ana@example.com": {"name": "Ana Diaz", "departments": ["it"]}}'})
    else {
      for (const [email, spec] of Object.entries(config.agents)) {
        const p = `agents.${email}`
        if (!EMAILISH.test(email)) problems.push({path: p, message: 'expected the key to be the agent\'s e-mail address'})
        if (!isObj(spec)) {
          problems.push({path: p, message: 'expected an object: {"name": "...", "departments": [...], "tier": 1, "capacity": 10, "skills": [...]}'})
          continue
        }
        for (const k of Object.keys(spec)) {
          if (!['name', 'departments', 'tier', 'capacity', 'skills', 'available'].includes(k)) problems.push({path: `${p}.${k}`, message: 'unknown key: expected name, departments, tier, capacity, skills or available'})
        }
        if (spec.name !== undefined && typeof spec.name !== 'string') problems.push({path: `${p}.name`, message: 'expected a string'})
        // An agent may name a department before it is added (tix agent add --dept says so): making
        // that an error would leave no order in which `tix dept add` and `tix agent add` both work.
        const depts = spec.departments === undefined ? [] : (stringArray(spec.departments, `${p}.departments`, problems, 'department keys') ?? [])
        const tier = spec.tier === undefined ? 1 : (positiveInt(spec.tier, `${p}.tier`, problems, 'a tier number') ?? 1)
        const capacity = spec.capacity === undefined || spec.capacity === null ? null : positiveInt(spec.capacity, `${p}.capacity`, problems, 'the most active tickets this agent takes', 0)
        const skills = spec.skills === undefined ? [] : (stringArray(spec.skills, `${p}.skills`, problems, 'skills (tags such as "es" or "vpn")') ?? [])
        if (spec.available !== undefined && typeof spec.available !== 'boolean') problems.push({path: `${p}.available`, message: 'expected true or false'})
        agents.set(lower(email), {
          email: lower(email),
          name: typeof spec.name === 'string' ? spec.name : email,
          departments: depts,
          tier,
          capacity,
          skills: skills.map(lower),
          available: spec.available !== false,
        })
      }
    }
  }

  if (isObj(config.departments)) {
    for (const [key, spec] of Object.entries(config.departments)) {
      const p = `departments.${key}`
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(key)) problems.push({path: p, message: 'expected the key to be a short name: letters, digits, . _ - (e.g. "it")'})
      if (!isObj(spec)) {
        problems.push({path: p, message: 'expected an object: {"name": "IT", "tiers": {"1": [...]}, "assignment": "load-balanced", "signature": "..."}'})
        continue
      }
      for (const k of Object.keys(spec)) {
        if (!['name', 'tiers', 'assignment', 'cap', 'signature', 'calendar', 'public'].includes(k)) problems.push({path: `${p}.${k}`, message: 'unknown key: expected name, tiers, assignment, cap, signature, calendar or public'})
      }
      const tiers = new Map<number, string[]>()
      if (spec.tiers !== undefined) {
        if (!isObj(spec.tiers)) problems.push({path: `${p}.tiers`, message: 'expected tiers by number: {"1": ["ana@example.com"], "2": ["bob@example.com"]}'})
        else {
          for (const [n, members] of Object.entries(spec.tiers)) {
            if (!/^[1-9]\d*$/.test(n)) {
              problems.push({path: `${p}.tiers.${n}`, message: 'expected a tier number as the key ("1", "2", "3")'})
              continue
            }
            const list = stringArray(members, `${p}.tiers.${n}`, problems, 'agent e-mails') ?? []
            for (const m of list) {
              if (config.agents !== undefined && !agents.has(lower(m))) problems.push({path: `${p}.tiers.${n}`, message: `"${m}" is not listed in agents (add them with \`tix agent add ${m}\`)`})
            }
            tiers.set(Number(n), list.map(lower))
          }
        }
      }
      const assignment = spec.assignment === undefined ? 'load-balanced' : (oneOfValue(spec.assignment, STRATEGIES, `${p}.assignment`, problems) ?? 'load-balanced')
      const cap = spec.cap === undefined || spec.cap === null ? null : positiveInt(spec.cap, `${p}.cap`, problems, 'the most active tickets an agent may hold')
      if (spec.name !== undefined && typeof spec.name !== 'string') problems.push({path: `${p}.name`, message: 'expected a string'})
      if (spec.signature !== undefined && typeof spec.signature !== 'string') problems.push({path: `${p}.signature`, message: 'expected a string'})
      if (spec.public !== undefined && typeof spec.public !== 'boolean') problems.push({path: `${p}.public`, message: 'expected true (offered on the web portal\'s form) or false'})
      let calendar: string | null = null
      if (spec.calendar !== undefined) {
        if (typeof spec.calendar !== 'string' || !calendars.has(spec.calendar)) problems.push({path: `${p}.calendar`, message: `expected the name of a calendar (${[...calendars.keys()].join(', ') || 'define one under "calendars"'})`})
        else calendar = spec.calendar
      }
      departments.set(key, {
        key,
        name: typeof spec.name === 'string' ? spec.name : key,
        tiers,
        assignment,
        cap,
        signature: typeof spec.signature === 'string' ? spec.signature : null,
        calendar,
        public: spec.public === true,
      })
    }
  }

  // SLA policies
  const policies: SlaPolicy[] = []
  const policyNames = new Set<string>()
  const clock = calendarHours(zone)
  if (config.sla !== undefined) {
    if (!Array.isArray(config.sla)) problems.push({path: 'sla', message: 'expected a list of policies: [{"name": "standard", "targets": {"urgent": {"firstResponse": "1h"}}}]'})
    else {
      config.sla.forEach((spec: unknown, i) => {
        const p = `sla[${i}]`
        if (!isObj(spec)) {
          problems.push({path: p, message: 'expected a policy object with name and targets'})
          return
        }
        for (const k of Object.keys(spec)) {
          if (!['name', 'if', 'calendar', 'targets', 'pauseOn', 'pauseResolutionOn', 'warnAt'].includes(k)) problems.push({path: `${p}.${k}`, message: 'unknown key: expected name, if, calendar, targets, pauseOn, pauseResolutionOn or warnAt'})
        }
        const name = typeof spec.name === 'string' && spec.name.trim() !== '' ? spec.name : null
        if (name === null) problems.push({path: `${p}.name`, message: 'expected a name for the policy'})
        else if (policyNames.has(name)) problems.push({path: `${p}.name`, message: `expected a unique name ("${name}" is used twice)`})
        else policyNames.add(name)
        const conditions = compileConditions(spec.if, `${p}.if`, problems)
        let calendarName: string | null = null
        let calendar = clock
        if (spec.calendar !== undefined) {
          if (typeof spec.calendar !== 'string' || !calendars.has(spec.calendar)) problems.push({path: `${p}.calendar`, message: `expected the name of a calendar (${[...calendars.keys()].join(', ') || 'define one under "calendars"'})`})
          else {
            calendarName = spec.calendar
            calendar = calendars.get(spec.calendar)!
          }
        }
        const targets: SlaPolicy['targets'] = {}
        if (!isObj(spec.targets)) problems.push({path: `${p}.targets`, message: 'expected targets per priority: {"urgent": {"firstResponse": "1h", "nextResponse": "2h", "resolution": "4h"}}'})
        else {
          for (const [prio, metrics] of Object.entries(spec.targets)) {
            const pp = `${p}.targets.${prio}`
            if (!(PRIORITIES as readonly string[]).includes(prio)) {
              problems.push({path: pp, message: `expected a priority as the key: ${PRIORITIES.join(', ')}`})
              continue
            }
            if (!isObj(metrics)) {
              problems.push({path: pp, message: 'expected {"firstResponse": "1h", "nextResponse": "2h", "resolution": "4h"}'})
              continue
            }
            const out: Partial<Record<SlaMetric, SlaTarget>> = {}
            for (const [metric, text] of Object.entries(metrics)) {
              if (!(SLA_METRICS as readonly string[]).includes(metric)) {
                problems.push({path: `${pp}.${metric}`, message: `unknown metric: expected ${SLA_METRICS.join(', ')}`})
                continue
              }
              const d = duration(text, `${pp}.${metric}`, problems)
              if (d) {
                const business = d.business !== false
                out[metric as SlaMetric] = {ms: business ? durationIn(calendar, d.text, d.ms) : d.ms, business, text: d.text}
              }
            }
            targets[prio as Priority] = out
          }
        }
        const statuses = (v: unknown, key: string, dflt: Status[]): Set<Status> => {
          if (v === undefined) return new Set(dflt)
          const list = stringArray(v, `${p}.${key}`, problems, 'statuses')
          const ok = (list ?? []).filter((s) => {
            if ((['pending', 'on-hold', 'new', 'open'] as string[]).includes(s)) return true
            problems.push({path: `${p}.${key}`, message: `expected statuses from new, open, pending, on-hold (got "${s}")`})
            return false
          })
          return new Set(ok as Status[])
        }
        const pauseOn = statuses(spec.pauseOn, 'pauseOn', ['pending'])
        const pauseResolutionOn = statuses(spec.pauseResolutionOn, 'pauseResolutionOn', [])
        let warnAt = 0.25
        if (spec.warnAt !== undefined) {
          if (typeof spec.warnAt !== 'number' || !(spec.warnAt >= 0 && spec.warnAt < 1)) problems.push({path: `${p}.warnAt`, message: 'expected the fraction of the target left at which to warn, from 0 to below 1 (e.g. 0.25)'})
          else warnAt = spec.warnAt
        }
        policies.push({name: name ?? `#${i}`, conditions, calendarName, calendar, clock, targets, pauseOn, pauseResolutionOn, warnAt})
      })
    }
  }

  const refs = {departments: deptKeys, policies: policyNames, agents: config.agents !== undefined ? new Set(agents.keys()) : null}

  // rules
  const rules: Rule[] = []
  if (config.rules !== undefined) {
    if (!Array.isArray(config.rules)) problems.push({path: 'rules', message: 'expected a list of rules: [{"name": "...", "on": ["create"], "if": {...}, "then": {...}}]'})
    else {
      const names = new Set<string>()
      config.rules.forEach((spec: unknown, i) => {
        const p = `rules[${i}]`
        if (!isObj(spec)) {
          problems.push({path: p, message: 'expected a rule object with name, on, if and then'})
          return
        }
        for (const k of Object.keys(spec)) {
          if (!['name', 'on', 'if', 'then', 'stop'].includes(k)) problems.push({path: `${p}.${k}`, message: 'unknown key: expected name, on, if, then or stop'})
        }
        const name = typeof spec.name === 'string' && spec.name.trim() !== '' ? spec.name : null
        if (name === null) problems.push({path: `${p}.name`, message: 'expected a name for the rule'})
        else if (names.has(name)) problems.push({path: `${p}.name`, message: `expected a unique name ("${name}" is used twice)`})
        else names.add(name)
        let on = new Set<RuleTrigger>(['create'])
        if (spec.on !== undefined) {
          const list = stringArray(spec.on, `${p}.on`, problems, `triggers: ${RULE_TRIGGERS.join(', ')}`) ?? []
          on = new Set(list.map((x, j) => oneOfValue(x, RULE_TRIGGERS, `${p}.on[${j}]`, problems)).filter((x): x is RuleTrigger => x !== null))
        }
        const conditions = compileConditions(spec.if, `${p}.if`, problems)
        if (spec.then === undefined) problems.push({path: `${p}.then`, message: 'expected the actions to take'})
        const then = spec.then === undefined ? {} : compileActions(spec.then, `${p}.then`, problems, refs, 'rule')
        if (spec.stop !== undefined && typeof spec.stop !== 'boolean') problems.push({path: `${p}.stop`, message: 'expected true or false'})
        rules.push({name: name ?? `#${i}`, on, conditions, then, stop: spec.stop === true})
      })
    }
  }

  // automations
  const automations: Automation[] = []
  if (config.automations !== undefined) {
    if (!Array.isArray(config.automations)) problems.push({path: 'automations', message: 'expected a list: [{"name": "...", "if": {"status": "pending", "idleFor": "5 business days"}, "then": {...}}]'})
    else {
      const names = new Set<string>()
      config.automations.forEach((spec: unknown, i) => {
        const p = `automations[${i}]`
        if (!isObj(spec)) {
          problems.push({path: p, message: 'expected an automation object with name, if and then'})
          return
        }
        for (const k of Object.keys(spec)) {
          if (!['name', 'if', 'then', 'calendar'].includes(k)) problems.push({path: `${p}.${k}`, message: 'unknown key: expected name, if, then or calendar'})
        }
        const name = typeof spec.name === 'string' && spec.name.trim() !== '' ? spec.name : null
        if (name === null) problems.push({path: `${p}.name`, message: 'expected a name for the automation'})
        else if (names.has(name)) problems.push({path: `${p}.name`, message: `expected a unique name ("${name}" is used twice)`})
        else names.add(name)
        const cond = isObj(spec.if) ? spec.if : {}
        if (!isObj(spec.if)) problems.push({path: `${p}.if`, message: 'expected conditions, e.g. {"status": "pending", "idleFor": "5 business days"} or {"sla": "breached"}'})
        const conditions = compileConditions(isObj(spec.if) ? spec.if : undefined, `${p}.if`, problems, ['idleFor', 'sla'])
        let idleFor: Automation['idleFor'] = null
        if (cond.idleFor !== undefined) {
          const d = duration(cond.idleFor, `${p}.if.idleFor`, problems)
          if (d) {
            const bd = /^(\d+(?:\.\d+)?)\s*(business|working)\s+days?$/i.exec(d.text.trim())
            idleFor = {ms: d.ms, business: d.business === true, businessDays: bd ? Number(bd[1]) : null, text: d.text}
          }
        }
        let sla: Automation['sla'] = null
        if (cond.sla !== undefined) sla = oneOfValue(cond.sla, ['breached', 'warning'] as const, `${p}.if.sla`, problems)
        if (idleFor === null && sla === null && isObj(spec.if)) {
          problems.push({path: `${p}.if`, message: 'expected a time condition: "idleFor" (e.g. "5 business days") or "sla" ("breached" or "warning")'})
        }
        let calendar: string | null = null
        if (spec.calendar !== undefined) {
          if (typeof spec.calendar !== 'string' || !calendars.has(spec.calendar)) problems.push({path: `${p}.calendar`, message: `expected the name of a calendar (${[...calendars.keys()].join(', ') || 'define one under "calendars"'})`})
          else calendar = spec.calendar
        }
        if (spec.then === undefined) problems.push({path: `${p}.then`, message: 'expected the actions to take'})
        const then = spec.then === undefined ? {} : compileActions(spec.then, `${p}.then`, problems, refs, 'automation')
        automations.push({name: name ?? `#${i}`, conditions, idleFor, sla, calendar, then})
      })
    }
  }

  // hooks
  const hooks: Hook[] = []
  if (config.hooks !== undefined) {
    if (!Array.isArray(config.hooks)) problems.push({path: 'hooks', message: 'expected a list: [{"on": ["assigned"], "run": ["node", "hooks/notify.js"]}]'})
    else {
      config.hooks.forEach((spec: unknown, i) => {
        const p = `hooks[${i}]`
        if (!isObj(spec)) {
          problems.push({path: p, message: 'expected a hook object with on and run'})
          return
        }
        for (const k of Object.keys(spec)) {
          if (!['name', 'on', 'run', 'timeout'].includes(k)) problems.push({path: `${p}.${k}`, message: 'unknown key: expected name, on, run or timeout'})
        }
        const on = stringArray(spec.on, `${p}.on`, problems, `events: ${HOOK_EVENTS.join(', ')}`) ?? []
        const events = on.map((x, j) => oneOfValue(x, HOOK_EVENTS, `${p}.on[${j}]`, problems)).filter((x): x is HookEvent => x !== null)
        let run: string[] = []
        if (!Array.isArray(spec.run) || spec.run.length === 0 || !spec.run.every((x) => typeof x === 'string' && x !== '')) {
          problems.push({path: `${p}.run`, message: 'expected the command and its arguments as a list of strings, run without a shell, e.g. ["node", "hooks/notify.js"]'})
        } else run = spec.run as string[]
        let timeoutMs = 10_000
        if (spec.timeout !== undefined) {
          if (typeof spec.timeout !== 'number' || !(spec.timeout > 0 && spec.timeout <= 300)) problems.push({path: `${p}.timeout`, message: 'expected seconds, more than 0 and at most 300'})
          else timeoutMs = spec.timeout * 1000
        }
        if (spec.name !== undefined && typeof spec.name !== 'string') problems.push({path: `${p}.name`, message: 'expected a string'})
        hooks.push({name: typeof spec.name === 'string' ? spec.name : (run[0] ?? `hook ${i}`), on: new Set(events), run, timeoutMs})
      })
    }
  }

  const hasAgents = agents.size > 0
  return {
    name: typeof config.name === 'string' ? config.name : 'Help desk',
    timezone: zone,
    agents,
    departments,
    calendars,
    policies,
    rules,
    automations,
    hooks,
    isAgent: (who, requesterEmail) => {
      const w = lower(who)
      if (requesterEmail !== null && w === lower(requesterEmail)) return false
      return hasAgents ? agents.has(w) : true
    },
  }
}

/** What actions may refer to (for macros, validated against the desk's current config). */
export function actionRefs(wf: Workflow, config: Record<string, unknown>): {departments: Set<string> | null; policies: Set<string>; agents: Set<string> | null} {
  return {
    departments: isObj(config.departments) ? new Set(wf.departments.keys()) : null,
    policies: new Set(wf.policies.map((p) => p.name)),
    agents: config.agents !== undefined ? new Set(wf.agents.keys()) : null,
  }
}

// Validation compiles the workflow anyway: keep the result for workflowOf, which gets the parsed
// config (parseConfig copies the validated object's top-level values into a new object).
let lastValidated: {raw: Record<string, unknown>; wf: Workflow; clean: boolean} | null = null

// `web`: the web portal (`tix serve`) and the links other parts of tix make to it.
sectionValidators.push((config, problems) => {
  const web = config.web
  if (web === undefined) return
  if (!isObj(web)) {
    problems.push({path: 'web', message: 'expected an object: {"baseUrl": "https://help.example.com"}'})
    return
  }
  for (const k of Object.keys(web)) if (k !== 'baseUrl') problems.push({path: `web.${k}`, message: 'unknown key: expected baseUrl'})
  if (web.baseUrl !== undefined) {
    let ok = typeof web.baseUrl === 'string'
    if (ok) {
      try {
        const u = new URL(web.baseUrl as string)
        ok = (u.protocol === 'https:' || u.protocol === 'http:') && u.search === '' && u.hash === '' && u.username === '' && u.password === ''
      } catch {
        ok = false
      }
    }
    if (!ok) problems.push({path: 'web.baseUrl', message: 'expected the portal\'s public address, e.g. "https://help.example.com" (http or https, no query)'})
  }
})

sectionValidators.push((config, problems) => {
  const before = problems.length
  const wf = compileWorkflow(config, problems)
  lastValidated = {raw: config, wf, clean: problems.length === before}
})

const compiled = new WeakMap<object, Workflow>()

/** The compiled workflow of a (validated) desk config; compiled once per config object. */
export function workflowOf(config: DeskConfig): Workflow {
  let wf = compiled.get(config)
  if (wf === undefined) {
    const last = lastValidated
    const same = last !== null && last.clean && WORKFLOW_KEYS.every((k) => config[k] === (last.raw[k] ?? (DEFAULT_CONFIG as Record<string, unknown>)[k]))
    wf = same ? last.wf : compileWorkflow(config, [])
    compiled.set(config, wf)
  }
  return wf
}

const WORKFLOW_KEYS = ['timezone', 'name', 'calendars', 'agents', 'departments', 'sla', 'rules', 'automations', 'hooks']

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
