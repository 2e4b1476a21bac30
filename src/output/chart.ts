// Charts drawn with characters, for `tix report --chart`: horizontal bars, lines, (stacked) areas,
// and a share bar in place of a pie. Each series has its own glyph as well as its own colour, so
// a chart still reads in a pipe or with NO_COLOR. Width is the terminal's (or COLUMNS).
import type {ChalkInstance} from 'chalk'
import {pad, truncate, width as textWidth, wrap} from './text.js'

export const CHART_KINDS = ['bar', 'line', 'area', 'pie'] as const
export type ChartKind = (typeof CHART_KINDS)[number]

export type Unit = 'count' | 'seconds' | 'percent'

export interface ChartData {
  /** What is drawn, e.g. "Created tickets per week, by department". */
  title: string
  unit: Unit
  /** The x axis (periods). */
  categories: string[]
  /** One per group (or a single one); values by category, null where there is nothing to show. */
  series: {name: string; values: (number | null)[]}[]
}

export interface ChartStyle {
  width: number
  color: ChalkInstance
  /** Rows of the plot area for line and area charts. */
  height?: number
}

const GLYPHS = ['●', '■', '▲', '◆', '✚', '✖', '○', '□', '△', '◇']
const FILLS = ['█', '▓', '▒', '░', '#', '=', '+', ':', '%', '*']
/** What joins a series' points: different per series, so lines tell apart without colour. */
const LINES = ['·', '-', ':', '=', '~', '+', '"', "'", '^', ',']
const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉']

function paint(c: ChalkInstance, i: number): (s: string) => string {
  const list = [c.cyan, c.magenta, c.yellow, c.green, c.blue, c.red, c.cyanBright, c.magentaBright, c.yellowBright, c.greenBright]
  return list[i % list.length]!
}

export function formatValue(v: number | null, unit: Unit): string {
  if (v === null) return '-'
  if (v === 0) return '0'
  if (unit === 'percent') return `${Math.round(v * 10) / 10}%`
  if (unit === 'count') return Number.isInteger(v) ? String(v) : String(Math.round(v * 10) / 10)
  // seconds: hours with one decimal reads best on an axis
  const h = v / 3600
  return h >= 100 ? `${Math.round(h)}h` : h >= 1 ? `${Math.round(h * 10) / 10}h` : `${Math.round(v / 60)}m`
}

/** A round number >= v for the top of an axis (1, 2, 2.5, 5 x 10^n). */
export function niceMax(v: number): number {
  if (!(v > 0)) return 1
  const p = 10 ** Math.floor(Math.log10(v))
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p
  return 10 * p
}

/** The top of an axis for a unit: counts get a whole half-way mark, times a round number of hours or minutes. */
export function axisMax(v: number, unit: Unit): number {
  if (!(v > 0)) return unit === 'count' ? 2 : unit === 'seconds' ? 3600 : 100
  if (unit === 'count') {
    const p = 10 ** Math.floor(Math.log10(v))
    for (const m of [1, 2, 4, 6, 8, 10]) if (m * p >= v && (m * p) % 2 === 0) return m * p
    return 10 * p
  }
  if (unit === 'seconds') return v >= 3600 ? niceMax(v / 3600) * 3600 : niceMax(v / 60) * 60
  return Math.min(100, niceMax(v))
}

export function renderChart(kind: ChartKind, data: ChartData, style: ChartStyle): string[] {
  const w = Math.max(30, Math.min(style.width, 240))
  switch (kind) {
    case 'bar':
      return barChart(data, {...style, width: w})
    case 'line':
      return plotChart(data, {...style, width: w}, false)
    case 'area':
      // Stacking adds the series up: right for counts (tickets created per department), meaningless
      // for medians and rates (two departments' median response times do not sum to anything).
      if (data.unit !== 'count' && data.series.length > 1) {
        return [...plotChart(data, {...style, width: w}, false), style.color.dim(`(${data.unit === 'seconds' ? 'times' : 'percentages'} do not add up: drawn as lines, not stacked)`)]
      }
      return plotChart(data, {...style, width: w}, true)
    case 'pie':
      return shareChart(data, {...style, width: w})
  }
}

function legend(data: ChartData, c: ChalkInstance, mark: (i: number) => string, w: number): string[] {
  if (data.series.length <= 1) return []
  const items = data.series.map((s, i) => `${paint(c, i)(mark(i))} ${truncate(s.name, 24)}`)
  const lines: string[] = []
  let line = 'Legend:'
  for (const item of items) {
    if (textWidth(line) + 2 + textWidth(item) > w && line !== 'Legend:') {
      lines.push(line)
      line = '       '
    }
    line += `  ${item}`
  }
  lines.push(line)
  return lines
}

// ------------------------------------------------------------------ bar

function barChart(data: ChartData, style: ChartStyle): string[] {
  const c = style.color
  const grouped = data.categories.length > 1 && data.series.length > 1
  type Bar = {label: string; value: number | null; series: number}
  const bars: (Bar | {heading: string})[] = []
  if (data.categories.length <= 1) data.series.forEach((s, i) => bars.push({label: s.name, value: s.values[0] ?? null, series: data.series.length > 1 ? i : 0}))
  else if (!grouped) data.categories.forEach((cat, k) => bars.push({label: cat, value: data.series[0]?.values[k] ?? null, series: 0}))
  else {
    data.categories.forEach((cat, k) => {
      bars.push({heading: cat})
      data.series.forEach((s, i) => bars.push({label: `  ${s.name}`, value: s.values[k] ?? null, series: i}))
    })
  }
  const only = bars.filter((b): b is Bar => 'label' in b)
  const labelW = Math.min(28, Math.max(...only.map((b) => textWidth(b.label)), ...bars.map((b) => ('heading' in b ? textWidth(b.heading) : 0))))
  const valueW = Math.max(...only.map((b) => formatValue(b.value, data.unit).length))
  const max = axisMax(Math.max(0, ...only.map((b) => b.value ?? 0)), data.unit)
  const area = Math.max(10, style.width - labelW - valueW - 4)
  const out = [...wrap(data.title, style.width).map((l) => c.bold(l)), '']
  for (const b of bars) {
    if ('heading' in b) {
      out.push(c.bold(truncate(b.heading, style.width)))
      continue
    }
    const eighths = Math.round(((b.value ?? 0) / max) * area * 8)
    const bar = '█'.repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8]
    out.push(`${pad(truncate(b.label, labelW), labelW)} │${paint(c, b.series)(bar)} ${formatValue(b.value, data.unit)}`)
  }
  // The scale: 0, half and the top of the axis under the bars.
  const axis = `${' '.repeat(labelW)} └${'─'.repeat(area)}`
  const ticks = ' '.repeat(labelW + 2).split('')
  const place = (at: number, text: string) => {
    const start = Math.max(0, Math.min(labelW + 2 + at - Math.floor(text.length / 2), labelW + 2 + area - text.length))
    for (let i = 0; i < text.length; i++) ticks[start + i] = text[i]!
  }
  for (let i = ticks.length; i < labelW + 2 + area; i++) ticks.push(' ')
  place(0, formatValue(0, data.unit))
  place(Math.round(area / 2), formatValue(max / 2, data.unit))
  place(area - 1, formatValue(max, data.unit))
  // Every bar is labelled with its group, so a legend would only repeat the labels.
  out.push(axis, ticks.join('').trimEnd())
  return out
}

// ------------------------------------------------------------------ line and area

function plotChart(data: ChartData, style: ChartStyle, area: boolean): string[] {
  const c = style.color
  const H = Math.max(4, style.height ?? 10)
  const n = data.categories.length
  // Stacked areas: each series sits on top of the ones before it.
  const stacked = data.series.map((s) => s.values.map((v) => v ?? 0))
  if (area) for (let i = 1; i < stacked.length; i++) stacked[i] = stacked[i]!.map((v, k) => v + stacked[i - 1]![k]!)
  const tops = area ? stacked : data.series.map((s) => s.values)
  const max = axisMax(Math.max(0, ...tops.flat().map((v) => v ?? 0)), data.unit)
  const yLabels = [formatValue(max, data.unit), formatValue(max / 2, data.unit), formatValue(0, data.unit)]
  const yW = Math.max(...yLabels.map((l) => l.length))
  const W = Math.max(10, style.width - yW - 2)
  const xs = data.categories.map((_, k) => (n === 1 ? Math.floor(W / 2) : Math.round((k * (W - 1)) / (n - 1))))
  const grid: {ch: string; s: number}[][] = Array.from({length: H}, () => Array.from({length: W}, () => ({ch: ' ', s: -1})))
  const rowOf = (v: number) => H - 1 - Math.round((v / max) * (H - 1))
  /** The value of series values `vals` at column x (linear between the periods); null in gaps. */
  const at = (vals: (number | null)[], x: number): number | null => {
    if (n === 1) return x === xs[0] ? vals[0] ?? null : null
    let k = 0
    while (k < n - 2 && xs[k + 1]! <= x) k++
    const a = vals[k]
    const b = vals[k + 1]
    if (x === xs[k]) return a ?? null
    if (x === xs[k + 1]) return b ?? null
    if (a === null || a === undefined || b === null || b === undefined) return null
    return a + ((b - a) * (x - xs[k]!)) / (xs[k + 1]! - xs[k]!)
  }
  if (area) {
    // Top series first; each lower one then paints over its own part of the column.
    for (let i = stacked.length - 1; i >= 0; i--) {
      for (let x = xs[0]!; x <= xs[n - 1]!; x++) {
        const top = at(stacked[i]!, x)
        if (top === null || top <= 0) continue
        for (let r = rowOf(top); r < H; r++) grid[r]![x] = {ch: FILLS[i % FILLS.length]!, s: i}
      }
    }
  } else {
    data.series.forEach((s, i) => {
      let prev: number | null = null
      for (let x = xs[0]!; x <= xs[n - 1]!; x++) {
        const v = at(s.values, x)
        if (v === null) {
          prev = null
          continue
        }
        const r = rowOf(v)
        // Steep segments: fill the rows between this column and the previous so the line is unbroken.
        const from = prev === null ? r : prev < r ? prev + 1 : prev > r ? prev - 1 : r
        for (let y = Math.min(from, r); y <= Math.max(from, r); y++) grid[y]![x] = {ch: LINES[i % LINES.length]!, s: i}
        prev = r
      }
      // Markers on the periods themselves.
      xs.forEach((x, k) => {
        const v = s.values[k]
        if (v !== null && v !== undefined) grid[rowOf(v)]![x] = {ch: GLYPHS[i % GLYPHS.length]!, s: i}
      })
    })
  }
  const out = [...wrap(data.title, style.width).map((l) => c.bold(l)), '']
  for (let r = 0; r < H; r++) {
    const label = r === 0 ? yLabels[0]! : r === Math.floor((H - 1) / 2) ? yLabels[1]! : r === H - 1 ? yLabels[2]! : ''
    const tick = label === '' ? '│' : '┤'
    const cells = grid[r]!.map((g) => (g.s < 0 ? g.ch : paint(c, g.s)(g.ch))).join('')
    out.push(`${' '.repeat(yW - label.length)}${label}${tick}${cells}`.trimEnd())
  }
  out.push(`${' '.repeat(yW)}└${'─'.repeat(W)}`)
  // Period labels under their points, skipping those that would overlap.
  const line = Array.from({length: yW + 1 + W}, () => ' ')
  const order = n <= 2 ? data.categories.map((_, k) => k) : [0, n - 1, ...data.categories.map((_, k) => k).slice(1, -1)]
  const placed: [number, number][] = []
  for (const k of order) {
    const text = data.categories[k]!
    const start = Math.max(0, Math.min(yW + 1 + xs[k]! - Math.floor(text.length / 2), line.length - text.length))
    const end = start + text.length
    if (placed.some(([a, b]) => start < b + 1 && end + 1 > a)) continue
    placed.push([start, end])
    for (let i = 0; i < text.length; i++) line[start + i] = text[i]!
  }
  out.push(line.join('').trimEnd())
  out.push(...legend(data, c, (i) => (area ? FILLS[i % FILLS.length]! : `${LINES[i % LINES.length]}${GLYPHS[i % GLYPHS.length]}${LINES[i % LINES.length]}`), style.width))
  return out
}

// ------------------------------------------------------------------ share bar ("pie")

/** Splits `total` cells by `weights` with largest remainders, so the parts add up exactly. */
export function apportion(weights: number[], total: number): number[] {
  const sum = weights.reduce((a, b) => a + b, 0)
  if (sum <= 0) return weights.map(() => 0)
  const raw = weights.map((w) => (w / sum) * total)
  const out = raw.map(Math.floor)
  let left = total - out.reduce((a, b) => a + b, 0)
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1])
  for (const [, i] of order) {
    if (left <= 0) break
    out[i]!++
    left--
  }
  return out
}

function shareChart(data: ChartData, style: ChartStyle): string[] {
  const c = style.color
  // Shares of the series (summed over the periods), or of the periods when there is one series.
  const parts =
    data.series.length > 1
      ? data.series.map((s) => ({name: s.name, value: s.values.reduce<number>((a, v) => a + (v ?? 0), 0)}))
      : data.categories.map((cat, k) => ({name: cat, value: data.series[0]?.values[k] ?? 0}))
  const total = parts.reduce((a, p) => a + p.value, 0)
  const out = [...wrap(data.title, style.width).map((l) => c.bold(l)), '']
  if (total <= 0) return [...out, c.dim('Nothing to share out: every value is 0.')]
  const W = style.width - 2
  const cells = apportion(
    parts.map((p) => p.value),
    W,
  )
  out.push(`│${parts.map((p, i) => paint(c, i)(FILLS[i % FILLS.length]!.repeat(cells[i]!))).join('')}│`)
  out.push('')
  const nameW = Math.min(28, Math.max(...parts.map((p) => textWidth(p.name))))
  const valueW = Math.max(...parts.map((p) => formatValue(p.value, data.unit).length))
  parts.forEach((p, i) => {
    const share = `${((100 * p.value) / total).toFixed(1)}%`
    out.push(`${paint(c, i)(FILLS[i % FILLS.length]!.repeat(2))} ${pad(truncate(p.name, nameW), nameW)}  ${formatValue(p.value, data.unit).padStart(valueW)}  ${share.padStart(6)}`)
  })
  out.push(`${' '.repeat(3 + nameW)}  ${formatValue(total, data.unit).padStart(valueW)}  ${'100%'.padStart(6)}`)
  return out
}
