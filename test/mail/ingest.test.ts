// Received mail -> tickets, in-process against real git desks. Messages come from nodemailer's MIME
// composer, or are written by hand where the point is a charset or broken MIME.
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {ingestMessages, readSources} from '../../src/services/mail/ingest.js'
import {showOutbox} from '../../src/services/mail/send.js'
import {showCustomer} from '../../src/services/customers.js'
import {readAttachment} from '../../src/services/attachments.js'
import {showTicket, updateTicket} from '../../src/services/tickets.js'
import {changeStatus, note} from '../../src/domain/ticket/ticket-ops.js'
import {Chalk} from 'chalk'
import {ticketDetail} from '../../src/output/tickets.js'
import {makeDesk, tempDir} from '../helpers.js'
import {buildMessage, setMail} from './helpers.js'

async function mailDesk(mail: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  const d = await makeDesk()
  await setMail(d.desk, {address: 'help@example.com', name: 'Example Help', ...mail}, extra)
  return d
}

const ingestOne = async (desk: Parameters<typeof ingestMessages>[0], raw: Buffer, name = 'test') => (await ingestMessages(desk, [{name, raw}])).outcomes[0]!

describe('mail ingest: new tickets', () => {
  it('makes a ticket: title, body, requester, Cc, channel, department by address; the customer profile has it', async () => {
    const {desk} = await mailDesk({departments: {billing: {address: 'billing@example.com', name: 'Billing'}}}, {departments: {billing: {name: 'Billing'}}})
    const raw = await buildMessage({
      from: 'Ana Diaz <Ana@Example.org>',
      to: 'billing@example.com',
      cc: 'Bo <bo@example.org>, help@example.com',
      subject: 'Invoice 42 is wrong',
      text: 'The total is off by 10 EUR.\n\nAna',
      messageId: '<inv42@example.org>',
    })
    const o = await ingestOne(desk, raw)
    expect(o.result).toBe('created')
    const {ticket} = await showTicket(desk, (o as {ticket: string}).ticket)
    const t = ticket.ticket
    expect(t.title).toBe('Invoice 42 is wrong')
    expect(t.body).toContain('The total is off by 10 EUR.')
    expect(t.requester).toEqual({name: 'Ana Diaz', email: 'ana@example.org'})
    expect(t.channel).toBe('email')
    expect(t.department).toBe('billing')
    const create = ticket.events[0] as unknown as {mail: {messageId: string; cc: string[]}}
    expect(create.mail.messageId).toBe('<inv42@example.org>')
    expect(create.mail.cc).toEqual(['Bo <bo@example.org>', 'help@example.com'])
    // The full original stays attached, byte for byte.
    const original = (t.attachments ?? []).find((a) => a.name === 'original.eml')!
    expect(original.mediaType).toBe('message/rfc822')
    expect((await readAttachment(desk, original)).equals(raw)).toBe(true)
    const profile = await showCustomer(desk, 'ana@example.org')
    expect(profile.tickets.map((x) => x.id)).toEqual([t.id])
  })

  it('is idempotent by Message-ID: the same message twice changes nothing', async () => {
    const {desk} = await mailDesk()
    const raw = await buildMessage({from: 'a@example.org', to: 'help@example.com', subject: 'Once', text: 'x', messageId: '<once@example.org>'})
    const first = await ingestMessages(desk, [{name: 'a', raw}])
    const tip = desk.tip()
    const again = await ingestMessages(desk, [{name: 'b', raw}, {name: 'c', raw}])
    expect(first.outcomes[0]!.result).toBe('created')
    expect(again.outcomes.map((o) => o.result)).toEqual(['duplicate', 'duplicate'])
    expect(desk.tip()).toBe(tip)
    // A message without a Message-ID is recognised by its content.
    const noId = Buffer.from('From: b@example.org\r\nTo: help@example.com\r\nSubject: no id\r\n\r\nhello\r\n')
    expect((await ingestOne(desk, noId)).result).toBe('created')
    expect((await ingestOne(desk, noId)).result).toBe('duplicate')
  })

  it('runs the desk rules on a new ticket, as for any other', async () => {
    const {desk} = await mailDesk({}, {rules: [{name: 'urgent-subjects', on: ['create'], if: {title: 'URGENT'}, then: {priority: 'urgent'}}]})
    const o = await ingestOne(desk, await buildMessage({from: 'a@example.org', to: 'help@example.com', subject: 'URGENT: server down', text: 'down'}))
    const {ticket} = await showTicket(desk, (o as {ticket: string}).ticket)
    expect(ticket.ticket.priority).toBe('urgent')
  })
})

describe('mail ingest: threading', () => {
  it('threads by In-Reply-To, References and the subject token; a requester reply reopens pending and resolved tickets', async () => {
    const {desk} = await mailDesk()
    const o = await ingestOne(desk, await buildMessage({from: 'Ana <ana@example.org>', to: 'help@example.com', subject: 'VPN', text: 'VPN drops', messageId: '<vpn1@example.org>'}))
    const id = (o as {ticket: string}).ticket
    await updateTicket(desk, id, (t, ctx) => changeStatus(t, 'pending', {}, ctx))

    const r1 = await ingestOne(desk, await buildMessage({from: 'ana@example.org', to: 'help@example.com', subject: 'Re: VPN', text: 'Still drops.\n\nOn Mon, 1 Dec 2026 at 10:00, Help <help@example.com> wrote:\n> what is your OS?\n', inReplyTo: '<vpn1@example.org>', messageId: '<vpn2@example.org>'}))
    expect(r1).toMatchObject({result: 'reply', ticket: id, via: 'in-reply-to', reopened: true})
    let t = (await showTicket(desk, id)).ticket
    expect(t.ticket.status).toBe('open')
    expect(t.thread.at(-1)!.body).toBe('Still drops.')
    expect(t.thread.at(-1)!.author).toBe('ana@example.org')

    const r2 = await ingestOne(desk, await buildMessage({from: 'ana@example.org', to: 'help@example.com', subject: 'more', text: 'And more', references: ['<unknown@x>', '<vpn2@example.org>'], messageId: '<vpn3@example.org>'}))
    expect(r2).toMatchObject({result: 'reply', ticket: id, via: 'references'})

    await updateTicket(desk, id, (tk, ctx) => changeStatus(tk, 'resolved', {resolution: 'New profile'}, ctx))
    const r3 = await ingestOne(desk, await buildMessage({from: 'ana@example.org', to: 'help@example.com', subject: `Re: VPN [#${id.slice(0, 5)}]`, text: 'It is back.', messageId: '<vpn4@example.org>'}))
    expect(r3).toMatchObject({result: 'reply', ticket: id, via: 'subject', reopened: true})
    t = (await showTicket(desk, id)).ticket
    expect(t.ticket.status).toBe('open')
    expect(t.thread.filter((e) => e.kind === 'reply')).toHaveLength(3)
  })

  it('a message to a closed ticket becomes a follow-up ticket', async () => {
    const {desk} = await mailDesk()
    const o = await ingestOne(desk, await buildMessage({from: 'ana@example.org', to: 'help@example.com', subject: 'Old', text: 'x', messageId: '<old@example.org>'}))
    const id = (o as {ticket: string}).ticket
    await updateTicket(desk, id, (t, ctx) => changeStatus(t, 'closed', {resolution: 'done'}, ctx))
    const r = await ingestOne(desk, await buildMessage({from: 'ana@example.org', to: 'help@example.com', subject: 'Re: Old', text: 'again', inReplyTo: '<old@example.org>'}))
    expect(r.result).toBe('created')
    const {ticket} = await showTicket(desk, (r as {ticket: string}).ticket)
    expect(ticket.ticket.body).toContain(`Follow-up of closed ticket ${id.slice(0, 5)}`)
  })

  it('trims quoted history in Russian and Arabic ("... пишет:", "... كتب:") and signatures', async () => {
    const {desk} = await mailDesk()
    const o = await ingestOne(desk, await buildMessage({from: 'ivan@example.org', to: 'help@example.com', subject: 'Принтер', text: 'Принтер не печатает.', messageId: '<ru1@example.org>'}))
    const id = (o as {ticket: string}).ticket
    await ingestOne(desk, await buildMessage({from: 'ivan@example.org', to: 'help@example.com', subject: 'Re: Принтер', inReplyTo: '<ru1@example.org>', text: 'Спасибо, заработало.\n\n1 дек. 2026 г., в 10:00, Help <help@example.com> пишет:\n> Перезагрузите его.\n'}))
    await ingestOne(desk, await buildMessage({from: 'ivan@example.org', to: 'help@example.com', subject: 'Re', inReplyTo: '<ru1@example.org>', text: 'شكرا لك\n\nفي الثلاثاء، 1 ديسمبر 2026، Help <help@example.com> كتب:\n> أعد تشغيله\n'}))
    await ingestOne(desk, await buildMessage({from: 'ivan@example.org', to: 'help@example.com', subject: 'Re', inReplyTo: '<ru1@example.org>', text: 'Works now.\n\n-- \nIvan Petrov\nACME Corp'}))
    const {thread} = (await showTicket(desk, id)).ticket
    expect(thread.map((e) => e.body)).toEqual(['Спасибо, заработало.', 'شكرا لك', 'Works now.'])
  })
})

describe('mail ingest: charsets and encodings', () => {
  const hand = (headers: string, body: string | Buffer) => Buffer.concat([Buffer.from(headers.replace(/\n/g, '\r\n') + '\r\n\r\n', 'latin1'), Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1')])

  it('decodes windows-1256 (Arabic), KOI8-R (Russian), UTF-8 with RTL marks, quoted-printable and base64', async () => {
    const {desk} = await mailDesk()
    const arabic = 'مرحبا، الطابعة لا تعمل'
    const russian = 'Здравствуйте, принтер не работает'
    // windows-1256 bytes by hand (the code page maps Arabic letters to 0xC1..): encode with TextDecoder's inverse table.
    const cp1256 = encodeWith('windows-1256', arabic)
    const koi8 = encodeWith('koi8-r', russian)
    const msgs = [
      hand(`From: a1@example.org\nTo: help@example.com\nSubject: =?windows-1256?B?${cp1256.toString('base64')}?=\nMessage-ID: <cs1@x>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=windows-1256\nContent-Transfer-Encoding: 8bit`, cp1256),
      hand(`From: a2@example.org\nTo: help@example.com\nSubject: =?koi8-r?Q?${qEncode(koi8)}?=\nMessage-ID: <cs2@x>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=koi8-r\nContent-Transfer-Encoding: base64`, Buffer.from(koi8.toString('base64'))),
      await buildMessage({from: 'a3@example.org', to: 'help@example.com', subject: '\u200Fسلام دنیا\u200F', text: '\u200Fپرینتر کار نمی‌کند\u200F', messageId: '<cs3@x>', textEncoding: 'quoted-printable'}),
      await buildMessage({from: 'a4@example.org', to: 'help@example.com', subject: 'Grüße', text: 'Übergröße — naïve café', messageId: '<cs4@x>', textEncoding: 'base64'}),
    ]
    const res = await ingestMessages(desk, msgs.map((raw, i) => ({name: `m${i}`, raw})))
    const got = await Promise.all(res.outcomes.map(async (o) => (await showTicket(desk, (o as {ticket: string}).ticket)).ticket.ticket))
    expect(got[0]!.title).toBe(arabic)
    expect(got[0]!.body).toBe(arabic)
    expect(got[1]!.title).toBe(russian)
    expect(got[1]!.body).toBe(russian)
    expect(got[2]!.title).toBe('\u200Fسلام دنیا\u200F')
    expect(got[2]!.body).toBe('\u200Fپرینتر کار نمی‌کند\u200F')
    expect(got[3]!.body).toBe('Übergröße — naïve café')
  })

  it('uses the HTML part converted to text when there is no plain text', async () => {
    const {desk} = await mailDesk()
    const o = await ingestOne(desk, await buildMessage({from: 'h@example.org', to: 'help@example.com', subject: 'HTML only', html: '<p>Hello <b>team</b>,</p><p>the <a href="https://example.org/x">portal</a> is down.</p><script>alert(1)</script>'}))
    const {ticket} = await showTicket(desk, (o as {ticket: string}).ticket)
    expect(ticket.ticket.body).toContain('Hello team,')
    expect(ticket.ticket.body).toContain('portal [https://example.org/x] is down.')
    expect(ticket.ticket.body).not.toContain('<b>')
  })
})

/** Bytes of `text` in a single-byte code page, found by inverting TextDecoder's table. */
function encodeWith(encoding: string, text: string): Buffer {
  const dec = new TextDecoder(encoding)
  const table = new Map<string, number>()
  for (let b = 0; b < 256; b++) table.set(dec.decode(Uint8Array.of(b)), b)
  return Buffer.from([...text].map((ch) => {
    const b = table.get(ch)
    if (b === undefined) throw new Error(`${ch} has no byte in ${encoding}`)
    return b
  }))
}

const qEncode = (b: Buffer) => [...b].map((x) => (x === 0x20 ? '_' : `=${x.toString(16).toUpperCase().padStart(2, '0')}`)).join('')

describe('mail ingest: no loops', () => {
  it('holds the acknowledgement for auto-submitted, bulk/list, X-Autoreply and own-address mail, and rate-limits per sender', async () => {
    const {desk} = await mailDesk({ackPerHour: 2, departments: {}})
    const base = {to: 'help@example.com', text: 'x'}
    const cases: [Record<string, unknown>, string | null][] = [
      [{from: 'ooo@example.org', subject: 'Out of office', headers: {'Auto-Submitted': 'auto-replied'}}, 'auto-submitted'],
      [{from: 'news@example.org', subject: 'News', headers: {Precedence: 'bulk'}}, 'precedence'],
      [{from: 'list@example.org', subject: 'List', headers: {Precedence: 'list'}}, 'precedence'],
      [{from: 'ar@example.org', subject: 'AR', headers: {'X-Autoreply': 'yes'}}, 'autoreply-header'],
      [{from: 'help@example.com', subject: 'Own', headers: {}}, 'own-address'],
      [{from: 'ok@example.org', subject: 'Human', headers: {'Auto-Submitted': 'no'}}, null],
    ]
    for (const [opts, why] of cases) {
      const o = (await ingestOne(desk, await buildMessage({...base, ...opts}))) as {noAck: string | null; acknowledged: boolean}
      expect(o.noAck, String(opts.subject)).toBe(why)
      expect(o.acknowledged).toBe(why === null)
    }
    // Rate limit: the third new ticket within the hour from one sender gets no acknowledgement.
    const acks: boolean[] = []
    for (let i = 0; i < 3; i++) acks.push(((await ingestOne(desk, await buildMessage({...base, from: 'many@example.org', subject: `n${i}`}))) as {acknowledged: boolean}).acknowledged)
    expect(acks).toEqual([true, true, false])
    const box = await showOutbox(desk, {all: true})
    expect(box.filter((i) => i.kind === 'ack' && i.state === 'due').map((i) => i.to).sort()).toEqual(['many@example.org', 'many@example.org', 'ok@example.org'])
    expect(box.filter((i) => i.state === 'held')).toHaveLength(6)
  })

  it('records a DSN bounce as a failed delivery of the message it names, shown by tix show', async () => {
    const {desk} = await mailDesk()
    const o = await ingestOne(desk, await buildMessage({from: 'gone@example.org', to: 'help@example.com', subject: 'Bye', text: 'x'}))
    const id = (o as {ticket: string}).ticket
    const {ticket} = await showTicket(desk, id)
    const ackId = `<tix.ack.${ticket.events[0]!.id}.${id}@example.com>`
    const dsn = await buildMessage({
      from: 'MAILER-DAEMON@mx.example.org',
      to: 'help@example.com',
      subject: 'Undelivered Mail Returned to Sender',
      headers: {'Auto-Submitted': 'auto-replied'},
      // nodemailer builds the multipart/report from these parts.
      alternatives: [],
      attachments: [
        {contentType: 'message/delivery-status', content: 'Reporting-MTA: dns; mx.example.org\r\n\r\nFinal-Recipient: rfc822; gone@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 user unknown\r\n'},
        {contentType: 'text/rfc822-headers', content: `From: help@example.com\r\nTo: gone@example.org\r\nMessage-ID: ${ackId}\r\nSubject: Re: Bye\r\n`},
      ],
    })
    // Make it a report: the composer writes multipart/mixed; a DSN says multipart/report.
    const report = Buffer.from(dsn.toString('latin1').replace(/Content-Type: multipart\/mixed;/i, 'Content-Type: multipart/report; report-type=delivery-status;'), 'latin1')
    const b = await ingestOne(desk, report)
    expect(b).toMatchObject({result: 'bounce', ticket: id})
    const after = (await showTicket(desk, id)).ticket
    expect(after.ticket.mailFailures).toEqual([expect.objectContaining({key: `ack:${ticket.events[0]!.id}`, result: 'bounced', error: expect.stringContaining('5.1.1')})])
    expect(after.thread).toHaveLength(0) // a bounce is no message from the requester
    const lines = ticketDetail(after, [id], {color: new Chalk({level: 0}), columns: 100, now: new Date()}).join('\n')
    expect(lines).toContain('Mail not delivered:')
    expect(lines).toContain('bounced')
  })
})

describe('mail ingest: hostile mail', () => {
  it('survives malformed MIME, keeps escape sequences as given and prints them neutralised, and blocks header injection', async () => {
    const {desk} = await mailDesk()
    const broken = Buffer.from(
      'From: "Evil\r\n Bcc: victim@example.org" <evil@example.org>\r\nTo: help@example.com\r\nSubject: \u001b]0;pwned\u0007Hi \u001b[31mred\r\nContent-Type: multipart/mixed; boundary="nope"\r\nMIME-Version: 1.0\r\n\r\n--wrong\r\nContent-Type: text/plain\r\n\r\nbody \u001b[2J text\r\n--nope\r\nContent-Type: text/plain; charset=no-such-charset\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!not base64***\r\n',
      'latin1',
    )
    const o = await ingestOne(desk, broken)
    expect(o.result).toBe('created')
    const {ticket} = await showTicket(desk, (o as {ticket: string}).ticket)
    expect(ticket.ticket.title).toContain('\u001b]0;pwned\u0007Hi \u001b[31mred') // stored as given
    expect(ticket.ticket.requester.email).toBe('evil@example.org')
    const shown = ticketDetail(ticket, [ticket.ticket.id], {color: new Chalk({level: 0}), columns: 100, now: new Date()}).join('\n')
    expect(shown).not.toContain('\u001b')
    expect(shown).toContain('\\x1b')
  })

  it('drops a 30 MB attachment with a note, keeps an attachment-only message, and takes thousands of recipients', async () => {
    const {desk} = await mailDesk({}, {attachments: {maxBytes: 10 * 1024 * 1024}})
    const big = Buffer.alloc(30 * 1024 * 1024, 7)
    const o1 = await ingestOne(desk, await buildMessage({from: 'big@example.org', to: 'help@example.com', subject: 'Logs', text: 'see attached', attachments: [{filename: 'huge.bin', content: big}, {filename: 'small.txt', content: 'ok'}]}))
    const t1 = (await showTicket(desk, (o1 as {ticket: string}).ticket)).ticket.ticket
    expect(t1.body).toContain('[Attachment dropped: huge.bin (application/octet-stream, 30 MB) is over the 10 MB limit.]')
    expect(t1.body).toContain('[Attachment dropped: original.eml (the whole message)')
    expect((t1.attachments ?? []).map((a) => a.name)).toEqual(['small.txt'])
    const o2 = await ingestOne(desk, await buildMessage({from: 'att@example.org', to: 'help@example.com', subject: '', attachments: [{filename: 'scan.pdf', content: Buffer.from('%PDF-1.4 fake'), contentType: 'application/pdf'}]}))
    const t2 = (await showTicket(desk, (o2 as {ticket: string}).ticket)).ticket.ticket
    expect(t2.title).toBe('(no subject)')
    expect(t2.body).toBe('(no text; the message has only attachments: scan.pdf)')
    expect((t2.attachments ?? []).map((a) => [a.name, a.mediaType])).toEqual([['scan.pdf', 'application/pdf'], ['original.eml', 'message/rfc822']])
    const many = Array.from({length: 3000}, (_, i) => `u${i}@example.net`)
    const o3 = await ingestOne(desk, await buildMessage({from: 'spam@example.org', to: many.slice(0, 1500).concat('help@example.com'), cc: many.slice(1500), subject: 'All', text: 'hi'}))
    const l3 = (await showTicket(desk, (o3 as {ticket: string}).ticket)).ticket
    const mail = l3.events[0]!.mail as {cc: string[]; ccDropped: number; to: string[]}
    expect(mail.cc).toHaveLength(500)
    expect(mail.ccDropped).toBe(1000)
    expect(mail.to).toHaveLength(50)
  })

  it('reads maildirs, mbox files and .eml files', async () => {
    const {desk} = await mailDesk()
    const dir = tempDir('tix-maildir-')
    const md = join(dir, 'Maildir')
    for (const d of ['new', 'cur', 'tmp']) mkdirSync(join(md, d), {recursive: true})
    writeFileSync(join(md, 'new', '1.a'), await buildMessage({from: 'x@example.org', to: 'help@example.com', subject: 'md1', text: 'a'}))
    writeFileSync(join(md, 'cur', '2.b:2,S'), await buildMessage({from: 'x@example.org', to: 'help@example.com', subject: 'md2', text: 'b'}))
    const one = await buildMessage({from: 'y@example.org', to: 'help@example.com', subject: 'mb1', text: 'From the start\nline'})
    const two = await buildMessage({from: 'y@example.org', to: 'help@example.com', subject: 'mb2', text: 'two'})
    const mbox = `From y@example.org Mon Dec  1 10:00:00 2026\n${one.toString('latin1').replace(/\r\n/g, '\n').replace(/^From /gm, '>From ')}\n\nFrom y@example.org Mon Dec  1 10:01:00 2026\n${two.toString('latin1').replace(/\r\n/g, '\n')}\n`
    writeFileSync(join(dir, 'box.mbox'), mbox, 'latin1')
    writeFileSync(join(dir, 'one.eml'), await buildMessage({from: 'z@example.org', to: 'help@example.com', subject: 'eml', text: 'c'}))
    const sources = readSources([md, join(dir, 'box.mbox'), join(dir, 'one.eml')])
    const res = await ingestMessages(desk, sources, {batch: 2})
    expect(res.outcomes.map((o) => o.result)).toEqual(['created', 'created', 'created', 'created', 'created'])
    expect(res.commits).toHaveLength(3)
    const titles = await Promise.all(res.outcomes.map(async (o) => (await showTicket(desk, (o as {ticket: string}).ticket)).ticket.ticket))
    expect(titles.map((t) => t.title)).toEqual(['md1', 'md2', 'mb1', 'mb2', 'eml'])
    expect(titles[2]!.body).toContain('From the start')
  })

  it('never sends internal notes: a ticket with only notes has an ack in the outbox and nothing else', async () => {
    const {desk} = await mailDesk()
    const o = await ingestOne(desk, await buildMessage({from: 'n@example.org', to: 'help@example.com', subject: 'Notes', text: 'x'}))
    await updateTicket(desk, (o as {ticket: string}).ticket, (t, ctx) => note(t, 'secret internal note', ctx))
    const box = await showOutbox(desk, {all: true})
    expect(box.map((i) => i.kind)).toEqual(['ack'])
  })
})
