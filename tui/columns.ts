// The queue's columns, as data. A column says how wide it is, from what terminal width it shows,
// and (for data other parts of tix add, such as SLA state) whether the tickets carry it at all.
// Add a column by adding an entry; the table lays out whatever this list holds.
import {shortId} from '../src/domain/ticket/ids.js'
import type {TicketSummary} from '../src/domain/ticket/model.js'
import {age, pad, safeLine, truncate, width as cells} from '../src/output/text.js'
import {priorityTone, statusTone, type Tone} from './theme.js'
import type {Seg} from './components/Line.js'

export interface ColumnContext {
  ids: readonly string[]
  now: Date
  me: string
}

export interface Column {
  id: string
  header: string
  /** Cells it takes, given the terminal width; 'flex' takes what the others leave (one column). */
  width: number | 'flex' | ((columns: number) => number)
  /** Shown from this terminal width on. */
  minColumns?: number
  /** Shown only when the tickets carry data for it. */
  when?: (tickets: readonly TicketSummary[]) => boolean
  cell: (t: TicketSummary, ctx: ColumnContext) => {text: string; tone?: Tone; bold?: boolean; dim?: boolean}
}

/** The SLA state other parts of tix may add to a summary (`sla: {state, due}`), if present. */
const slaOf = (t: TicketSummary): {state?: unknown; label?: unknown} | undefined => (t as {sla?: {state?: unknown; label?: unknown}}).sla ?? undefined
const SLA_TONES: Record<string, Tone> = {breached: 'error', 'at-risk': 'warn', warning: 'warn', ok: 'ok', met: 'ok', paused: 'muted'}
const local = (email: string) => (email.includes('@') ? email.slice(0, email.indexOf('@')) : email)

export const COLUMNS: Column[] = [
  {id: 'id', header: 'ID', width: 6, cell: (t, c) => ({text: shortId(c.ids, t.id), bold: true})},
  {id: 'priority', header: 'PRI', width: 6, cell: (t) => ({text: t.priority, tone: priorityTone(t.priority), bold: t.priority === 'urgent'})},
  {id: 'status', header: 'STATUS', width: 8, cell: (t) => ({text: t.status, tone: statusTone(t.status)})},
  {
    id: 'sla',
    header: 'SLA',
    width: 9,
    when: (tickets) => tickets.some((t) => slaOf(t) !== undefined),
    cell: (t) => {
      const s = slaOf(t)
      const state = typeof s?.state === 'string' ? s.state : ''
      return {text: typeof s?.label === 'string' ? s.label : state || '-', tone: SLA_TONES[state]}
    },
  },
  {id: 'age', header: 'AGE', width: 4, cell: (t, c) => ({text: age(t.createdAt, c.now)})},
  {id: 'updated', header: 'UPD', width: 4, minColumns: 120, cell: (t, c) => ({text: age(t.updatedAt, c.now), dim: true})},
  {
    id: 'assignee',
    header: 'ASSIGNEE',
    width: (cols) => (cols >= 160 ? 24 : cols >= 120 ? 18 : 10),
    cell: (t, c) => {
      if (t.assignee === null) return {text: '-', dim: true}
      const mine = t.assignee.toLowerCase() === c.me.toLowerCase()
      return {text: safeLine(t.assignee), tone: mine ? 'accent' : undefined}
    },
  },
  {id: 'department', header: 'DEPT', width: (cols) => (cols >= 120 ? 12 : 8), cell: (t) => (t.department ? {text: safeLine(t.department)} : {text: '-', dim: true})},
  {id: 'requester', header: 'REQUESTER', width: 18, minColumns: 150, cell: (t) => ({text: safeLine(t.requester.name ?? t.requester.email ?? '-'), dim: true})},
  {id: 'title', header: 'TITLE', width: 'flex', cell: (t) => ({text: safeLine(t.title)})},
  {id: 'tags', header: 'TAGS', width: 16, minColumns: 170, cell: (t) => ({text: safeLine(t.tags.join(',')), tone: 'muted'})},
]

export interface LaidOutColumn {
  column: Column
  width: number
}

const GAP = 1
const MARKER = 2

/** Which columns show at this width, and how wide each is; the flexible one gets the rest. */
export function layoutColumns(columns: readonly Column[], total: number, tickets: readonly TicketSummary[]): LaidOutColumn[] {
  const shown = columns.filter((c) => (c.minColumns === undefined || total >= c.minColumns) && (c.when === undefined || c.when(tickets)))
  const fixed = shown.map((c) => (c.width === 'flex' ? 0 : typeof c.width === 'function' ? c.width(total) : c.width))
  const used = MARKER + fixed.reduce((a, b) => a + b, 0) + GAP * (shown.length - 1)
  const flex = Math.max(8, total - used)
  return shown.map((c, i) => ({column: c, width: c.width === 'flex' ? flex : fixed[i]!}))
}

/** The header line and the cells of one row, each cut and padded to its column. */
export function headerSegs(layout: readonly LaidOutColumn[]): Seg[] {
  return [{text: ' '.repeat(MARKER)}, ...layout.map((l, i) => ({text: fit(l.column.header, l.width, i === layout.length - 1), bold: true}))]
}

export function rowSegs(t: TicketSummary, layout: readonly LaidOutColumn[], ctx: ColumnContext, selected: boolean): Seg[] {
  const out: Seg[] = [{text: selected ? '▶ ' : '  ', tone: 'accent', bold: true}]
  layout.forEach((l, i) => {
    const cell = l.column.cell(t, ctx)
    const text = cell.text.length > 0 && l.column.id === 'assignee' && cells(cell.text) > l.width ? local(cell.text) : cell.text
    out.push({text: fit(text, l.width, i === layout.length - 1), tone: cell.tone, bold: cell.bold, dim: cell.dim})
  })
  return out
}

/** Cut to `w` cells, pad, and add the gap (the last column gets no gap). */
function fit(text: string, w: number, last: boolean): string {
  const t = pad(truncate(text, w), w)
  return last ? t : t + ' '.repeat(GAP)
}
