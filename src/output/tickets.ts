// Tickets for people: an aligned, coloured table on a terminal, tab-separated lines in a pipe.
import type {ChalkInstance} from 'chalk'
import {formatBytes, type Attachment} from '../domain/ticket/attachments.js'
import {describeEvent} from '../domain/ticket/describe.js'
import {shortId} from '../domain/ticket/ids.js'
import type {Priority, Status, TicketSummary} from '../domain/ticket/model.js'
import type {TicketRow} from '../domain/ticket/summary-text.js'
import type {MergedEntry} from '../services/relations.js'
import type {LoadedTicket} from '../store/desk.js'
import {age, pad, safeLine, safeText, truncate, width, wrap} from './text.js'
import {detailRows, type Tone} from './ticket-view.js'

export function priorityStyle(c: ChalkInstance, p: Priority): (s: string) => string {
  return p === 'urgent' ? c.red.bold : p === 'high' ? c.yellow : p === 'low' ? c.dim : (s) => s
}

export function statusStyle(c: ChalkInstance, s: Status): (s: string) => string {
  return s === 'new' ? c.cyan : s === 'open' ? c.green : s === 'pending' ? c.yellow : s === 'on-hold' ? c.magenta : c.dim
}

/** Extra columns other parts of tix add to the table (e.g. SLA state). */
export interface ExtraColumn<T = TicketSummary> {
  header: string
  cell: (t: T) => {text: string; style?: (s: string) => string}
}

/**
 * One row of `tix list` into a pipe, without an extra column: tab-separated, every cell that can
 * hold outside text neutralised (assignee and department are typed by people too).
 */
export const pipeLine = (t: TicketRow, ids: readonly string[]) => `${shortId(ids, t.id)}\t${t.priority}\t${t.status}\t${t.createdAt}\t${safeLine(t.assignee ?? '')}\t${safeLine(t.department ?? '')}\t${safeLine(t.title)}`

/** The table of `tix list`: a row needs only what TicketRow holds, unless an extra column reads more. */
export function ticketTable<T extends TicketRow>(
  tickets: readonly T[],
  ids: readonly string[],
  opts: {now: Date; color: ChalkInstance; columns: number; tty: boolean; extra?: ExtraColumn<T>[]},
): string[] {
  const extra = opts.extra ?? []
  if (!opts.tty && extra.length === 0) return tickets.map((t) => pipeLine(t, ids))
  if (!opts.tty) {
    return tickets.map((t) =>
      // every cell that can hold outside text is neutralised (assignee and department are typed by people too)
      [shortId(ids, t.id), t.priority, t.status, ...extra.map((x) => safeLine(x.cell(t).text)), t.createdAt, safeLine(t.assignee ?? ''), safeLine(t.department ?? ''), safeLine(t.title)].join('\t'),
    )
  }
  const c = opts.color
  const rows = tickets.map((t) => ({
    t,
    cells: [
      shortId(ids, t.id),
      t.priority,
      t.status,
      ...extra.map((x) => safeLine(x.cell(t).text)),
      age(t.createdAt, opts.now),
      safeLine(t.assignee ?? '-'),
      safeLine(t.department ?? '-'),
    ],
  }))
  const headers = ['ID', 'PRI', 'STATUS', ...extra.map((x) => x.header), 'AGE', 'ASSIGNEE', 'DEPT']
  const widths = headers.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r.cells[i]!))))
  const maxAssignee = 24
  const ai = headers.indexOf('ASSIGNEE')
  widths[ai] = Math.min(widths[ai]!, maxAssignee)
  const used = widths.reduce((a, b) => a + b + 2, 0)
  const titleWidth = Math.max(10, opts.columns - used)
  const out = [c.bold([...headers.map((h, i) => pad(h, widths[i]!)), 'TITLE'].join('  '))]
  for (const {t, cells} of rows) {
    const styled = cells.map((cell, i) => {
      const text = pad(truncate(cell, widths[i]!), widths[i]!)
      if (i === 0) return c.bold(text)
      if (i === 1) return priorityStyle(c, t.priority)(text)
      if (i === 2) return statusStyle(c, t.status)(text)
      const x = extra[i - 3]
      if (x) return (x.cell(t).style ?? ((s: string) => s))(text)
      return headers[i] === 'ASSIGNEE' && t.assignee === null ? c.dim(text) : text
    })
    out.push([...styled, truncate(safeLine(t.title), titleWidth)].join('  '))
  }
  return out
}

/** One line per attachment: name, size, media type, when and by whom (names are data: made safe). */
export function attachmentLines(list: readonly Attachment[], c: ChalkInstance): string[] {
  const names = list.map((a) => safeLine(a.name))
  const sizes = list.map((a) => formatBytes(a.size))
  const nw = Math.max(...names.map(width))
  const sw = Math.max(...sizes.map(width))
  return list.map((a, i) => `  ${pad(names[i]!, nw)}  ${pad(sizes[i]!, sw)}  ${c.dim(`${a.mediaType}  ${a.at.replace('T', ' ').slice(0, 16)}  ${safeLine(a.by)}`)}`)
}

/** `tix show` for people: fields, body, then the thread with changes inline, in time order. */
export function ticketDetail(
  l: LoadedTicket,
  ids: readonly string[],
  opts: {now: Date; color: ChalkInstance; columns: number; extraFields?: [string, string][]; merged?: readonly MergedEntry[]},
): string[] {
  const c = opts.color
  const t = l.ticket
  const cols = Math.max(40, Math.min(opts.columns, 120))
  const out: string[] = []
  out.push(`${c.bold(shortId(ids, t.id))}  ${c.bold(safeLine(t.title))}`)
  out.push(
    `${statusStyle(c, t.status)(t.status)} · ${priorityStyle(c, t.priority)(t.priority)} priority · ${t.type} · via ${t.channel}${t.tier > 1 ? ` · tier ${t.tier}` : ''}`,
  )
  // The rows are built once for both faces (src/output/ticket-view.ts); here they get chalk's colours.
  const paint = (tone: Tone | undefined) => (tone === 'good' ? c.green : tone === 'bad' ? c.red : tone === 'warn' ? c.yellow : tone === 'dim' ? c.dim : tone === 'bold' ? c.bold : (s: string) => s)
  const extra = (opts.extraFields ?? []).map(([key, text]) => ({key, parts: [{text}]}))
  for (const r of detailRows(t, ids, {now: opts.now, extra})) out.push(`${c.dim(pad(r.key, 15))}${r.parts.map((p) => paint(p.tone)(p.text)).join('')}`)
  const sid = (id: string) => shortId(ids, id)
  if (t.attachments && t.attachments.length > 0) {
    out.push('', c.bold(`── Attachments (${t.attachments.length}) ──`))
    out.push(...attachmentLines(t.attachments, c))
  }
  if (t.body.trim() !== '') {
    out.push('')
    for (const line of wrap(safeText(t.body), cols)) out.push(line)
  }
  const rest = l.events.filter((e) => e.type !== 'create')
  const merged = [...(opts.merged ?? [])]
  // Messages of merged tickets, shown where they fall in time, marked with the ticket they came from.
  const printMerged = (until: string | null) => {
    while (merged.length > 0 && (until === null || merged[0]!.at <= until)) {
      const m = merged.shift()!
      const stamp = c.dim(m.at.replace('T', ' ').slice(0, 16))
      const what = m.kind === 'request' ? 'request' : m.kind === 'reply' ? 'reply · public' : 'note · internal'
      out.push('', `${stamp}  ${c.bold(safeLine(m.author))}  ${c.cyan(`${what} · from ${sid(m.from)} (merged)`)}`)
      const bar = m.kind === 'note' ? c.yellow('┆ ') : c.cyan('│ ')
      for (const line of wrap(safeText(m.body), cols - 2)) out.push(bar + line)
    }
  }
  if (rest.length > 0 || merged.length > 0) {
    const mergedNote = merged.length > 0 ? `, ${merged.length} merged ${merged.length === 1 ? 'message' : 'messages'}` : ''
    out.push('', c.bold(`── Thread and changes (${t.replyCount} ${t.replyCount === 1 ? 'reply' : 'replies'}, ${t.noteCount} ${t.noteCount === 1 ? 'note' : 'notes'}${mergedNote}) ──`))
    for (const e of rest) {
      printMerged(e.at)
      const stamp = c.dim(e.at.replace('T', ' ').slice(0, 16))
      if (e.type === 'reply' || e.type === 'note') {
        const author = safeLine(String(e.author ?? e.by))
        const label = e.type === 'reply' ? c.green('reply · public') : c.yellow('note · internal')
        out.push('', `${stamp}  ${c.bold(author)}  ${label}`)
        const bar = e.type === 'reply' ? c.green('│ ') : c.yellow('┆ ')
        for (const line of wrap(safeText(String(e.body ?? '')), cols - 2)) out.push(bar + line)
      } else {
        out.push(`${stamp}  ${c.dim(`${safeLine(e.by)} · ${safeLine(describeEvent(e))}`)}`)
      }
    }
    printMerged(null)
  }
  if (t.mailFailures && t.mailFailures.length > 0) {
    out.push('', c.red('Mail not delivered:'))
    for (const f of t.mailFailures) {
      const what = f.result === 'bounced' ? 'bounced' : `failed ${f.attempts} time${f.attempts === 1 ? '' : 's'} (retried with backoff; see \`tix mail outbox\`)`
      out.push(c.red(`  ${f.at.replace('T', ' ').slice(0, 16)}  ${safeLine(f.key.split(':')[0]!)} ${what}${f.error ? `: ${safeLine(f.error)}` : ''}`))
    }
  }
  if (t.notices.length > 0) {
    out.push('', c.yellow('Noticed:'))
    for (const n of t.notices) out.push(c.yellow(`  ${safeLine(n)}`))
  }
  return out
}
