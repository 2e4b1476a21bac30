// The pure parts of the mail channel: desk.json validation, threading and loop decisions, the
// outbox read from events, claims, templates.
import {describe, expect, it} from 'vitest'
import {validateDesk} from '../../src/domain/config/config.js'
import '../../src/domain/mail/config.js'
import '../../src/domain/workflow/workflow-config.js'
import {decideThread, noAutoAnswer, outgoingMessageId, parseOurMessageId, surveyAnswer, titleFromSubject, type InboundMail} from '../../src/domain/mail/inbound.js'
import {claimIsOurs, outItems} from '../../src/domain/mail/outbound.js'
import {markdownToHtml, renderMail} from '../../src/domain/mail/templates.js'
import type {EventBase} from '../../src/domain/ticket/events.js'
import {foldTicket} from '../../src/domain/ticket/fold.js'

const mail = (over: Partial<InboundMail> = {}): InboundMail => ({
  messageId: '<m@x>',
  inReplyTo: [],
  references: [],
  subject: 's',
  from: {name: null, address: 'a@example.org'},
  to: ['help@example.com'],
  cc: [],
  deliveredTo: [],
  headers: new Map(),
  text: 'hi',
  dsn: null,
  ...over,
})

describe('desk.json mail section', () => {
  it('refuses anything that looks like a password, naming its JSON path', () => {
    const paths = (mailSection: unknown) => validateDesk({version: 1, mail: mailSection}).map((p) => p.path)
    expect(paths({address: 'help@example.com', password: 'x'})).toContain('mail.password')
    expect(paths({address: 'help@example.com', smtp: 'smtp://h'})).toContain('mail.smtp')
    expect(paths({address: 'help@example.com', name: 'smtps://desk:hunter2@smtp.example.com'})).toContain('mail.name')
    expect(paths({address: 'help@example.com', templates: {ack: 'imap://u:p@h {{ticket.id}}'}})).toContain('mail.templates.ack')
    expect(paths({address: 'not an address'})).toEqual(['mail.address'])
    expect(paths({address: 'help@example.com', webUrl: 'https://u:p@help.example.com'})).toContain('mail.webUrl')
    expect(paths({address: 'help@example.com', templates: {ack: 'Hi {{ticket.nope}}'}})).toEqual(['mail.templates.ack'])
    expect(validateDesk({version: 1, mail: {address: 'help@example.com', departments: {billing: {address: 'b@example.com'}}}}).map((p) => p.path)).toEqual(['mail.departments.billing'])
    expect(validateDesk({version: 1, departments: {billing: {name: 'Billing'}}, mail: {address: 'help@example.com', webUrl: 'https://help.example.com', departments: {billing: {address: 'b@example.com', acknowledge: false}}, templates: {resolved: '{{ticket.resolution}} {{survey}}'}}})).toEqual([])
  })
})

describe('inbound decisions', () => {
  it('knows automatic mail and its own addresses', () => {
    const own = new Set(['help@example.com'])
    expect(noAutoAnswer(mail(), own)).toBeNull()
    expect(noAutoAnswer(mail({headers: new Map([['auto-submitted', 'auto-generated']])}), own)).toBe('auto-submitted')
    expect(noAutoAnswer(mail({headers: new Map([['auto-submitted', 'no']])}), own)).toBeNull()
    expect(noAutoAnswer(mail({headers: new Map([['precedence', 'junk']])}), own)).toBe('precedence')
    expect(noAutoAnswer(mail({headers: new Map([['list-id', '<l.example.org>']])}), own)).toBe('mailing-list')
    expect(noAutoAnswer(mail({from: {name: null, address: 'help@example.com'}}), own)).toBe('own-address')
    expect(noAutoAnswer(mail({from: {name: null, address: 'MAILER-DAEMON@mx.example.org'.toLowerCase()}}), own)).toBe('no-sender')
  })

  it('threads by our own Message-IDs without a lookup, and reads survey answers', () => {
    const id = outgoingMessageId('resolved', 'EVT123', '7K3F9ABCDE', 'example.com')
    expect(parseOurMessageId(id)).toEqual({kind: 'resolved', eventId: 'EVT123', ticket: '7K3F9ABCDE'})
    const none = {byMessageId: () => null, byToken: () => null}
    expect(decideThread(mail({inReplyTo: [id], text: '4\n\n> How did we do?'}), none)).toEqual({kind: 'rating', ticket: '7K3F9ABCDE', score: 4, comment: '> How did we do?'})
    expect(decideThread(mail({inReplyTo: [id], text: 'It broke again'}), none)).toEqual({kind: 'reply', ticket: '7K3F9ABCDE', via: 'in-reply-to'})
    expect(decideThread(mail({subject: 'Re: x [#7k3f9]'}), {byMessageId: () => null, byToken: (t) => (t === '7K3F9' ? '7K3F9ABCDE' : null)})).toEqual({kind: 'reply', ticket: '7K3F9ABCDE', via: 'subject'})
    expect(decideThread(mail(), {byMessageId: (m) => (m === '<m@x>' ? 'T' : null), byToken: () => null})).toEqual({kind: 'duplicate'})
    expect(surveyAnswer('5/5 great')).toEqual({score: 5, comment: 'great'})
    expect(surveyAnswer('12 things went wrong')).toBeNull()
    expect(titleFromSubject('Re: AW: Fwd: Printer [#7K3F9]')).toBe('Printer')
    expect(titleFromSubject('Ответ: Принтер')).toBe('Принтер')
  })
})

describe('the outbox, read from events', () => {
  const ev = (type: string, seq: number, extra: Record<string, unknown> = {}, at = '2026-12-01T10:00:00.000Z'): EventBase => ({v: 1, id: `E${seq}`, seq, at, by: 'agent@example.com', type, ...extra})
  const events = [
    ev('create', 1, {title: 't', body: 'b', requester: {name: null, email: 'r@example.org'}, channel: 'email', mail: {messageId: '<in@x>', noAck: null}}),
    ev('note', 2, {body: 'internal'}),
    ev('reply', 3, {body: 'public'}),
    ev('reply', 4, {body: 'from the requester', author: 'r@example.org', mail: {messageId: '<in2@x>'}}),
    ev('status', 5, {from: 'open', to: 'resolved', resolution: 'done'}),
  ]
  const opts = {now: new Date('2026-12-01T10:05:00.000Z'), leaseMs: 600_000, maxAgeMs: 7 * 86_400_000, acknowledge: () => true}

  it('owes an ack, the agent reply and the resolution; never a note or the requester\'s own words', () => {
    const t = foldTicket('TICKET0001', events).ticket
    expect(outItems(t, events, opts).map((i) => [i.key, i.state])).toEqual([['ack:E1', 'due'], ['reply:E3', 'due'], ['resolved:E5', 'due']])
    expect(outItems({...t, channel: 'web'}, events, opts)).toEqual([])
  })

  it('claims, deliveries, failures with backoff; the first claim pushed wins', () => {
    const more = [
      ...events,
      {...ev('mail-claim', 6, {key: 'ack:E1', gateway: 'g1', until: '2026-12-01T10:10:00.000Z'}), id: 'C6'},
      {...ev('delivery', 7, {key: 'ack:E1', result: 'sent', messageId: '<o@x>'}), id: 'D7'},
      {...ev('delivery', 7, {key: 'reply:E3', result: 'failed', error: '451 try later'}, '2026-12-01T09:00:00.000Z'), id: 'F7'},
      {...ev('mail-claim', 8, {key: 'resolved:E5', gateway: 'g2', until: '2026-12-01T10:10:00.000Z'}), id: 'C8'},
    ]
    const t = foldTicket('TICKET0001', more).ticket
    expect(outItems(t, more, opts).map((i) => [i.key, i.state, i.attempts])).toEqual([['ack:E1', 'sent', 0], ['reply:E3', 'due', 1], ['resolved:E5', 'claimed', 0]])
    // After the lease, a claim without a delivery is due again.
    expect(outItems(t, more, {...opts, now: new Date('2026-12-01T10:11:00.000Z')}).find((i) => i.key === 'resolved:E5')!.state).toBe('due')
    const claims = [
      ev('mail-claim', 6, {key: 'ack:E1', gateway: 'theirs', until: '2026-12-01T10:10:00.000Z'}, '2026-12-01T10:01:00.000Z'),
      {...ev('mail-claim', 6, {key: 'ack:E1', gateway: 'ours', until: '2026-12-01T10:10:00.000Z'}, '2026-12-01T10:00:30.000Z'), id: 'OURS'},
    ]
    expect(claimIsOurs([...events, ...claims], 'ack:E1', 'OURS', opts.now)).toBe(false)
    expect(claimIsOurs([...events, claims[1]!], 'ack:E1', 'OURS', opts.now)).toBe(true)
    // An expired claim of another gateway does not stop us.
    expect(claimIsOurs([...events, claims[0]!, claims[1]!], 'ack:E1', 'OURS', new Date('2026-12-01T10:11:00.000Z'))).toBe(true)
  })

  it('backs off after failures and marks old mail stale', () => {
    const failed = [...events, ev('delivery', 6, {key: 'reply:E3', result: 'failed', error: 'x'}, '2026-12-01T10:04:30.000Z')]
    const t = foldTicket('TICKET0001', failed).ticket
    const reply = outItems(t, failed, opts).find((i) => i.key === 'reply:E3')!
    expect(reply).toMatchObject({state: 'waiting', attempts: 1, nextAt: '2026-12-01T10:05:30.000Z'})
    expect(t.mailFailures).toEqual([{key: 'reply:E3', at: '2026-12-01T10:04:30.000Z', result: 'failed', error: 'x', attempts: 1}])
    const late = outItems(t, failed, {...opts, now: new Date('2026-12-20T00:00:00.000Z')})
    expect(late.find((i) => i.key === 'ack:E1')!.state).toBe('stale')
    expect(late.find((i) => i.key === 'reply:E3')!.state).toBe('due') // a retry is not stale
  })
})

describe('templates', () => {
  it('escapes every value in HTML and keeps the text as written', () => {
    const r = renderMail('Hi {{ticket.requester.name}}, **{{ticket.shortId}}**\n\n{{message.body}}', {'ticket.requester.name': '<img src=x onerror=alert(1)>', 'ticket.shortId': '7K3F9', 'message.body': 'see https://example.org/a?b=1&c="2" and </p><script>'})
    expect(r.text).toContain('Hi <img src=x onerror=alert(1)>, 7K3F9')
    expect(r.html).not.toMatch(/<img|<script/)
    expect(r.html).toContain('&lt;img src=x onerror=alert(1)&gt;')
    expect(r.html).toContain('<strong>7K3F9</strong>')
    expect(markdownToHtml('- a\n- b')).toContain('<ul><li>a</li><li>b</li></ul>')
  })
})
