import {Args} from '@oclif/core'
import {shortId} from '../../src/domain/ticket/ids.js'
import {attachmentJson, envelope} from '../../src/output/json.js'
import {safeLine} from '../../src/output/text.js'
import {attachmentLines} from '../../src/output/tickets.js'
import {showTicket} from '../../src/services/tickets.js'
import {TixCommand} from '../base.js'

export default class AttachmentList extends TixCommand {
  static override summary = "List a ticket's attachments."
  static override description = 'Name, size, media type, when and by whom. In a pipe: one tab-separated line per file (name, size in bytes, media type, time, by, SHA-256).'
  static override examples = ['<%= config.bin %> attachment list 7K3F9', '<%= config.bin %> attachment list 7K3F9 --json']
  static override args = {id: Args.string({description: 'Ticket id or a unique prefix of it.', required: true})}

  async run() {
    const {args} = await this.parse(AttachmentList)
    const desk = await this.openDesk()
    const {ticket, index} = await showTicket(desk, args.id)
    const t = ticket.ticket
    const list = t.attachments ?? []
    const sid = shortId(desk.sortedIds(index), t.id)
    if (!this.jsonEnabled()) {
      if (!this.tty) for (const a of list) this.log([safeLine(a.name), a.size, a.mediaType, a.at, safeLine(a.by), a.blob].join('\t'))
      else if (list.length === 0) this.log(`${sid} has no attachments. Add some with \`tix attach ${sid} FILE...\`.`)
      else {
        this.log(this.color.bold(`${sid}  ${safeLine(t.title)}: ${list.length} ${list.length === 1 ? 'attachment' : 'attachments'}`))
        for (const line of attachmentLines(list, this.color)) this.log(line)
      }
    }
    return envelope('attachment-list', {id: t.id, shortId: sid, count: list.length, attachments: list.map(attachmentJson)})
  }
}
