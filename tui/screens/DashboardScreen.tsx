// The dashboard: tickets by status and by department, this week's created vs resolved as a small
// bar chart, and the oldest tickets nobody has answered (selectable: Enter opens one).
import {Box} from 'ink'
import type {Dashboard} from '../../src/domain/reports/dashboard.js'
import {shortId} from '../../src/domain/ticket/ids.js'
import {STATUSES} from '../../src/domain/ticket/model.js'
import {age, pad, safeLine, truncate, width as cells} from '../../src/output/text.js'
import {priorityTone, statusTone} from '../theme.js'
import {Line, seg, type LineSpec} from '../components/Line.js'

const n = (x: number) => x.toLocaleString('en-US')
const bar = (value: number, max: number, width: number, ch: string) => (max <= 0 || value <= 0 ? '' : ch.repeat(Math.max(1, Math.round((value / max) * width))))

function statusLines(d: Dashboard): LineSpec[] {
  const counts: LineSpec = [seg('  ')]
  STATUSES.forEach((s, i) => {
    if (i > 0) counts.push(seg(' · ', {dim: true}))
    counts.push(seg(`${s} `), seg(n(d.byStatus[s]), {bold: true, tone: statusTone(s)}))
  })
  return [
    [seg('Tickets by status', {bold: true, tone: 'accent'}), seg(`  ${n(d.unresolved)} unresolved of ${n(d.total)}${d.complete ? '' : ' (resolved and closed still loading)'}`, {dim: true})],
    counts,
  ]
}

function departmentLines(d: Dashboard, width: number, max: number): LineSpec[] {
  const out: LineSpec[] = [[seg('Unresolved by department', {bold: true, tone: 'accent'})]]
  if (d.departments.length === 0) out.push([seg('  none', {dim: true})])
  const top = d.departments[0]?.unresolved ?? 0
  const barWidth = Math.max(4, Math.min(24, width - 36))
  for (const x of d.departments.slice(0, max)) {
    const name = x.department === null ? '(none)' : safeLine(x.department)
    out.push([
      seg('  ' + pad(truncate(name, 12), 13)),
      seg(n(x.unresolved).padStart(6) + ' ', {bold: true}),
      seg(pad(bar(x.unresolved, top, barWidth, '█'), barWidth), {tone: 'accent'}),
      seg(x.unassigned > 0 ? ` ${n(x.unassigned)} unassigned` : '', {dim: true}),
    ])
  }
  if (d.departments.length > max) out.push([seg(`  … and ${d.departments.length - max} more`, {dim: true})])
  return out
}

function weekLines(d: Dashboard, width: number): LineSpec[] {
  const max = Math.max(1, ...d.week.map((w) => Math.max(w.created, w.resolved)))
  const barWidth = Math.max(3, Math.min(20, Math.floor((width - 24) / 2)))
  const out: LineSpec[] = [
    [seg('This week', {bold: true, tone: 'accent'}), seg('  created ', {dim: true}), seg('█', {tone: 'new'}), seg('  resolved ', {dim: true}), seg('▒', {tone: 'ok'})],
  ]
  for (const w of d.week) {
    out.push([
      seg(`  ${w.label} ${w.day.slice(5)} `, {dim: true}),
      seg(String(w.created).padStart(4) + ' '),
      seg(pad(bar(w.created, max, barWidth, '█'), barWidth), {tone: 'new'}),
      seg(String(w.resolved).padStart(5) + ' '),
      seg(bar(w.resolved, max, barWidth, '▒'), {tone: 'ok'}),
    ])
  }
  return out
}

export interface DashboardView {
  lines: LineSpec[]
  /** The line of the selected unanswered ticket (-1 when there is none). */
  selLine: number
}

export function dashboardLines(d: Dashboard, opts: {width: number; ids: readonly string[]; now: Date; sel: number; focused: boolean}): DashboardView {
  const w = opts.width
  const lines: LineSpec[] = []
  if (w >= 110) {
    const half = Math.floor(w / 2)
    const left = [...statusLines(d), [], ...departmentLines(d, half - 2, 6)]
    const right = weekLines(d, w - half)
    for (let i = 0; i < Math.max(left.length, right.length); i++) {
      const l = left[i] ?? []
      const used = l.reduce((a, s) => a + cells(s.text), 0)
      lines.push([...l.map((s) => ({...s, text: s.text})), seg(' '.repeat(Math.max(1, half - used))), ...(right[i] ?? [])])
    }
  } else {
    lines.push(...statusLines(d), [], ...departmentLines(d, w, 3), [], ...weekLines(d, w))
  }
  lines.push([], [seg('Oldest unanswered', {bold: true, tone: 'accent'}), seg(`  ${n(d.unansweredCount)} unresolved with no response yet${d.unansweredCount > d.unanswered.length ? `, oldest ${d.unanswered.length} shown` : ''}`, {dim: true})])
  let selLine = -1
  if (d.unanswered.length === 0) lines.push([seg('  Every unresolved ticket has had a response.', {dim: true})])
  d.unanswered.forEach((t, i) => {
    const selected = i === opts.sel
    if (selected) selLine = lines.length
    const row: LineSpec = [
      seg(selected ? '▶ ' : '  ', {tone: 'accent', bold: true}),
      seg(pad(shortId(opts.ids, t.id), 7), {bold: true}),
      seg(pad(t.priority, 7), {tone: priorityTone(t.priority)}),
      seg(pad(t.status, 8), {tone: statusTone(t.status)}),
      seg(pad(age(t.createdAt, opts.now), 5)),
      seg(truncate(safeLine(t.title), Math.max(10, w - 31))),
    ]
    const used = row.reduce((a, s) => a + cells(s.text), 0)
    lines.push(selected ? [...row, seg(' '.repeat(Math.max(0, w - used)))] : row)
  })
  return {lines, selLine}
}

export function DashboardScreen(p: {stats: Dashboard | null; width: number; height: number; ids: readonly string[]; now: Date; sel: number; focused: boolean}) {
  if (!p.stats) {
    return (
      <Box flexDirection="column" width={p.width} height={p.height}>
        <Line segs={[seg('  Counting…', {dim: true})]} />
      </Box>
    )
  }
  const {lines, selLine} = dashboardLines(p.stats, {width: p.width, ids: p.ids, now: p.now, sel: p.sel, focused: p.focused})
  const top = selLine >= p.height ? selLine - p.height + 1 : 0
  return (
    <Box flexDirection="column" width={p.width} height={p.height}>
      {lines.slice(top, top + p.height).map((l, i) => (
        <Line key={top + i} segs={l} inverse={top + i === selLine && p.focused} />
      ))}
    </Box>
  )
}
