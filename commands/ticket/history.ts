import {Args} from '@oclif/core'
import {describeEvent} from '../../src/domain/ticket/describe.js'
import {shortId} from '../../src/domain/ticket/ids.js'
import {envelope} from '../../src/output/json.js'
import {safeLine} from '../../src/output/text.js'
import {showTicket} from '../../src/services/tickets.js'
import {TixCommand} from '../base.js'

export default class History extends TixCommand {
  static override summary = "A ticket's event log as a person reads it: who did what, when."
  static override examples = ['<%= config.bin %> history 7K3F9', '<%= config.bin %> history 7K3F9 --json']
  static override args = {id: Args.string({description: 'Ticket id or a unique prefix of it.', required: true})}

  async run() {
    const {args} = await this.parse(History)
    const desk = await this.openDesk()
    const {ticket, index} = await showTicket(desk, args.id)
    const rows = ticket.events.map((e) => ({id: e.id, seq: e.seq, at: e.at, by: e.by, type: e.type, summary: describeEvent(e)}))
    if (!this.jsonEnabled()) {
      const c = this.color
      this.log(c.bold(`${shortId(desk.sortedIds(index), ticket.ticket.id)}  ${safeLine(ticket.ticket.title)}`))
      for (const r of rows) {
        const line = `${r.at.replace('T', ' ').slice(0, 19)}  ${safeLine(r.by)}  ${safeLine(r.summary)}`
        this.log(this.tty ? `${c.dim(line.slice(0, 19))}${line.slice(19)}` : line)
      }
    }
    return envelope('history', {id: ticket.ticket.id, shortId: shortId(desk.sortedIds(index), ticket.ticket.id), events: rows, raw: ticket.events})
  }
}
