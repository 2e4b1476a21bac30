// The queue: the saved views, then the table. Only the rows that fit on the screen are drawn,
// so 10,000 tickets cost what 20 do.
import {Box} from 'ink'
import {useMemo} from 'react'
import type {TicketSummary} from '../../src/domain/ticket/model.js'
import {SORTS, VIEWS, type SavedView} from '../../src/domain/queue/views.js'
import type {SortKey} from '../../src/domain/queue/query.js'
import {pad, width as cells} from '../../src/output/text.js'
import {COLUMNS, headerSegs, layoutColumns, rowSegs} from '../columns.js'
import {Line, seg, type LineSpec} from '../components/Line.js'

export interface QueueScreenProps {
  list: readonly TicketSummary[]
  /** Every ticket loaded (for columns that show only when some ticket has their data). */
  all: readonly TicketSummary[]
  cursor: number
  top: number
  /** Rows for tickets (the table's header and the views line are extra). */
  height: number
  width: number
  ids: readonly string[]
  now: Date
  me: string
  view: SavedView
  sort: SortKey
  loading: boolean
  focused: boolean
  filterActive: boolean
}

/** Rows of the table that fit in `height` lines of the queue screen. */
export const queueRows = (height: number) => Math.max(1, height - 2)

export function viewsLine(view: SavedView, right: string, width: number): LineSpec {
  const out: LineSpec = []
  let used = 0
  const avail = width - cells(right) - 1
  for (const v of VIEWS) {
    const label = ` ${v.key} ${v.label} `
    if (used + label.length > avail) break
    const on = v.id === view.id
    out.push(seg(label, {inverse: on, bold: on, tone: on ? 'accent' : undefined, dim: !on}))
    used += label.length
  }
  out.push(seg(' '.repeat(Math.max(1, width - used - cells(right)))), seg(right, {dim: true}))
  return out
}

export function QueueScreen(p: QueueScreenProps) {
  const layout = useMemo(() => layoutColumns(COLUMNS, p.width, p.all), [p.width, p.all])
  const rows = queueRows(p.height)
  const visible = p.list.slice(p.top, p.top + rows)
  const sortLabel = SORTS.find((s) => s.key === p.sort)?.label ?? p.sort
  const total = p.list.length.toLocaleString('en-US')
  const at = p.cursor >= 0 ? `${(p.cursor + 1).toLocaleString('en-US')}/` : ''
  const right = p.loading && p.list.length === 0 ? 'loading…' : p.width >= 100 ? `${at}${total} ${p.list.length === 1 ? 'ticket' : 'tickets'} · by ${sortLabel}` : `${at}${total} · ${sortLabel}`
  const ctx = {ids: p.ids, now: p.now, me: p.me}
  const empty = !p.loading && p.list.length === 0
  return (
    <Box flexDirection="column" width={p.width} height={p.height}>
      <Line segs={viewsLine(p.view, right, p.width)} />
      <Line segs={headerSegs(layout)} />
      {empty ? (
        <Line segs={[seg(p.filterActive ? '  No ticket matches the filter. Esc clears it.' : `  Nothing here: ${p.view.description.toLowerCase()}. Try another view (1-6).`, {dim: true})]} />
      ) : (
        visible.map((t, i) => {
          const selected = p.top + i === p.cursor
          const segs = rowSegs(t, layout, ctx, selected)
          return <Line key={t.id} segs={selected ? padTo(segs, p.width) : segs} inverse={selected && p.focused} />
        })
      )}
    </Box>
  )
}

/** Pads a line to the full width, so the selection bar spans it. */
function padTo(segs: LineSpec, width: number): LineSpec {
  const used = segs.reduce((n, s) => n + cells(s.text), 0)
  return used >= width ? segs : [...segs, seg(pad('', width - used))]
}
