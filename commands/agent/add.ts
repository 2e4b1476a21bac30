import {Args, Flags} from '@oclif/core'
import {usageError} from '../../src/errors.js'
import {envelope} from '../../src/output/json.js'
import {safeLine} from '../../src/output/text.js'
import {TixCommand} from '../base.js'
import {list} from '../flags.js'

export default class AgentAdd extends TixCommand {
  static override summary = 'Add an agent: departments, tier, capacity and skills (used by assignment and SLA).'
  static override description = `Only agents' public replies count as responses for SLA first/next response once the desk lists any agents (before that, anyone but the requester counts).`
  static override examples = [
    '<%= config.bin %> agent add ana@example.com --name "Ana Diaz" --dept it --tier 1 --capacity 10 --skill es',
    '<%= config.bin %> agent add bob@example.com --name "Bob Stone" --dept it,network --tier 2',
  ]
  static override args = {email: Args.string({description: "The agent's e-mail (what tix records as the actor).", required: true})}
  static override flags = {
    name: Flags.string({summary: 'Name people read.'}),
    dept: Flags.string({summary: 'Department key (repeat or comma-separate).', multiple: true}),
    tier: Flags.integer({summary: 'Tier (1 = first line).', min: 1}),
    capacity: Flags.integer({summary: 'Most active tickets (new/open/on-hold) assigned automatically.', min: 0}),
    skill: Flags.string({summary: 'Skill tag such as a language or product (repeat or comma-separate).', multiple: true}),
    unavailable: Flags.boolean({summary: 'Add as away: automatic assignment skips the agent.'}),
  }

  async run() {
    const {updateDeskJson} = await import('../../src/services/workflow/desk-config.js')
    const {args, flags} = await this.parse(AgentAdd)
    const email = args.email.trim().toLowerCase()
    if (!/^[^\s<>@]+@[^\s<>@]+$/.test(email)) throw usageError(`"${args.email}" is not an e-mail address.`, 'tix agent add ana@example.com --name "Ana Diaz"')
    const spec: Record<string, unknown> = {name: flags.name ?? email}
    const depts = list(flags.dept)
    if (depts.length > 0) spec.departments = depts
    if (flags.tier !== undefined) spec.tier = flags.tier
    if (flags.capacity !== undefined) spec.capacity = flags.capacity
    const skills = list(flags.skill).map((s) => s.toLowerCase())
    if (skills.length > 0) spec.skills = skills
    if (flags.unavailable) spec.available = false
    const desk = await this.openDesk()
    const res = await updateDeskJson(desk, `Add agent ${email}`, (config) => {
      const agents = (config.agents ?? {}) as Record<string, unknown>
      if (Object.keys(agents).some((k) => k.toLowerCase() === email)) throw usageError(`${email} is already an agent.`, `Change them with \`tix config set 'agents["${email}"].tier' 2\` or \`tix config edit\`.`)
      return {...config, agents: {...agents, [email]: spec}}
    })
    this.log(`Added agent ${safeLine(email)}${depts.length > 0 ? ` to ${safeLine(depts.join(', '))}` : ''} (${res.commit?.slice(0, 7)}).`)
    const known = (res.config.departments ?? {}) as Record<string, unknown>
    const missing = depts.filter((d) => !Object.hasOwn(known, d))
    if (missing.length > 0) this.note(`Note: there is no department ${missing.map((d) => `"${safeLine(d)}"`).join(', ')} yet; add it with \`tix dept add ${safeLine(missing[0]!)}\`.`)
    return envelope('agent', {email, agent: spec, commit: res.commit})
  }
}
