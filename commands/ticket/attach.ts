import {readFileSync, statSync} from 'node:fs'
import {Args, Flags} from '@oclif/core'
import {usageError} from '../../src/errors.js'
import {formatBytes} from '../../src/domain/ticket/attachments.js'
import {shortId} from '../../src/domain/ticket/ids.js'
import {attachmentJson, envelope, ticketJson} from '../../src/output/json.js'
import {safeLine} from '../../src/output/text.js'
import {TixCommand} from '../base.js'

export default class Attach extends TixCommand {
  static override summary = 'Attach files to a ticket.'
  static override description = `The files are stored on the desk branch once per content (the same file attached twice, to one
ticket or to several, is stored once) and the ticket lists them. Names keep only their last part
and lose control characters. A file larger than the desk's limit (desk.json attachments.maxBytes,
default 10 MB) is refused with exit code 2, and then nothing is written.`
  static override examples = [
    '<%= config.bin %> attach 7K3F9 crash.log screenshot.png',
    'journalctl -u cups | <%= config.bin %> attach 7K3F9 - --name cups.log',
    '<%= config.bin %> attach 7K3F9 trace.bin --type application/octet-stream --json',
  ]
  static override strict = false
  static override args = {
    id: Args.string({description: 'Ticket id or a unique prefix of it.', required: true}),
    file: Args.string({description: 'Files to attach ("-" reads standard input; then give --name).', required: true}),
  }
  static override flags = {
    name: Flags.string({summary: 'Name to store the file under (one file only; required for "-").'}),
    type: Flags.string({summary: 'Media type (default: from the extension, else from the content).', helpValue: 'TYPE/SUBTYPE'}),
  }

  async run() {
    const {args, flags, argv} = await this.parse(Attach)
    const paths = (argv as string[]).slice(1)
    if (flags.name !== undefined && paths.length !== 1) throw usageError('--name names one file; attach the others with their own names or in another call.')
    const inputs = paths.map((path) => {
      if (path === '-' && flags.name === undefined) throw usageError('A file from standard input needs a name.', 'tix attach 7K3F9 - --name cups.log < cups.log')
      let bytes: Buffer
      try {
        if (path !== '-' && statSync(this.path(path)).isDirectory()) throw usageError(`${safeLine(path)} is a folder, not a file.`, 'Attach the files in it, or an archive of it.')
        bytes = path === '-' ? this.ctx.stdinBytes() : readFileSync(this.path(path))
      } catch (error) {
        if (error instanceof Error && error.name === 'TixError') throw error
        const code = (error as NodeJS.ErrnoException).code
        throw usageError(code === 'ENOENT' ? `${safeLine(path)}: no such file.` : `${safeLine(path)}: cannot read it (${code ?? (error as Error).message}).`, 'Pass files that exist, or "-" with --name for standard input.')
      }
      return {name: flags.name ?? path, bytes, mediaType: flags.type ?? null}
    })
    const {attachFiles} = await import('../../src/services/attachments.js')
    const desk = await this.openDesk()
    const res = await attachFiles(desk, args.id, inputs)
    const ids = desk.sortedIds(await desk.index())
    const sid = shortId(ids, res.ticket.ticket.id)
    if (res.added.length === 0) this.log(`${sid}: nothing changed (it already has ${inputs.length === 1 ? 'this file' : 'these files'}).`)
    else this.log(`${sid}: attached ${res.added.map((a) => `${safeLine(a.name)} (${formatBytes(a.size)}, ${a.mediaType})`).join(', ')}.`)
    return envelope('ticket', {ticket: ticketJson(res.ticket.ticket, ids), changed: res.added.length > 0, commit: res.commit, events: res.events, attached: res.added.map(attachmentJson)})
  }
}
