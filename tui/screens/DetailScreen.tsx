// One ticket: two fixed lines (id, title, status, priority), then fields, body and the thread,
// scrolled. Also used, narrower, as the preview pane next to the queue on wide terminals.
import {Box} from 'ink'
import {useMemo} from 'react'
import type {DeskConfig} from '../../src/domain/config/config.js'
import type {LoadedTicket} from '../../src/store/desk.js'
import {detailBody, detailHeader} from '../detail-lines.js'
import {Line, seg} from '../components/Line.js'

export interface DetailScreenProps {
  loaded: LoadedTicket | null
  error: string | null
  ids: readonly string[]
  width: number
  height: number
  scroll: number
  now: Date
  focused: boolean
  /** The desk's configuration, for the SLA clocks. */
  config?: DeskConfig | null
}

export const HEADER_LINES = 3

/** The body lines of a ticket at a width (memoised by the caller's inputs). */
export function useDetailLines(loaded: LoadedTicket | null, ids: readonly string[], width: number, now: Date, config?: DeskConfig | null) {
  return useMemo(() => (loaded ? detailBody(loaded, ids, {now, width, config}) : []), [loaded, ids, width, now, config])
}

export const maxScroll = (lines: number, height: number) => Math.max(0, lines - Math.max(1, height - HEADER_LINES))

export function DetailScreen(p: DetailScreenProps) {
  const lines = useDetailLines(p.loaded, p.ids, p.width, p.now, p.config)
  if (!p.loaded) {
    return (
      <Box flexDirection="column" width={p.width} height={p.height}>
        <Line segs={[seg(p.error ? `  ${p.error}` : '  Loading the ticket…', {tone: p.error ? 'error' : undefined, dim: !p.error})]} />
      </Box>
    )
  }
  const bodyHeight = Math.max(1, p.height - HEADER_LINES)
  const scroll = Math.min(p.scroll, maxScroll(lines.length, p.height))
  const shown = lines.slice(scroll, scroll + bodyHeight)
  const more = lines.length > bodyHeight ? ` ${scroll + 1}-${scroll + shown.length} of ${lines.length} lines ` : ''
  return (
    <Box flexDirection="column" width={p.width} height={p.height}>
      {detailHeader(p.loaded, p.ids, p.width).map((l, i) => (
        <Line key={`h${i}`} segs={l} />
      ))}
      <Line segs={[seg('─'.repeat(Math.max(0, p.width - more.length - 2)), {dim: true, tone: p.focused ? 'accent' : undefined}), seg(more, {dim: true})]} />
      {shown.map((l, i) => (
        <Line key={scroll + i} segs={l} />
      ))}
    </Box>
  )
}
