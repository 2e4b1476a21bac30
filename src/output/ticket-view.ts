// One view of a ticket for both faces: the labelled rows of `tix show` and of the TUI's detail
// screen are built here once (satisfaction, merges and links included), and each face only paints
// them (src/output/tickets.ts with chalk, tui/detail-lines.ts with Ink segments).
import {shortId} from '../domain/ticket/ids.js'
import type {TicketSummary} from '../domain/ticket/model.js'
import {formatPerson} from '../domain/ticket/ticket-ops.js'
import {age, safeLine} from './text.js'

/** How a face may colour a value: good/bad/warn for ratings and states, dim for "nothing here". */
export type Tone = 'good' | 'bad' | 'warn' | 'dim' | 'bold'

export interface DetailPart {
  text: string
  tone?: Tone
}

export interface DetailRow {
  key: string
  /** The value in parts, so a face can colour a rating or dim a hint; every part is terminal-safe. */
  parts: DetailPart[]
}

const whenUtc = (iso: string | null, now: Date) => (iso ? `${iso.replace('T', ' ').slice(0, 16)} UTC (${age(iso, now)} ago)` : '-')

/**
 * The rows under a ticket's title. `extra` (the SLA clocks, which need the desk's configuration)
 * goes after the timestamps, where both faces have always shown it.
 */
export function detailRows(t: TicketSummary, ids: readonly string[], opts: {now: Date; extra?: DetailRow[]}): DetailRow[] {
  const rows: DetailRow[] = []
  const row = (key: string, text: string, tone?: Tone) => rows.push({key, parts: [{text, tone}]})
  const sid = (id: string) => shortId(ids, id)
  row('requester', safeLine(formatPerson(t.requester)) || '-')
  row('assignee', safeLine(t.assignee ?? '-'), t.assignee === null ? 'dim' : undefined)
  row('department', safeLine(t.department ?? '-'), t.department === null ? 'dim' : undefined)
  if (t.tags.length > 0) row('tags', safeLine(t.tags.join(', ')))
  if (t.dedupeKey !== undefined) rows.push({key: 'dedupe key', parts: [{text: safeLine(t.dedupeKey)}, ...(t.followUp ? [{text: ` (follow-up ${t.followUp})`, tone: 'dim' as Tone}] : [])]})
  if (t.occurrences) {
    const o = t.occurrences
    rows.push({key: 'occurrences', parts: [{text: `${o.count}, last ${whenUtc(o.lastAt, opts.now)}`}, ...(o.lastRun ? [{text: ` ${safeLine(o.lastRun)}`, tone: 'dim' as Tone}] : [])]})
  }
  for (const [k, v] of Object.entries(t.fields)) row(safeLine(k), safeLine(typeof v === 'string' ? v : JSON.stringify(v)))
  row('created', `${whenUtc(t.createdAt, opts.now)} by ${safeLine(t.createdBy)}`)
  row('updated', whenUtc(t.updatedAt, opts.now))
  row('first response', whenUtc(t.firstResponseAt, opts.now), t.firstResponseAt === null ? 'dim' : undefined)
  if (t.resolvedAt) row('resolved', whenUtc(t.resolvedAt, opts.now))
  if (t.closedAt) row('closed', whenUtc(t.closedAt, opts.now))
  rows.push(...(opts.extra ?? []))
  if (t.resolution) row('resolution', safeLine(t.resolution))
  if (t.satisfaction) {
    const s = t.satisfaction
    rows.push({
      key: 'satisfaction',
      parts: [
        {text: s.rating, tone: s.rating === 'good' ? 'good' : s.rating === 'bad' ? 'bad' : 'warn'},
        {text: `${s.score !== null ? ` (${s.score}/5)` : ''}${s.comment ? ` "${safeLine(s.comment)}"` : ''} `},
        {text: `on ${s.at.slice(0, 10)}`, tone: 'dim'},
      ],
    })
  }
  if (t.mergedInto) rows.push({key: 'merged into', parts: [{text: sid(t.mergedInto), tone: 'bold'}, {text: ' '}, {text: `(tix show ${sid(t.mergedInto)})`, tone: 'dim'}]})
  if (t.mergedFrom) row('merged in', t.mergedFrom.map(sid).join(', '))
  for (const link of t.links ?? []) row(link.as === 'related' ? 'related to' : link.as.replace('-', ' ') + (link.as === 'duplicate' ? ' of' : ''), sid(link.id))
  row('id', t.id, 'dim')
  return rows
}
