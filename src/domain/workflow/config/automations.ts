// desk.json `automations`: time-based rules (`tix automate`) that fire after a ticket has been idle
// for a while, or when its SLA is breached or about to be.
import type {DeskSection, SectionSchema} from '../../config/section.js'
import {compileConditions, conditionsSchema, isObj} from '../conditions.js'
import {actionsSchema, compileActions} from './actions.js'
import {draftRefs} from './draft.js'
import type {Automation} from './types.js'
import {calendarRef, duration, durationSchema, oneOfValue} from './values.js'

const KEYS = ['name', 'if', 'then', 'calendar']
const SLA_STATES = ['breached', 'warning'] as const

export const automationsSection: DeskSection = {
  keys: ['automations'],
  compile(config, problems, {workflow: wf}) {
    if (config.automations === undefined) return
    if (!Array.isArray(config.automations)) {
      problems.push({path: 'automations', message: 'expected a list: [{"name": "...", "if": {"status": "pending", "idleFor": "5 business days"}, "then": {...}}]'})
      return
    }
    const refs = draftRefs(config, wf)
    const names = new Set<string>()
    config.automations.forEach((spec: unknown, i) => {
      const p = `automations[${i}]`
      if (!isObj(spec)) {
        problems.push({path: p, message: 'expected an automation object with name, if and then'})
        return
      }
      for (const k of Object.keys(spec)) {
        if (!KEYS.includes(k)) problems.push({path: `${p}.${k}`, message: 'unknown key: expected name, if, then or calendar'})
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
      if (cond.sla !== undefined) sla = oneOfValue(cond.sla, SLA_STATES, `${p}.if.sla`, problems)
      if (idleFor === null && sla === null && isObj(spec.if)) {
        problems.push({path: `${p}.if`, message: 'expected a time condition: "idleFor" (e.g. "5 business days") or "sla" ("breached" or "warning")'})
      }
      const calendar = spec.calendar === undefined ? null : calendarRef(spec.calendar, `${p}.calendar`, problems, wf.calendars)
      if (spec.then === undefined) problems.push({path: `${p}.then`, message: 'expected the actions to take'})
      const then = spec.then === undefined ? {} : compileActions(spec.then, `${p}.then`, problems, refs, 'automation')
      wf.automations.push({name: name ?? `#${i}`, conditions, idleFor, sla, calendar, then})
    })
  },
}

export function automationsSchema(): SectionSchema {
  const conditions = conditionsSchema()
  return {
    automations: {
      type: 'array',
      description: 'Time-based rules run by `tix automate`; each fires once per ticket and occurrence of its condition.',
      items: {
        type: 'object',
        required: ['name', 'if', 'then'],
        additionalProperties: false,
        properties: {
          name: {type: 'string'},
          if: {
            ...conditions,
            properties: {
              ...conditions.properties,
              idleFor: durationSchema('No activity (other than automations) for this long.'),
              sla: {enum: SLA_STATES},
            },
          },
          then: actionsSchema(),
          calendar: {type: 'string', description: 'Calendar for business-time idleFor (default: the department\'s, else the first calendar).'},
        },
      },
    },
  }
}
