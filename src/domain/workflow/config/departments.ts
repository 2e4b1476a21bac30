// desk.json `departments`: queues by key, with tiers of agents, an assignment strategy, a per-agent
// cap, a signature, a business calendar and whether the web portal offers them.
import type {DeskSection, SectionSchema} from '../../config/section.js'
import {isObj} from '../conditions.js'
import {STRATEGIES} from './types.js'
import {calendarRef, lower, oneOfValue, positiveInt, stringArray} from './values.js'

const KEYS = ['name', 'tiers', 'assignment', 'cap', 'signature', 'calendar', 'public']

export const departmentsSection: DeskSection = {
  keys: ['departments'],
  compile(config, problems, {workflow: wf}) {
    if (config.departments === undefined) return
    if (!isObj(config.departments)) {
      problems.push({path: 'departments', message: 'expected an object: {"it": {"name": "IT", "tiers": {"1": ["ana@example.com"]}}}'})
      return
    }
    for (const [key, spec] of Object.entries(config.departments)) {
      const p = `departments.${key}`
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(key)) problems.push({path: p, message: 'expected the key to be a short name: letters, digits, . _ - (e.g. "it")'})
      if (!isObj(spec)) {
        problems.push({path: p, message: 'expected an object: {"name": "IT", "tiers": {"1": [...]}, "assignment": "load-balanced", "signature": "..."}'})
        continue
      }
      for (const k of Object.keys(spec)) {
        if (!KEYS.includes(k)) problems.push({path: `${p}.${k}`, message: 'unknown key: expected name, tiers, assignment, cap, signature, calendar or public'})
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
              if (config.agents !== undefined && !wf.agents.has(lower(m))) problems.push({path: `${p}.tiers.${n}`, message: `"${m}" is not listed in agents (add them with \`tix agent add ${m}\`)`})
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
      const calendar = spec.calendar === undefined ? null : calendarRef(spec.calendar, `${p}.calendar`, problems, wf.calendars)
      wf.departments.set(key, {
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
  },
}

export function departmentsSchema(): SectionSchema {
  return {
    departments: {
      type: 'object',
      description: 'Departments (queues) by key.',
      propertyNames: {pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'},
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        properties: {
          name: {type: 'string'},
          tiers: {
            type: 'object',
            description: 'Tier number -> agent e-mails ("1": first line).',
            propertyNames: {pattern: '^[1-9][0-9]*$'},
            additionalProperties: {type: 'array', items: {type: 'string', description: 'An e-mail address.', pattern: '^[^\\s<>@]+@[^\\s<>@]+$'}},
          },
          assignment: {enum: STRATEGIES, default: 'load-balanced'},
          cap: {type: ['integer', 'null'], minimum: 1, description: 'Per-agent cap for automatic assignment in this department.'},
          signature: {type: 'string', description: 'Used by {{department.signature}}.'},
          calendar: {type: 'string', description: 'Business calendar for idle times of automations.'},
          public: {type: 'boolean', default: false, description: 'Offered to requesters on the web portal\'s form (tix serve).'},
        },
      },
    },
  }
}
