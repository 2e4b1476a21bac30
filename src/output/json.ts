// The JSON contract (README "JSON output"): names here are relied on by scripts. Extend, never rename.
import type {Attachment} from '../domain/attachments.js'
import {shortId} from '../domain/ids.js'
import type {TicketSummary} from '../domain/model.js'
import type {LoadedTicket} from '../store/desk.js'
import type {MergedEntry} from '../services/relations.js'

export const SCHEMA_VERSION = 1

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
    attachments: (t.attachments ?? []).map(attachmentJson),
    notices: t.notices,
  }
}

/** An attachment in JSON: `blob` is the SHA-256 of its bytes (`attachments/<aa>/<blob>` on the desk branch). */
export const attachmentJson = (a: Attachment) => ({name: a.name, blob: a.blob, size: a.size, mediaType: a.mediaType, at: a.at, by: a.by})

export type TicketJson = ReturnType<typeof ticketJson>

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
