// desk.json `agents`: the desk's agents by e-mail, with their departments, tier, capacity and skills.
import type {DeskSection, SectionSchema} from '../../config/section.js'
import {isObj} from '../conditions.js'
import {EMAILISH, lower, positiveInt, stringArray} from './values.js'

const KEYS = ['name', 'departments', 'tier', 'capacity', 'skills', 'available']

export const agentsSection: DeskSection = {
  keys: ['agents'],
  compile(config, problems, {workflow: wf}) {
    if (config.agents === undefined) return
    if (!isObj(config.agents)) {
      problems.push({path: 'agents', message: 'expected an object keyed by e-mail: {"ana@example.com": {"name": "Ana Diaz", "departments": ["it"]}}'})
      return
    }
    for (const [email, spec] of Object.entries(config.agents)) {
      const p = `agents.${email}`
      if (!EMAILISH.test(email)) problems.push({path: p, message: 'expected the key to be the agent\'s e-mail address'})
      if (!isObj(spec)) {
        problems.push({path: p, message: 'expected an object: {"name": "...", "departments": [...], "tier": 1, "capacity": 10, "skills": [...]}'})
        continue
      }
      for (const k of Object.keys(spec)) {
        if (!KEYS.includes(k)) problems.push({path: `${p}.${k}`, message: 'unknown key: expected name, departments, tier, capacity, skills or available'})
      }
      if (spec.name !== undefined && typeof spec.name !== 'string') problems.push({path: `${p}.name`, message: 'expected a string'})
      // An agent may name a department before it is added (tix agent add --dept says so): making
      // that an error would leave no order in which `tix dept add` and `tix agent add` both work.
      const depts = spec.departments === undefined ? [] : (stringArray(spec.departments, `${p}.departments`, problems, 'department keys') ?? [])
      const tier = spec.tier === undefined ? 1 : (positiveInt(spec.tier, `${p}.tier`, problems, 'a tier number') ?? 1)
      const capacity = spec.capacity === undefined || spec.capacity === null ? null : positiveInt(spec.capacity, `${p}.capacity`, problems, 'the most active tickets this agent takes', 0)
      const skills = spec.skills === undefined ? [] : (stringArray(spec.skills, `${p}.skills`, problems, 'skills (tags such as "es" or "vpn")') ?? [])
      if (spec.available !== undefined && typeof spec.available !== 'boolean') problems.push({path: `${p}.available`, message: 'expected true or false'})
      wf.agents.set(lower(email), {
        email: lower(email),
        name: typeof spec.name === 'string' ? spec.name : email,
        departments: depts,
        tier,
        capacity,
        skills: skills.map(lower),
        available: spec.available !== false,
      })
    }
  },
}

export function agentsSchema(): SectionSchema {
  return {
    agents: {
      type: 'object',
      description: 'Agents by e-mail. Once any are listed, only their public replies count as SLA responses.',
      propertyNames: {pattern: '^[^\\s<>@]+@[^\\s<>@]+$'},
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        properties: {
          name: {type: 'string'},
          departments: {type: 'array', items: {type: 'string'}},
          tier: {type: 'integer', minimum: 1, default: 1},
          capacity: {type: ['integer', 'null'], minimum: 0, description: 'Most active tickets (new/open/on-hold) assigned automatically.'},
          skills: {type: 'array', items: {type: 'string'}, description: 'Skill tags (languages, products) for the skills strategy.'},
          available: {type: 'boolean', default: true, description: 'false: skipped by automatic assignment.'},
        },
      },
    },
  }
}
