import {Flags} from '@oclif/core'
import {usageError} from '../../src/errors.js'
import {envelope} from '../../src/output/json.js'
import {safeText} from '../../src/output/text.js'
import {TixCommand} from '../base.js'
import {queryFlags, queryFromFlags} from '../ticket/list.js'

export default class Export extends TixCommand {
  static override summary = 'Export tickets as JSONL (with thread and events), CSV (one row per ticket) or Markdown (one file per ticket).'
  static override description = `Takes the filters of \`tix list\`; without any, every ticket (resolved and closed too). Tickets are written in id order as they are read. A JSONL export imports back unchanged with \`tix import FILE.jsonl\`. Markdown files are named by the ticket's id only.`
  static override examples = [
    '<%= config.bin %> export --format jsonl -o desk.jsonl',
    '<%= config.bin %> export --format csv --status resolved,closed --department it > it-done.csv',
    '<%= config.bin %> export --format markdown -o ./tickets --tag printer',
  ]
  static override flags = {
    format: Flags.option({options: ['jsonl', 'csv', 'markdown'] as const, summary: 'jsonl, csv or markdown.', default: 'jsonl'})(),
    output: Flags.string({char: 'o', summary: 'The file (jsonl, csv; default: standard output) or folder (markdown) to write.', helpValue: 'FILE|DIR'}),
    ...queryFlags,
  }

  async run() {
    const {flags} = await this.parse(Export)
    if (this.jsonEnabled() && !flags.output) throw usageError('With --json the export goes to a file: give -o FILE (or -o DIR for markdown).')
    const {exportTickets} = await import('../../src/services/export.js')
    const desk = await this.openDesk()
    // Every status unless --status names some: an export is a record, not the working queue.
    const q = {...queryFromFlags(flags, desk), all: flags.all || flags.status === undefined}
    const tty = Boolean(this.ctx.stdout.isTTY)
    const res = await exportTickets(desk, q, flags.format, {
      out: flags.output === undefined ? undefined : this.path(flags.output),
      write: (chunk) => this.ctx.stdout.write(chunk),
      // On a terminal, ticket text never reaches it raw (files and pipes get the data as it is).
      cell: tty && !flags.output ? safeText : undefined,
    })
    if (flags.output) this.note(`Exported ${res.count} ticket${res.count === 1 ? '' : 's'} as ${res.format} to ${safeText(flags.output)}.`)
    return envelope('export', {format: res.format, count: res.count, output: res.output, commit: res.commit})
  }
}
