// The merge rules of `tix sync` (docs/storage.md), pure: no git, no IO.
// - Event logs merge by union of event ids in canonical order, so every clone that merges the same
//   histories writes the same bytes, whichever side it calls "ours".
// - JSON documents (desk.json) merge three-way, key by key; a key both sides changed differently is
//   a conflict: the result keeps our value and the caller keeps their whole file beside it.
import {compareEvents, parseEventLines, serializeEvent, type EventBase} from './events.js'

/**
 * The union of two event logs: every event once (by id) in canonical order, each line written
 * with serializeEvent. Lines that are not events (corrupt, hand-edited) are never dropped: they
 * follow the events, each distinct line once, sorted, so both merge directions agree.
 */
export function unionEventLogs(a: string, b: string): string {
  const byId = new Map<string, {event: EventBase; line: string}>()
  const bad = new Set<string>()
  for (const text of [a, b]) {
    const rows = text.split('\n')
    const parsed = parseEventLines(text)
    for (const p of parsed.problems) bad.add(rows[p.line - 1]!.replace(/\r$/, ''))
    for (const event of parsed.events) {
      const line = serializeEvent(event)
      const seen = byId.get(event.id)
      // The same id with different text should not happen; keep one, the same one on every clone.
      if (seen === undefined || line < seen.line) byId.set(event.id, {event, line})
    }
  }
  const lines = [...byId.values()].sort((x, y) => compareEvents(x.event, y.event) || (x.line < y.line ? -1 : x.line > y.line ? 1 : 0)).map((x) => x.line)
  lines.push(...[...bad].sort())
  return lines.length === 0 ? '' : lines.join('\n') + '\n'
}

/** Event ids in a log (for counting what a sync brought in). */
export function eventIds(text: string): string[] {
  return parseEventLines(text).events.map((e) => e.id)
}

type Json = null | boolean | number | string | Json[] | {[key: string]: Json}

const isObj = (x: unknown): x is Record<string, Json> => typeof x === 'object' && x !== null && !Array.isArray(x)

function same(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true
  if (a === undefined || b === undefined || a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a)) return a.length === (b as Json[]).length && a.every((x, i) => same(x, (b as Json[])[i]))
  const ka = Object.keys(a)
  const kb = Object.keys(b as object)
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && same((a as Record<string, Json>)[k], (b as Record<string, Json>)[k]))
}

export interface JsonMerge {
  /** The merged value (undefined: the document was deleted on a side that alone changed it). */
  value: Json | undefined
  /** Paths (`sla.hours`, `agents`) that both sides changed differently; `value` holds ours there. */
  conflicts: string[]
}

/**
 * Three-way merge of JSON values: where only one side changed (compared with `base`) take that
 * side; where both changed, objects merge key by key and anything else (numbers, strings,
 * arrays) is a conflict that keeps ours. `undefined` means "absent" (a deleted key).
 */
export function mergeJson3(base: Json | undefined, ours: Json | undefined, theirs: Json | undefined, path = ''): JsonMerge {
  if (same(ours, theirs)) return {value: ours, conflicts: []}
  if (same(base, ours)) return {value: theirs, conflicts: []}
  if (same(base, theirs)) return {value: ours, conflicts: []}
  if (isObj(ours) && isObj(theirs) && (base === undefined || isObj(base))) {
    const b = (base ?? {}) as Record<string, Json>
    const out: Record<string, Json> = {}
    const conflicts: string[] = []
    const keys = [...Object.keys(ours), ...Object.keys(theirs).filter((k) => !Object.hasOwn(ours, k))]
    for (const k of keys) {
      const m = mergeJson3(Object.hasOwn(b, k) ? b[k] : undefined, Object.hasOwn(ours, k) ? ours[k] : undefined, Object.hasOwn(theirs, k) ? theirs[k] : undefined, path ? `${path}.${k}` : k)
      if (m.value !== undefined) out[k] = m.value
      conflicts.push(...m.conflicts)
    }
    return {value: out, conflicts}
  }
  return {value: ours, conflicts: [path || '(whole document)']}
}
