import {Args, Flags} from '@oclif/core'
import {describeEvent} from '../../src/domain/ticket/describe.js'
import type {EventBase} from '../../src/domain/ticket/events.js'
import {envelope, ticketJson} from '../../src/output/json.js'
import {safeLine, safeText} from '../../src/output/text.js'
import {TixCommand} from '../base.js'

export default class MacroApply extends TixCommand {
  static override summary = 'Apply a macro to a ticket: its reply (placeholders filled in) and its actions, in one commit.'
  static override examples = ['<%= config.bin %> macro apply password-reset 7K3F9', '<%= config.bin %> macro apply password-reset 7K3F9 --dry-run']
  static override args = {
    name: Args.string({description: 'The macro.', required: true}),
    id: Args.string({description: 'Ticket id or a unique prefix of it.', required: true}),
  }
  static override flags = {'dry-run': Flags.boolean({summary: 'Print the reply and the changes; write nothing.'})}

  async run() {
    const {applyMacroTo} = await import('../../src/services/workflow/macros.js')
    const {args, flags} = await this.parse(MacroApply)
    const desk = await this.openDesk()
    const res = await applyMacroTo(desk, args.name, args.id, {dryRun: flags['dry-run']})
    const events = res.events as EventBase[]
    if (!this.jsonEnabled()) {
      const changes = events.filter((e) => e.type !== 'macro' && e.type !== 'reply' && e.type !== 'note').map((e) => safeLine(describeEvent(e)).replace(/ \(macro "[^"]*"\)$/, ''))
      const text = events.find((e) => e.type === 'reply' || e.type === 'note')
      if (flags['dry-run']) {
        this.log(`${res.shortId}: macro "${safeLine(args.name)}" would ${text ? `send this ${text.type === 'reply' ? 'public reply' : 'internal note'}` : 'send no text'}${changes.length > 0 ? ` and change: ${changes.join('; ')}` : ''}.`)
        if (text) this.log(safeText(String(text.body)).split('\n').map((l) => `  │ ${l}`).join('\n'))
      } else {
        this.log(`${res.shortId}: macro "${safeLine(args.name)}" applied: ${[text ? (text.type === 'reply' ? 'public reply sent' : 'internal note added') : null, ...changes].filter(Boolean).join('; ')}.`)
      }
      for (const m of res.messages) this.note(`${res.shortId}: ${safeLine(m)}`)
    }
    const index = await desk.index()
    return envelope('ticket', {ticket: ticketJson(res.ticket.ticket, desk.sortedIds(index)), changed: res.commit !== null, dryRun: Boolean(flags['dry-run']), commit: res.commit, events: res.events, messages: res.messages})
  }
}
