// The footer: the keys of the current screen, from the binding table (never written by hand).
import {footerItems, type Scope} from '../keys.js'
import {seg, type LineSpec} from './Line.js'

export function footerLine(scope: Scope, width: number): LineSpec {
  const out: LineSpec = []
  let used = 0
  for (const item of footerItems(scope)) {
    const w = item.keys.length + 1 + item.label.length + 2
    if (used + w > width) break
    out.push(seg(item.keys, {bold: true, tone: 'accent'}), seg(` ${item.label}  `, {dim: true}))
    used += w
  }
  return out
}
