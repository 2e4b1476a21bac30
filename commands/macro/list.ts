import {envelope} from '../../src/output/json.js'
import {pad, safeLine, width} from '../../src/output/text.js'
import {TixCommand} from '../base.js'

export default class MacroList extends TixCommand {
  static override summary = "List the desk's macros (canned replies with actions)."
  static override examples = ['<%= config.bin %> macro list', '<%= config.bin %> macro list --json']

  async run() {
    const {listMacros} = await import('../../src/services/workflow/macros.js')
    await this.parse(MacroList)
    const desk = await this.openDesk()
    const macros = await listMacros(desk)
    if (!this.jsonEnabled()) {
      if (macros.length === 0) this.note('No macros yet. Make one with `tix macro new NAME`.')
      const front = (f: Record<string, string>) => Object.entries(f).filter(([k]) => k !== 'description').map(([k, v]) => `${k}: ${v}`).join(', ')
      const rows = macros.map((m) => [m.name, m.macro ? (m.macro.description ?? '') : 'INVALID: see `tix config validate`', m.macro ? front(m.macro.front) : ''].map(safeLine))
      if (!this.tty) for (const r of rows) this.log(r.join('\t'))
      else if (rows.length > 0) {
        const w = [Math.max(4, ...rows.map((r) => width(r[0]!))), Math.max(11, ...rows.map((r) => width(r[1]!)))]
        this.log(this.color.bold(`${pad('NAME', w[0]!)}  ${pad('DESCRIPTION', w[1]!)}  ACTIONS`))
        for (const r of rows) this.log(`${this.color.bold(pad(r[0]!, w[0]!))}  ${pad(r[1]!, w[1]!)}  ${this.color.dim(r[2]!)}`.trimEnd())
      }
    }
    return envelope('macro-list', {macros: macros.map((m) => ({name: m.name, valid: m.macro !== null, problem: m.problem, description: m.macro?.description ?? null, internal: m.macro?.internal ?? null, actions: m.macro?.actions ?? null}))})
  }
}
