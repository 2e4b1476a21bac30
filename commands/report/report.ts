import {writeFileSync} from 'node:fs'
import {Flags} from '@oclif/core'
import {usageError} from '../../src/errors.js'
import {PERIOD_UNITS} from '../../src/domain/reports/periods.js'
import {GROUP_BY, parseGroupBy, REPORT_METRICS, type ReportMetric} from '../../src/domain/reports/report.js'
import {CHART_KINDS} from '../../src/output/chart.js'
import {envelope, jsonText} from '../../src/output/json.js'
import {TixCommand} from '../base.js'
import {list} from '../flags.js'

export const FORMATS = ['table', 'csv', 'json', 'html'] as const

export function parseMetrics(values: string[] | undefined): ReportMetric[] | undefined {
  const names = list(values).map((m) => m.toLowerCase())
  if (names.length === 0) return undefined
  if (names.includes('all')) return [...REPORT_METRICS]
  const aliases: Record<string, ReportMetric> = {'first-response': 'frt', resolve: 'resolution', 'requester-wait': 'wait', reopen: 'reopen-rate', escalation: 'escalation-rate', 'first-resolution': 'first-resolution'}
  return names.map((n) => {
    const m = (REPORT_METRICS as readonly string[]).includes(n) ? (n as ReportMetric) : aliases[n]
    if (!m) throw usageError(`--metric "${n}" is not a report metric: expected ${REPORT_METRICS.join(', ')} (or all).`, 'tix report --metric frt,resolution,sla,csat')
    return m
  })
}

export default class Report extends TixCommand {
  static override summary = "How the desk is doing: created, resolved, backlog, response and resolution times, SLA, CSAT, reopen and escalation rates."
  static override description = `Without flags: this month so far, in the desk's time zone. Times are medians and 90th percentiles
(means second), in business hours where an SLA calendar applies. Every figure is computed from the
event history, so every clone gives the same report, and --as-of gives it for any past moment.
The formulas are in docs/reports.md.`
  static override examples = [
    '<%= config.bin %> report',
    '<%= config.bin %> report --by department --period week',
    '<%= config.bin %> report --by channel --from 2026-10-01 --to 2026-10-31 --metric frt,resolution,csat',
    '<%= config.bin %> report --period month --format csv > desk.csv',
    '<%= config.bin %> report --by department --period week --metric created --chart line',
    '<%= config.bin %> report --as-of 2026-09-30 --json',
    '<%= config.bin %> report --by field:plan --metric created,resolution',
    '<%= config.bin %> report --metric kb --from 2026-10-01 --to 2026-10-31',
    '<%= config.bin %> report --by department --period week --format html -o report.html',
  ]
  static override flags = {
    by: Flags.string({summary: `Split every period by ${GROUP_BY.join(', ')}, or a custom field (field:KEY).`, helpValue: 'DIMENSION'}),
    period: Flags.option({options: PERIOD_UNITS, summary: 'One row per day, week (Monday first), month or year. Default: this month; with --from/--to, one row for the range.'})(),
    from: Flags.string({summary: 'First day (YYYY-MM-DD, in the desk\'s time zone). Default with --period: 30 days, 12 weeks, 12 months or 3 years back.'}),
    to: Flags.string({summary: 'Last day, inclusive (YYYY-MM-DD). Default: today (or the --as-of day).'}),
    metric: Flags.string({char: 'm', multiple: true, summary: `Figures to show (comma-separate): ${REPORT_METRICS.join(', ')}, or all; or kb alone: tickets resolved with a knowledge-base article, and by article.`}),
    format: Flags.option({options: FORMATS, default: 'table', summary: 'table (a terminal; tab-separated in a pipe), csv (with a header row), json, or html (one self-contained page with charts).'})(),
    output: Flags.string({char: 'o', summary: 'Write the report to this file instead of standard output.', helpValue: 'FILE'}),
    chart: Flags.option({options: CHART_KINDS, summary: 'Draw the first --metric as a chart: bar, line, area, or pie (a share bar).'})(),
    'as-of': Flags.string({summary: 'The desk as it was then (a date = the end of that day in the desk\'s time zone); later events are ignored.'}),
  }

  async run() {
    const {flags} = await this.parse(Report)
    if (list(flags.metric).map((m) => m.toLowerCase()).includes('kb')) return this.kbReport(flags)
    const metrics = parseMetrics(flags.metric)
    const {runReport} = await import('../../src/services/reports.js')
    const out = await import('../../src/output/report.js')
    if (flags.chart === 'pie') {
      const m = metrics?.[0] ?? 'created'
      if (!['created', 'resolved', 'reopened', 'backlog'].includes(m)) {
        throw usageError(`A pie shows shares of a count; "${m}" is not one.`, 'Use --metric created, resolved, reopened or backlog with --chart pie (or --chart bar).')
      }
    }
    const desk = await this.openDesk()
    const report = await runReport(desk, {by: groupByFlag(flags.by), period: flags.period, from: flags.from, to: flags.to, metrics, asOf: flags['as-of']})
    if (report.problems.length > 0) {
      this.warnLine(`tix: ${report.problems.length} ticket file(s) have lines that were skipped (bad JSON or unknown events); the figures leave those lines out. See \`tix doctor\`.`)
    }
    const payload = envelope('report', out.reportJson(report))
    if (this.jsonEnabled()) return payload
    if (flags.format === 'json') {
      this.emit(jsonText(payload, 2) + '\n', flags.output)
      return payload
    }
    if (flags.format === 'csv') {
      this.emit(out.reportCsv(report), flags.output)
      return payload
    }
    if (flags.format === 'html') {
      const {htmlReport} = await import('../../src/output/html-report.js')
      const name = (await desk.index()).config.name
      this.emit(htmlReport(report, {deskName: typeof name === 'string' ? name : undefined}), flags.output)
      return payload
    }
    const style = {color: this.color, tty: this.tty, columns: this.columns}
    if (flags.chart) {
      const {renderChart} = await import('../../src/output/chart.js')
      const data = out.chartData(report, metrics?.[0] ?? 'created', flags.chart)
      this.ctx.stdout.write(renderChart(flags.chart, data, {width: this.columns, color: this.color}).join('\n') + '\n')
      return payload
    }
    const lines = !report.by && report.periods.length === 1 && this.tty ? out.reportOverview(report, style) : out.reportTable(report, style)
    this.ctx.stdout.write(lines.join('\n') + '\n')
    if (report.totals.every((r) => (r.created ?? 0) === 0 && (r.backlog ?? 0) === 0 && (r.resolved ?? 0) === 0)) {
      this.note(`No tickets were created, resolved or open between ${report.from} and ${report.to}.`)
    }
    return payload
  }

  /** --metric kb: tickets resolved with a knowledge-base article (a reply cited it before resolution), and by article. */
  private async kbReport(flags: {metric?: string[]; from?: string; to?: string; format?: string; 'as-of'?: string; by?: string; period?: string; chart?: string}) {
    if (list(flags.metric).length > 1 || flags.by || flags.period || flags.chart || flags['as-of']) {
      throw usageError('--metric kb stands alone: it takes --from, --to and --format, not other metrics, --by, --period, --chart or --as-of.', 'tix report --metric kb --from 2026-10-01 --to 2026-10-31')
    }
    const day = (d: string | undefined, flag: string) => {
      if (d === undefined) return undefined
      if (!/^\d{4}-\d{2}-\d{2}$/.test(d) || Number.isNaN(Date.parse(d))) throw usageError(`${flag} "${d}" is not a date: expected YYYY-MM-DD.`)
      return d
    }
    const from = day(flags.from, '--from')
    const toDay = day(flags.to, '--to')
    const to = toDay === undefined ? undefined : new Date(Date.parse(toDay) + 86_400_000).toISOString().slice(0, 10)
    const {kbReport} = await import('../../src/services/kb/stats.js')
    const desk = await this.openDesk()
    const r = await kbReport(desk, {from, to})
    const payload = envelope('report', {metric: 'kb', from: from ?? null, to: toDay ?? null, ...r})
    if (this.jsonEnabled()) return payload
    if (flags.format === 'json') {
      this.ctx.stdout.write(JSON.stringify(payload, null, 2) + '\n')
      return payload
    }
    if (flags.format === 'csv') {
      this.ctx.stdout.write(['article,tickets', ...r.byArticle.map((a) => `${a.slug},${a.tickets}`), `(any article),${r.resolvedWithArticle}`, `(resolved),${r.resolved}`].join('\n') + '\n')
      return payload
    }
    this.log(`Resolved tickets: ${r.resolved}; resolved with an article: ${r.resolvedWithArticle}${r.share === null ? '' : ` (${r.share}%)`}.`)
    for (const a of r.byArticle) this.log(this.tty ? `  ${a.slug.padEnd(30)} ${String(a.tickets).padStart(5)}` : `${a.slug}\t${a.tickets}`)
    return payload
  }

  /** The report text to --output FILE (a path the user gave), else stdout. */
  private emit(text: string, file: string | undefined) {
    if (file === undefined || file === '-') {
      this.ctx.stdout.write(text)
      return
    }
    try {
      writeFileSync(this.path(file), text)
    } catch (error) {
      throw usageError(`--output ${file}: cannot write it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`, 'Give a path in a folder that exists and you can write to.')
    }
    this.note(`Wrote ${file}.`)
  }

  private warnLine(line: string) {
    this.ctx.stderr.write(line + '\n')
  }
}

/** --by: a dimension or field:KEY (exit 2 otherwise). */
export function groupByFlag(value: string | undefined) {
  if (value === undefined) return undefined
  const by = parseGroupBy(value)
  if (by === null) throw usageError(`Expected --by=${value} to be one of: ${GROUP_BY.join(', ')}, field:KEY (a custom field).`, 'tix report --by department, or tix report --by field:plan')
  return by
}
