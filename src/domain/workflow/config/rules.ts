// desk.json `rules`: triggers evaluated in order when a ticket is created or updated.
import type {DeskSection, SectionSchema} from '../../config/section.js'
import {compileConditions, conditionsSchema, isObj} from '../conditions.js'
import {actionsSchema, compileActions} from './actions.js'
import {draftRefs} from './draft.js'
import {RULE_TRIGGERS, type RuleTrigger} from './types.js'
import {oneOfValue, stringArray} from './values.js'

const KEYS = ['name', 'on', 'if', 'then', 'stop']

export const rulesSection: DeskSection = {
  keys: ['rules'],
  compile(config, problems, {workflow: wf}) {
    if (config.rules === undefined) return
    if (!Array.isArray(config.rules)) {
      problems.push({path: 'rules', message: 'expected a list of rules: [{"name": "...", "on": ["create"], "if": {...}, "then": {...}}]'})
      return
    }
    const refs = draftRefs(config, wf)
    const names = new Set<string>()
    config.rules.forEach((spec: unknown, i) => {
      const p = `rules[${i}]`
      if (!isObj(spec)) {
        problems.push({path: p, message: 'expected a rule object with name, on, if and then'})
        return
      }
      for (const k of Object.keys(spec)) {
        if (!KEYS.includes(k)) problems.push({path: `${p}.${k}`, message: 'unknown key: expected name, on, if, then or stop'})
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
      wf.rules.push({name: name ?? `#${i}`, on, conditions, then, stop: spec.stop === true})
    })
  },
}

export function rulesSchema(): SectionSchema {
  return {
    rules: {
      type: 'array',
      description: 'Triggers: evaluated in order on create and/or update; each fires at most once per change.',
      items: {
        type: 'object',
        required: ['name', 'then'],
        additionalProperties: false,
        properties: {
          name: {type: 'string'},
          on: {type: 'array', items: {enum: RULE_TRIGGERS}, default: ['create']},
          if: conditionsSchema(),
          then: actionsSchema(),
          stop: {type: 'boolean', description: 'Do not evaluate later rules after this one fired.'},
        },
      },
    },
  }
}
