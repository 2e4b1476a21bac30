import {Flags} from '@oclif/core'
import {GROUP_BY} from '../../src/domain/reports/report.js'
import {envelope, jsonText} from '../../src/output/json.js'
import {TixCommand} from '../base.js'
import {FORMATS, groupByFlag} from './report.js'

export default class BacklogAge extends TixCommand {
  static override summary = 'How old the unresolved tickets are: buckets 0-1d, 1-3d, 3-7d, 7-30d, >30d, and median, p90 and max age.'
  static override description = 'Age is calendar time from creation to now (or --as-of), over the tickets unresolved at that moment.'
  static override examples = ['<%= config.bin %> report backlog-age', '<%= config.bin %> report backlog-age --by department', '<%= config.bin %> report backlog-age --as-of 2026-09-30 --format csv']
  static override flags = {
    by: Flags.string({summary: `Split by ${GROUP_BY.join(', ')}, or a custom field (field:KEY).`, helpValue: 'DIMENSION'}),
    format: Flags.option({options: FORMATS, default: 'table', summary: 'table, csv or json.'})(),
    chart: Flags.option({options: ['bar', 'pie'] as const, summary: 'Draw the buckets: bar, or pie (a share bar).'})(),
    'as-of': Flags.string({summary: 'The backlog as it was then (a date = the end of that day in the desk\'s time zone).'}),
  }

  async run() {
    const {flags} = await this.parse(BacklogAge)
    const {runBacklogAge} = await import('../../src/services/reports.js')
    const out = await import('../../src/output/report.js')
    const desk = await this.openDesk()
    const res = await runBacklogAge(desk, {by: groupByFlag(flags.by), asOf: flags['as-of']})
    const payload = envelope('backlog-age', out.backlogAgeJson(res))
    if (this.jsonEnabled()) return payload
    if (flags.format === 'json') this.ctx.stdout.write(jsonText(payload, 2) + '\n')
    else if (flags.format === 'csv') this.ctx.stdout.write(out.backlogAgeCsv(res))
    else if (flags.chart) {
      const {renderChart} = await import('../../src/output/chart.js')
      this.ctx.stdout.write(renderChart(flags.chart, out.backlogAgeChartData(res), {width: this.columns, color: this.color}).join('\n') + '\n')
    } else this.ctx.stdout.write(out.backlogAgeTable(res, {color: this.color, tty: this.tty, columns: this.columns}).join('\n') + '\n')
    if (res.total.count === 0) this.note('No unresolved tickets.')
    return payload
  }
}
