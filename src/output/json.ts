// The JSON contract (README "JSON output"): names here are relied on by scripts. Extend, never rename.
import type {Attachment} from '../domain/attachments.js'
import {shortId} from '../domain/ids.js'
import type {TicketSummary} from '../domain/model.js'
import type {LoadedTicket} from '../store/desk.js'
import type {MergedEntry} from '../services/relations.js'

import {escapeJsonControls} from '../domain/safe-text.js'

export const SCHEMA_VERSION = 1

export {escapeJsonControls}

/** JSON text for output: JSON.stringify, with every control character (C1 included) as a \u escape. */
export const jsonText = (value: unknown, indent?: number): string => escapeJsonControls(JSON.stringify(value, null, indent) ?? 'null')

/**
 * JSON text as UTF-8 bytes for a pipe, with C1 controls escaped as jsonText does. The bytes are
 * checked instead of the string: U+007F is 0x7F and U+0080..U+009F are 0xC2 0x80..0x9F, so a
 * clean 1 MB piece (the usual case) is neither searched by a regular expression nor copied.
 */
export function jsonBytes(json: string): Buffer {
  const bytes = Buffer.from(json, 'utf8')
  if (bytes.indexOf(0x7f) >= 0) return Buffer.from(escapeJsonControls(json), 'utf8')
  for (let at = bytes.indexOf(0xc2); at >= 0; at = bytes.indexOf(0xc2, at + 1)) {
    if (bytes[at + 1]! <= 0x9f) return Buffer.from(escapeJsonControls(json), 'utf8')
  }
  return bytes
}

export const envelope = <T extends object>(kind: string, body: T) => ({schemaVersion: SCHEMA_VERSION, kind, ...body})

export function ticketJson(t: TicketSummary, ids: readonly string[]) {
  return {
    id: t.id,
    shortId: shortId(ids, t.id),
    title: t.title,
    body: t.body,
    status: t.status,
    priority: t.priority,
    type: t.type,
    channel: t.channel,
    requester: {name: t.requester.name, email: t.requester.email},
    assignee: t.assignee,
    department: t.department,
    tags: t.tags,
    tier: t.tier,
    fields: t.fields,
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
    satisfaction: t.satisfaction ? {rating: t.satisfaction.rating, score: t.satisfaction.score, comment: t.satisfaction.comment, at: t.satisfaction.at, by: t.satisfaction.by} : null,
    links: (t.links ?? []).map((l) => ({id: l.id, shortId: shortId(ids, l.id), as: l.as})),
    mergedInto: t.mergedInto ?? null,
    mergedFrom: t.mergedFrom ?? [],
    mailFailures: t.mailFailures ?? [],
    attachments: (t.attachments ?? []).map(attachmentJson),
    dedupeKey: t.dedupeKey ?? null,
    occurrences: t.occurrences ? {count: t.occurrences.count, lastAt: t.occurrences.lastAt, lastRun: t.occurrences.lastRun} : null,
    followUp: t.followUp ?? null,
    notices: t.notices,
  }
}

/** An attachment in JSON: `blob` is the SHA-256 of its bytes (`attachments/<aa>/<blob>` on the desk branch). */
export const attachmentJson = (a: Attachment) => ({name: a.name, blob: a.blob, size: a.size, mediaType: a.mediaType, at: a.at, by: a.by})


export function ticketDetailJson(l: LoadedTicket, ids: readonly string[], merged: readonly MergedEntry[] = []) {
  return {
    ...ticketJson(l.ticket, ids),
    thread: l.thread.map((e) => ({id: e.eventId, kind: e.kind, public: e.public, author: e.author, at: e.at, body: e.body})),
    /** Messages of the tickets merged into this one, read from their own files, in time order. */
    mergedThread: merged.map((e) => ({from: e.from, id: e.eventId, kind: e.kind, public: e.public, author: e.author, at: e.at, body: e.body})),
    events: l.events,
    problems: l.problems,
  }
}
