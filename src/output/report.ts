// Reports for people (an overview or an aligned table on a terminal, tab-separated lines in a
// pipe), for spreadsheets (CSV) and for scripts (JSON). Group names come from tickets: they are
// sanitised for the terminal and neutralised against formula injection in CSV.
import type {ChalkInstance} from 'chalk'
import {AGE_BUCKETS, type BacklogAgeRow, type DurationStat, type ReportMetric, type ReportRow} from '../domain/reports/report.js'
import type {BacklogAgeOutput, ReportOutput} from '../services/reports.js'
import type {ChartData, Unit} from './chart.js'
import {pad, safeLine, width} from './text.js'

// ------------------------------------------------------------------ formatting values

/** "45s", "12m", "3h 20m", "2d 4h": compact durations (the input is seconds). */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '-'
  const s = Math.round(seconds)
  if (s < 60) return `${s}s`
  const m = Math.round(s / 60)
  if (m < 60) return `${m}m`
  const h = Math.floor(m / 60)
  if (h < 24) return m % 60 === 0 ? `${h}h` : `${h}h ${m % 60}m`
  const d = Math.floor(h / 24)
  return h % 24 === 0 ? `${d}d` : `${d}d ${h % 24}h`
}

export const percent = (v: number | null | undefined): string => (v === null || v === undefined ? '-' : `${Math.round(v * 10) / 10}%`)

const round = (v: number | null, digits: number): number | null => (v === null ? null : Math.round(v * 10 ** digits) / 10 ** digits)

// ------------------------------------------------------------------ columns

interface Column {
  /** CSV header and TSV header: stable machine names. */
  name: string
  /** Table header for people. */
  label: string
  /** The value for CSV/TSV (numbers stay numbers; null is an empty cell). */
  value: (r: ReportRow) => number | string | null
  /** The cell for people. */
  text: (r: ReportRow) => string
  /** Shown in the table for people (CSV always has every column). */
  table: boolean
}

const hours = (s: number | null | undefined) => (s === null || s === undefined ? null : Math.round((s / 3600) * 100) / 100)

function durationColumns(key: 'frt' | 'resolution' | 'firstResolution' | 'wait', name: string, label: string): Column[] {
  const get = (r: ReportRow) => r[key] as DurationStat | undefined
  return [
    {name: `${name}_count`, label: `${label} n`, value: (r) => get(r)?.count ?? null, text: (r) => String(get(r)?.count ?? '-'), table: false},
    {name: `${name}_median_hours`, label: `${label} med`, value: (r) => hours(get(r)?.median), text: (r) => duration(get(r)?.median), table: true},
    {name: `${name}_p90_hours`, label: `${label} p90`, value: (r) => hours(get(r)?.p90), text: (r) => duration(get(r)?.p90), table: true},
    {name: `${name}_mean_hours`, label: `${label} mean`, value: (r) => hours(get(r)?.mean), text: (r) => duration(get(r)?.mean), table: false},
  ]
}

const ratioColumns = (key: 'unassigned' | 'reopenRate' | 'escalationRate', name: string, label: string): Column[] => [
  {name: `${name}_count`, label: `${label} n`, value: (r) => r[key]?.count ?? null, text: (r) => String(r[key]?.count ?? '-'), table: false},
  {name: `${name}_of`, label: `${label} of`, value: (r) => r[key]?.of ?? null, text: (r) => String(r[key]?.of ?? '-'), table: false},
  {name: `${name}_pct`, label, value: (r) => round(r[key]?.pct ?? null, 1), text: (r) => percent(r[key]?.pct), table: true},
]

const count = (key: 'created' | 'resolved' | 'reopened' | 'backlog', label: string): Column[] => [
  {name: key, label, value: (r) => r[key] ?? null, text: (r) => String(r[key] ?? '-'), table: true},
]

const SLA_PARTS = [
  ['firstResponse', 'first_response', 'SLA FR'],
  ['nextResponse', 'next_response', 'SLA NR'],
  ['resolution', 'resolution', 'SLA RES'],
  ['all', 'all', 'SLA'],
] as const

export function columnsFor(metrics: readonly ReportMetric[]): Column[] {
  const out: Column[] = []
  for (const m of metrics) {
    switch (m) {
      case 'created':
      case 'resolved':
      case 'reopened':
      case 'backlog':
        out.push(...count(m, m === 'backlog' ? 'Backlog' : m[0]!.toUpperCase() + m.slice(1)))
        break
      case 'frt':
        out.push(...durationColumns('frt', 'frt', 'FRT'))
        break
      case 'resolution':
        out.push(...durationColumns('resolution', 'resolution', 'Resol.'))
        break
      case 'first-resolution':
        out.push(...durationColumns('firstResolution', 'first_resolution', '1st resol.'))
        break
      case 'wait':
        out.push(...durationColumns('wait', 'wait', 'Wait'))
        break
      case 'sla':
        for (const [key, name, label] of SLA_PARTS) {
          out.push(
            {name: `sla_${name}_met`, label: `${label} met`, value: (r) => r.sla?.[key].met ?? null, text: (r) => String(r.sla?.[key].met ?? '-'), table: false},
            {name: `sla_${name}_breached`, label: `${label} breached`, value: (r) => r.sla?.[key].breached ?? null, text: (r) => String(r.sla?.[key].breached ?? '-'), table: false},
            {name: `sla_${name}_pct`, label: `${label} %`, value: (r) => round(r.sla?.[key].pct ?? null, 1), text: (r) => percent(r.sla?.[key].pct), table: key === 'all'},
          )
        }
        break
      case 'unassigned':
        out.push(...ratioColumns('unassigned', 'unassigned', 'Unassigned'))
        break
      case 'csat':
        out.push(
          {name: 'csat_good', label: 'Good', value: (r) => r.csat?.good ?? null, text: (r) => String(r.csat?.good ?? '-'), table: false},
          {name: 'csat_neutral', label: 'Neutral', value: (r) => r.csat?.neutral ?? null, text: (r) => String(r.csat?.neutral ?? '-'), table: false},
          {name: 'csat_bad', label: 'Bad', value: (r) => r.csat?.bad ?? null, text: (r) => String(r.csat?.bad ?? '-'), table: false},
          {name: 'csat_pct', label: 'CSAT', value: (r) => round(r.csat?.pct ?? null, 1), text: (r) => percent(r.csat?.pct), table: true},
          {name: 'csat_net', label: 'Net', value: (r) => round(r.csat?.net ?? null, 1), text: (r) => (r.csat?.net == null ? '-' : String(Math.round(r.csat.net * 10) / 10)), table: false},
          {name: 'csat_response_rate_pct', label: 'Rated', value: (r) => round(r.csat?.responseRate ?? null, 1), text: (r) => percent(r.csat?.responseRate), table: false},
        )
        break
      case 'reopen-rate':
        out.push(...ratioColumns('reopenRate', 'reopen_rate', 'Reopen'))
        break
      case 'escalation-rate':
        out.push(...ratioColumns('escalationRate', 'escalation_rate', 'Escal.'))
        break
    }
  }
  return out
}

// ------------------------------------------------------------------ CSV (RFC 4180)

/**
 * A text cell: quoted when it holds a comma, quote or line break; a leading = + - @ (or tab/CR)
 * is neutralised with an apostrophe so a spreadsheet never runs it as a formula.
 */
export function csvText(s: string): string {
  let v = safeLine(s)
  if (/^[=+\-@\t\r]/.test(v)) v = `'${v}`
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v
}

const csvCell = (v: number | string | null) => (v === null ? '' : typeof v === 'number' ? String(v) : csvText(v))

export function reportCsv(out: ReportOutput): string {
  const cols = columnsFor(out.metrics)
  const head = ['period', 'from', 'to', ...(out.by ? ['group'] : []), ...cols.map((c) => c.name)]
  const lines = [head.join(',')]
  for (const r of out.rows) {
    lines.push([csvText(r.period), r.from, r.to, ...(out.by ? [csvText(r.group ?? '')] : []), ...cols.map((c) => csvCell(c.value(r)))].join(','))
  }
  return lines.join('\r\n') + '\r\n'
}

export function backlogAgeCsv(out: BacklogAgeOutput): string {
  const head = [...(out.by ? ['group'] : []), 'count', ...AGE_BUCKETS.map((b) => `age_${b.label}`), 'median_hours', 'p90_hours', 'max_hours', 'mean_hours']
  const line = (r: BacklogAgeRow) => [...(out.by ? [csvText(r.group ?? '')] : []), r.count, ...r.buckets, hours(r.median) ?? '', hours(r.p90) ?? '', hours(r.max) ?? '', hours(r.mean) ?? ''].join(',')
  const rows = out.by ? out.rows : [out.total]
  return [head.map((h) => csvText(h)).join(','), ...rows.map(line)].join('\r\n') + '\r\n'
}

// ------------------------------------------------------------------ JSON

const rowJson = (r: ReportRow) => ({...r})

export function reportJson(out: ReportOutput) {
  return {
    timezone: out.timezone,
    period: out.period,
    from: out.from,
    to: out.to,
    asOf: out.asOf,
    by: out.by,
    metrics: out.metrics,
    units: {durations: 'seconds', percentages: 'percent (0-100), null when there is nothing to divide by'},
    sla: {configured: out.slaConfigured},
    groups: out.by ? out.groups : null,
    rows: out.rows.map(rowJson),
    totals: out.totals.map(rowJson),
  }
}

export function backlogAgeJson(out: BacklogAgeOutput) {
  const row = (r: BacklogAgeRow) => ({
    group: r.group,
    count: r.count,
    buckets: Object.fromEntries(AGE_BUCKETS.map((b, i) => [b.label, r.buckets[i]!])),
    median: r.median,
    p90: r.p90,
    max: r.max,
    mean: r.mean,
  })
  return {timezone: out.timezone, asOf: out.asOf, by: out.by, units: {ages: 'seconds'}, rows: out.by ? out.rows.map(row) : [], total: row(out.total)}
}

// ------------------------------------------------------------------ people

interface Style {
  color: ChalkInstance
  tty: boolean
  columns: number
}

const when = (iso: string) => iso.replace('T', ' ').slice(0, 16) + ' UTC'

export function reportHeading(out: ReportOutput): string {
  const range = out.from === out.to ? out.from : `${out.from} to ${out.to}`
  const by = out.by ? `, by ${out.by}` : ''
  const period = out.period ? `per ${out.period}, ` : ''
  return `Report ${period}${range}${by} (${out.timezone}), ${out.asOfGiven ? 'as of' : 'at'} ${when(out.asOf)}`
}

/** A table: header, then rows; aligned on a terminal, tab-separated with a header in a pipe. */
function grid(header: string[], rows: string[][], s: Style, rightFrom: number, bold: Set<number> = new Set()): string[] {
  if (!s.tty) return [header.join('\t'), ...rows.map((r) => r.join('\t'))]
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))))
  const cell = (v: string, i: number) => (i >= rightFrom ? ' '.repeat(Math.max(0, widths[i]! - width(v))) + v : pad(v, widths[i]!))
  const out = [s.color.bold(header.map(cell).join('  ').trimEnd())]
  rows.forEach((r, ri) => {
    const line = r.map(cell).join('  ').trimEnd()
    out.push(bold.has(ri) ? s.color.bold(line) : line)
  })
  return out
}

export function reportTable(out: ReportOutput, s: Style): string[] {
  const all = columnsFor(out.metrics)
  const cols = s.tty ? all.filter((c) => c.table) : all
  const header = s.tty ? ['Period', ...(out.by ? [out.by[0]!.toUpperCase() + out.by.slice(1)] : []), ...cols.map((c) => c.label)] : ['period', 'from', 'to', ...(out.by ? ['group'] : []), ...cols.map((c) => c.name)]
  const rows: string[][] = []
  const bold = new Set<number>()
  const lead = (r: ReportRow) => (s.tty ? [r.period, ...(out.by ? [safeLine(r.group ?? 'all')] : [])] : [r.period, r.from, r.to, ...(out.by ? [safeLine(r.group ?? '')] : [])])
  const cells = (r: ReportRow) => cols.map((c) => (s.tty ? c.text(r) : String(c.value(r) ?? '')))
  out.periods.forEach((p, k) => {
    const first = rows.length
    for (const r of out.rows.filter((x) => x.period === p.label)) rows.push([...lead(r), ...cells(r)])
    if (out.by && s.tty) {
      bold.add(rows.length)
      rows.push([...lead(out.totals[k]!), ...cells(out.totals[k]!)])
      // On a terminal the period is said once per block.
      for (let i = first + 1; i < rows.length; i++) rows[i]![0] = ''
    }
  })
  if (!s.tty) return grid(header, rows, s, 99, bold)
  // Wider than the terminal: the figures go in several tables, each repeating period and group.
  const leading = out.by ? 2 : 1
  const w = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))) + 2)
  const leadW = w.slice(0, leading).reduce((a, b) => a + b, 0)
  const parts: number[][] = []
  for (let i = leading; i < header.length; i++) {
    const last = parts.at(-1)
    if (last && leadW + last.reduce((a, j) => a + w[j]!, 0) + w[i]! <= s.columns + 2) last.push(i)
    else parts.push([i])
  }
  const lines = [s.color.dim(reportHeading(out))]
  parts.forEach((cols, n) => {
    const pick = (r: string[]) => [...r.slice(0, leading), ...cols.map((j) => r[j]!)]
    if (n > 0) lines.push('')
    lines.push(...grid(pick(header), rows.map(pick), s, leading, bold))
  })
  return lines
}

/** The overview for one period and no groups: one line per figure. */
export function reportOverview(out: ReportOutput, s: Style): string[] {
  const r = out.rows[0]!
  const c = s.color
  const lines = [c.bold(reportHeading(out)), '']
  const line = (label: string, value: string) => lines.push(`  ${pad(label, 20)}${value}`)
  const dur = (d: DurationStat | undefined) =>
    d === undefined || d.count === 0 ? c.dim('no tickets') : `median ${c.bold(duration(d.median))} · p90 ${duration(d.p90)} · mean ${duration(d.mean)}  ${c.dim(`(${d.count} ${d.count === 1 ? 'ticket' : 'tickets'})`)}`
  for (const m of out.metrics) {
    switch (m) {
      case 'created':
        line('Created', c.bold(String(r.created)))
        break
      case 'resolved':
        line('Resolved', c.bold(String(r.resolved)))
        break
      case 'reopened':
        line('Reopened', c.bold(String(r.reopened)))
        break
      case 'backlog':
        line('Backlog', `${c.bold(String(r.backlog))} ${c.dim('unresolved at the end')}`)
        break
      case 'frt':
        line('First response', dur(r.frt))
        break
      case 'resolution':
        line('Resolution', dur(r.resolution))
        break
      case 'first-resolution':
        line('First resolution', dur(r.firstResolution))
        break
      case 'wait':
        line('Requester wait', dur(r.wait))
        break
      case 'sla': {
        if (!out.slaConfigured) {
          line('SLA compliance', c.dim('no SLA policies in desk.json'))
          break
        }
        const part = (name: string, x: {met: number; breached: number; pct: number | null}) => `${name} ${c.bold(percent(x.pct))} ${c.dim(`(${x.met}/${x.met + x.breached})`)}`
        line('SLA compliance', `${part('all', r.sla!.all)} · ${part('first response', r.sla!.firstResponse)} · ${part('next response', r.sla!.nextResponse)} · ${part('resolution', r.sla!.resolution)}`)
        break
      }
      case 'unassigned':
        line('Unassigned', `${c.bold(percent(r.unassigned!.pct))} ${c.dim(`(${r.unassigned!.count} of ${r.unassigned!.of} unresolved)`)}`)
        break
      case 'csat': {
        const x = r.csat!
        const total = x.good + x.neutral + x.bad
        line(
          'CSAT',
          total === 0
            ? c.dim('no ratings')
            : `${c.bold(percent(x.pct))} ${c.dim(`(${x.good} good, ${x.neutral} neutral, ${x.bad} bad)`)} · net ${x.net === null ? '-' : Math.round(x.net * 10) / 10} · response rate ${percent(x.responseRate)}`,
        )
        break
      }
      case 'reopen-rate':
        line('Reopen rate', `${c.bold(percent(r.reopenRate!.pct))} ${c.dim(`(${r.reopenRate!.count} of ${r.reopenRate!.of} resolved)`)}`)
        break
      case 'escalation-rate':
        line('Escalation rate', `${c.bold(percent(r.escalationRate!.pct))} ${c.dim(`(${r.escalationRate!.count} of ${r.escalationRate!.of} resolved)`)}`)
        break
    }
  }
  return lines
}

export function backlogAgeTable(out: BacklogAgeOutput, s: Style): string[] {
  const header = s.tty
    ? [...(out.by ? [out.by[0]!.toUpperCase() + out.by.slice(1)] : []), 'Unresolved', ...AGE_BUCKETS.map((b) => b.label), 'Median', 'p90', 'Max']
    : [...(out.by ? ['group'] : []), 'count', ...AGE_BUCKETS.map((b) => `age_${b.label}`), 'median_seconds', 'p90_seconds', 'max_seconds']
  const cells = (r: BacklogAgeRow) => [
    String(r.count),
    ...r.buckets.map(String),
    ...(s.tty ? [duration(r.median), duration(r.p90), duration(r.max)] : [String(r.median ?? ''), String(r.p90 ?? ''), String(r.max ?? '')]),
  ]
  const rows = out.by ? out.rows.map((r) => [safeLine(r.group ?? ''), ...cells(r)]) : [cells(out.total)]
  const bold = new Set<number>()
  if (out.by && s.tty) {
    bold.add(rows.length)
    rows.push(['all', ...cells(out.total)])
  }
  const lines = grid(header, rows, s, out.by ? 1 : 0, bold)
  return s.tty ? [s.color.dim(`Backlog age (calendar time since creation), ${out.asOfGiven ? 'as of' : 'at'} ${when(out.asOf)}`), ...lines] : lines
}

// ------------------------------------------------------------------ charts

const METRIC_TITLES: Record<ReportMetric, string> = {
  created: 'Tickets created',
  resolved: 'Tickets resolved',
  reopened: 'Tickets reopened',
  backlog: 'Backlog (unresolved at period end)',
  frt: 'First response time, median',
  resolution: 'Resolution time, median',
  'first-resolution': 'First resolution time, median',
  wait: 'Requester wait time, median',
  sla: 'SLA compliance, all targets',
  unassigned: 'Unassigned share of the backlog',
  csat: 'CSAT (good / (good + bad))',
  'reopen-rate': 'Reopen rate',
  'escalation-rate': 'Escalation rate',
}

/** The one number a chart draws for a metric. */
export function metricValue(r: ReportRow, m: ReportMetric): {value: number | null; unit: Unit} {
  switch (m) {
    case 'created':
    case 'resolved':
    case 'reopened':
    case 'backlog':
      return {value: r[m] ?? null, unit: 'count'}
    case 'frt':
      return {value: r.frt?.median ?? null, unit: 'seconds'}
    case 'resolution':
      return {value: r.resolution?.median ?? null, unit: 'seconds'}
    case 'first-resolution':
      return {value: r.firstResolution?.median ?? null, unit: 'seconds'}
    case 'wait':
      return {value: r.wait?.median ?? null, unit: 'seconds'}
    case 'sla':
      return {value: r.sla?.all.pct ?? null, unit: 'percent'}
    case 'unassigned':
      return {value: r.unassigned?.pct ?? null, unit: 'percent'}
    case 'csat':
      return {value: r.csat?.pct ?? null, unit: 'percent'}
    case 'reopen-rate':
      return {value: r.reopenRate?.pct ?? null, unit: 'percent'}
    case 'escalation-rate':
      return {value: r.escalationRate?.pct ?? null, unit: 'percent'}
  }
}

export function chartData(out: ReportOutput, metric: ReportMetric, kind: string): ChartData {
  // A pie of the backlog shares out the latest backlog; summing stock over periods means nothing.
  const periods = kind === 'pie' && metric === 'backlog' ? out.periods.slice(-1) : out.periods
  const labels = periods.map((p) => p.label)
  const unit = metricValue(out.rows[0] ?? ({} as ReportRow), metric).unit
  const valuesFor = (group: string | null) =>
    labels.map((label) => {
      const r = out.by ? out.rows.find((x) => x.period === label && x.group === group) : out.rows.find((x) => x.period === label)
      return r ? metricValue(r, metric).value : null
    })
  const series = out.by ? out.groups.map((g) => ({name: safeLine(g), values: valuesFor(g)})) : [{name: 'all', values: valuesFor(null)}]
  const range = out.from === out.to ? out.from : `${out.from} to ${out.to}`
  const title = `${METRIC_TITLES[metric]}${out.period && periods.length > 1 ? ` per ${out.period}` : ''}${out.by ? `, by ${out.by}` : ''}, ${range} (${out.timezone})`
  return {title, unit, categories: labels, series}
}

export function backlogAgeChartData(out: BacklogAgeOutput): ChartData {
  const categories = AGE_BUCKETS.map((b) => b.label)
  const series = out.by ? out.rows.map((r) => ({name: safeLine(r.group ?? ''), values: r.buckets})) : [{name: 'all', values: out.total.buckets}]
  return {title: `Backlog age at ${when(out.asOf)}: unresolved tickets by age`, unit: 'count', categories, series}
}
