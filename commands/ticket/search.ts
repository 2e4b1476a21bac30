import {Args} from '@oclif/core'
import {usageError} from '../../src/errors.js'
import {envelope, ticketJson} from '../../src/output/json.js'
import {ticketTable} from '../../src/output/tickets.js'
import {listTickets} from '../../src/services/tickets.js'
import {TixCommand} from '../base.js'
import {queryFlags, queryFromFlags} from './list.js'

export default class Search extends TixCommand {
  static override summary = 'Find tickets by words in the title, body, replies, notes, requester and resolution.'
  static override description = 'Every word must occur (case-insensitive). Searches resolved and closed tickets too unless --status says otherwise; combines with every `tix list` filter.'
  static override examples = ['<%= config.bin %> search spooler', '<%= config.bin %> search "vpn timeout" --department it --status open,pending']
  static override args = {words: Args.string({description: 'Words to look for.', required: true})}
  static override strict = false
  static override flags = {...queryFlags}

  async run() {
    const {argv, flags} = await this.parse(Search)
    const words = (argv as string[]).flatMap((w) => w.split(/\s+/)).filter(Boolean)
    if (words.length === 0) throw usageError('Give at least one word to search for.')
    const desk = await this.openDesk()
    const q = {...queryFromFlags(flags, desk), words}
    if (!q.statuses || q.statuses.length === 0) q.all = true
    const res = await listTickets(desk, q, {sort: flags.sort, limit: flags.limit})
    desk.reportIndexProblems(res.index)
    if (!this.jsonEnabled()) {
      if (res.tickets.length === 0) this.note(`No tickets contain ${words.map((w) => `"${w}"`).join(' and ')}.`)
      else this.ctx.stdout.write(ticketTable(res.tickets, res.index.ids, {now: desk.now(), color: this.color, columns: this.columns, tty: this.tty}).join('\n') + '\n')
    }
    return envelope('ticket-list', {count: res.tickets.length, total: res.total, query: words, tickets: res.tickets.map((t) => ticketJson(t, res.index.ids))})
  }
}
