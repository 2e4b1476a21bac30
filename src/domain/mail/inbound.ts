// What a received message means for the desk, decided on plain data (no IO): which ticket it
// belongs to, whether it may get an automatic answer, whether it is a bounce or a survey answer.

/** Everything the decisions need from a parsed message (mailparser's output, reduced). */
export interface InboundMail {
  messageId: string
  inReplyTo: string[]
  references: string[]
  subject: string
  from: {name: string | null; address: string | null}
  to: string[]
  cc: {name: string | null; address: string}[]
  /** Delivered-To / X-Original-To: where the MTA delivered it (for department addresses). */
  deliveredTo: string[]
  /** Lower-cased header name -> raw value(s) as text. */
  headers: Map<string, string>
  text: string
  /** A delivery status notification: the Message-ID of the message that bounced, and why. */
  dsn: {original: string | null; status: string | null; diagnostic: string | null} | null
}

// Outgoing Message-IDs carry what they are about, so a reply to one needs no lookup:
// <tix.KIND.EVENTID.TICKETID@domain>. Deterministic: a retry after a crash sends the same id.
export const OUT_KINDS = ['ack', 'reply', 'resolved'] as const
export type OutKind = (typeof OUT_KINDS)[number]
const OUR_ID = /^<?tix\.(ack|reply|resolved)\.([0-9A-Za-z]{4,40})\.([0-9A-Z]{10})@[^>]+>?$/

export function outgoingMessageId(kind: OutKind, eventId: string, ticketId: string, domain: string): string {
  return `<tix.${kind}.${eventId}.${ticketId}@${domain}>`
}

export function parseOurMessageId(id: string): {kind: OutKind; eventId: string; ticket: string} | null {
  const m = OUR_ID.exec(id.trim())
  return m ? {kind: m[1] as OutKind, eventId: m[2]!, ticket: m[3]!} : null
}

/** Message-IDs compare without angle brackets and case-insensitively in the domain part. */
export function normalizeMessageId(id: string): string {
  const s = id.trim().replace(/^<|>$/g, '')
  const at = s.lastIndexOf('@')
  return at < 0 ? `<${s}>` : `<${s.slice(0, at)}@${s.slice(at + 1).toLowerCase()}>`
}

/** `[#7K3F9]` in a subject: the ticket id prefix it names (upper-cased), or null. */
export function subjectToken(subject: string): string | null {
  const m = /\[#([0-9A-Za-z]{4,10})\]/.exec(subject)
  return m ? m[1]!.toUpperCase() : null
}

export type LoopReason = 'auto-submitted' | 'precedence' | 'autoreply-header' | 'mailing-list' | 'own-address' | 'no-sender' | 'bounce'

/**
 * Why a message must not get an automatic answer (acknowledgement), or null when it may. Human
 * replies from agents still go to such a requester; only the desk's automatic mail is held back.
 */
export function noAutoAnswer(m: InboundMail, own: ReadonlySet<string>): LoopReason | null {
  if (m.dsn) return 'bounce'
  const h = (name: string) => (m.headers.get(name) ?? '').trim().toLowerCase()
  const auto = h('auto-submitted')
  if (auto !== '' && auto !== 'no') return 'auto-submitted'
  if (/^(bulk|junk|list)\b/.test(h('precedence'))) return 'precedence'
  if (m.headers.has('x-autoreply') || m.headers.has('x-autorespond') || m.headers.has('x-auto-response-suppress') && /all|autoreply|oof/.test(h('x-auto-response-suppress'))) return 'autoreply-header'
  if (m.headers.has('list-id') || m.headers.has('list-unsubscribe')) return 'mailing-list'
  const from = m.from.address?.toLowerCase() ?? null
  if (from === null) return 'no-sender'
  if (own.has(from)) return 'own-address'
  if (/^(mailer-daemon|postmaster|no-?reply)@/.test(from)) return 'no-sender'
  return null
}

/** The desk's view of the tickets a message may belong to. */
export interface ThreadLookup {
  /** A Message-ID the desk has seen (incoming, or sent by it) -> ticket id. */
  byMessageId: (id: string) => string | null
  /** A subject token -> the ticket id it names, or null (none, or ambiguous). */
  byToken: (token: string) => string | null
}

export type ThreadDecision =
  | {kind: 'duplicate'}
  | {kind: 'bounce'; ticket: string | null; original: string | null}
  | {kind: 'rating'; ticket: string; score: number; comment: string | null}
  | {kind: 'reply'; ticket: string; via: 'in-reply-to' | 'references' | 'subject'}
  | {kind: 'new'}

/**
 * Thread first: a known Message-ID in In-Reply-To, then in References (newest first), then the
 * subject token. A survey answer (a reply to the desk's resolution mail that starts with 1-5)
 * is a rating; a DSN is a bounce of the message it names.
 */
export function decideThread(m: InboundMail, known: ThreadLookup): ThreadDecision {
  if (known.byMessageId(m.messageId) !== null) return {kind: 'duplicate'}
  if (m.dsn) {
    const original = m.dsn.original ? normalizeMessageId(m.dsn.original) : null
    return {kind: 'bounce', ticket: original ? (parseOurMessageId(original)?.ticket ?? known.byMessageId(original)) : null, original}
  }
  const parents = m.inReplyTo.map(normalizeMessageId)
  for (const id of parents) {
    const ours = parseOurMessageId(id)
    if (ours?.kind === 'resolved') {
      const score = surveyAnswer(m.text)
      if (score) return {kind: 'rating', ticket: ours.ticket, ...score}
    }
    const t = ours?.ticket ?? known.byMessageId(id)
    if (t) return {kind: 'reply', ticket: t, via: 'in-reply-to'}
  }
  for (const id of [...m.references].reverse().map(normalizeMessageId)) {
    const t = parseOurMessageId(id)?.ticket ?? known.byMessageId(id)
    if (t) return {kind: 'reply', ticket: t, via: 'references'}
  }
  const token = subjectToken(m.subject)
  if (token) {
    const t = known.byToken(token)
    if (t) return {kind: 'reply', ticket: t, via: 'subject'}
  }
  return {kind: 'new'}
}

/** "4", "4 - quick and kind", "5\n\nThanks!" -> score and comment; anything else is not an answer. */
export function surveyAnswer(text: string): {score: number; comment: string | null} | null {
  const m = /^\s*([1-5])(?:\s*(?:\/\s*5)?)(?:$|[\s.,:;!)-]+([\s\S]*))$/.exec(text)
  if (!m) return null
  const comment = (m[2] ?? '').trim()
  return {score: Number(m[1]), comment: comment === '' ? null : comment.slice(0, 5000)}
}

/** A title from a subject: reply prefixes and our token removed, one line, at most 300 characters. */
export function titleFromSubject(subject: string): string {
  let s = subject.replace(/\[#[0-9A-Za-z]{4,10}\]/g, ' ').replace(/\s+/g, ' ').trim()
  for (let i = 0; i < 5; i++) s = s.replace(/^(re|fw|fwd|aw|sv|vs|ant|rv|tr|wg|ответ|отв|рд)\s*(\[\d+\])?\s*:\s*/i, '').trim()
  if (s === '') return '(no subject)'
  return s.length > 300 ? s.slice(0, 299) + '…' : s
}

/** Acknowledgements a sender got in the last hour, from the times recorded; true when one more is allowed. */
export function ackAllowed(previous: readonly string[], now: Date, perHour: number): boolean {
  const since = now.getTime() - 3_600_000
  return previous.filter((t) => Date.parse(t) > since).length < perHour
}
