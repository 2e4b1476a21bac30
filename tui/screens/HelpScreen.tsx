// Every key binding, grouped, rendered from the binding table (tui/keys.ts) so it cannot drift.
import {Box} from 'ink'
import {pad, truncate, wrap} from '../../src/output/text.js'
import {FILTER_HELP} from '../../src/domain/queue/filter.js'
import {helpSections} from '../keys.js'
import {Line, seg, type LineSpec} from '../components/Line.js'

export function helpLines(width: number): LineSpec[] {
  const out: LineSpec[] = []
  for (const s of helpSections()) {
    out.push([seg(s.title, {bold: true, tone: 'accent'})])
    for (const r of s.rows) {
      const lines = wrap(r.help, Math.max(10, width - 24))
      out.push([seg('  ' + pad(truncate(r.keys, 20), 21), {bold: true}), seg(lines[0] ?? '')])
      for (const more of lines.slice(1)) out.push([seg(' '.repeat(23) + more)])
    }
    out.push([])
  }
  out.push([seg('Filter terms', {bold: true, tone: 'accent'})])
  for (const line of wrap(FILTER_HELP, width - 4)) out.push([seg('  ' + line)])
  for (const line of wrap('Values can be cut short (status:pen, dept:fac), lists use commas (status:open,pending), a leading - excludes (-tag:spam), "quotes" keep words together, and assignee:none finds the unassigned.', width - 4)) {
    out.push([seg('  ' + line, {dim: true})])
  }
  return out
}

export function HelpScreen({width, height, scroll}: {width: number; height: number; scroll: number}) {
  const lines = helpLines(width)
  const top = Math.min(scroll, Math.max(0, lines.length - height + 1))
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Line segs={[seg('Keys', {bold: true}), seg(`  (${lines.length > height - 1 ? 'j/k scroll, ' : ''}Esc or ? closes)`, {dim: true})]} />
      {lines.slice(top, top + height - 1).map((l, i) => (
        <Line key={top + i} segs={l} />
      ))}
    </Box>
  )
}

export const helpLength = (width: number) => helpLines(width).length
