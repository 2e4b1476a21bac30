// Events as a person reads them: commit messages, `tix history`, the thread in `tix show`.
import {formatBytes} from './attachments.js'
import type {EventBase} from './events.js'
import {shortIdPrefix} from './ids.js'

const q = (s: unknown) => JSON.stringify(String(s ?? ''))
const firstLine = (s: unknown, n = 60) => {
  const line = String(s ?? '').split('\n')[0]!.trim()
  return line.length > n ? line.slice(0, n - 1) + '…' : line
}

const sid = (id: unknown) => shortIdPrefix(String(id ?? '?'))
const LINK_WORDS: Record<string, string> = {
  related: 'related to',
  duplicate: 'duplicate of',
  'duplicated-by': 'duplicated by',
  blocks: 'blocks',
  'blocked-by': 'blocked by',
}

const tierText = (dept: unknown, tier: unknown) => `${dept ? `${dept} ` : ''}tier ${tier}`

/** Extra describers other parts of tix register for their own event types. */
export const describers: Record<string, (e: EventBase) => string> = {
  // The help-desk workflow (workflow.ts)
  escalate: (e) => {
    const where = e.fromDept !== e.toDept || e.fromTier !== e.toTier ? ` ${tierText(e.fromDept, e.fromTier)} -> ${tierText(e.toDept, e.toTier)}` : ''
    const who = e.to ? `, assigned to ${e.to}` : e.from ? `, unassigned (was ${e.from})` : ''
    return `escalated${where}${who}: ${firstLine(e.reason)}`
  },
  route: (e) => `rule ${q(e.rule)} applied${e.trigger ? ` (on ${e.trigger})` : ''}`,
  'sla-policy': (e) => (e.policy ? `SLA policy -> ${e.policy}` : 'SLA policy cleared (the first matching policy applies)'),
  automation: (e) => `automation ${q(e.name)} fired${e.why ? `: ${firstLine(e.why, 80)}` : ''}`,
  macro: (e) => `macro ${q(e.name)} applied`,
  'sla-alert': (e) => `SLA ${e.metric === 'firstResponse' ? 'first response' : e.metric === 'nextResponse' ? 'next response' : e.metric} ${e.state === 'breached' ? 'breached' : 'at risk'}${e.dueAt ? ` (due ${String(e.dueAt).replace('T', ' ').slice(0, 16)} UTC)` : ''}`,
  // Ratings, links and merges (relations.ts)
  rate: (e) =>
    `rated ${e.rating ?? '?'}${typeof e.score === 'number' ? ` (${e.score}/5)` : ''}${e.comment ? `: ${firstLine(e.comment)}` : ''}`,
  link: (e) => `linked: ${LINK_WORDS[String(e.as)] ?? String(e.as)} ${sid(e.target)}`,
  unlink: (e) => `unlinked from ${sid(e.target)}${e.as ? ` (${e.as})` : ''}`,
  merge: (e) => `merged into ${sid(e.into)}${e.reason ? ` (${firstLine(e.reason)})` : ''}; closed`,
  'merged-in': (e) => `merged ${sid(e.from)} into this ticket${e.reason ? ` (${firstLine(e.reason)})` : ''}`,
  // The mail gateway (src/services/mail)
  'mail-claim': (e) => `mail ${mailWhat(e.key)} claimed for sending${e.gateway ? ` by gateway ${e.gateway}` : ''}`,
  delivery: (e) =>
    e.result === 'sent'
      ? `mail ${mailWhat(e.key)} sent${Array.isArray(e.to) && e.to.length > 0 ? ` to ${e.to.slice(0, 3).join(', ')}${e.to.length > 3 ? ', ...' : ''}` : ''}`
      : `mail ${mailWhat(e.key)} ${e.result === 'bounced' ? 'bounced' : 'failed'}${e.error ? `: ${firstLine(e.error, 100)}` : ''}`,
  // Attachments and repeats of a dedupe key (attachments.ts, dedupe.ts)
  attach: (e) => `attached ${q(e.name)}${typeof e.size === 'number' ? ` (${formatBytes(e.size)}, ${e.mediaType ?? '?'})` : ''}`,
  occurrence: (e) => `happened again${e.run ? ` (${firstLine(e.run, 120)})` : ''}`,
}

const MAIL_KINDS: Record<string, string> = {ack: 'acknowledgement', reply: 'reply', resolved: 'resolution and survey'}
const mailWhat = (key: unknown) => MAIL_KINDS[String(key).split(':')[0]!] ?? 'message'

/** "(rule "x")" after an event a rule, automation or macro made. */
function viaSuffix(e: EventBase): string {
  const via = e.via as Record<string, unknown> | undefined
  if (typeof via !== 'object' || via === null) return ''
  const [kind, name] = Object.entries(via)[0] ?? []
  return kind ? ` (${kind} ${q(name)})` : ''
}

export function describeEvent(e: EventBase): string {
  const text = describeCore(e)
  return e.type === 'route' || e.type === 'automation' || e.type === 'macro' ? text : text + viaSuffix(e)
}

function describeCore(e: EventBase): string {
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
          if (k === 'custom') return Object.entries(v as object).map(([ck, cv]) => (cv === null ? `${ck} removed` : `${ck} -> ${JSON.stringify(cv)}`)).join(', ')
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
      return (Object.hasOwn(describers, e.type) ? describers[e.type]!(e) : undefined) ?? `${e.type} event`
  }
}

/** A commit message: `7K3F9: status open -> pending`. */
export function commitMessage(shortId: string, events: readonly EventBase[] | readonly Omit<EventBase, 'seq'>[]): string {
  const parts = events.map((e) => describeEvent(e as EventBase))
  const head = `${shortId}: ${parts[0] ?? 'change'}${parts.length > 1 ? ` (+${parts.length - 1} more)` : ''}`
  return parts.length > 1 ? `${head}\n\n${parts.map((p) => `- ${p}`).join('\n')}` : head
}
