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
export function jsonBytes(json: string | Buffer): Buffer {
  const bytes = typeof json === 'string' ? Buffer.from(json, 'utf8') : json
  const escaped = () => Buffer.from(escapeJsonControls(typeof json === 'string' ? json : json.toString('utf8')), 'utf8')
  if (bytes.indexOf(0x7f) >= 0) return escaped()
  for (let at = bytes.indexOf(0xc2); at >= 0; at = bytes.indexOf(0xc2, at + 1)) {
    if (bytes[at + 1]! <= 0x9f) return escaped()
  }
  return bytes
}

/**
 * JSON text gathered as UTF-8 bytes for a streamed document: pieces of other buffers are copied in
 * (the cache's summary texts, src/domain/ticket/summary-text.ts) and strings encoded in place, so a
 * large list is never one string. take() hands the bytes over (jsonBytes them before writing).
 */
const OUT_SIZE = 1 << 21

export class JsonOut {
  private buf = Buffer.allocUnsafe(OUT_SIZE)
  length = 0

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + n))
    this.buf.copy(bigger, 0, 0, this.length)
    this.buf = bigger
  }

  bytes(b: Buffer, start: number, end: number): void {
    this.room(end - start)
    this.buf.set(b.subarray(start, end), this.length) // faster than Buffer#copy for small pieces
    this.length += end - start
  }

  /** Text known to be ASCII (ids, punctuation): no UTF-8 encoding to do. */
  ascii(s: string): void {
    this.room(s.length)
    this.length += this.buf.write(s, this.length, 'latin1')
  }

  text(s: string): void {
    this.room(s.length * 3)
    this.length += this.buf.write(s, this.length, 'utf8')
  }

  /** The bytes written so far; the next ones go to a new buffer. */
  take(): Buffer {
    const out = this.buf.subarray(0, this.length)
    this.buf = Buffer.allocUnsafe(OUT_SIZE)
    this.length = 0
    return out
  }
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
