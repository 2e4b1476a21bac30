// SLA views of the desk: one ticket's clocks (`tix sla <id>`), the SLA queue (`tix sla --breached`),
// and the per-ticket lookup that `tix list --sla`, `--sort due` and the TUI share.
import {TixError} from '../../errors.js'
import type {DeskConfig} from '../../domain/config/config.js'
import {shortIdPrefix} from '../../domain/ticket/ids.js'
import type {TicketSummary} from '../../domain/ticket/model.js'
import {slaSortKey, ticketSla, type TicketSla} from '../../domain/sla/sla.js'
import {workflowOf} from '../../domain/workflow/workflow-config.js'
import type {Desk} from '../../store/desk.js'

export interface SlaRow {
  ticket: TicketSummary
  sla: TicketSla | null
}

export type SlaFilter = 'breached' | 'at-risk' | 'ok' | 'none'

/** Whether a ticket's SLA is in one of the filter's states (at-risk = warning). */
export function slaMatches(s: TicketSla | null, filters: readonly SlaFilter[]): boolean {
  for (const f of filters) {
    if (f === 'none' && s === null) return true
    if (s === null) continue
    if (f === 'breached' && s.state === 'breached') return true
    if (f === 'at-risk' && s.state === 'warning') return true
    if (f === 'ok' && (s.state === 'ok' || s.state === 'paused' || s.state === 'met')) return true
  }
  return false
}

/** A predicate for `tix list --sla ...`. */
export function slaPredicate(config: DeskConfig, filters: readonly string[], now: Date): (t: TicketSummary) => boolean {
  const slaOf = slaLookup(config, now)
  return (t) => slaMatches(slaOf(t), filters as SlaFilter[])
}

const slaMemo = new WeakMap<DeskConfig, {now: number; map: Map<string, TicketSla | null>}>()

/** SLA per ticket, computed once per command (the filter, the table column and the JSON share it). */
export function slaLookup(config: DeskConfig, now: Date): (t: TicketSummary) => TicketSla | null {
  const wf = workflowOf(config)
  let memo = slaMemo.get(config)
  if (!memo || memo.now !== now.getTime()) slaMemo.set(config, (memo = {now: now.getTime(), map: new Map()}))
  const map = memo.map
  return (t) => {
    if (wf.policies.length === 0) return null
    let s = map.get(t.id)
    if (s === undefined) map.set(t.id, (s = ticketSla(t, wf, now)))
    return s
  }
}

/** One ticket's SLA, now or as of a past moment (`asOf`: the ticket as it was then). */
export async function slaOfTicket(desk: Desk, idInput: string, opts: {asOf?: string} = {}) {
  const index = await desk.index()
  const id = await desk.resolveId(idInput, index)
  const loaded = await desk.readTicket(id, index.commit, opts.asOf)
  if (!loaded) throw new TixError(`Ticket ${shortIdPrefix(id)} is listed but its file is missing on the desk branch.`, {hint: 'Run `tix doctor`.'})
  const wf = workflowOf(index.config)
  const now = opts.asOf ? new Date(opts.asOf) : desk.now()
  return {ticket: loaded.ticket, sla: ticketSla(loaded.ticket, wf, now), index, wf, now}
}

/** The SLA queue: unresolved tickets in the given states, soonest due first. */
export async function slaQueue(desk: Desk, filters: readonly SlaFilter[], opts: {match?: (t: TicketSummary) => boolean} = {}) {
  const index = await desk.index()
  const wf = workflowOf(index.config)
  const now = desk.now()
  const rows: SlaRow[] = []
  for (const t of Object.values(index.open)) {
    if (opts.match && !opts.match(t)) continue
    const sla = ticketSla(t, wf, now)
    if (slaMatches(sla, filters)) rows.push({ticket: t, sla})
  }
  rows.sort((a, b) => slaSortKey(a.sla) - slaSortKey(b.sla) || (a.ticket.id < b.ticket.id ? -1 : 1))
  return {rows, index, wf, now}
}
