// Received mail -> the desk: a reply on the ticket it threads to, or a new ticket; a survey answer
// as a rating, a bounce as a failed delivery. Many messages go in one commit (batches), each
// message at most once (by Message-ID).
import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {TixError} from '../../errors.js'
import {commitMessage} from '../../domain/ticket/describe.js'
import type {EventBase} from '../../domain/ticket/events.js'
import {foldTicket} from '../../domain/ticket/fold.js'
import {idsWithPrefix, shortIdPrefix} from '../../domain/ticket/ids.js'
import {acknowledges, departmentFor, mailOf, ownAddresses} from '../../domain/mail/config.js'
import {ackAllowed, decideThread, noAutoAnswer, normalizeMessageId, parseOurMessageId, titleFromSubject, type ThreadDecision} from '../../domain/mail/inbound.js'
import {deliveryEvent} from '../../domain/mail/outbound.js'
import type {Ticket} from '../../domain/ticket/model.js'
import {rate} from '../../domain/ticket/relations.js'
import {createTicket, formatPerson, reply, type NewEvent, type OpContext} from '../../domain/ticket/ticket-ops.js'
import {workflowOf} from '../../domain/workflow/workflow-config.js'
import {maxAttachmentBytes} from '../../domain/ticket/attachments.js'
import {attachEvents, stageAttachments, type AttachmentInput, type StagedAttachments} from '../attachments.js'
import type {FileChange} from '../../store/writer.js'
import type {Desk, LoadedTicket} from '../../store/desk.js'
import {parseMessage, type ParsedInbound} from './parse.js'
import {loadState, saveState, scan, learnTicket, type MailState} from './state.js'

export interface MailSource {
  /** Where it came from (a path, "stdin", "imap:INBOX/42"): for messages only. */
  name: string
  raw: Buffer
}

export type IngestOutcome =
  | {source: string; messageId: string; result: 'created'; ticket: string; shortId: string; department: string | null; acknowledged: boolean; noAck: string | null}
  | {source: string; messageId: string; result: 'reply'; ticket: string; shortId: string; via: string; reopened: boolean}
  | {source: string; messageId: string; result: 'rating'; ticket: string; shortId: string; score: number}
  | {source: string; messageId: string; result: 'bounce'; ticket: string | null; shortId: string | null}
  | {source: string; messageId: string; result: 'duplicate'}
  | {source: string; messageId: string | null; result: 'rejected'; reason: string}

export interface IngestResult {
  outcomes: IngestOutcome[]
  commits: string[]
}

const short = shortIdPrefix
const MAX_CC = 500

function mb(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MB` : `${Math.max(1, Math.round(n / 1024))} KB`
}

/** The text of a thread entry or ticket body, with a line for each part that was too large to keep. */
function bodyOf(m: ParsedInbound, text: string, files: MessageFiles): string {
  const lines = files.dropped.map((d) => `[Attachment dropped: ${d.name} (${d.contentType}, ${mb(d.size)}) is over the ${mb(files.limit)} limit.]`)
  const kept = files.staged.items.filter((i) => i.name !== ORIGINAL_NAME).map((i) => i.name)
  const body = text.trim() === '' ? (m.attachments.length > 0 ? `(no text; the message has only attachments: ${[...kept, ...files.dropped.map((d) => d.name)].join(', ')})` : '(no text)') : text
  return lines.length > 0 ? `${body}\n\n${lines.join('\n')}` : body
}

const ORIGINAL_NAME = 'original.eml'

interface MessageFiles {
  staged: StagedAttachments
  dropped: {name: string; contentType: string; size: number}[]
  limit: number
}

/** The parts to keep as attachments (and the whole message as original.eml); parts over the limit are dropped with a note. */
async function filesOf(m: ParsedInbound, limit: number): Promise<MessageFiles> {
  const keep: AttachmentInput[] = []
  const dropped: MessageFiles['dropped'] = []
  for (const a of m.attachments) {
    if (a.size > limit) dropped.push({name: a.filename, contentType: a.contentType, size: a.size})
    else keep.push({name: a.filename, bytes: a.content, mediaType: a.contentType})
  }
  if (m.raw.length <= limit) keep.push({name: ORIGINAL_NAME, bytes: m.raw, mediaType: 'message/rfc822'})
  else dropped.push({name: `${ORIGINAL_NAME} (the whole message)`, contentType: 'message/rfc822', size: m.raw.length})
  return {staged: await stageAttachments(keep, {maxBytes: limit}), dropped, limit}
}

function mailFacts(m: ParsedInbound, extra: Record<string, unknown> = {}) {
  return {
    messageId: m.messageId,
    from: m.from.address ? formatPerson({name: m.from.name, email: m.from.address}) : m.from.name,
    to: m.to.slice(0, 50),
    ...(m.cc.length > 0 ? {cc: m.cc.slice(0, MAX_CC).map((c) => formatPerson({name: c.name, email: c.address}))} : {}),
    ...(m.cc.length > MAX_CC ? {ccDropped: m.cc.length - MAX_CC} : {}),
    subject: m.subject.slice(0, 1000),
    ...(m.inReplyTo.length > 0 ? {inReplyTo: m.inReplyTo[0]} : {}),
    ...(m.date ? {date: m.date} : {}),
    ...extra,
  }
}

/** Parses and files messages; `batch` messages per commit. */
export async function ingestMessages(desk: Desk, sources: readonly MailSource[], opts: {batch?: number; state?: MailState} = {}): Promise<IngestResult> {
  const state = opts.state ?? loadState(desk)
  await scan(desk, state)
  const outcomes: IngestOutcome[] = []
  const commits: string[] = []
  const parsed: {source: string; m: ParsedInbound}[] = []
  for (const s of sources) {
    try {
      parsed.push({source: s.name, m: await parseMessage(s.raw)})
    } catch (error) {
      outcomes.push({source: s.name, messageId: null, result: 'rejected', reason: `not a readable message: ${(error as Error).message}`})
    }
  }
  const size = Math.max(1, opts.batch ?? 200)
  for (let i = 0; i < parsed.length; i += size) {
    const res = await ingestBatch(desk, state, parsed.slice(i, i + size))
    outcomes.push(...res.outcomes)
    if (res.commit) commits.push(res.commit)
  }
  if (!opts.state) saveState(desk, state)
  return {outcomes, commits}
}

async function ingestBatch(desk: Desk, state: MailState, batch: {source: string; m: ParsedInbound}[]): Promise<{outcomes: IngestOutcome[]; commit: string | null}> {
  const {applyTriggers, afterCommit} = await import('../workflow/triggers.js')
  let outcomes: IngestOutcome[] = []
  let acked: {sender: string; at: string}[] = []
  const limit = maxAttachmentBytes((await desk.index()).config)
  const filesFor = new Map<ParsedInbound, MessageFiles>()
  for (const {m} of batch) if (!m.dsn) filesFor.set(m, await filesOf(m, limit))
  const res = await desk.change(async (read, tip, prefetch) => {
    outcomes = []
    acked = []
    const index = await desk.index()
    const config = index.config
    const mail = mailOf(config)
    const own = ownAddresses(mail)
    const wf = workflowOf(config)
    const rulesOn = (trigger: 'create' | 'update') => wf.rules.some((r) => r.on.has(trigger))
    const known = new Map<string, string>()
    const created: string[] = []
    const planned = new Map<string, {base: EventBase[]; added: NewEvent[]; fresh: boolean}>()
    const sortedIds = desk.sortedIds(index)
    const lookup = {
      byMessageId: (id: string) => known.get(id) ?? state.known[id] ?? null,
      byToken: (token: string) => {
        const hits = [...idsWithPrefix(sortedIds, token), ...created.filter((c) => c.startsWith(token))]
        return hits.length === 1 ? hits[0]! : null
      },
    }
    // The ticket as it stands after what this batch already planned for it.
    const current = async (id: string): Promise<{ticket: Ticket; base: EventBase[]} | null> => {
      const p = planned.get(id)
      if (p) {
        let seq = Math.max(0, ...p.base.map((e) => e.seq))
        const all = [...p.base, ...p.added.map((e) => ({...e, seq: ++seq}) as EventBase)]
        return {ticket: foldTicket(id, all).ticket, base: all}
      }
      const l: LoadedTicket | null = await read(id)
      return l ? {ticket: l.ticket, base: l.events} : null
    }
    const plan = (id: string, base: EventBase[], events: NewEvent[], fresh: boolean) => {
      const p = planned.get(id)
      if (p) p.added.push(...events)
      else planned.set(id, {base, added: [...events], fresh})
    }
    const blobs = new Map<string, FileChange>()
    const withFiles = (m: ParsedInbound, t: Ticket | null, events: NewEvent[], ctx: OpContext): NewEvent[] => {
      const f = filesFor.get(m)
      if (!f) return events
      const more = attachEvents(t, f.staged, ctx)
      const used = new Set(more.map((e) => e.blob as string))
      for (const file of f.staged.files) if (used.has(file.path.slice(-64))) blobs.set(file.path, file)
      return [...events, ...more]
    }
    const ackTimes = (sender: string) => [...(state.acks[sender] ?? []), ...acked.filter((a) => a.sender === sender).map((a) => a.at)]

    // The tickets this batch replies to, read with one git process.
    const targets = batch.map(({m}) => decideThread(m, lookup)).flatMap((d) => ('ticket' in d && d.ticket ? [d.ticket] : []))
    if (targets.length > 1) await prefetch(targets)
    for (const {source, m} of batch) {
      const ctx: OpContext = desk.opContext()
      let decision: ThreadDecision = decideThread(m, lookup)
      if (decision.kind === 'duplicate') {
        outcomes.push({source, messageId: m.messageId, result: 'duplicate'})
        continue
      }
      if (decision.kind === 'bounce') {
        const ours = decision.original ? parseOurMessageId(decision.original) : null
        const target = decision.ticket ? await current(decision.ticket) : null
        if (target && ours) {
          const why = [m.dsn?.status, m.dsn?.diagnostic].filter(Boolean).join(' ') || 'the receiving server returned the message'
          const e = {...deliveryEvent(`${ours.kind}:${ours.eventId}`, {result: 'bounced', messageId: decision.original, error: why}, ctx), mail: {messageId: m.messageId}}
          plan(target.ticket.id, target.base, [e], false)
          known.set(m.messageId, target.ticket.id)
        }
        outcomes.push({source, messageId: m.messageId, result: 'bounce', ticket: target?.ticket.id ?? null, shortId: target ? short(target.ticket.id) : null})
        continue
      }
      // Follow merges to the ticket that carries the conversation now.
      let target: {ticket: Ticket; base: EventBase[]} | null = null
      if (decision.kind === 'reply' || decision.kind === 'rating') {
        let id: string | undefined = decision.ticket
        for (let hop = 0; id && hop < 5; hop++) {
          target = await current(id)
          id = target?.ticket.mergedInto
        }
        if (!target) decision = {kind: 'new'}
      }
      if (decision.kind === 'rating' && target) {
        try {
          const events = rate(target.ticket, String(decision.score), {comment: decision.comment ?? undefined}, ctx).map((e) => ({...e, mail: {messageId: m.messageId}}))
          plan(target.ticket.id, target.base, events, false)
          known.set(m.messageId, target.ticket.id)
          outcomes.push({source, messageId: m.messageId, result: 'rating', ticket: target.ticket.id, shortId: short(target.ticket.id), score: decision.score})
          continue
        } catch {
          decision = {kind: 'reply', ticket: target.ticket.id, via: 'in-reply-to'}
        }
      }
      let followUp: string | null = null
      if (decision.kind === 'reply' && target) {
        if (target.ticket.status !== 'closed') {
          const author = m.from.address ?? m.from.name ?? 'unknown sender'
          let events = reply(target.ticket, bodyOf(m, m.visibleText, filesFor.get(m)!), ctx, {author})
          events[0] = {...events[0]!, mail: mailFacts(m)}
          events = withFiles(m, target.ticket, events, ctx)
          const run = rulesOn('update') ? await applyTriggers(desk, target.ticket.id, target.base, events, 'update', ctx, tip) : {events}
          plan(target.ticket.id, target.base, run.events, false)
          known.set(m.messageId, target.ticket.id)
          const reopened = events.some((e) => e.type === 'status')
          outcomes.push({source, messageId: m.messageId, result: 'reply', ticket: target.ticket.id, shortId: short(target.ticket.id), via: decision.via, reopened})
          continue
        }
        followUp = target.ticket.id
      }
      // A new ticket.
      const id = desk.newTicketId()
      const department = departmentFor(mail, [...m.to, ...m.cc.map((c) => c.address), ...m.deliveredTo])
      let noAck: string | null = noAutoAnswer(m, own)
      if (noAck === null && m.from.address && !ackAllowed(ackTimes(m.from.address), desk.now(), mail.ackPerHour)) noAck = 'rate-limited (too many acknowledgements to this sender in the last hour)'
      const requester = m.from.address || m.from.name ? {name: m.from.name, email: m.from.address} : null
      const text = followUp ? `(Follow-up of closed ticket ${short(followUp)}.)\n\n${m.visibleText}` : m.text
      const create = createTicket({id, title: titleFromSubject(m.subject), body: bodyOf(m, text, filesFor.get(m)!), requester, channel: 'email', department}, ctx)
      const withMail = withFiles(m, null, [{...create, mail: mailFacts(m, {noAck, ...(followUp ? {followUp} : {})})}], ctx)
      const run = rulesOn('create') ? await applyTriggers(desk, id, [], withMail, 'create', ctx, tip) : {events: withMail}
      plan(id, [], run.events, true)
      created.push(id)
      known.set(m.messageId, id)
      const acknowledged = noAck === null && acknowledges(mail, department)
      if (acknowledged && m.from.address) acked.push({sender: m.from.address, at: ctx.at})
      outcomes.push({source, messageId: m.messageId, result: 'created', ticket: id, shortId: short(id), department, acknowledged, noAck})
    }
    const tickets = [...planned].map(([id, p]) => ({id, events: p.added, fresh: p.fresh}))
    if (tickets.length === 0) return null
    const counts = {created: outcomes.filter((o) => o.result === 'created').length, replies: outcomes.filter((o) => o.result === 'reply').length}
    const message =
      tickets.length === 1
        ? `${commitMessage(short(tickets[0]!.id), tickets[0]!.events as EventBase[]).split('\n')[0]} (mail)`
        : `Mail: ${counts.created} new ticket(s), ${counts.replies} repl${counts.replies === 1 ? 'y' : 'ies'}, ${tickets.length} ticket(s) changed`
    return {tickets, message, files: [...blobs.values()]}
  })
  if (res) {
    await afterCommit(desk, res.events, res.tickets, res.commit)
    const pending = new Set(state.pending)
    for (const [, l] of res.tickets) learnTicket(state, l.ticket, l.events, pending)
    state.pending = [...pending].sort()
  }
  for (const o of outcomes) if ('messageId' in o && o.messageId && o.result !== 'rejected' && 'ticket' in o && o.ticket) state.known[normalizeMessageId(o.messageId)] = o.ticket
  const now = desk.now().getTime()
  for (const a of acked) {
    state.acks[a.sender] = [...(state.acks[a.sender] ?? []).filter((t) => now - Date.parse(t) < 3_600_000), a.at]
  }
  return {outcomes, commit: res?.commit ?? null}
}

/** The raw messages in paths: maildirs (cur/ and new/), mbox files, single .eml files. */
export function readSources(paths: readonly string[]): MailSource[] {
  const out: MailSource[] = []
  for (const p of paths) {
    if (!existsSync(p)) throw new TixError(`"${p}" does not exist.`, {exitCode: 2, code: 'usage', hint: 'Give maildirs, mbox files or .eml files, or pipe one message on stdin.'})
    const st = statSync(p)
    if (st.isDirectory()) {
      const sub = ['new', 'cur'].filter((d) => existsSync(join(p, d)))
      const dirs = sub.length > 0 ? sub.map((d) => join(p, d)) : [p]
      for (const d of dirs) {
        for (const f of readdirSync(d).sort()) {
          const fp = join(d, f)
          if (f.startsWith('.') || !statSync(fp).isFile()) continue
          out.push({name: fp, raw: readFileSync(fp)})
        }
      }
    } else {
      const raw = readFileSync(p)
      if (raw.subarray(0, 5).toString('latin1') === 'From ') out.push(...splitMbox(p, raw))
      else out.push({name: p, raw})
    }
  }
  return out
}

/** mbox (mboxrd/mboxo): messages start at lines "From "; ">From " lines lose one ">". */
export function splitMbox(name: string, raw: Buffer): MailSource[] {
  const text = raw.toString('latin1')
  const out: MailSource[] = []
  const starts: number[] = []
  const re = /^From [^\n]*\n/gm
  for (let m = re.exec(text); m; m = re.exec(text)) starts.push(m.index)
  for (let i = 0; i < starts.length; i++) {
    const from = text.indexOf('\n', starts[i]!) + 1
    const to = i + 1 < starts.length ? starts[i + 1]! : text.length
    const body = text.slice(from, to).replace(/\n$/, '').replace(/^>(>*From )/gm, '$1')
    out.push({name: `${name}#${i + 1}`, raw: Buffer.from(body, 'latin1')})
  }
  return out
}
