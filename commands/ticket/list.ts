import {Flags} from '@oclif/core'
import {usageError} from '../../src/errors.js'
import {STATUSES, type Status} from '../../src/domain/model.js'
import type {TicketQuery} from '../../src/domain/query.js'
import {envelope, ticketJson} from '../../src/output/json.js'
import {ticketTable} from '../../src/output/tickets.js'
import {listTickets} from '../../src/services/tickets.js'
import type {Desk} from '../../src/store/desk.js'
import {TixCommand} from '../base.js'
import {list, sortOption} from '../flags.js'

export const queryFlags = {
  status: Flags.string({char: 's', summary: `Only these statuses (repeat or comma-separate): ${STATUSES.join(', ')}.`, multiple: true}),
  assignee: Flags.string({char: 'a', summary: 'Only tickets assigned to this agent ("me" for you).', multiple: true}),
  unassigned: Flags.boolean({summary: 'Only tickets nobody is assigned to.'}),
  priority: Flags.string({char: 'p', summary: 'Only these priorities (repeat or comma-separate).', multiple: true}),
  type: Flags.string({summary: 'Only these types.', multiple: true}),
  tag: Flags.string({char: 't', summary: 'Only tickets with one of these tags.', multiple: true}),
  department: Flags.string({char: 'd', summary: 'Only these departments.', multiple: true}),
  channel: Flags.string({summary: 'Only tickets that came through these channels.', multiple: true}),
  requester: Flags.string({char: 'r', summary: 'Only tickets whose requester name or e-mail contains this.'}),
  all: Flags.boolean({summary: 'Include resolved and closed tickets.'}),
  sort: Flags.option({options: sortOption, summary: 'Order: created (newest first), updated, priority, status, age (oldest first).', default: 'created'})(),
  limit: Flags.integer({char: 'n', summary: 'Show at most this many (0 for all).', min: 0}),
}

const PRIORITY_VALUES = ['low', 'normal', 'high', 'urgent']
const TYPE_VALUES = ['question', 'incident', 'problem', 'task']

export function queryFromFlags(flags: Record<string, unknown>, desk: Desk): TicketQuery {
  const check = (values: string[], allowed: readonly string[], flag: string) => {
    for (const v of values) {
      if (!allowed.includes(v)) throw usageError(`--${flag} "${v}" is not valid: expected one of ${allowed.join(', ')}.`)
    }
    return values
  }
  const statuses = check(list(flags.status as string[]), STATUSES, 'status') as Status[]
  const assignees = list(flags.assignee as string[]).map((a) => (a === 'me' ? desk.actor().id : a))
  return {
    statuses,
    assignees,
    unassigned: Boolean(flags.unassigned),
    priorities: check(list(flags.priority as string[]), PRIORITY_VALUES, 'priority'),
    types: check(list(flags.type as string[]), TYPE_VALUES, 'type'),
    tags: list(flags.tag as string[]).map((t) => t.toLowerCase()),
    departments: list(flags.department as string[]),
    channels: list(flags.channel as string[]),
    requester: flags.requester as string | undefined,
    all: Boolean(flags.all),
  }
}

export default class List extends TixCommand {
  static override summary = 'List tickets: by default the unresolved queue (new, open, pending, on-hold), newest first.'
  static override examples = [
    '<%= config.bin %> list',
    '<%= config.bin %> list --status pending --assignee ana@example.com --priority high --tag printer --department it',
    '<%= config.bin %> list --unassigned --channel email --requester ana@example.com --all --sort priority --limit 50',
    '<%= config.bin %> list --all --json | jq ".tickets[].title"',
  ]
  static override flags = queryFlags

  async run() {
    const {flags} = await this.parse(List)
    const desk = await this.openDesk()
    const q = queryFromFlags(flags, desk)
    const res = await listTickets(desk, q, {sort: flags.sort, limit: flags.limit})
    desk.reportIndexProblems(res.index)
    if (!this.jsonEnabled()) {
      if (res.tickets.length === 0) this.note(q.all ? 'No tickets match.' : 'No unresolved tickets match. (Add --all to include resolved and closed ones.)')
      else {
        const lines = ticketTable(res.tickets, res.index.ids, {now: desk.now(), color: this.color, columns: this.columns, tty: this.tty})
        process.stdout.write(lines.join('\n') + '\n')
        if (res.total > res.tickets.length) this.note(`Showing ${res.tickets.length} of ${res.total}; use --limit 0 for all.`)
      }
    }
    return envelope('ticket-list', {count: res.tickets.length, total: res.total, tickets: res.tickets.map((t) => ticketJson(t, res.index.ids))})
  }
}
