import {Args, Flags} from '@oclif/core'
import {usageError} from '../../src/errors.js'
import {describeEvent} from '../../src/domain/ticket/describe.js'
import type {EventBase} from '../../src/domain/ticket/events.js'
import {envelope, ticketJson} from '../../src/output/json.js'
import {safeLine} from '../../src/output/text.js'
import {TicketMutation} from '../base.js'

export default class Escalate extends TicketMutation {
  static override summary = 'Escalate a ticket: to the next tier of its department, or to another department or agent. A reason is required.'
  static override description = `Hierarchical: without --to-dept/--to, the ticket goes to the next tier (L1 -> L2 -> L3) of its department and is assigned within that tier by the department's strategy. Functional: --to-dept hands it to another department (its first tier), --to to a named agent. When every agent of the new tier is at capacity the ticket waits unassigned in that tier's queue, and tix says so.`
  static override examples = [
    '<%= config.bin %> escalate 7K3F9 --reason "Needs admin rights on the print server"',
    '<%= config.bin %> escalate 7K3F9 --to-dept network --reason "Switch port flaps"',
    '<%= config.bin %> escalate 7K3F9 --to bob@example.com --reason "Bob owns the VPN"',
    '<%= config.bin %> escalate 7K3F9 2MT0E --to-dept network --reason "Same switch"',
  ]
  static override strict = false
  static override args = {id: Args.string({description: 'Ticket ids or unique prefixes; several escalate in one commit; "-" reads ids from standard input.', required: true, ignoreStdin: true})}
  static override flags = {
    reason: Flags.string({char: 'm', summary: 'Why this tier cannot solve it (required; written on the ticket).'}),
    'to-dept': Flags.string({summary: 'Hand it to this department (its first tier).', exclusive: ['to']}),
    to: Flags.string({summary: 'Hand it to this agent (e-mail).'}),
    'dry-run': Flags.boolean({summary: 'Say where it would go; write nothing.'}),
  }

  async run() {
    const {argv, flags} = await this.parse(Escalate)
    const tokens = argv.map(String)
    if (flags.reason === undefined || flags.reason.trim() === '') {
      throw usageError('Escalating needs a reason (--reason): a tier escalates only after it has exhausted its options.', `tix escalate ${tokens[0] ?? 'ID'} --reason "Needs admin rights on the print server"`)
    }
    const input = {reason: flags.reason!, toDept: flags['to-dept'], to: flags.to}
    const {escalateOp} = await import('../../src/services/bulk.js')
    return this.mutateIds(tokens, (id) => this.one(id, flags), escalateOp(input), {dryRun: flags['dry-run']})
  }

  private async one(id: string, flags: {reason?: string; 'to-dept'?: string; to?: string; 'dry-run'?: boolean}) {
    const {escalateTicket} = await import('../../src/services/workflow/routing.js')
    const desk = await this.openDesk()
    const res = await escalateTicket(desk, id, {reason: flags.reason!, toDept: flags['to-dept'], to: flags.to}, {dryRun: flags['dry-run']})
    const what = res.events.map((e) => safeLine(describeEvent(e as EventBase))).join('; ')
    this.log(`${res.shortId}: ${flags['dry-run'] ? 'would be ' : ''}${what}.`)
    for (const m of res.messages) this.note(`${res.shortId}: ${safeLine(m)}`)
    const index = await desk.index()
    return envelope('ticket', {ticket: ticketJson(res.ticket.ticket, desk.sortedIds(index)), changed: res.commit !== null, dryRun: Boolean(flags['dry-run']), commit: res.commit, events: res.events, messages: res.messages})
  }
}
