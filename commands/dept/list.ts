import {envelope} from '../../src/output/json.js'
import {pad, safeLine, width} from '../../src/output/text.js'
import {TixCommand} from '../base.js'

export default class DeptList extends TixCommand {
  static override summary = 'List departments: agents per tier, assignment strategy, and their open queue.'
  static override examples = ['<%= config.bin %> dept list', '<%= config.bin %> dept list --json']

  async run() {
    await this.parse(DeptList)
    const desk = await this.openDesk()
    const index = await desk.index()
    const {workflowOf, departmentTiers, tierMembers} = await import('../../src/domain/workflow/workflow-config.js')
    const wf = workflowOf(index.config)
    const open = Object.values(index.open)
    const rows = [...wf.departments.values()].map((d) => {
      const tiers = Object.fromEntries(departmentTiers(wf, d.key).map((n) => [String(n), tierMembers(wf, d.key, n)]))
      const queue = open.filter((t) => t.department === d.key)
      return {
        key: d.key,
        name: d.name,
        assignment: d.assignment,
        cap: d.cap,
        calendar: d.calendar,
        signature: d.signature,
        tiers,
        open: queue.length,
        unassigned: queue.filter((t) => t.assignee === null).length,
      }
    })
    if (!this.jsonEnabled()) {
      if (rows.length === 0) this.note('No departments yet. Add one with `tix dept add it --name "IT"`.')
      else if (!this.tty) {
        for (const r of rows) this.log([r.key, r.name, r.assignment, r.open, r.unassigned, Object.entries(r.tiers).map(([n, a]) => `${n}:${a.join(',')}`).join(' ')].map((x) => safeLine(String(x))).join('\t'))
      } else {
        const c = this.color
        const cells = rows.map((r) => [r.key, r.name, r.assignment, String(r.open), String(r.unassigned), Object.entries(r.tiers).map(([n, a]) => `T${n}: ${a.join(', ')}`).join('  ') || '-'].map(safeLine))
        const head = ['KEY', 'NAME', 'ASSIGNMENT', 'OPEN', 'UNASSIGNED', 'AGENTS BY TIER']
        const w = head.map((h, i) => Math.max(width(h), ...cells.map((r) => width(r[i]!))))
        this.log(c.bold(head.map((h, i) => pad(h, w[i]!)).join('  ')))
        for (const r of cells) this.log(r.map((x, i) => (i === 0 ? c.bold(pad(x, w[i]!)) : pad(x, w[i]!))).join('  ').trimEnd())
      }
    }
    return envelope('department-list', {departments: rows})
  }
}
