// A ticket as the JSON contract shows it (README "JSON output"): the CLI's --json, the HTTP API,
// hook payloads and exports all use this one shape. It is part of the domain, not of the output
// layer, because services (hooks, the API) build it too. Extend, never rename.
//
// The wide reads (`tix list --all --json`) write this shape from a cached summary's text without
// parsing it (summary-text.ts): a key added here must be added in the same place of SUMMARY_ORDER
// there, and test/domain/summary-text.test.ts checks that the two give the same text.
import type {Attachment} from './attachments.js'
import {shortId} from './ids.js'
import type {TicketSummary} from './model.js'

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
    ...optionalJson(t, ids),
    notices: t.notices,
  }
}

/** The members a summary has only when they are set, with what the contract shows when they are not. */
export function optionalJson(t: Partial<TicketSummary>, ids: readonly string[]) {
  return {
    satisfaction: t.satisfaction ? {rating: t.satisfaction.rating, score: t.satisfaction.score, comment: t.satisfaction.comment, at: t.satisfaction.at, by: t.satisfaction.by} : null,
    links: (t.links ?? []).map((l) => ({id: l.id, shortId: shortId(ids, l.id), as: l.as})),
    mergedInto: t.mergedInto ?? null,
    mergedFrom: t.mergedFrom ?? [],
    mailFailures: t.mailFailures ?? [],
    attachments: (t.attachments ?? []).map(attachmentJson),
    dedupeKey: t.dedupeKey ?? null,
    occurrences: t.occurrences ? {count: t.occurrences.count, lastAt: t.occurrences.lastAt, lastRun: t.occurrences.lastRun} : null,
    followUp: t.followUp ?? null,
  }
}

/** An attachment in JSON: `blob` is the SHA-256 of its bytes (`attachments/<aa>/<blob>` on the desk branch). */
export const attachmentJson = (a: Attachment) => ({name: a.name, blob: a.blob, size: a.size, mediaType: a.mediaType, at: a.at, by: a.by})
