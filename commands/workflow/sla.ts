import {Args, Flags} from '@oclif/core'
import {usageError} from '../../src/errors.js'
import {shortId} from '../../src/domain/ticket/ids.js'
import {formatMinutes} from '../../src/domain/sla/sla.js'
import {envelope, ticketJson} from '../../src/output/json.js'
import {headline, METRIC_LABELS, slaCell, slaFields, stateStyle} from '../../src/output/sla.js'
import {ticketTable} from '../../src/output/tickets.js'
import {pad, safeLine} from '../../src/output/text.js'
import type {SlaFilter} from '../../src/services/workflow/sla.js'
import {TixCommand} from '../base.js'
import {parseAsOf} from '../ticket/show.js'

export default class Sla extends TixCommand {
  static override summary = "A ticket's SLA (policy, targets, due times, business time used and paused, state), or the SLA queues."
  static override description = `States: ok, warning (shown "at risk": the warnAt share of the target or less remains), breached (fulfilled after due, or due has passed), met, paused (the status stops the clock). In --json, durations are whole minutes of the clock's time (business minutes when "business" is true) and times are ISO-8601 UTC. For an agent the queues show their departments unless --all is given.`
  static override examples = [
    '<%= config.bin %> sla 7K3F9',
    '<%= config.bin %> sla --at-risk',
    '<%= config.bin %> sla --breached --json',
    '<%= config.bin %> sla',
  ]
  static override args = {id: Args.string({description: 'Ticket id or a unique prefix of it.'})}
  static override flags = {
    'at-risk': Flags.boolean({summary: 'Unresolved tickets in warning, soonest due first.'}),
    breached: Flags.boolean({summary: 'Unresolved tickets that breached, longest overdue first.'}),
    all: Flags.boolean({summary: 'Queues: every department, not only yours.'}),
    'as-of': Flags.string({summary: 'With an id: the SLA as it was at this date or time (UTC).'}),
  }

  async run() {
    const {agentScope} = await import('../../src/services/workflow/desk-config.js')
    const {slaOfTicket, slaQueue} = await import('../../src/services/workflow/sla.js')
    const {args, flags} = await this.parse(Sla)
    const desk = await this.openDesk()
    const filters: SlaFilter[] = [...(flags['at-risk'] ? (['at-risk'] as const) : []), ...(flags.breached ? (['breached'] as const) : [])]
    if (args.id !== undefined) {
      if (filters.length > 0) throw usageError('Give a ticket id or --at-risk/--breached, not both.')
      const res = await slaOfTicket(desk, args.id, {asOf: parseAsOf(flags['as-of'])})
      const sid = shortId(res.index.ids, res.ticket.id)
      if (!this.jsonEnabled()) {
        const c = this.color
        this.log(`${c.bold(sid)}  ${c.bold(safeLine(res.ticket.title))}`)
        if (res.sla === null) {
          this.note(res.wf.policies.length === 0 ? 'This desk has no SLA policies (add them under "sla" with `tix config edit`).' : `No SLA policy applies to ${sid} (or its policy has no target for ${res.ticket.priority} priority).`)
        } else {
          for (const [k, v] of slaFields(res.sla)) this.log(`${c.dim(pad(k.trim(), 15))}${k === 'SLA' ? stateStyle(c, res.sla.state)(v) : v}`)
          for (const metric of ['firstResponse', 'nextResponse', 'resolution'] as const) {
            const m = res.sla[metric]
            if (m) this.log(c.dim(`${pad(METRIC_LABELS[metric], 15)}started ${m.startedAt.replace('T', ' ').slice(0, 16)} UTC · used ${formatMinutes(m.elapsed)} · paused ${formatMinutes(m.paused)}`))
          }
        }
      }
      return envelope('sla', {id: res.ticket.id, shortId: sid, at: res.now.toISOString(), sla: res.sla})
    }
    // The overview and the queues count the same tickets: for an agent, their departments (and what
    // is assigned to them or to no department) unless --all; both say which scope they used.
    const index = await desk.index()
    const scope = flags.all ? null : agentScope(desk, index.config)
    const scopeDepts = scope ? new Set(scope.departments) : null
    const match = scopeDepts ? (t: {department: string | null; assignee: string | null}) => t.department === null || scopeDepts.has(t.department) || t.assignee?.toLowerCase() === scope!.agent : undefined
    const scopeText = scope ? `in your queues (${scope.departments.map(safeLine).join(', ')}, no department, or yours; --all for every department)` : 'in every department'
    if (filters.length === 0) {
      // The overview: how many tickets in each state.
      const res = await slaQueue(desk, ['breached', 'at-risk', 'ok', 'none'], {match})
      const counts = {breached: 0, warning: 0, ok: 0, paused: 0, met: 0, none: 0}
      for (const r of res.rows) counts[r.sla?.state ?? 'none']++
      if (!this.jsonEnabled()) {
        if (res.wf.policies.length === 0) this.note('This desk has no SLA policies (add them under "sla" with `tix config edit`).')
        this.log(`Unresolved tickets ${scopeText}: ${counts.breached} breached, ${counts.warning} at risk, ${counts.ok} ok, ${counts.paused} paused, ${counts.met} met, ${counts.none} without an SLA.`)
        if (counts.breached + counts.warning > 0) this.note(`See them with \`tix sla --breached${flags.all ? ' --all' : ''}\` and \`tix sla --at-risk${flags.all ? ' --all' : ''}\`.`)
      }
      return envelope('sla-summary', {at: res.now.toISOString(), scope, counts})
    }
    const res = await slaQueue(desk, filters, {match})
    const bySla = new Map(res.rows.map((r) => [r.ticket.id, r.sla]))
    if (!this.jsonEnabled()) {
      const what = filters.map((f) => (f === 'at-risk' ? 'at risk' : f)).join(' or ')
      if (res.rows.length === 0) this.note(`No unresolved ticket is ${what} ${scopeText}.`)
      else {
        this.note(`${res.rows.length} unresolved ${res.rows.length === 1 ? 'ticket' : 'tickets'} ${what} ${scopeText}.`)
        const c = this.color
        const extra = [
          {header: 'SLA', cell: (t: (typeof res.rows)[number]['ticket']) => ({text: slaCell(bySla.get(t.id) ?? null), style: stateStyle(c, bySla.get(t.id)?.state ?? null)})},
          {header: 'METRIC', cell: (t: (typeof res.rows)[number]['ticket']) => {
            const h = bySla.get(t.id) ? headline(bySla.get(t.id)!) : null
            return {text: h ? METRIC_LABELS[h.metric] : '-'}
          }},
          {header: 'DUE', cell: (t: (typeof res.rows)[number]['ticket']) => {
            const due = bySla.get(t.id) ? headline(bySla.get(t.id)!)?.m.dueAt : null
            return {text: due ? due.replace('T', ' ').slice(0, 16) : '-'}
          }},
        ]
        this.ctx.stdout.write(ticketTable(res.rows.map((r) => r.ticket), res.index.ids, {now: res.now, color: c, columns: this.columns, tty: this.tty, extra}).join('\n') + '\n')
      }
    }
    return envelope('sla-queue', {
      at: res.now.toISOString(),
      filters,
      scope,
      count: res.rows.length,
      tickets: res.rows.map((r) => ({...ticketJson(r.ticket, res.index.ids), sla: r.sla})),
    })
  }
}
