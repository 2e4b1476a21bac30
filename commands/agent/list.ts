import {envelope} from '../../src/output/json.js'
import {pad, safeLine, width} from '../../src/output/text.js'
import {TixCommand} from '../base.js'

export default class AgentList extends TixCommand {
  static override summary = 'List agents: departments, tier, capacity, current load and skills.'
  static override examples = ['<%= config.bin %> agent list', '<%= config.bin %> agent list --json']

  async run() {
    await this.parse(AgentList)
    const desk = await this.openDesk()
    const index = await desk.index()
    const {workflowOf} = await import('../../src/domain/workflow/workflow-config.js')
    const {deskLoad} = await import('../../src/domain/workflow/assignment.js')
    const wf = workflowOf(index.config)
    const load = deskLoad(Object.values(index.open))
    const rows = [...wf.agents.values()].map((a) => ({
      email: a.email,
      name: a.name,
      departments: a.departments,
      tier: a.tier,
      capacity: a.capacity,
      load: load.load.get(a.email) ?? 0,
      skills: a.skills,
      available: a.available,
    }))
    if (!this.jsonEnabled()) {
      if (rows.length === 0) this.note('No agents yet. Add one with `tix agent add ana@example.com --name "Ana Diaz" --dept it`.')
      else if (!this.tty) {
        for (const r of rows) this.log([r.email, r.name, r.departments.join(','), r.tier, r.load, r.capacity ?? '', r.skills.join(','), r.available ? 'available' : 'away'].map((x) => safeLine(String(x))).join('\t'))
      } else {
        const c = this.color
        const head = ['AGENT', 'NAME', 'DEPTS', 'TIER', 'LOAD', 'SKILLS']
        const cells = rows.map((r) => [r.email, r.name + (r.available ? '' : ' (away)'), r.departments.join(', ') || '-', String(r.tier), `${r.load}${r.capacity !== null ? `/${r.capacity}` : ''}`, r.skills.join(', ') || '-'].map(safeLine))
        const w = head.map((h, i) => Math.max(width(h), ...cells.map((r) => width(r[i]!))))
        this.log(c.bold(head.map((h, i) => pad(h, w[i]!)).join('  ')))
        for (const r of cells) this.log(r.map((x, i) => pad(x, w[i]!)).join('  ').trimEnd())
      }
    }
    return envelope('agent-list', {agents: rows})
  }
}
