// What goes out, checked at a real SMTP server (smtp-server on 127.0.0.1): acknowledgements,
// replies from another clone, resolutions with the survey; threading headers; exactly once with two
// gateways; retries with backoff; internal notes never.
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {Chalk} from 'chalk'
import {ingestMessages} from '../../src/services/mail/ingest.js'
import {sendOutbox, showOutbox, smtpTransport} from '../../src/services/mail/send.js'
import {publisher} from '../../src/services/mail/gateway.js'
import {showTicket, updateTicket} from '../../src/services/tickets.js'
import {changeStatus, note, reply} from '../../src/domain/ticket/ticket-ops.js'
import {claimEvent} from '../../src/domain/mail/outbound.js'
import {ticketDetail} from '../../src/output/tickets.js'
import {Desk} from '../../src/store/desk.js'
import {makeDesk, testIO} from '../helpers.js'
import {syncWith, team} from '../sync/helpers.js'
import {buildMessage, setMail, startSmtp, type SmtpSink} from './helpers.js'

let sink: SmtpSink
beforeAll(async () => {
  sink = await startSmtp()
})
afterAll(async () => {
  await sink.close()
})

const since = () => sink.messages.length
const smtpEnv = () => ({TIX_SMTP_URL: sink.url})

describe('mail send', () => {
  it('end to end on two clones: ack, an agent reply from another clone, the requester answers, resolve, survey answer -> rating; notes never go out', async () => {
    const {clones} = await team(2, {names: ['Gate', 'Agent']})
    const [gate, agent] = clones as [typeof clones[0], typeof clones[0]]
    gate.desk = await Desk.open(testIO(gate.dir, {...gate.env, ...smtpEnv()}, gate.warnings))
    await setMail(gate.desk, {address: 'help@example.com', name: 'ACME Help'})
    const start = since()
    const inbound = await buildMessage({from: 'Ana Diaz <ana@example.org>', to: 'help@example.com', cc: 'Bo <bo@example.org>', subject: 'Printer jams', text: 'The printer jams.', messageId: '<p1@example.org>'})
    const o = (await ingestMessages(gate.desk, [{name: 'in', raw: inbound}])).outcomes[0] as {ticket: string; shortId: string}
    const publish = await publisher(gate.desk)
    expect(publish).not.toBeNull()
    let r = await sendOutbox(gate.desk, {publish})
    expect(r.sent).toHaveLength(1)
    const ack = sink.messages[start]!
    expect(ack.to).toEqual(['ana@example.org'])
    expect(ack.parsed.subject).toBe(`Re: Printer jams [#${o.shortId}]`)
    expect(ack.parsed.inReplyTo).toBe('<p1@example.org>')
    expect(ack.parsed.headers.get('auto-submitted')).toBe('auto-replied')
    expect(ack.parsed.text).toContain(`filed it as ticket ${o.shortId}`)
    expect(ack.parsed.html).toContain(`<strong>${o.shortId}</strong>`)
    expect(ack.parsed.from!.value[0]).toMatchObject({name: 'ACME Help', address: 'help@example.com'})

    // The agent, on another clone, writes a note and a public reply, and syncs.
    await syncWith(agent)
    await updateTicket(agent.desk, o.ticket, (t, ctx) => note(t, 'INTERNAL: customer is on the old firmware', ctx))
    await updateTicket(agent.desk, o.ticket, (t, ctx) => reply(t, 'Please pull the green lever <b>twice</b>.', ctx))
    await syncWith(agent)
    r = await sendOutbox(gate.desk, {publish})
    expect(r.sent).toHaveLength(0) // the gateway has not synced yet
    await syncWith(gate)
    r = await sendOutbox(gate.desk, {publish})
    expect(r.sent).toHaveLength(1)
    const rep = sink.messages.at(-1)!
    expect(rep.to.sort()).toEqual(['ana@example.org', 'bo@example.org'])
    expect(rep.parsed.subject).toBe(`Re: Printer jams [#${o.shortId}]`)
    expect(rep.parsed.text).toContain('Please pull the green lever <b>twice</b>.')
    expect(rep.parsed.html).toContain('&lt;b&gt;twice&lt;/b&gt;')
    expect(rep.parsed.html).not.toContain('<b>twice')
    expect(rep.parsed.inReplyTo).toBe('<p1@example.org>')
    expect(rep.parsed.references).toEqual(['<p1@example.org>', ack.parsed.messageId])
    expect(rep.parsed.headers.get('auto-submitted')).toBeUndefined()

    // The requester answers the reply: same ticket.
    const answer = await buildMessage({from: 'ana@example.org', to: 'help@example.com', subject: `Re: Printer jams [#${o.shortId}]`, text: 'Done, it works.', inReplyTo: rep.parsed.messageId, references: ['<p1@example.org>', rep.parsed.messageId!]})
    const back = (await ingestMessages(gate.desk, [{name: 'answer', raw: answer}])).outcomes[0]!
    expect(back).toMatchObject({result: 'reply', ticket: o.ticket, via: 'in-reply-to'})

    // Resolve on the agent clone; the resolution and survey go out from the gateway.
    await syncWith(gate)
    await syncWith(agent)
    await updateTicket(agent.desk, o.ticket, (t, ctx) => changeStatus(t, 'resolved', {resolution: 'Cleared the paper path.'}, ctx))
    await syncWith(agent)
    await syncWith(gate)
    r = await sendOutbox(gate.desk, {publish})
    expect(r.sent.map((s) => s.key.split(':')[0])).toEqual(['resolved'])
    const res = sink.messages.at(-1)!
    expect(res.parsed.subject).toBe(`Resolved: Printer jams [#${o.shortId}]`)
    expect(res.parsed.text).toContain('Cleared the paper path.')
    expect(res.parsed.text).toContain('Reply to this message with a number from 1 (very bad) to 5 (excellent)')
    // The survey answer comes back as a rating, not a reply.
    const vote = await buildMessage({from: 'ana@example.org', to: 'help@example.com', subject: `Re: ${res.parsed.subject}`, text: '5 - quick and friendly\n\n> How did we do?', inReplyTo: res.parsed.messageId})
    const rated = (await ingestMessages(gate.desk, [{name: 'vote', raw: vote}])).outcomes[0]!
    expect(rated).toMatchObject({result: 'rating', ticket: o.ticket, score: 5})
    const t = (await showTicket(gate.desk, o.ticket)).ticket
    expect(t.ticket.satisfaction).toMatchObject({rating: 'good', score: 5, comment: expect.stringContaining('quick and friendly')})
    expect(t.ticket.status).toBe('resolved')
    // Nothing carried the note; nothing was sent twice.
    const mine = sink.messages.slice(start)
    expect(mine.some((m) => m.raw.toString('utf8').includes('INTERNAL'))).toBe(false)
    expect(new Set(mine.map((m) => m.parsed.messageId)).size).toBe(mine.length)
    expect(mine).toHaveLength(3)
    r = await sendOutbox(gate.desk, {publish})
    expect(r.sent).toHaveLength(0)
  }, 240_000)

  it('two gateways at once: every message is delivered exactly once', async () => {
    const {clones} = await team(2, {names: ['GwA', 'GwB']})
    const [a, b] = clones as [typeof clones[0], typeof clones[0]]
    await setMail(a.desk, {address: 'help@example.com'})
    const raws = await Promise.all(Array.from({length: 12}, (_, i) => buildMessage({from: `r${i}@example.org`, to: 'help@example.com', subject: `Q${i}`, text: 'q'})))
    await ingestMessages(a.desk, raws.map((raw, i) => ({name: `m${i}`, raw})))
    await syncWith(a)
    await syncWith(b)
    const start = since()
    const [ta, tb] = [await smtpTransport(new URL(sink.url)), await smtpTransport(new URL(sink.url))]
    try {
      const [ra, rb] = await Promise.all([
        sendOutbox(a.desk, {publish: await publisher(a.desk), transport: ta, batch: 4}),
        sendOutbox(b.desk, {publish: await publisher(b.desk), transport: tb, batch: 4}),
      ])
      expect(ra.sent.length + rb.sent.length).toBe(12)
      expect(ra.sent.length + rb.sent.length + ra.skipped.length + rb.skipped.length).toBeGreaterThanOrEqual(12)
    } finally {
      ta.close()
      tb.close()
    }
    const ids = sink.messages.slice(start).map((m) => m.parsed.messageId)
    expect(ids).toHaveLength(12)
    expect(new Set(ids).size).toBe(12)
    // Once both have each other's deliveries, both agree nothing is left.
    await syncWith(a)
    await syncWith(b)
    await syncWith(a)
    expect((await showOutbox(a.desk)).length).toBe(0)
    expect((await showOutbox(b.desk)).length).toBe(0)
  }, 240_000)

  it('a failed send is retried with backoff and shown in tix show and the outbox; a stale claim is retried after the lease', async () => {
    const {dir, desk} = await makeDesk()
    await setMail(desk, {address: 'help@example.com', leaseMinutes: 10})
    const o = (await ingestMessages(desk, [{name: 'x', raw: await buildMessage({from: 'Nope <nope@example.org>', to: 'help@example.com', subject: 'Fail', text: 'x'})}])).outcomes[0] as {ticket: string}
    const t0 = Date.now()
    const at = (ms: number) => Desk.open(testIO(dir, {...smtpEnv(), TIX_NOW: new Date(t0 + ms).toISOString()}))
    sink.refuse.add('nope@example.org')
    try {
      let r = await sendOutbox(await at(0))
      expect(r.failed).toHaveLength(1)
      let box = await showOutbox(await at(1000))
      expect(box[0]).toMatchObject({state: 'waiting', attempts: 1})
      expect(box[0]!.lastError).toMatch(/550|rejected/)
      const shown = ticketDetail((await showTicket(await at(1000), o.ticket)).ticket, [o.ticket], {color: new Chalk({level: 0}), columns: 100, now: new Date()}).join('\n')
      expect(shown).toContain('Mail not delivered:')
      expect(shown).toContain('failed 1 time')
      r = await sendOutbox(await at(30_000))
      expect(r.sent.length + r.failed.length).toBe(0) // still backing off
      r = await sendOutbox(await at(61_000))
      expect(r.failed).toHaveLength(1) // second attempt
      box = await showOutbox(await at(62_000))
      expect(box[0]).toMatchObject({state: 'waiting', attempts: 2})
      expect(Date.parse(box[0]!.nextAt!)).toBeGreaterThanOrEqual(t0 + 61_000 + 5 * 60_000)
    } finally {
      sink.refuse.delete('nope@example.org')
    }
    // A gateway claimed it and died before sending: after the lease it goes out.
    const later = await at(10 * 60_000)
    await later.change(async () => ({tickets: [{id: o.ticket, events: [claimEvent(`ack:${(await showTicket(later, o.ticket)).ticket.events[0]!.id}`, 'dead', 10 * 60_000, later.opContext())]}], message: 'claim'}))
    expect((await showOutbox(await at(11 * 60_000)))[0]!.state).toBe('claimed')
    const r = await sendOutbox(await at(21 * 60_000))
    expect(r.sent).toHaveLength(1)
    const t = (await showTicket(await at(21 * 60_000), o.ticket)).ticket.ticket
    expect(t.mailFailures).toBeUndefined()
  })

  it('uses desk.json and branch templates, survey links with mail.webUrl, the department from-address and signature; strips header injection', async () => {
    const {desk} = await makeDesk()
    await setMail(
      desk,
      {
        address: 'help@example.com',
        webUrl: 'https://help.example.com',
        departments: {billing: {address: 'billing@example.com', name: 'ACME Billing', signature: '-- Billing team'}},
        templates: {ack: 'Dear {{ticket.requester.name}}, ticket {{ticket.shortId}} ({{ticket.title}}) is filed.\n\n{{signature}}'},
      },
      {departments: {billing: {name: 'Billing'}}},
    )
    await desk.commitFiles([{path: 'mail/resolved.md', content: 'Solved: {{ticket.resolution}}\n\n{{survey}}\n'}], 'Mail template')
    const o = (await ingestMessages(desk, [{name: 'x', raw: await buildMessage({from: {name: 'Eve\r\nBcc: all@example.org', address: 'eve@example.org'}, to: 'billing@example.com', subject: 'Bill <script>\r\nBcc: x@example.org', text: 'x'})}])).outcomes[0] as {ticket: string}
    const start = since()
    await sendOutbox(await Desk.open(testIO(desk.repo.workTree!, smtpEnv())))
    const ack = sink.messages[start]!
    expect(ack.to).toEqual(['eve@example.org'])
    expect(ack.parsed.from!.value[0]).toMatchObject({name: 'ACME Billing', address: 'billing@example.com'})
    expect(ack.parsed.text).toContain('is filed.')
    expect(ack.parsed.text).toContain('-- Billing team')
    expect(ack.parsed.html).toContain('Bill &lt;script&gt;')
    const head = ack.raw.toString('latin1').split('\r\n\r\n')[0]!
    expect(head).not.toMatch(/^Bcc:/im)
    expect(head).toMatch(/^Subject: Re: Bill <script> Bcc: x@example.org \[#[0-9A-Z]{5}\]$/m)
    expect(ack.parsed.headers.has('bcc')).toBe(false)
    await updateTicket(desk, o.ticket, (t, ctx) => changeStatus(t, 'resolved', {resolution: 'Refunded.'}, ctx))
    await sendOutbox(await Desk.open(testIO(desk.repo.workTree!, smtpEnv())))
    const res = sink.messages.at(-1)!
    expect(res.parsed.text).toContain('Solved: Refunded.')
    expect(res.parsed.text).toContain(`https://help.example.com/t/${o.ticket}.`)
    expect(res.parsed.text).toMatch(/^- 5 \(excellent\): https:\/\/help\.example\.com\/t\/\S+\?score=5#rate$/m)
    expect(res.parsed.html).toMatch(/<a href="https:\/\/help\.example\.com\/t\/[0-9A-Z]+\.[0-9a-z]+\.[\w-]+\?score=1#rate">/)
  })
})
