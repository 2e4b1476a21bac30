import {Args, Flags} from '@oclif/core'
import {envelope} from '../../src/output/json.js'
import {safeLine} from '../../src/output/text.js'
import {TixCommand} from '../base.js'

export const IMPORT_FORMATS = ['csv', 'json', 'jsonl', 'github', 'zendesk', 'backlog'] as const

export default class Import extends TixCommand {
  static override summary = 'Import tickets from CSV, JSON, JSONL, GitHub issues, a Zendesk export or a Backlog.md folder.'
  static override description = `Every record is checked first; problems are listed as FILE:LINE: reason, and without --skip-invalid nothing is written. Times, comments (with their authors and times), status, priority, tags and requester are kept. Each ticket's id is derived from its source id (or, without one, its content), so importing the same file again adds nothing. Rules do not run on imported tickets. The tickets are written in one commit (one per 5,000 tickets for large imports). See docs/import.md for the formats and --map.`
  static override examples = [
    '<%= config.bin %> import tickets.csv --map title=Subject --map requester=Email --dry-run',
    '<%= config.bin %> import tickets.csv --map field:plan=Plan --skip-invalid',
    '<%= config.bin %> import issues.json --format github          # gh issue list --json number,title,body,labels,state,createdAt,author,comments',
    '<%= config.bin %> import export.json --format zendesk',
    '<%= config.bin %> import ./backlog --format backlog',
    '<%= config.bin %> import desk.jsonl                           # a tix export --format jsonl',
  ]
  static override args = {source: Args.string({description: 'The file (or, for backlog, the folder) to import.', required: true, ignoreStdin: true})}
  static override flags = {
    format: Flags.option({options: IMPORT_FORMATS, summary: 'The source format (default: from the extension; a folder is backlog).'})(),
    map: Flags.string({summary: 'Take a tix value from a column: tix-field=Column (repeat). Fields: id, title, body, status, priority, type, channel, requester, requesterName, assignee, department, tags, createdAt, createdBy, updatedAt, resolvedAt, closedAt, resolution, field:KEY.', multiple: true, helpValue: 'FIELD=COLUMN'}),
    'dry-run': Flags.boolean({summary: 'Check and count; write nothing.'}),
    'skip-invalid': Flags.boolean({summary: 'Import the valid records and list the others (default: any invalid record stops the import).'}),
  }

  async run() {
    const {args, flags} = await this.parse(Import)
    const {importTickets} = await import('../../src/services/import/index.js')
    const desk = await this.openDesk()
    const progress = this.ctx.stderr.isTTY && !this.jsonEnabled()
    const res = await importTickets(desk, args.source, {
      format: flags.format,
      map: flags.map,
      dryRun: flags['dry-run'],
      skipInvalid: flags['skip-invalid'],
      onProgress: progress ? (n, phase) => this.ctx.stderr.write(`\r${phase === 'check' ? 'Checking' : 'Writing'} ${n.toLocaleString('en')} records...`) : undefined,
    })
    if (progress) this.ctx.stderr.write('\r\x1b[K')
    // The cache catches up with the new commit now, so the next command starts fast.
    if (res.commit) await desk.index()
    const problems = res.errors.map((e) => `${e.file}:${e.line}: ${e.reason}`)
    for (const p of problems.slice(0, 50)) this.note(safeLine(p))
    if (problems.length > 50) this.note(`... and ${problems.length - 50} more (--json lists them all).`)
    const json = envelope('import', {
      format: res.format,
      read: res.read,
      created: res.created,
      skipped: res.skipped,
      errors: res.errors,
      commit: res.commit,
      commits: res.commits,
      dryRun: res.dryRun,
      sample: res.sample,
    })
    if (res.errors.length > 0 && !flags['skip-invalid']) {
      const {usageError} = await import('../../src/errors.js')
      const err = usageError(`${res.errors.length} of ${res.read} records are invalid; nothing was imported.`, 'Fix them, or pass --skip-invalid to import the rest.', {errors: res.errors})
      throw err
    }
    const verb = res.dryRun ? 'Would import' : 'Imported'
    this.log(`${verb} ${res.created} ticket${res.created === 1 ? '' : 's'} from ${safeLine(args.source)} (${res.format}); ${res.skipped} already on the desk or repeated${res.errors.length > 0 ? `; ${res.errors.length} invalid left out` : ''}.${res.commit ? ` Commit ${res.commit.slice(0, 10)}.` : ''}`)
    return json
  }
}
