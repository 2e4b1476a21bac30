// Attachments on the desk branch: `tix attach`, `tix attachment list|get`, and the API the mail and
// web doors use to keep the files that come with a request.
//
//   // a change of its own (one commit):
//   await attachFiles(desk, ticketId, [{name: 'crash.log', bytes, mediaType: 'text/plain'}])
//
//   // inside another change (mail ingest: the ticket and its files in one commit):
//   const staged = await stageAttachments(files, {maxBytes: maxAttachmentBytes(config)}) // throws exit 2 when too large
//   await desk.change(async (read) => {
//     const events = [createTicket(..., ctx), ...attachEvents(null, staged, ctx)]
//     return {tickets: [{id, events, fresh: true}], message, files: staged.files}
//   })
//
// A blob is `attachments/<aa>/<sha256>`: the same bytes are stored once, whatever their name and
// however many tickets carry them; two clones that attach the same file merge without a conflict.
import {TixError, usageError} from '../errors.js'
import {blobPath, formatBytes, maxAttachmentBytes, mediaTypeOf, sanitizeFileName, uniqueName, type Attachment} from '../domain/ticket/attachments.js'
import {commitMessage} from '../domain/ticket/describe.js'
import {shortIdPrefix} from '../domain/ticket/ids.js'
import type {Ticket} from '../domain/ticket/model.js'
import type {NewEvent, OpContext} from '../domain/ticket/ticket-ops.js'
import type {Desk, LoadedTicket} from '../store/desk.js'
import type {FileChange} from '../store/writer.js'

/** SHA-256 in hex through the global Web Crypto, which loads on first use (commands that only read never pay for it). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes))
  return Buffer.from(digest).toString('hex')
}

export interface AttachmentInput {
  /** The name it came with (a path, a mail part's filename): made safe here. */
  name: string
  bytes: Uint8Array
  /** The sender's media type, if any; otherwise from the extension, else sniffed. */
  mediaType?: string | null
}

export interface StagedAttachment {
  name: string
  blob: string
  size: number
  mediaType: string
}

export interface StagedAttachments {
  items: StagedAttachment[]
  /** The blobs to write, for `desk.change`'s `files` (one per distinct content). */
  files: FileChange[]
}

/**
 * Checks sizes (a file over `maxBytes` is a usage error, exit 2: nothing is written), makes the
 * names safe, hashes the bytes and picks media types. Writes nothing.
 */
export async function stageAttachments(inputs: readonly AttachmentInput[], opts: {maxBytes: number}): Promise<StagedAttachments> {
  const tooBig = inputs.filter((f) => f.bytes.byteLength > opts.maxBytes)
  if (tooBig.length > 0) {
    const list = tooBig.map((f) => `${sanitizeFileName(f.name)} (${formatBytes(f.bytes.byteLength)})`).join(', ')
    throw usageError(
      `Not attached: ${list} ${tooBig.length === 1 ? 'is' : 'are'} larger than the desk's limit of ${formatBytes(opts.maxBytes)}; nothing was written.`,
      'Compress or split the file, or raise the limit: tix config set attachments.maxBytes 26214400',
      {maxBytes: opts.maxBytes, files: tooBig.map((f) => ({name: sanitizeFileName(f.name), size: f.bytes.byteLength}))},
    )
  }
  const items: StagedAttachment[] = []
  const files = new Map<string, FileChange>()
  for (const f of inputs) {
    const bytes = Buffer.from(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength)
    const blob = await sha256Hex(bytes)
    const name = sanitizeFileName(f.name)
    items.push({name, blob, size: bytes.length, mediaType: mediaTypeOf(name, bytes, f.mediaType)})
    if (!files.has(blob)) files.set(blob, {path: blobPath(blob), content: bytes})
  }
  return {items, files: [...files.values()]}
}

/**
 * The `attach` events for a ticket (null: a ticket being created in the same change). A file the
 * ticket already has under the same name adds nothing; a different file under a taken name gets
 * "name (2).ext".
 */
export function attachEvents(t: Ticket | null, staged: StagedAttachments, ctx: OpContext): NewEvent[] {
  const have = t?.attachments ?? []
  const taken = new Set(have.map((a) => a.name))
  const out: NewEvent[] = []
  for (const item of staged.items) {
    if (have.some((a) => a.name === item.name && a.blob === item.blob)) continue
    if (out.some((e) => e.name === item.name && e.blob === item.blob)) continue
    const name = uniqueName(item.name, taken)
    taken.add(name)
    out.push({v: 1, id: ctx.newEventId(), at: ctx.at, by: ctx.by, type: 'attach', blob: item.blob, name, size: item.size, mediaType: item.mediaType})
  }
  return out
}

export interface AttachResult {
  ticket: LoadedTicket
  /** The attachments this call added (empty when the ticket already had every file). */
  added: Attachment[]
  commit: string | null
  events: NewEvent[]
}

/** Attaches files to an existing ticket in one commit (blobs and events together). */
export async function attachFiles(desk: Desk, idInput: string, inputs: readonly AttachmentInput[], opts: {maxBytes?: number} = {}): Promise<AttachResult> {
  if (inputs.length === 0) throw usageError('No files to attach.', 'tix attach 7K3F9 crash.log screenshot.png')
  const index = await desk.index()
  const id = await desk.resolveId(idInput, index)
  const staged = await stageAttachments(inputs, {maxBytes: opts.maxBytes ?? maxAttachmentBytes(index.config)})
  let unchanged: LoadedTicket | null = null
  const res = await desk.change(async (read) => {
    const current = await read(id)
    if (!current) throw new TixError(`Ticket ${shortIdPrefix(id)} is listed but its file is missing on the desk branch.`, {hint: 'Run `tix doctor`.'})
    const events = attachEvents(current.ticket, staged, desk.opContext())
    if (events.length === 0) {
      unchanged = current
      return null
    }
    const used = new Set(events.map((e) => e.blob as string))
    return {tickets: [{id, events}], message: commitMessage(shortIdPrefix(id), events), files: staged.files.filter((f) => used.has(f.path.slice(-64)))}
  })
  if (res === null) return {ticket: unchanged!, added: [], commit: null, events: []}
  const ticket = res.tickets.get(id)!
  const written = res.events.get(id)!
  // Our events carry the highest seq of the file, so they fold last.
  const added = (ticket.ticket.attachments ?? []).slice(-written.length)
  return {ticket, added, commit: res.commit, events: written}
}

/** A ticket's attachment by name (exact, then case-insensitive) or by a prefix of its hash (at least 6 characters). */
export function findAttachment(t: Ticket, nameOrHash: string): Attachment {
  const all = t.attachments ?? []
  const sid = shortIdPrefix(t.id)
  const pick = (xs: Attachment[]) => xs[xs.length - 1] // the latest, if concurrent clones used a name twice
  const exact = all.filter((a) => a.name === nameOrHash)
  if (exact.length > 0) return pick(exact)!
  const folded = all.filter((a) => a.name.toLowerCase() === nameOrHash.toLowerCase())
  if (folded.length > 0) return pick(folded)!
  const h = nameOrHash.toLowerCase()
  if (/^[0-9a-f]{6,64}$/.test(h)) {
    const byHash = [...new Map(all.filter((a) => a.blob.startsWith(h)).map((a) => [a.blob, a])).values()]
    if (byHash.length === 1) return byHash[0]!
  }
  const names = all.map((a) => a.name)
  throw new TixError(`Ticket ${sid} has no attachment named "${nameOrHash}"${names.length > 0 ? ` (it has: ${names.slice(0, 10).join(', ')}${names.length > 10 ? ', ...' : ''})` : ' (it has none)'}.`, {
    exitCode: 3,
    code: 'not-found',
    hint: `List them with \`tix attachment list ${sid}\`.`,
  })
}

/** The bytes of an attachment, checked against its hash (a damaged blob is an error, never silently served). */
export async function readAttachment(desk: Desk, a: Attachment, commit?: string): Promise<Buffer> {
  const bytes = await desk.readFile(blobPath(a.blob), commit)
  if (bytes === null) {
    throw new TixError(`The file of attachment "${a.name}" (${a.blob.slice(0, 12)}) is missing on the desk branch.`, {hint: 'Run `tix sync` to fetch it, or `tix doctor`.'})
  }
  if ((await sha256Hex(bytes)) !== a.blob) {
    throw new TixError(`The file of attachment "${a.name}" does not match its hash ${a.blob.slice(0, 12)}.`, {hint: 'Run `tix doctor`; the desk branch may be damaged.'})
  }
  return bytes
}
