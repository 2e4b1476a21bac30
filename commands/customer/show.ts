import {Args} from '@oclif/core'
import {formatPerson} from '../../src/domain/ticket/ticket-ops.js'
import {envelope, ticketJson} from '../../src/output/json.js'
import {safeLine} from '../../src/output/text.js'
import {ticketTable} from '../../src/output/tickets.js'
import {TixCommand} from '../base.js'

export default class CustomerShow extends TixCommand {
  static override summary = 'Every ticket of a person, across their linked handles (e-mails, social handles, phones) and channels.'
  static override examples = ['<%= config.bin %> customer show ana@example.com', '<%= config.bin %> customer show @ana_d --json']
  static override args = {handle: Args.string({description: 'An e-mail, @handle, phone number or chat:NAME.', required: true})}

  async run() {
    const {args} = await this.parse(CustomerShow)
    const {showCustomer} = await import('../../src/services/customers.js')
    const desk = await this.openDesk()
    const view = await showCustomer(desk, args.handle)
    const p = view.profile
    if (!this.jsonEnabled()) {
      const c = this.color
      const name = p.name ?? view.tickets.map((t) => t.requester.name).find((n) => n && !n.startsWith('@')) ?? null
      const handles = p.handles.map((h) => `${safeLine(h.handle)} ${c.dim(`(${h.kind}${h.channel && h.channel !== h.kind ? `, ${h.channel}` : ''})`)}`).join(', ')
      this.log(`${c.bold(safeLine(name ?? p.key))}  ${handles}`)
      if (p.handles.length === 1) this.log(c.dim(`No other handles linked. Link one with: tix customer link ${safeLine(p.key)} @handle --channel social`))
      if (view.tickets.length === 0) this.note(`No tickets from ${safeLine(p.handles.map((h) => h.handle).join(', '))}.`)
      else {
        const lines = ticketTable(view.tickets, view.index.ids, {
          now: desk.now(),
          color: c,
          columns: this.columns,
          tty: this.tty,
          extra: [
            {header: 'CHANNEL', cell: (t) => ({text: t.channel})},
            {header: 'FROM', cell: (t) => ({text: safeLine(formatPerson(t.requester)).slice(0, 40)})},
          ],
        })
        this.ctx.stdout.write(lines.join('\n') + '\n')
      }
    }
    return envelope('customer', {
      customer: {key: p.key, name: p.name, handles: p.handles},
      count: view.tickets.length,
      tickets: view.tickets.map((t) => ticketJson(t, view.index.ids)),
    })
  }
}
