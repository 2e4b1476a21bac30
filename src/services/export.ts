// `tix export`: every ticket a filter selects, written as it is read. jsonl carries each ticket
// with its thread and events (what `tix import` reads back); csv is one row per ticket; markdown is
// one file per ticket, named by its id only.
import {closeSync, existsSync, mkdirSync, openSync, statSync, writeSync} from 'node:fs'
import {join} from 'node:path'
import {usageError} from '../errors.js'
import {fieldText} from '../domain/ticket/fields.js'
import type {TicketQuery} from '../domain/queue/query.js'
import type {ThreadEntry, TicketSummary} from '../domain/ticket/model.js'
import {ticketDetailJson, ticketJson} from '../output/json.js'
import {importModule} from '../runtime.js'
import {eachTicket} from '../store/bulk-reader.js'
import type {Desk, LoadedTicket} from '../store/desk.js'
import {listTickets} from './tickets.js'

export const EXPORT_FORMATS = ['jsonl', 'csv', 'markdown'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

export interface ExportResult {
  format: ExportFormat
  count: number
  /** The file or folder written; null for standard output. */
  output: string | null
  commit: string
}

/** The record of one ticket in a jsonl export (also what `tix import` reads back). */
export function exportRecord(l: LoadedTicket, ids: readonly string[]) {
  const d = ticketDetailJson(l, ids)
  return {schemaVersion: 1, kind: 'ticket-export', ticket: ticketJson(l.ticket, ids), thread: d.thread, events: l.events}
}

export const CSV_COLUMNS = ['id', 'title', 'body', 'status', 'priority', 'type', 'channel', 'requester', 'requesterName', 'assignee', 'department', 'tags', 'tier', 'createdAt', 'createdBy', 'updatedAt', 'firstResponseAt', 'resolvedAt', 'closedAt', 'resolution', 'replyCount', 'noteCount', 'reopenCount'] as const

function csvRow(t: TicketSummary, fieldKeys: readonly string[]): string[] {
  const v: Record<(typeof CSV_COLUMNS)[number], unknown> = {
    id: t.id,
    title: t.title,
    body: t.body,
    status: t.status,
    priority: t.priority,
    type: t.type,
    channel: t.channel,
    requester: t.requester.email ?? t.requester.name ?? '',
    requesterName: t.requester.email ? (t.requester.name ?? '') : '',
    assignee: t.assignee,
    department: t.department,
    tags: t.tags.join(','),
    tier: t.tier,
    createdAt: t.createdAt,
    createdBy: t.createdBy,
    updatedAt: t.updatedAt,
    firstResponseAt: t.firstResponseAt,
    resolvedAt: t.resolvedAt,
    closedAt: t.closedAt,
    resolution: t.resolution,
    replyCount: t.replyCount,
    noteCount: t.noteCount,
    reopenCount: t.reopenCount,
  }
  return [...CSV_COLUMNS.map((c) => (v[c] === null || v[c] === undefined ? '' : String(v[c]))), ...fieldKeys.map((k) => fieldText(t.fields[k]))]
}

/** A YAML scalar that is always read back as the same string: JSON's quoting is valid YAML. */
const yaml = (v: unknown) => (v === null || v === undefined ? 'null' : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(String(v)))

export function markdownOf(l: LoadedTicket, ids: readonly string[]): string {
  const t = l.ticket
  const j = ticketJson(t, ids)
  const front = [
    `id: ${yaml(t.id)}`,
    `title: ${yaml(t.title)}`,
    `status: ${yaml(t.status)}`,
    `priority: ${yaml(t.priority)}`,
    `type: ${yaml(t.type)}`,
    `channel: ${yaml(t.channel)}`,
    `requester: ${yaml(t.requester.name && t.requester.email ? `${t.requester.name} <${t.requester.email}>` : (t.requester.email ?? t.requester.name))}`,
    `assignee: ${yaml(t.assignee)}`,
    `department: ${yaml(t.department)}`,
    `tags: [${t.tags.map(yaml).join(', ')}]`,
    `created: ${yaml(t.createdAt)}`,
    `updated: ${yaml(t.updatedAt)}`,
    ...(t.resolution ? [`resolution: ${yaml(t.resolution)}`] : []),
    ...(Object.keys(j.fields).length > 0 ? ['fields:', ...Object.entries(j.fields).map(([k, v]) => `  ${yaml(k)}: ${yaml(v)}`)] : []),
  ]
  const entry = (e: ThreadEntry) => `### ${e.kind === 'reply' ? 'Reply' : 'Internal note'} by ${e.author}, ${e.at}\n\n${e.body.trim()}\n`
  return `---\n${front.join('\n')}\n---\n\n# ${t.title}\n\n${t.body.trim() === '' ? '' : `${t.body.trim()}\n\n`}${l.thread.length > 0 ? `## Thread\n\n${l.thread.map(entry).join('\n')}` : ''}`
}

/**
 * Writes the tickets `q` selects. `write` takes the text for standard output (jsonl, csv without
 * -o); `out` is the file (jsonl, csv) or folder (markdown). Tickets go out in id order.
 */
export async function exportTickets(desk: Desk, q: TicketQuery, format: ExportFormat, opts: {out?: string; write: (chunk: string) => void; cell?: (s: string) => string}): Promise<ExportResult> {
  const res = await listTickets(desk, q)
  const tickets = res.tickets.sort((a, b) => (a.id < b.id ? -1 : 1))
  const ids = res.index.ids
  const commit = res.index.commit
  let fd: number | null = null
  let buffered = ''
  const emit = (s: string) => {
    buffered += s
    if (buffered.length >= 1 << 16) flush()
  }
  const flush = () => {
    if (buffered === '') return
    if (fd !== null) writeSync(fd, buffered)
    else opts.write(buffered)
    buffered = ''
  }
  if (format === 'markdown') {
    if (!opts.out) throw usageError('--format markdown writes one file per ticket: give the folder with -o DIR.', 'tix export --format markdown -o ./tickets')
    if (existsSync(opts.out) && !statSync(opts.out).isDirectory()) throw usageError(`${opts.out} is a file: --format markdown needs a folder.`)
    mkdirSync(opts.out, {recursive: true})
    await eachTicket(desk, tickets.map((t) => t.id), commit, (id, l) => {
      const f = openSync(join(opts.out!, `${id}.md`), 'w')
      try {
        writeSync(f, markdownOf(l, ids))
      } finally {
        closeSync(f)
      }
    })
    return {format, count: tickets.length, output: opts.out, commit}
  }
  if (opts.out) {
    if (existsSync(opts.out) && statSync(opts.out).isDirectory()) throw usageError(`${opts.out} is a folder: --format ${format} writes one file.`)
    fd = openSync(opts.out, 'w')
  }
  try {
    if (format === 'jsonl') {
      await eachTicket(desk, tickets.map((t) => t.id), commit, (_id, l) => emit(JSON.stringify(exportRecord(l, ids)) + '\n'))
    } else {
      const {stringify} = await importModule<typeof import('csv-stringify/sync')>('csv-stringify/sync')
      const keys = [...new Set(tickets.flatMap((t) => Object.keys(t.fields)))].sort()
      const cell = opts.cell ?? ((s: string) => s)
      emit(stringify([[...CSV_COLUMNS, ...keys.map((k) => `field:${k}`)]]))
      for (const t of tickets) emit(stringify([csvRow(t, keys).map(cell)]))
    }
    flush()
  } finally {
    if (fd !== null) closeSync(fd)
  }
  return {format, count: tickets.length, output: opts.out ?? null, commit}
}
