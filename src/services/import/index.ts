// `tix import`: read a source, check every record, then write the new tickets through one
// fast-import run (a commit per batch of thousands). A record's ticket id derives from its source
// id, so importing the same source again adds nothing, on any clone.
import {randomBytes} from 'node:crypto'
import {basename} from 'node:path'
import {serializeEvent} from '../../domain/ticket/events.js'
import {fieldSpecs} from '../../domain/ticket/fields.js'
import {newId} from '../../domain/ticket/ids.js'
import {TixError} from '../../errors.js'
import {BulkWriter} from '../../store/bulk-writer.js'
import type {Desk} from '../../store/desk.js'
import {detectFormat, parseMaps, readSource, type SourceItem} from './readers.js'
import {checkRecord, ticketEvents, type ImportFormat, type ImportTicket} from './record.js'

export interface ImportOptions {
  format?: string
  map?: string[]
  dryRun?: boolean
  skipInvalid?: boolean
  /** Tickets per commit. */
  batch?: number
  onProgress?: (done: number, phase: 'check' | 'write') => void
}

export interface ImportProblem {
  file: string
  line: number
  reason: string
}

export interface ImportResult {
  format: ImportFormat
  /** Records read. */
  read: number
  created: number
  /** Already on the desk (an earlier import) or repeated in the source. */
  skipped: number
  /** Invalid records (left out with --skip-invalid; otherwise nothing was written). */
  errors: ImportProblem[]
  commit: string | null
  commits: number
  dryRun: boolean
  /** The first few tickets created (or that would be), for the summary. */
  sample: {id: string; title: string; source: string}[]
}

const BATCH = 5_000

/** One pass over the source: every record checked and converted, handed to `each` (one at a time). */
async function pass(path: string, format: ImportFormat, desk: Desk, opts: ImportOptions, each: (t: ImportTicket | null, item: SourceItem, reason: string | null) => Promise<void>): Promise<void> {
  const map = parseMaps(opts.map ?? [])
  const index = await desk.index()
  const ctx = {specs: fieldSpecs(index.config), now: desk.now().toISOString(), actor: desk.actor().id}
  for await (const item of readSource(path, format, map)) {
    if (item.error !== undefined || !item.record) {
      await each(null, item, item.error ?? 'unreadable')
      continue
    }
    let t: ImportTicket
    try {
      t = checkRecord(item.record, format, ctx)
    } catch (error) {
      if (!(error instanceof TixError)) throw error
      await each(null, item, error.message.replace(/\.$/, ''))
      continue
    }
    await each(t, item, null)
  }
}

export async function importTickets(desk: Desk, path: string, opts: ImportOptions = {}): Promise<ImportResult> {
  const format = detectFormat(path, opts.format)
  const index = await desk.index()
  const existing = new Set(index.ids)
  // Pass 1: check everything; nothing is written until every record has been seen.
  const errors: ImportProblem[] = []
  const seen = new Set<string>()
  let read = 0
  let skipped = 0
  let toCreate = 0
  const sample: ImportResult['sample'] = []
  await pass(path, format, desk, opts, async (t, item, reason) => {
    read++
    if (read % 1000 === 0) opts.onProgress?.(read, 'check')
    if (t === null) {
      errors.push({file: item.file, line: item.line, reason: reason!})
      return
    }
    if (existing.has(t.id) || seen.has(t.id)) {
      skipped++
      return
    }
    seen.add(t.id)
    toCreate++
    if (sample.length < 5) sample.push({id: t.id, title: t.title, source: `${t.source.format}:${t.source.id}`})
  })
  const result: ImportResult = {format, read, created: 0, skipped, errors, commit: null, commits: 0, dryRun: Boolean(opts.dryRun), sample}
  if (errors.length > 0 && !opts.skipInvalid) return result
  if (opts.dryRun || toCreate === 0) {
    result.created = opts.dryRun ? toCreate : 0
    return result
  }
  // Pass 2: read again and write (the source is not held in memory between the passes).
  const tip = desk.requireTip()
  if (tip !== index.commit) throw new TixError('The desk changed while the import was being checked; nothing was imported.', {hint: 'Run the same `tix import` again.'})
  const actor = desk.actor()
  const writer = new BulkWriter(desk, tip, {name: actor.name, email: actor.email}, desk.now())
  const batch = Math.max(1, opts.batch ?? BATCH)
  const written = new Set<string>()
  // Event ids from a pool of random bytes: one system call per 4,096 ids, not one per event.
  let pool = randomBytes(10 * 4096)
  let at = 0
  const eventId = () => {
    if (at + 10 > pool.length) {
      pool = randomBytes(10 * 4096)
      at = 0
    }
    return newId(pool.subarray(at, (at += 10)), 16)
  }
  const label = basename(path).replace(/[\r\n]/g, ' ')
  try {
    await pass(path, format, desk, opts, async (t) => {
      if (t === null || existing.has(t.id) || written.has(t.id)) return
      if (written.size % batch === 0) {
        const from = written.size + 1
        const to = Math.min(toCreate, written.size + batch)
        writer.beginCommit(toCreate <= batch ? `Import ${toCreate} ticket${toCreate === 1 ? '' : 's'} from ${label} (${format})` : `Import tickets ${from}-${to} of ${toCreate} from ${label} (${format})`)
        result.commits++
      }
      written.add(t.id)
      await writer.addTicket(t.id, t.events ? eventsFile(t) : ticketEventsFile(t, eventId))
      if (written.size % 1000 === 0) opts.onProgress?.(written.size, 'write')
    })
  } catch (error) {
    writer.abort()
    throw error
  }
  result.commit = await writer.finish()
  result.created = written.size
  return result
}

function eventsFile(t: ImportTicket): string {
  return t.events!.map(serializeEvent).join('\n') + '\n'
}

function ticketEventsFile(t: ImportTicket, eventId: () => string): string {
  return ticketEvents(t, eventId).map(serializeEvent).join('\n') + '\n'
}
