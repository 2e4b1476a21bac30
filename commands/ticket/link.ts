import {Args, Flags} from '@oclif/core'
import {usageError} from '../../src/errors.js'
import {shortId} from '../../src/domain/ticket/ids.js'
import {LINK_KINDS} from '../../src/domain/ticket/model.js'
import {envelope, ticketJson} from '../../src/output/json.js'
import {TixCommand} from '../base.js'

export default class Link extends TixCommand {
  static override summary = 'Link two tickets: related, duplicate (A duplicates B) or blocks (A blocks B). Both tickets show the link.'
  static override examples = [
    '<%= config.bin %> link 7K3F9 8M2QX --as related',
    '<%= config.bin %> link 7K3F9 8M2QX --as duplicate   # 7K3F9 is a duplicate of 8M2QX',
    '<%= config.bin %> link 7K3F9 8M2QX --as blocks      # 8M2QX waits for 7K3F9',
    '<%= config.bin %> link 7K3F9 8M2QX --remove',
  ]
  static override args = {
    a: Args.string({description: 'Ticket id (or prefix).', required: true}),
    b: Args.string({description: 'The other ticket.', required: true}),
  }
  static override flags = {
    as: Flags.option({options: LINK_KINDS, summary: 'How A relates to B.'})(),
    remove: Flags.boolean({summary: 'Take the link between A and B off (every kind).', exclusive: ['as']}),
  }

  async run() {
    const {args, flags} = await this.parse(Link)
    if (!flags.as && !flags.remove) throw usageError('Say how the tickets relate with --as related|duplicate|blocks (or --remove).', `tix link ${args.a} ${args.b} --as related`)
    const {linkTickets, unlinkTickets} = await import('../../src/services/relations.js')
    const desk = await this.openDesk()
    const res = flags.remove ? await unlinkTickets(desk, args.a, args.b) : await linkTickets(desk, args.a, args.b, flags.as!)
    const ids = desk.sortedIds(await desk.index())
    const a = shortId(ids, res.a.ticket.id)
    const b = shortId(ids, res.b.ticket.id)
    const changed = res.events.a.length + res.events.b.length > 0
    const words = {related: 'related to', duplicate: 'a duplicate of', blocks: 'blocking'}
    if (!changed) this.log(flags.remove ? `${a} and ${b} were not linked: nothing changed.` : `${a} is already ${words[flags.as!]} ${b}: nothing changed.`)
    else this.log(flags.remove ? `${a} and ${b} are no longer linked.` : `${a} is now ${words[flags.as!]} ${b} (both tickets show the link).`)
    return envelope('link', {a: ticketJson(res.a.ticket, ids), b: ticketJson(res.b.ticket, ids), changed, commit: res.commit, events: res.events})
  }
}
