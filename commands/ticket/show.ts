import {Args, Flags} from '@oclif/core'
import {parseDateInput} from '../../src/domain/common/dates.js'
import {envelope, ticketDetailJson} from '../../src/output/json.js'
import {ticketDetail} from '../../src/output/tickets.js'
import {mergedThread} from '../../src/services/relations.js'
import {showTicket} from '../../src/services/tickets.js'
import {TixCommand} from '../base.js'

/** --as-of of show and sla: a date is the end of that day (UTC); a time names its zone. Strict (src/domain/common/dates.ts). */
export function parseAsOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  const d = parseDateInput(value, '--as-of')
  return new Date(d.kind === 'day' ? d.ld + 86_400_000 - 1 : d.ms).toISOString()
}

export default class Show extends TixCommand {
  static override summary = 'Show a ticket: its fields, then the thread (replies, notes, changes) in time order.'
  static override examples = ['<%= config.bin %> show 7K3F9', '<%= config.bin %> show 7k3f --json', '<%= config.bin %> show 7K3F9 --as-of 2026-09-30']
  static override args = {id: Args.string({description: 'Ticket id or a unique prefix of it (at least 4 characters).', required: true})}
  static override flags = {
    'as-of': Flags.string({summary: 'Show the ticket as it was at this date or time (UTC); later events are ignored.'}),
  }

  async run() {
    const {args, flags} = await this.parse(Show)
    const asOf = parseAsOf(flags['as-of'])
    const desk = await this.openDesk()
    const {ticket, index} = await showTicket(desk, args.id, {asOf})
    const now = asOf ? new Date(asOf) : desk.now()
    const {ticketSla} = await import('../../src/domain/sla/sla.js')
    const {workflowOf} = await import('../../src/domain/workflow/workflow-config.js')
    const {slaFields} = await import('../../src/output/sla.js')
    const sla = ticketSla(ticket.ticket, workflowOf(index.config), now)
    const merged = ticket.ticket.mergedFrom ? await mergedThread(desk, ticket, index.commit, asOf) : []
    if (!this.jsonEnabled()) {
      this.ctx.stdout.write(ticketDetail(ticket, index.ids, {now, color: this.color, columns: this.columns, extraFields: slaFields(sla), merged}).join('\n') + '\n')
    }
    return envelope('ticket', {ticket: {...ticketDetailJson(ticket, index.ids, merged), sla}, asOf: asOf ?? null})
  }
}
