import {Args, Flags} from '@oclif/core'
import {TixError, usageError} from '../../src/errors.js'
import {serializeMacro} from '../../src/domain/workflow/macros.js'
import {envelope} from '../../src/output/json.js'
import {safeLine} from '../../src/output/text.js'
import {TixCommand} from '../base.js'
import {confirm, editText, isInteractive} from '../editor.js'
import {bodyFlags, readBody} from '../flags.js'
import {macroHelp} from './new.js'

export default class MacroEdit extends TixCommand {
  static override summary = 'Change a macro in $VISUAL/$EDITOR (or replace its text with --body/--body-file); validated before it is saved.'
  static override description = macroHelp
  static override examples = ['<%= config.bin %> macro edit password-reset', '<%= config.bin %> macro edit password-reset --body-file reset.md', '<%= config.bin %> macro edit thanks --file thanks.md']
  static override args = {name: Args.string({description: 'The macro.', required: true})}
  static override flags = {
    ...bodyFlags,
    file: Flags.string({summary: 'Replace the whole file (front matter and text) with this one.', helpValue: 'FILE'}),
  }

  async run() {
    const {readMacro, saveMacro} = await import('../../src/services/workflow/macros.js')
    const {args, flags} = await this.parse(MacroEdit)
    const desk = await this.openDesk()
    const current = await readMacro(desk, args.name)
    let text: string
    if (flags.file !== undefined) text = readBody({'body-file': flags.file})!
    else {
      const body = readBody(flags)
      if (body !== undefined) text = serializeMacro(current.macro.front, body)
      else if (!isInteractive()) throw usageError('There is no terminal to open an editor in.', `tix macro edit ${args.name} --body-file FILE (the reply) or --file FILE (the whole macro)`)
      else {
        text = current.text
        for (;;) {
          text = editText(text, {name: `${args.name}.md`, noTerminal: usageError('no terminal')})
          try {
            const res = await saveMacro(desk, args.name, text, {mustExist: true})
            this.log(res.commit ? `Saved macro ${safeLine(args.name)} (${res.commit.slice(0, 7)}).` : `Macro ${safeLine(args.name)}: nothing changed.`)
            return envelope('macro', {name: args.name, changed: res.commit !== null, commit: res.commit})
          } catch (error) {
            if (!(error instanceof TixError) || error.exitCode !== 2) throw error
            this.ctx.stderr.write(`${safeLine(error.message)}\n`)
            if (!(await confirm('Edit again?'))) throw new TixError('Nothing was saved.', {exitCode: 2, code: 'usage'})
          }
        }
      }
    }
    const res = await saveMacro(desk, args.name, text, {mustExist: true})
    this.log(res.commit ? `Saved macro ${safeLine(args.name)} (${res.commit.slice(0, 7)}).` : `Macro ${safeLine(args.name)}: nothing changed.`)
    return envelope('macro', {name: args.name, changed: res.commit !== null, commit: res.commit})
  }
}
