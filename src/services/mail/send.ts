// The outbox and sending it. Exactly once, even with two gateways: a claim is committed and pushed
// before a message goes out (a push that loses the race means another gateway has it), and a
// delivery event records what happened. A claim with no delivery after the lease is tried again;
// a failure is retried with backoff.
import {acknowledges, mailOf} from '../../domain/mail/config.js'
import {composeMessage, type Outgoing} from '../../domain/mail/compose.js'
import {claimEvent, claimIsOurs, deliveryEvent, FINAL, outItems, type OutItem} from '../../domain/mail/outbound.js'
import {MAIL_TEMPLATE_NAMES, unknownMailPlaceholders, type MailTemplateName} from '../../domain/mail/templates.js'
import {shortId} from '../../domain/ticket/ids.js'
import {workflowOf} from '../../domain/workflow/workflow-config.js'
import type {NewEvent} from '../../domain/ticket/ticket-ops.js'
import {TixError} from '../../errors.js'
import {importModule} from '../../runtime.js'
import type {Desk, DeskIndex, LoadedTicket} from '../../store/desk.js'
import {mailLinkSigner, type LinkSigner} from './links.js'
import {loadState, saveState, scan, type MailState} from './state.js'

export interface OutboxEntry extends OutItem {
  shortId: string
  title: string
  to: string | null
}

export interface Outbox {
  items: OutboxEntry[]
  /** null when nothing is owed (the index was not needed). */
  index: DeskIndex | null
  tickets: Map<string, LoadedTicket>
}

/** Everything not yet final (with `all`: also what was sent, bounced, held or dropped as stale). */
export async function computeOutbox(desk: Desk, state: MailState, opts: {all?: boolean} = {}): Promise<Outbox> {
  await scan(desk, state)
  // Idle: nothing changed and nothing owed. The desk's index (10,000 summaries) is not even loaded.
  if (state.pending.length === 0) return {items: [], index: null, tickets: new Map()}
  const index = await desk.index()
  const mail = mailOf(index.config)
  const tickets = state.pending.length > 0 ? await desk.readTickets(state.pending, index.commit) : new Map<string, LoadedTicket>()
  const items: OutboxEntry[] = []
  const still: string[] = []
  const now = desk.now()
  for (const id of state.pending) {
    const l = tickets.get(id)
    if (!l) continue
    const list = outItems(l.ticket, l.events, {now, leaseMs: mail.leaseMs, maxAgeMs: mail.maxAgeMs, acknowledge: (d) => acknowledges(mail, d)})
    if (list.some((i) => !FINAL.has(i.state))) still.push(id)
    for (const i of list) {
      if (!opts.all && FINAL.has(i.state)) continue
      items.push({...i, shortId: shortId(desk.sortedIds(index), id), title: l.ticket.title, to: l.ticket.requester.email})
    }
  }
  state.pending = still
  items.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.key < b.key ? -1 : 1))
  return {items, index, tickets}
}

export async function showOutbox(desk: Desk, opts: {all?: boolean} = {}): Promise<OutboxEntry[]> {
  const state = loadState(desk)
  const box = await computeOutbox(desk, state, opts)
  saveState(desk, state)
  return box.items
}

export interface SendResult {
  sent: {key: string; ticket: string; shortId: string; messageId: string; to: string[]}[]
  failed: {key: string; ticket: string; shortId: string; error: string}[]
  /** Claimed by another gateway first. */
  skipped: {key: string; ticket: string; shortId: string}[]
  /** With --dry-run: what would go out. */
  preview: Outgoing[]
  commits: string[]
}

/** Something that sends one composed message (nodemailer's transport in production). */
export interface Transport {
  send(message: Outgoing): Promise<{messageId: string; accepted: string[]; rejected: string[]}>
  close(): void
}

export async function smtpTransport(url: URL): Promise<Transport> {
  const nodemailer = await importModule<typeof import('nodemailer')>('nodemailer')
  const mod = ((nodemailer as unknown as {default?: typeof nodemailer}).default ?? nodemailer) as typeof nodemailer
  const secure = url.protocol === 'smtps:'
  const t = mod.createTransport({
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    auth: url.username ? {user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password)} : undefined,
    pool: true,
    maxConnections: 4,
    maxMessages: Infinity,
    tls: {rejectUnauthorized: url.searchParams.get('tls') !== 'insecure'},
    ignoreTLS: url.searchParams.get('starttls') === 'off',
    connectionTimeout: 20_000,
    socketTimeout: 60_000,
  } as Parameters<typeof mod.createTransport>[0])
  return {
    async send(m) {
      const info = await t.sendMail({
        from: m.from,
        to: m.to,
        cc: m.cc.length > 0 ? m.cc : undefined,
        subject: m.subject,
        text: m.text,
        html: m.html,
        messageId: m.messageId,
        inReplyTo: m.inReplyTo ?? undefined,
        references: m.references.length > 0 ? m.references : undefined,
        headers: m.headers,
        disableFileAccess: true,
        disableUrlAccess: true,
      })
      return {messageId: info.messageId, accepted: (info.accepted ?? []).map(String), rejected: (info.rejected ?? []).map(String)}
    },
    close: () => t.close(),
  }
}

async function branchTemplates(desk: Desk, commit: string): Promise<Partial<Record<MailTemplateName, string>>> {
  const out: Partial<Record<MailTemplateName, string>> = {}
  for (const name of MAIL_TEMPLATE_NAMES) {
    const text = (await desk.readFile(`mail/${name}.md`, commit))?.toString('utf8') ?? null
    if (text === null) continue
    const bad = unknownMailPlaceholders(text)
    if (bad.length > 0) desk.io.warn(`tix: mail/${name}.md has unknown placeholder(s) ${bad.join(', ')}; the built-in ${name} template is used.`)
    else out[name] = text
  }
  return out
}

const SEND_CONCURRENCY = 4

export interface SendOptions {
  dryRun?: boolean
  /** Pushes the claims before sending: a remote name, or null for a desk without one. */
  publish?: ((desk: Desk) => Promise<void>) | null
  transport?: Transport
  state?: MailState
  /** Messages per claim commit (default 200). */
  batch?: number
}

function compose(desk: Desk, box: Outbox, item: OutItem, templates: Partial<Record<MailTemplateName, string>>, ticket: LoadedTicket, sign: LinkSigner): Outgoing {
  const config = box.index!.config
  const actor = desk.actor()
  return composeMessage({
    ticket: ticket.ticket,
    events: ticket.events,
    item,
    ids: box.index!.ids,
    wf: workflowOf(config),
    mail: mailOf(config),
    deskName: config.name,
    branchTemplates: templates,
    actor: {email: actor.email, name: actor.name},
    link: sign(ticket.ticket.id, ticket.ticket.requester.email),
  })
}

/** Sends what is due. */
export async function sendOutbox(desk: Desk, opts: SendOptions = {}): Promise<SendResult> {
  const state = opts.state ?? loadState(desk)
  const result: SendResult = {sent: [], failed: [], skipped: [], preview: [], commits: []}
  const box = await computeOutbox(desk, state)
  const due = box.items.filter((i) => i.state === 'due')
  if (due.length === 0 || !box.index) {
    if (!opts.state) saveState(desk, state)
    return result
  }
  const mail = mailOf(box.index.config)
  if (due.length > 0 && !mail.address) {
    throw new TixError('desk.json has no mail.address, so tix does not know what to send from.', {exitCode: 2, code: 'usage', hint: 'Run `tix config set mail.address help@example.com`.'})
  }
  let templates = await branchTemplates(desk, box.index.commit)
  const sign = mailLinkSigner(desk, box.index.config)
  if (opts.dryRun) {
    for (const i of due) result.preview.push(compose(desk, box, i, templates, box.tickets.get(i.ticket)!, sign))
    if (!opts.state) saveState(desk, state)
    return result
  }
  if (due.length === 0) {
    if (!opts.state) saveState(desk, state)
    return result
  }
  const transport = opts.transport ?? (await smtpTransport((await import('./settings.js')).requireServer(desk, 'smtp').url))
  try {
    const size = Math.max(1, opts.batch ?? 200)
    for (let b = 0; b < due.length; b += size) {
      const batch = due.slice(b, b + size)
      // 1. Claim, in one commit, and publish it.
      const claims = new Map<string, string>() // key -> our claim event id
      const claimed = await desk.change(async (read, _tip, prefetch) => {
        claims.clear()
        await prefetch(batch.map((i) => i.ticket)) // one git process for the batch, not one per ticket
        const byTicket = new Map<string, NewEvent[]>()
        const now = desk.now()
        for (const i of batch) {
          const l = await read(i.ticket)
          if (!l) continue
          // Look again at the tip: a sync may have brought another gateway's claim or delivery.
          const fresh = outItems(l.ticket, l.events, {now, leaseMs: mail.leaseMs, maxAgeMs: mail.maxAgeMs, acknowledge: (d) => acknowledges(mail, d)}).find((x) => x.key === i.key)
          if (!fresh || fresh.state !== 'due') continue
          const e = claimEvent(i.key, state.gateway, mail.leaseMs, desk.opContext())
          claims.set(i.key, String(e.id))
          byTicket.set(i.ticket, [...(byTicket.get(i.ticket) ?? []), e])
        }
        if (byTicket.size === 0) return null
        return {tickets: [...byTicket].map(([id, events]) => ({id, events})), message: `Mail: claim ${claims.size} outgoing message(s) (gateway ${state.gateway})`}
      })
      if (!claimed) continue
      result.commits.push(claimed.commit)
      if (opts.publish) await opts.publish(desk)
      // 2. Which claims are ours, as the remote now has them.
      const tip = desk.requireTip()
      const tickets = await desk.readTickets([...new Set(batch.map((i) => i.ticket))], tip)
      const index = await desk.index()
      const view: Outbox = {items: box.items, index, tickets}
      templates = await branchTemplates(desk, tip)
      const now = desk.now()
      const deliveries = new Map<string, NewEvent[]>()
      const sendOne = async (i: OutboxEntry) => {
        const ours = claims.get(i.key)
        const l = tickets.get(i.ticket)
        if (!ours || !l) return
        const sid = shortId(desk.sortedIds(index), i.ticket)
        if (!claimIsOurs(l.events, i.key, ours, now)) {
          result.skipped.push({key: i.key, ticket: i.ticket, shortId: sid})
          return
        }
        let event: NewEvent
        try {
          const message = compose(desk, view, i, templates, l, sign)
          const info = await transport.send(message)
          if (info.accepted.length === 0) throw new Error(`the server accepted no recipient (rejected: ${info.rejected.join(', ') || 'all'})`)
          const to = [...message.to, ...message.cc].map((p) => p.address)
          event = deliveryEvent(i.key, {result: 'sent', messageId: message.messageId, to}, desk.opContext())
          result.sent.push({key: i.key, ticket: i.ticket, shortId: sid, messageId: message.messageId, to})
        } catch (error) {
          const why = (error as Error).message.replace(/\s+/g, ' ').slice(0, 300)
          event = deliveryEvent(i.key, {result: 'failed', messageId: null, error: why}, desk.opContext())
          result.failed.push({key: i.key, ticket: i.ticket, shortId: sid, error: why})
        }
        deliveries.set(i.ticket, [...(deliveries.get(i.ticket) ?? []), event])
      }
      // A few messages in flight at once (the transport keeps a small pool of connections).
      let next = 0
      await Promise.all(Array.from({length: Math.min(SEND_CONCURRENCY, batch.length)}, async () => {
        while (next < batch.length) await sendOne(batch[next++]!)
      }))
      // 3. Record what happened.
      if (deliveries.size > 0) {
        const rec = await desk.change(async (_read, _tip, prefetch) => {
          await prefetch([...deliveries.keys()])
          return {
          tickets: [...deliveries].map(([id, events]) => ({id, events})),
          message: `Mail: ${[...deliveries.values()].flat().filter((e) => e.result === 'sent').length} sent, ${[...deliveries.values()].flat().filter((e) => e.result === 'failed').length} failed`,
          }
        })
        if (rec) result.commits.push(rec.commit)
      }
    }
  } finally {
    if (!opts.transport) transport.close()
    if (!opts.state) saveState(desk, state)
  }
  return result
}
