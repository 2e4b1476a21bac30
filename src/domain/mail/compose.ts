// One outgoing message, as plain data for the SMTP library to encode: who, subject with the ticket
// token, text and HTML from the template, and the headers that thread it in the requester's mail
// client. Names and subjects come from outside: control characters (CR/LF included) never reach a
// header; the library does the encoding.
import type {EventBase} from '../ticket/events.js'
import {shortId} from '../ticket/ids.js'
import {templateValues} from '../workflow/macros.js'
import type {Ticket} from '../ticket/model.js'
import type {Workflow} from '../workflow/workflow-config.js'
import {ownAddresses, senderFor, type MailConfig} from './config.js'
import {normalizeMessageId, outgoingMessageId} from './inbound.js'
import {mailOfEvent, type OutItem} from './outbound.js'
import {DEFAULT_LINK_TEMPLATES, DEFAULT_TEMPLATES, renderMail, surveyFor, type MailTemplateName} from './templates.js'

export interface Outgoing {
  key: string
  ticket: string
  from: {name: string; address: string}
  to: {name: string; address: string}[]
  cc: {name: string; address: string}[]
  subject: string
  text: string
  html: string
  messageId: string
  inReplyTo: string | null
  references: string[]
  headers: Record<string, string>
}

/** One line, no control characters: safe for a header (the SMTP library encodes the rest). */
export const headerSafe = (s: string, max = 250) =>
  // eslint-disable-next-line no-control-regex
  s.replace(/[\u0000-\u001F\u007F-\u009F\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, max)

const MAX_CC = 50

function person(s: string): {name: string; address: string} | null {
  const m = /^(.*?)\s*<([^<>\s]+@[^<>\s]+)>$/.exec(s.trim())
  if (m) return {name: headerSafe(m[1]!.replace(/^"(.*)"$/, '$1'), 100), address: m[2]!.toLowerCase()}
  return /^[^\s<>@]+@[^\s<>@]+$/.test(s.trim()) ? {name: '', address: s.trim().toLowerCase()} : null
}

export interface ComposeInput {
  ticket: Ticket
  events: readonly EventBase[]
  item: OutItem
  ids: readonly string[]
  wf: Workflow
  mail: MailConfig
  deskName: string | undefined
  /** Templates from the branch (`mail/NAME.md`); desk.json's win, then the built-in ones. */
  branchTemplates: Partial<Record<MailTemplateName, string>>
  /** The acting agent (the gateway's identity) for {{agent.*}} in acknowledgements and surveys. */
  actor: {email: string; name: string}
  /**
   * The requester's signed page on the portal (`BASE/t/TOKEN`), or null when the desk has no web
   * address: {{ticket.link}}, the survey's links and the built-in templates' "Follow" line.
   */
  link?: string | null
}

export function composeMessage(input: ComposeInput): Outgoing {
  const {ticket: t, events, item, mail} = input
  const sender = senderFor(mail, t.department, input.deskName)
  if (!sender) throw new Error('mail.address is not set in desk.json')
  const domain = sender.address.split('@')[1]!
  const sid = shortId(input.ids.length > 0 ? input.ids : [t.id], t.id)
  const own = ownAddresses(mail)
  const event = events.find((e) => e.id === item.eventId)
  // The conversation so far: incoming Message-IDs and the ones the desk sent, in order.
  const thread: string[] = []
  let lastIncoming: string | null = null
  let ccRaw: string[] = []
  for (const e of events) {
    if (e.id === item.eventId && e.type !== 'create') break // the create is the first message itself
    const m = mailOfEvent(e)
    if (m && typeof m.messageId === 'string' && e.type !== 'delivery') {
      thread.push(normalizeMessageId(m.messageId))
      lastIncoming = normalizeMessageId(m.messageId)
      if (e.type === 'create' && Array.isArray(m.cc)) ccRaw = m.cc.filter((x): x is string => typeof x === 'string')
    }
    if (e.type === 'delivery' && e.result === 'sent' && typeof e.messageId === 'string') thread.push(normalizeMessageId(e.messageId))
    if (e.id === item.eventId) break
  }
  const requester = {name: headerSafe(t.requester.name ?? '', 100), address: t.requester.email!.toLowerCase()}
  const cc =
    item.kind === 'ack'
      ? []
      : ccRaw
          .map(person)
          .filter((p): p is {name: string; address: string} => p !== null && !own.has(p.address) && p.address !== requester.address)
          .slice(0, MAX_CC)
  const author = event ? String(event.author ?? event.by) : input.actor.email
  const agent = item.kind === 'reply' ? {email: author, name: input.wf.agents.get(author.toLowerCase())?.name ?? author} : input.actor
  const values = templateValues(t, input.ids, input.wf, agent)
  const dept = t.department ? mail.departments.get(t.department) : undefined
  const signature = dept?.signature ?? input.wf.departments.get(t.department ?? '')?.signature ?? mail.name ?? input.deskName ?? ''
  const link = input.link ?? null
  const resolution = item.kind === 'resolved' && event && typeof event.resolution === 'string' ? event.resolution : (t.resolution ?? '')
  Object.assign(values, {
    'ticket.shortId': sid,
    'message.body': item.kind === 'reply' && event ? String(event.body ?? '') : '',
    'ticket.resolution': resolution,
    'ticket.link': link ?? '',
    survey: item.kind === 'resolved' ? surveyFor(link).text : '',
    signature,
    'mail.address': sender.address,
  })
  const template = mail.templates[item.kind] ?? input.branchTemplates[item.kind] ?? (link ? DEFAULT_LINK_TEMPLATES : DEFAULT_TEMPLATES)[item.kind]
  const body = renderMail(template, values)
  const title = headerSafe(t.title, 200)
  const subject = item.kind === 'resolved' ? `Resolved: ${title} [#${sid}]` : `Re: ${title} [#${sid}]`
  const auto = item.kind !== 'reply'
  return {
    key: item.key,
    ticket: t.id,
    from: {name: headerSafe(sender.name, 100), address: sender.address},
    to: [requester],
    cc,
    subject,
    text: body.text,
    html: body.html,
    messageId: outgoingMessageId(item.kind, item.eventId, t.id, domain),
    inReplyTo: lastIncoming,
    references: thread.slice(0, 1).concat(thread.slice(1).slice(-9)),
    headers: {
      'X-Tix-Ticket': t.id,
      ...(auto ? {'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All'} : {}),
    },
  }
}
