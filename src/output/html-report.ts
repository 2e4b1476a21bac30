// `tix report --format html`: the terminal report as one self-contained page (no script, no
// network): the overview or the table, and charts drawn as inline SVG from the same chart data
// the terminal charts use. Everything from the desk (group names, the desk's name) is escaped.
import {createHash} from 'node:crypto'
import type {ReportMetric} from '../domain/reports/report.js'
import type {ReportOutput} from '../services/reports.js'
import {axisMax, formatValue, type ChartData} from './chart.js'
import {chartData, columnsFor, reportHeading} from './report.js'
import {safeLine} from './text.js'

const ENT: Record<string, string> = {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}
const esc = (s: unknown) => safeLine(String(s ?? '')).replace(/[&<>"']/g, (c) => ENT[c]!)

export const REPORT_CSS = `body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1f;margin:0 auto;max-width:64rem;padding:1.5rem}
h1{font-size:1.4rem;margin:0 0 .25rem}h2{font-size:1.1rem;margin:2rem 0 .5rem}
p.sub{color:#4a4a55;margin:0 0 1.5rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;font-variant-numeric:tabular-nums}
th,td{padding:.35rem .6rem;border-bottom:1px solid #d5d8de;text-align:end;white-space:nowrap}
th:first-child,td:first-child,th.text,td.text{text-align:start}
thead th{background:#f4f5f7;border-bottom:2px solid #9aa0ab}
tr.total td{font-weight:700;background:#fafbfc}
figure{margin:1rem 0 2rem}figcaption{font-weight:600;margin-bottom:.5rem}
svg{max-width:100%;height:auto}
svg text{font:12px system-ui,sans-serif;fill:#33343b}
.legend{display:flex;flex-wrap:wrap;gap:.5rem 1.25rem;list-style:none;padding:0;margin:.5rem 0 0;font-size:.9rem}
.legend span{display:inline-block;width:.9rem;height:.9rem;border-radius:2px;margin-inline-end:.35rem;vertical-align:-.1rem}
footer{color:#4a4a55;font-size:.85rem;margin-top:2rem}
@media print{body{padding:0}figure{break-inside:avoid}}`

/** The CSP source for the page's one inline stylesheet (the server serves /reports with it). */
export function reportStyleHash(): string {
  return `sha256-${createHash('sha256').update(REPORT_CSS).digest('base64')}`
}

// Colour-blind-safe (Okabe-Ito), darkened enough for white backgrounds.
const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#8C6D00', '#000000', '#6A3D9A', '#B15928']

/** A chart as SVG: grouped bars for one or a few periods, lines for a series of periods. */
export function svgChart(data: ChartData): string {
  const W = 760
  const H = 280
  const left = 56
  const right = 12
  const top = 12
  const bottom = 44
  const plotW = W - left - right
  const plotH = H - top - bottom
  const values = data.series.flatMap((s) => s.values).filter((v): v is number => v !== null)
  const max = axisMax(Math.max(0, ...values), data.unit)
  const y = (v: number) => top + plotH - (v / max) * plotH
  const n = data.categories.length
  const parts: string[] = []
  for (let i = 0; i <= 4; i++) {
    const v = (max * i) / 4
    parts.push(`<line x1="${left}" x2="${W - right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#d5d8de"/>`)
    parts.push(`<text x="${left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${esc(formatValue(v, data.unit))}</text>`)
  }
  const step = plotW / Math.max(1, n)
  const every = Math.max(1, Math.ceil(n / 12))
  data.categories.forEach((c, i) => {
    if (i % every === 0) parts.push(`<text x="${(left + step * (i + 0.5)).toFixed(1)}" y="${H - bottom + 18}" text-anchor="middle">${esc(c)}</text>`)
  })
  const lines = n > 3
  data.series.forEach((s, k) => {
    const colour = PALETTE[k % PALETTE.length]!
    if (lines) {
      let d = ''
      s.values.forEach((v, i) => {
        if (v === null) return
        const x = (left + step * (i + 0.5)).toFixed(1)
        d += `${d === '' || s.values[i - 1] === null ? 'M' : 'L'}${x},${y(v).toFixed(1)} `
        parts.push(`<circle cx="${x}" cy="${y(v).toFixed(1)}" r="3" fill="${colour}"><title>${esc(`${s.name} ${data.categories[i]}: ${formatValue(v, data.unit)}`)}</title></circle>`)
      })
      if (d) parts.push(`<path d="${d.trim()}" fill="none" stroke="${colour}" stroke-width="2"/>`)
    } else {
      const bw = (step * 0.8) / data.series.length
      s.values.forEach((v, i) => {
        if (v === null) return
        const x = left + step * i + step * 0.1 + bw * k
        parts.push(`<rect x="${x.toFixed(1)}" y="${y(v).toFixed(1)}" width="${Math.max(1, bw - 2).toFixed(1)}" height="${(top + plotH - y(v)).toFixed(1)}" fill="${colour}"><title>${esc(`${s.name} ${data.categories[i]}: ${formatValue(v, data.unit)}`)}</title></rect>`)
      })
    }
  })
  parts.push(`<line x1="${left}" x2="${W - right}" y1="${top + plotH}" y2="${top + plotH}" stroke="#33343b"/>`)
  const legend = data.series.length > 1 || data.series[0]?.name !== 'all'
    ? `<ul class="legend">${data.series.map((s, k) => `<li><span style="background:${PALETTE[k % PALETTE.length]}"></span>${esc(s.name)}</li>`).join('')}</ul>`
    : ''
  return `<figure><figcaption>${esc(data.title)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(data.title)}">${parts.join('')}</svg>${legend}</figure>`
}

const CHART_METRICS: ReportMetric[] = ['created', 'resolved', 'backlog', 'frt', 'resolution', 'sla', 'csat']

export function htmlReport(out: ReportOutput, opts: {deskName?: string} = {}): string {
  const heading = reportHeading(out)
  const cols = columnsFor(out.metrics).filter((c) => c.table)
  const head = `<tr><th>Period</th>${out.by ? `<th class="text">${esc(out.by[0]!.toUpperCase() + out.by.slice(1))}</th>` : ''}${cols.map((c) => `<th>${esc(c.label)}</th>`).join('')}</tr>`
  const rows: string[] = []
  out.periods.forEach((p, k) => {
    for (const r of out.rows.filter((x) => x.period === p.label)) {
      rows.push(`<tr><td>${esc(r.period)}</td>${out.by ? `<td class="text">${esc(r.group ?? 'none')}</td>` : ''}${cols.map((c) => `<td>${esc(c.text(r))}</td>`).join('')}</tr>`)
    }
    if (out.by) {
      const tot = out.totals[k]!
      rows.push(`<tr class="total"><td>${esc(tot.period)}</td><td class="text">all</td>${cols.map((c) => `<td>${esc(c.text(tot))}</td>`).join('')}</tr>`)
    }
  })
  const charts = CHART_METRICS.filter((m) => out.metrics.includes(m) && (m !== 'sla' || out.slaConfigured))
    .map((m) => svgChart(chartData(out, m, 'bar')))
    .join('\n')
  const title = `${opts.deskName ? `${opts.deskName}: ` : ''}report ${out.from === out.to ? out.from : `${out.from} to ${out.to}`}`
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<h1>${esc(opts.deskName ?? 'Help desk')}</h1>
<p class="sub">${esc(heading)}</p>
<h2>Figures</h2>
<table>
<thead>${head}</thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
<h2>Charts</h2>
${charts}
<footer>Times are medians (business hours where an SLA calendar applies). Made by tix report at ${esc(out.asOf)}.</footer>
</body>
</html>
`
}
