// The JSON contract (README "JSON output"): names here are relied on by scripts. Extend, never rename.
import {attachmentJson, ticketJson} from '../domain/ticket/ticket-json.js'
import type {LoadedTicket} from '../store/desk.js'
import type {MergedEntry} from '../services/relations.js'

import {escapeJsonControls} from '../domain/common/safe-text.js'

export const SCHEMA_VERSION = 1

export {escapeJsonControls}
export {attachmentJson, ticketJson}

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
