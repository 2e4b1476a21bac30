import {Args} from '@oclif/core'
import {envelope} from '../../src/output/json.js'
import {safeText} from '../../src/output/text.js'
import {TixCommand} from '../base.js'

export default class MacroShow extends TixCommand {
  static override summary = 'Show a macro as stored (front matter and text).'
  static override examples = ['<%= config.bin %> macro show password-reset', '<%= config.bin %> macro show password-reset --json']
  static override args = {name: Args.string({description: 'The macro.', required: true})}

  async run() {
    const {readMacro} = await import('../../src/services/workflow/macros.js')
    const {args} = await this.parse(MacroShow)
    const desk = await this.openDesk()
    const {macro, text} = await readMacro(desk, args.name)
    if (!this.jsonEnabled()) this.ctx.stdout.write(safeText(text.endsWith('\n') ? text : text + '\n'))
    return envelope('macro', {name: macro.name, description: macro.description, internal: macro.internal, actions: macro.actions, body: macro.body})
  }
}
