import {closeSync, existsSync, lstatSync, openSync, renameSync, rmSync, statSync, writeSync} from 'node:fs'
import {basename, dirname, join, resolve, sep} from 'node:path'
import {Args, Flags} from '@oclif/core'
import {TixError, usageError} from '../../src/errors.js'
import {formatBytes, isTextMedia, sanitizeFileName} from '../../src/domain/ticket/attachments.js'
import {shortId} from '../../src/domain/ticket/ids.js'
import {attachmentJson, envelope} from '../../src/output/json.js'
import {safeLine, safeText} from '../../src/output/text.js'
import {findAttachment, readAttachment} from '../../src/services/attachments.js'
import {showTicket} from '../../src/services/tickets.js'
import {TixCommand} from '../base.js'

export default class AttachmentGet extends TixCommand {
  static override summary = "Save a ticket's attachment to a file, or write it to standard output."
  static override description = `With -o PATH the file is written there; when PATH is a folder, inside it under the attachment's
(safe) name, never anywhere else. An existing file is not overwritten without --force. Without -o,
the bytes go to standard output when it is not a terminal (a pipe or a redirect); on a terminal,
text is shown with control sequences neutralised and other files need -o.`
  static override examples = [
    '<%= config.bin %> attachment get 7K3F9 crash.log -o ./crash.log',
    '<%= config.bin %> attachment get 7K3F9 screenshot.png -o ~/Downloads/',
    '<%= config.bin %> attachment get 7K3F9 crash.log | grep -i error',
  ]
  static override args = {
    id: Args.string({description: 'Ticket id or a unique prefix of it.', required: true}),
    name: Args.string({description: 'Attachment name (as `tix attachment list` shows it) or the start of its SHA-256.', required: true}),
  }
  static override flags = {
    output: Flags.string({char: 'o', summary: 'File or folder to save to ("-": standard output).', helpValue: 'PATH'}),
    force: Flags.boolean({summary: 'Overwrite the output file if it exists.'}),
  }

  async run() {
    const {args, flags} = await this.parse(AttachmentGet)
    const desk = await this.openDesk()
    const {ticket, index} = await showTicket(desk, args.id)
    const a = findAttachment(ticket.ticket, args.name)
    const bytes = await readAttachment(desk, a, index.commit)
    const meta = {id: ticket.ticket.id, shortId: shortId(desk.sortedIds(index), ticket.ticket.id), attachment: attachmentJson(a)}
    const out = flags.output
    if (out === undefined || out === '-') {
      if (this.jsonEnabled()) throw usageError('--json describes a saved file: give -o PATH.', `tix attachment get ${meta.shortId} ${sanitizeFileName(a.name)} -o . --json`)
      if (this.ctx.stdout.isTTY && out === undefined) {
        if (!isTextMedia(a.mediaType)) {
          throw usageError(`${safeLine(a.name)} is ${a.mediaType} (${formatBytes(a.size)}): not shown on a terminal.`, `Save it: tix attachment get ${meta.shortId} "${safeLine(a.name)}" -o .`)
        }
        this.ctx.stdout.write(safeText(bytes.toString('utf8')))
        return envelope('attachment', {...meta, path: null})
      }
      await new Promise<void>((res, rej) => this.ctx.stdout.write(bytes, (e) => (e ? rej(e) : res())))
      return envelope('attachment', {...meta, path: null})
    }
    const path = targetPath(out, a.name, this.ctx.cwd)
    writeFileSafely(path, bytes, flags.force)
    this.note(`Saved ${safeLine(a.name)} (${formatBytes(a.size)}) to ${safeLine(path)}.`)
    return envelope('attachment', {...meta, path})
  }
}

/** Where -o puts the file: PATH itself, or PATH/<safe name> when PATH is a folder (or ends in a separator). */
export function targetPath(out: string, name: string, cwd: string): string {
  const isDir = /[/\\]$/.test(out) || (existsSync(resolve(cwd, out)) && statSync(resolve(cwd, out)).isDirectory())
  if (!isDir) return resolve(cwd, out)
  const dir = resolve(cwd, out)
  const safe = sanitizeFileName(name)
  const path = resolve(dir, safe)
  // sanitizeFileName keeps no separators and no leading dots; this check makes sure of it.
  if (dirname(path) !== dir || basename(path) !== safe || !path.startsWith(dir + sep)) {
    throw new TixError(`Refusing to write the attachment "${safeLine(name)}" outside ${safeLine(dir)}.`)
  }
  return path
}

/**
 * Writes a new file (O_EXCL: never follows a symlink planted at the path, never overwrites), or with
 * `force` a temporary file beside it renamed over the old one (the rename replaces a symlink, not its target).
 */
function writeFileSafely(path: string, bytes: Buffer, force: boolean): void {
  if (!existsSync(dirname(path))) throw usageError(`The folder ${safeLine(dirname(path))} does not exist.`, 'Create it first, or give another -o PATH.')
  if (!force && (existsSync(path) || isLink(path))) throw usageError(`${safeLine(path)} exists; not overwritten.`, 'Pass --force to overwrite it, or give another -o PATH.')
  const target = force ? join(dirname(path), `.${basename(path)}.tix-${process.pid}-${Date.now()}`) : path
  let fd: number
  try {
    fd = openSync(target, 'wx', 0o644)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EEXIST') throw usageError(`${safeLine(path)} exists; not overwritten.`, 'Pass --force to overwrite it, or give another -o PATH.')
    throw new TixError(`Cannot write ${safeLine(path)}: ${code ?? (error as Error).message}.`)
  }
  try {
    let off = 0
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off)
  } finally {
    closeSync(fd)
  }
  if (force) {
    try {
      renameSync(target, path)
    } catch (error) {
      rmSync(target, {force: true})
      throw new TixError(`Cannot write ${safeLine(path)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`)
    }
  }
}

/** A symlink, even a dangling one (existsSync says false for those; it must still not be written through). */
function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink()
  } catch {
    return false
  }
}
