// The top line: the desk's name, the two screens as tabs, and a warning when ticket files had lines
// that could not be read.
import {safeLine} from '../../src/output/text.js'
import {Line, seg, type LineSpec} from './Line.js'

export function TitleBar(p: {name: string; dashboard: boolean; width: number; problems: number}) {
  const tab = (label: string, on: boolean) => seg(` ${label} `, {inverse: on, bold: on, dim: !on})
  const left: LineSpec = [seg(' tix ', {bold: true, tone: 'accent'}), seg(safeLine(p.name) + '  ', {bold: true}), tab('Queue', !p.dashboard), tab('Dashboard', p.dashboard)]
  const used = left.reduce((n, s) => n + s.text.length, 0)
  const right = p.problems > 0 ? `${p.problems} ticket file${p.problems === 1 ? '' : 's'} with skipped lines` : ''
  return <Line segs={right && used + right.length + 2 < p.width ? [...left, seg(' '.repeat(p.width - used - right.length - 1)), seg(right, {tone: 'warn'})] : left} />
}
