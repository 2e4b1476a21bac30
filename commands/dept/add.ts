import {Args, Flags} from '@oclif/core'
import {usageError} from '../../src/errors.js'
import {STRATEGIES} from '../../src/domain/workflow/workflow-config.js'
import {envelope} from '../../src/output/json.js'
import {safeLine} from '../../src/output/text.js'
import {TixCommand} from '../base.js'

export default class DeptAdd extends TixCommand {
  static override summary = 'Add a department (a queue with its agents, tiers, assignment strategy and signature).'
  static override examples = [
    '<%= config.bin %> dept add it --name "IT" --assignment load-balanced --signature "-- IT Help Desk"',
    '<%= config.bin %> dept add network --name "Network" --assignment round-robin --calendar office',
  ]
  static override args = {key: Args.string({description: 'Short key used everywhere else (e.g. it).', required: true})}
  static override flags = {
    name: Flags.string({summary: 'Name people read (default: the key).'}),
    assignment: Flags.option({options: STRATEGIES, summary: `How \`tix assign --auto\` and escalations pick an agent: ${STRATEGIES.join(', ')} (default load-balanced).`})(),
    cap: Flags.integer({summary: 'Most active tickets (new/open/on-hold) an agent of this department takes automatically.', min: 1}),
    signature: Flags.string({summary: 'Signature for replies ({{department.signature}} in macros).'}),
    calendar: Flags.string({summary: 'Business calendar (a name under "calendars" in desk.json).'}),
  }

  async run() {
    const {updateDeskJson} = await import('../../src/services/workflow/desk-config.js')
    const {args, flags} = await this.parse(DeptAdd)
    const desk = await this.openDesk()
    const spec: Record<string, unknown> = {name: flags.name ?? args.key}
    if (flags.assignment) spec.assignment = flags.assignment
    if (flags.cap !== undefined) spec.cap = flags.cap
    if (flags.signature !== undefined) spec.signature = flags.signature
    if (flags.calendar !== undefined) spec.calendar = flags.calendar
    const res = await updateDeskJson(desk, `Add department ${args.key}`, (config) => {
      const depts = (config.departments ?? {}) as Record<string, unknown>
      if (Object.hasOwn(depts, args.key)) throw usageError(`Department "${args.key}" already exists.`, `Change it with \`tix config set departments.${args.key}.name "..."\` or \`tix config edit\`.`)
      return {...config, departments: {...depts, [args.key]: spec}}
    })
    this.log(`Added department ${safeLine(args.key)} (${safeLine(String(spec.name))}) (${res.commit?.slice(0, 7)}). Next: tix agent add EMAIL --dept ${safeLine(args.key)}`)
    return envelope('department', {key: args.key, department: spec, commit: res.commit})
  }
}
