// desk.json `hooks`: commands run after a change (an assignment, an escalation, an SLA warning or
// breach), where a clone enables them with `git config tix.hooks true`.
import type {DeskSection, SectionSchema} from '../../config/section.js'
import {isObj} from '../conditions.js'
import {HOOK_EVENTS, type HookEvent} from './types.js'
import {oneOfValue, stringArray} from './values.js'

const KEYS = ['name', 'on', 'run', 'timeout']

export const hooksSection: DeskSection = {
  keys: ['hooks'],
  compile(config, problems, {workflow: wf}) {
    if (config.hooks === undefined) return
    if (!Array.isArray(config.hooks)) {
      problems.push({path: 'hooks', message: 'expected a list: [{"on": ["assigned"], "run": ["node", "hooks/notify.js"]}]'})
      return
    }
    config.hooks.forEach((spec: unknown, i) => {
      const p = `hooks[${i}]`
      if (!isObj(spec)) {
        problems.push({path: p, message: 'expected a hook object with on and run'})
        return
      }
      for (const k of Object.keys(spec)) {
        if (!KEYS.includes(k)) problems.push({path: `${p}.${k}`, message: 'unknown key: expected name, on, run or timeout'})
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
      wf.hooks.push({name: typeof spec.name === 'string' ? spec.name : (run[0] ?? `hook ${i}`), on: new Set(events), run, timeoutMs})
    })
  },
}

export function hooksSchema(): SectionSchema {
  return {
    hooks: {
      type: 'array',
      description: 'Commands run after a change, with the event and ticket as JSON on stdin. They run only where enabled: git config tix.hooks true.',
      items: {
        type: 'object',
        required: ['on', 'run'],
        additionalProperties: false,
        properties: {
          name: {type: 'string'},
          on: {type: 'array', items: {enum: HOOK_EVENTS}, minItems: 1},
          run: {
            type: 'array',
            items: {type: 'string', minLength: 1},
            minItems: 1,
            description: 'The command and its arguments (no shell).',
            examples: [['node', 'hooks/notify.js']],
          },
          timeout: {type: 'number', exclusiveMinimum: 0, maximum: 300, default: 10, description: 'Seconds before the hook is stopped.'},
        },
      },
    },
  }
}
