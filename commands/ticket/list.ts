import {Flags} from '@oclif/core'
import {usageError} from '../../src/errors.js'
import {checkFieldKey} from '../../src/domain/ticket/fields.js'
import {STATUSES, type Status} from '../../src/domain/ticket/model.js'
import type {TicketQuery} from '../../src/domain/queue/query.js'
import {envelope, jsonBytes, JsonOut, ticketJson} from '../../src/output/json.js'
import {writeTicketJson, type TicketRow} from '../../src/domain/ticket/summary-text.js'
import {workflowOf} from '../../src/domain/workflow/workflow-config.js'
import {pipeLine, ticketTable, type ExtraColumn} from '../../src/output/tickets.js'
import {listRows, listTickets, streamTickets, type ListResult, type RowList, type TicketStream} from '../../src/services/tickets.js'
import type {Desk, DeskIndex} from '../../src/store/desk.js'
import {TixCommand, writeChunk} from '../base.js'
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
  all: Flags.boolean({summary: 'Include resolved and closed tickets, from every department.'}),
  mine: Flags.boolean({summary: 'Only tickets assigned to you.'}),
  tier: Flags.string({summary: 'Only tickets at these tiers (1 = first line; repeat or comma-separate).', multiple: true}),
  sla: Flags.string({summary: 'Only tickets whose SLA is: breached, at-risk, ok (or paused/met), none (no policy applies).', multiple: true}),
  'dedupe-key': Flags.string({summary: 'Only tickets filed under this dedupe key (tix new --dedupe-key, tix ci), in any status unless --status says otherwise.', multiple: true, helpValue: 'KEY'}),
  sort: Flags.option({options: sortOption, summary: 'Order: created (newest first), updated, priority, status, age (oldest first), due (soonest SLA due first).', default: 'created'})(),
  limit: Flags.integer({char: 'n', summary: 'Show at most this many (0 for all).', min: 0}),
  field: Flags.string({summary: 'Only tickets whose custom field has this value: key=value (repeat; the same key twice means either value).', multiple: true, helpValue: 'KEY=VALUE'}),
}

const PRIORITY_VALUES = ['low', 'normal', 'high', 'urgent']
const SLA_FILTERS = ['breached', 'at-risk', 'ok', 'none']

/** An agent's `tix list` shows their departments' queues unless a flag asks for something else. */
export const scopedByDefault = (flags: Record<string, unknown>) =>
  !flags.all && !flags.mine && list(flags.department as string[]).length === 0 && list(flags.assignee as string[]).length === 0 && ((flags['dedupe-key'] as string[] | undefined) ?? []).length === 0
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
  if (flags.mine) assignees.push(desk.actor().id)
  const tiers = list(flags.tier as string[]).map((x) => {
    if (!/^[1-9]\d*$/.test(x)) throw usageError(`--tier "${x}" is not a tier: expected a number such as 1, 2 or 3.`)
    return Number(x)
  })
  const sla = check(list(flags.sla as string[]), SLA_FILTERS, 'sla')
  // A key names one problem: its ticket and follow-ups are found whatever their status.
  const dedupeKeys = ((flags['dedupe-key'] as string[] | undefined) ?? []).map((k) => k.trim()).filter(Boolean)
  const fields: Record<string, string[]> = {}
  for (const pair of (flags.field as string[] | undefined) ?? []) {
    const eq = pair.indexOf('=')
    if (eq <= 0) throw usageError(`--field "${pair}" is not key=value.`, 'e.g. tix list --field plan=pro')
    const key = checkFieldKey(pair.slice(0, eq).trim())
    ;(fields[key] ??= []).push(pair.slice(eq + 1).trim())
  }
  return {
    dedupeKeys,
    fields,
    tiers,
    sla,
    statuses,
    assignees,
    unassigned: Boolean(flags.unassigned),
    priorities: check(list(flags.priority as string[]), PRIORITY_VALUES, 'priority'),
    types: check(list(flags.type as string[]), TYPE_VALUES, 'type'),
    tags: list(flags.tag as string[]).map((t) => t.toLowerCase()),
    departments: list(flags.department as string[]),
    channels: list(flags.channel as string[]),
    requester: flags.requester as string | undefined,
    all: Boolean(flags.all) || (dedupeKeys.length > 0 && statuses.length === 0),
  }
}

export default class List extends TixCommand {
  static override summary = 'List tickets: by default the unresolved queue (new, open, pending, on-hold), newest first.'
  static override examples = [
    '<%= config.bin %> list',
    '<%= config.bin %> list --status pending --assignee ana@example.com --priority high --tag printer --department it',
    '<%= config.bin %> list --unassigned --channel email --requester ana@example.com --all --sort priority --limit 50',
    '<%= config.bin %> list --all --json | jq ".tickets[].title"',
    '<%= config.bin %> list --sla breached,at-risk --tier 2 --mine',
    'PAGER=cat <%= config.bin %> list --all   # or --no-pager: never page',
    '<%= config.bin %> list --dedupe-key nightly/linux --json',
    '<%= config.bin %> list --field plan=pro --field plan=team',
    '<%= config.bin %> list --status new --channel email -q | <%= config.bin %> status - pending',
  ]
  static override description = `For an agent listed in desk.json, the default view is their departments' queues (plus tickets with no department and their own); --all, --department, --assignee or --mine show more. This is a working view, not access control: whoever can fetch the repository can read every ticket.`
  static override flags = {
    ...queryFlags,
    pager: Flags.boolean({summary: 'On a terminal, show a list longer than the screen through $TIX_PAGER, $PAGER or `less -FRX` (--no-pager: never).', allowNo: true, default: true}),
    quiet: Flags.boolean({char: 'q', summary: 'Print only the full ids, one a line (for piping into another command: tix list -q | tix status - pending).'}),
  }

  async run() {
    const {flags} = await this.parse(List)
    const desk = await this.openDesk()
    const q = queryFromFlags(flags, desk)
    const now = desk.now()
    const opts = {sort: flags.sort, limit: flags.limit, scope: scopedByDefault(flags), now}
    if (this.jsonEnabled() && !this.tty) {
      const stream = await streamTickets(desk, q, opts)
      if (stream) return this.writeStream(desk, stream, now)
    }
    if (!this.jsonEnabled()) {
      // every ticket: the table's rows are read from the summaries' texts, none parsed
      const rows = await listRows(desk, q, opts)
      if (rows) {
        desk.reportIndexProblems(rows.index)
        if (this.tty || rows.count === 0) return this.writeTable({tickets: [...rows.rows()], total: rows.total, index: rows.index, scope: null}, [], q, flags, now)
        return this.writeRows(rows, flags.quiet)
      }
    }
    const res = await listTickets(desk, q, opts)
    desk.reportIndexProblems(res.index)
    const {slaColumn} = await import('../../src/output/sla.js')
    const {slaLookup} = await import('../../src/services/workflow/sla.js')
    const slaOf = slaLookup(res.index.config, now)
    if (!this.jsonEnabled()) return this.writeTable(res, slaColumn(res.index.config, slaOf, this.color), q, flags, now)
    return envelope('ticket-list', {count: res.tickets.length, total: res.total, scope: res.scope ?? null, tickets: res.tickets.map((t) => ({...ticketJson(t, res.index.ids), sla: slaOf(t)}))})
  }

  /** The list for people (a table) or for `xargs` (-q: full ids); the JSON of 10,000 tickets is never built for it. */
  private async writeTable<T extends TicketRow>(res: {tickets: T[]; total: number; index: DeskIndex; scope?: ListResult['scope']}, extra: ExtraColumn<T>[], q: TicketQuery, flags: {quiet: boolean; pager: boolean}, now: Date): Promise<undefined> {
    if (flags.quiet) {
      // Full ids: unique forever, whatever tickets are added later (a short id can grow).
      if (res.tickets.length > 0) this.ctx.stdout.write(res.tickets.map((t) => t.id).join('\n') + '\n')
      return undefined
    }
    const scope = res.scope ? ` in your queues (${res.scope.departments.join(', ')}, no department, or yours; --all for everything)` : ''
    if (res.tickets.length === 0) {
      this.note(q.all ? 'No tickets match.' : `No unresolved tickets match${scope}. (Add --all to include resolved and closed ones.)`)
      return undefined
    }
    const lines = ticketTable(res.tickets, res.index.ids, {now, color: this.color, columns: this.columns, tty: this.tty, extra})
    const {writePaged} = await import('../../src/output/pager.js')
    await writePaged(lines.join('\n') + '\n', {out: this.ctx.stdout, env: this.ctx.env, disabled: !flags.pager})
    if (res.total > res.tickets.length) this.note(`Showing ${res.tickets.length} of ${res.total}; use --limit 0 for all.`)
    else if (res.scope && this.tty) this.note(`Showing tickets${scope}.`)
    return undefined
  }

  /** Every ticket into a pipe: the rows (or -q's full ids) written in pieces of about 1 MB as they are read, never all as one string. */
  private async writeRows(list: RowList, quiet: boolean): Promise<undefined> {
    const ids = list.index.ids
    let out = ''
    for (const t of list.rows()) {
      out += (quiet ? t.id : pipeLine(t, ids)) + '\n'
      if (out.length > 1 << 20) {
        await writeChunk(out, this.ctx.stdout)
        out = ''
        if (this.ctx.stdout.destroyed) return undefined // the reader went away (`| head`)
      }
    }
    await writeChunk(out, this.ctx.stdout)
    if (!quiet && list.total > list.count) this.note(`Showing ${list.count} of ${list.total}; use --limit 0 for all.`)
    return undefined
  }

  /**
   * `--json` into a pipe: the same document, written ticket by ticket in pieces of about 1 MB as the
   * summaries are parsed, never the whole list as objects or as one string (docs/scale.md).
   */
  private async writeStream(desk: Desk, stream: TicketStream, now: Date): Promise<undefined> {
    desk.reportIndexProblems(stream.index)
    const {slaLookup} = await import('../../src/services/workflow/sla.js')
    const slaOf = slaLookup(stream.index.config, now)
    const ids = stream.index.ids
    // the same envelope as the unstreamed document, its tickets array left open
    const out = new JsonOut()
    out.text(`${JSON.stringify(envelope('ticket-list', {count: stream.count, total: stream.total, scope: stream.scope ?? null})).slice(0, -1)},"tickets":[`)
    let first = true
    const comma = () => {
      if (first) first = false
      else out.ascii(',')
    }
    // a full piece goes out (false: the reader went away, as `| head` does)
    const flush = async () => {
      await writeChunk(jsonBytes(out.take()), this.ctx.stdout)
      return !this.ctx.stdout.destroyed
    }
    const {summaryLines, parse} = stream
    if (summaryLines && parse) {
      // every ticket: each summary's text spliced into the contract's JSON (summary-text.ts), parsed only for its SLA
      const policies = workflowOf(stream.index.config).policies.length > 0
      for (const {bytes, parts} of summaryLines()) {
        if (out.length > 1 << 20 && !(await flush())) return undefined
        comma()
        const t = policies ? parse(bytes.toString('utf8', parts.start, parts.end)) : null
        const sla = t ? slaOf(t) : null
        if (!writeTicketJson(bytes, parts, ids, JSON.stringify(sla), out)) out.text(JSON.stringify({...ticketJson(t ?? parse(bytes.toString('utf8', parts.start, parts.end)), ids), sla}))
      }
    } else {
      for (const t of stream.tickets()) {
        if (out.length > 1 << 20 && !(await flush())) return undefined
        comma()
        out.text(JSON.stringify({...ticketJson(t, ids), sla: slaOf(t)}))
      }
    }
    out.text(']}\n')
    await writeChunk(jsonBytes(out.take()), this.ctx.stdout)
    return undefined
  }
}
