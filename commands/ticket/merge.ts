import {Args, Flags} from '@oclif/core'
import {shortId} from '../../src/domain/ticket/ids.js'
import {envelope, ticketJson} from '../../src/output/json.js'
import {safeLine} from '../../src/output/text.js'
import {TixCommand} from '../base.js'

export default class Merge extends TixCommand {
  static override summary = "Merge a duplicate into another ticket: nothing is lost; the source is closed with a link, the target's thread shows its messages."
  static override examples = ['<%= config.bin %> merge 7K3F9 --into 8M2QX', '<%= config.bin %> merge 7K3F9 --into 8M2QX --reason "Same printer, reported twice"']
  static override args = {source: Args.string({description: 'The duplicate (id or prefix): it is closed by the merge.', required: true})}
  static override flags = {
    into: Flags.string({summary: 'The ticket that carries on.', required: true}),
    reason: Flags.string({summary: 'Why (kept on both tickets).'}),
  }

  async run() {
    const {args, flags} = await this.parse(Merge)
    const {mergeTickets} = await import('../../src/services/relations.js')
    const desk = await this.openDesk()
    const res = await mergeTickets(desk, args.source, flags.into, {reason: flags.reason})
    const ids = desk.sortedIds(await desk.index())
    const s = shortId(ids, res.a.ticket.id)
    const t = shortId(ids, res.b.ticket.id)
    this.log(`Merged ${s} into ${t}${flags.reason ? ` (${safeLine(flags.reason.trim())})` : ''}: ${s} is closed, and ${t}'s thread shows its messages.`)
    return envelope('merge', {source: ticketJson(res.a.ticket, ids), target: ticketJson(res.b.ticket, ids), commit: res.commit, events: {source: res.events.a, target: res.events.b}})
  }
}
