// desk.json `sla`: SLA policies, the first whose conditions match applies; targets per priority and
// metric, counted in a business calendar or around the clock.
import type {DeskSection, SectionSchema} from '../../config/section.js'
import {compileConditions, conditionsSchema, isObj} from '../conditions.js'
import {PRIORITIES, type Priority, type Status} from '../../ticket/model.js'
import {SLA_METRICS, type SlaMetric, type SlaPolicy, type SlaTarget} from './types.js'
import {calendarRef, duration, durationIn, durationSchema, stringArray} from './values.js'

const KEYS = ['name', 'if', 'calendar', 'targets', 'pauseOn', 'pauseResolutionOn', 'warnAt']
/** Statuses a policy may pause on (resolved and closed always stop the clocks). */
const PAUSE_STATUSES = ['new', 'open', 'pending', 'on-hold'] as const

export const slaSection: DeskSection = {
  keys: ['sla'],
  compile(config, problems, {workflow: wf}) {
    if (config.sla === undefined) return
    if (!Array.isArray(config.sla)) {
      problems.push({path: 'sla', message: 'expected a list of policies: [{"name": "standard", "targets": {"urgent": {"firstResponse": "1h"}}}]'})
      return
    }
    const {calendars, clock, policyNames} = wf
    config.sla.forEach((spec: unknown, i) => {
      const p = `sla[${i}]`
      if (!isObj(spec)) {
        problems.push({path: p, message: 'expected a policy object with name and targets'})
        return
      }
      for (const k of Object.keys(spec)) {
        if (!KEYS.includes(k)) problems.push({path: `${p}.${k}`, message: 'unknown key: expected name, if, calendar, targets, pauseOn, pauseResolutionOn or warnAt'})
      }
      const name = typeof spec.name === 'string' && spec.name.trim() !== '' ? spec.name : null
      if (name === null) problems.push({path: `${p}.name`, message: 'expected a name for the policy'})
      else if (policyNames.has(name)) problems.push({path: `${p}.name`, message: `expected a unique name ("${name}" is used twice)`})
      else policyNames.add(name)
      const conditions = compileConditions(spec.if, `${p}.if`, problems)
      const calendarName = spec.calendar === undefined ? null : calendarRef(spec.calendar, `${p}.calendar`, problems, calendars)
      const calendar = calendarName === null ? clock : calendars.get(calendarName)!
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
          if ((PAUSE_STATUSES as readonly string[]).includes(s)) return true
          problems.push({path: `${p}.${key}`, message: `expected statuses from ${PAUSE_STATUSES.join(', ')} (got "${s}")`})
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
      wf.policies.push({name: name ?? `#${i}`, conditions, calendarName, calendar, clock, targets, pauseOn, pauseResolutionOn, warnAt})
    })
  },
}

const METRIC_DESCRIPTIONS: Record<SlaMetric, string> = {
  firstResponse: 'Creation -> first public reply by an agent.',
  nextResponse: 'Oldest unanswered requester message -> next public agent reply.',
  resolution: 'Creation -> resolved.',
}

export function slaSchema(): SectionSchema {
  const metrics = {
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(SLA_METRICS.map((m) => [m, durationSchema(METRIC_DESCRIPTIONS[m])])),
  }
  return {
    sla: {
      type: 'array',
      description: 'SLA policies; the first whose conditions match applies (a rule can set one explicitly).',
      items: {
        type: 'object',
        required: ['name', 'targets'],
        additionalProperties: false,
        properties: {
          name: {type: 'string'},
          if: conditionsSchema(),
          calendar: {type: 'string', description: 'Business calendar (a key of "calendars"); none: around the clock.'},
          targets: {type: 'object', additionalProperties: false, properties: Object.fromEntries(PRIORITIES.map((p) => [p, metrics]))},
          pauseOn: {
            type: 'array',
            items: {enum: PAUSE_STATUSES},
            default: ['pending'],
            description: 'Statuses that stop every clock (resolved and closed always do).',
          },
          pauseResolutionOn: {
            type: 'array',
            items: {enum: PAUSE_STATUSES},
            default: [],
            description: 'Extra statuses that stop the resolution clock only (e.g. on-hold).',
          },
          warnAt: {type: 'number', minimum: 0, exclusiveMaximum: 1, default: 0.25, description: 'Warn when this share of the target or less remains.'},
        },
      },
    },
  }
}
