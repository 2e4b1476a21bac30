import {Args, Flags} from '@oclif/core'
import {usageError} from '../../src/errors.js'
import {checkMacroName, MACRO_KEYS, macroTemplate, serializeMacro} from '../../src/domain/workflow/macros.js'
import {PLACEHOLDERS} from '../../src/domain/workflow/template.js'
import {envelope} from '../../src/output/json.js'
import {safeLine} from '../../src/output/text.js'
import {TixCommand} from '../base.js'
import {editText, isInteractive} from '../editor.js'
import {bodyFlags, list, readBody} from '../flags.js'

export const macroHelp = `A macro is macros/<name>.md on the desk branch: a front matter of actions, then the reply.

  ---
  description: Tell the requester how to reset a password
  status: pending
  tags: password, account
  ---
  Hello {{ticket.requester.name | "there"}}, ...
  {{department.signature}}

Front matter keys:
${Object.entries(MACRO_KEYS).map(([k, v]) => `  ${k.padEnd(12)} ${v}`).join('\n')}

Placeholders ({{name}}, or {{name | "fallback"}} for an empty value):
${Object.entries(PLACEHOLDERS).map(([k, v]) => `  {{${k}}}`.padEnd(30) + v).join('\n')}

An unknown placeholder is an error when the macro is saved, never a blank in a customer's reply.`

export default class MacroNew extends TixCommand {
  static override summary = 'Make a macro: a canned reply with placeholders, plus actions (status, tags, assignment...).'
  static override description = `On a terminal without --body/--body-file, opens $VISUAL/$EDITOR on a template. Without a terminal, give the reply with --body or --body-file and the actions with flags.

${macroHelp}`
  static override examples = [
    '<%= config.bin %> macro new password-reset',
    '<%= config.bin %> macro new password-reset --description "Password reset steps" --status pending --tag password --body-file reset.md',
    `<%= config.bin %> macro new thanks --body 'Thanks {{ticket.requester.name}}! {{department.signature}}'`,
  ]
  static override args = {name: Args.string({description: 'Name: lower-case letters, digits, . _ - (the file is macros/<name>.md).', required: true})}
  static override flags = {
    ...bodyFlags,
    description: Flags.string({summary: 'One line shown by `tix macro list`.'}),
    status: Flags.string({summary: 'Status to set when applied.'}),
    priority: Flags.string({summary: 'Priority to set when applied.'}),
    assign: Flags.string({summary: 'Assign when applied: an e-mail, "me", "auto" or "none".'}),
    tag: Flags.string({summary: 'Tag to add when applied (repeat or comma-separate).', multiple: true}),
    internal: Flags.boolean({summary: 'The text is an internal note, not a public reply.'}),
  }

  async run() {
    const {saveMacro} = await import('../../src/services/workflow/macros.js')
    const {args, flags} = await this.parse(MacroNew)
    const name = checkMacroName(args.name)
    const body = readBody(flags)
    const front: Record<string, string> = {}
    if (flags.description) front.description = flags.description
    if (flags.status) front.status = flags.status
    if (flags.priority) front.priority = flags.priority
    if (flags.assign) front.assign = flags.assign
    const tags = list(flags.tag)
    if (tags.length > 0) front.tags = tags.join(', ')
    if (flags.internal) front.internal = 'true'
    let text: string
    if (body !== undefined) text = serializeMacro(front, body)
    else if (isInteractive()) {
      text = editText(Object.keys(front).length > 0 ? serializeMacro(front, macroTemplate(name).replace(/^---[\s\S]*?---\n/, '')) : macroTemplate(name), {
        name: `${name}.md`,
        noTerminal: usageError('no terminal'),
      })
    } else {
      throw usageError('Give the macro text: there is no terminal to open an editor in.', `tix macro new ${name} --body "Hello {{ticket.requester.name}}, ..." (or --body-file FILE)`)
    }
    const desk = await this.openDesk()
    const res = await saveMacro(desk, name, text, {mustExist: false})
    this.log(`Saved macro ${safeLine(name)} (${res.commit?.slice(0, 7) ?? 'unchanged'}). Use it: tix macro apply ${safeLine(name)} ID`)
    return envelope('macro', {name, description: res.macro.description, internal: res.macro.internal, actions: res.macro.actions, body: res.macro.body, commit: res.commit})
  }
}
