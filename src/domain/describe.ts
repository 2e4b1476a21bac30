// Events as a person reads them: commit messages, `tix history`, the thread in `tix show`.
import type {EventBase} from './events.js'

const q = (s: unknown) => JSON.stringify(String(s ?? ''))
const firstLine = (s: unknown, n = 60) => {
  const line = String(s ?? '').split('\n')[0]!.trim()
  return line.length > n ? line.slice(0, n - 1) + '…' : line
}

const sid = (id: unknown) => String(id ?? '?').slice(0, 5)
const LINK_WORDS: Record<string, string> = {
  related: 'related to',
  duplicate: 'duplicate of',
  'duplicated-by': 'duplicated by',
  blocks: 'blocks',
  'blocked-by': 'blocked by',
}

/** Extra describers other parts of tix register for their own event types. */
export const describers: Record<string, (e: EventBase) => string> = {
  rate: (e) =>
    `rated ${e.rating ?? '?'}${typeof e.score === 'number' ? ` (${e.score}/5)` : ''}${e.comment ? `: ${firstLine(e.comment)}` : ''}`,
  link: (e) => `linked: ${LINK_WORDS[String(e.as)] ?? String(e.as)} ${sid(e.target)}`,
  unlink: (e) => `unlinked from ${sid(e.target)}${e.as ? ` (${e.as})` : ''}`,
  merge: (e) => `merged into ${sid(e.into)}${e.reason ? ` (${firstLine(e.reason)})` : ''}; closed`,
  'merged-in': (e) => `merged ${sid(e.from)} into this ticket${e.reason ? ` (${firstLine(e.reason)})` : ''}`,
}

export function describeEvent(e: EventBase): string {
  switch (e.type) {
    case 'create':
      return `created ${q(e.title)}`
    case 'set': {
      const f = (e.fields ?? {}) as Record<string, unknown>
      return Object.entries(f)
        .map(([k, v]) => {
          if (k === 'ticketType') return `type -> ${v}`
          if (k === 'requester') {
            const p = v as {name?: string; email?: string}
            return `requester -> ${p.name ?? ''}${p.email ? ` <${p.email}>` : ''}`.trim()
          }
          if (k === 'body') return 'body edited'
          if (k === 'custom') return Object.entries(v as object).map(([ck, cv]) => `${ck} -> ${JSON.stringify(cv)}`).join(', ')
          return `${k} -> ${v === null ? '(none)' : typeof v === 'string' ? v : JSON.stringify(v)}`
        })
        .join(', ')
    }
    case 'tags': {
      const add = (e.add as string[]) ?? []
      const remove = (e.remove as string[]) ?? []
      return [...add.map((t) => `+${t}`), ...remove.map((t) => `-${t}`)].join(' ').replace(/^/, 'tags ')
    }
    case 'status':
      return `status ${e.from} -> ${e.to}${e.resolution ? ` (resolution: ${firstLine(e.resolution)})` : ''}`
    case 'assign':
      return e.to ? `assigned to ${e.to}` : `unassigned (was ${e.from ?? 'nobody'})`
    case 'reply':
      return `public reply${e.author ? ` from ${e.author}` : ''}: ${firstLine(e.body)}`
    case 'note':
      return `internal note: ${firstLine(e.body)}`
    default:
      return describers[e.type]?.(e) ?? `${e.type} event`
  }
}

/** A commit message: `7K3F9: status open -> pending`. */
export function commitMessage(shortId: string, events: readonly EventBase[] | readonly Omit<EventBase, 'seq'>[]): string {
  const parts = events.map((e) => describeEvent(e as EventBase))
  const head = `${shortId}: ${parts[0] ?? 'change'}${parts.length > 1 ? ` (+${parts.length - 1} more)` : ''}`
  return parts.length > 1 ? `${head}\n\n${parts.map((p) => `- ${p}`).join('\n')}` : head
}
