// IMAP against a real Dovecot started by the test (throw-away config and maildir on a loopback
// port). Skips with a reason where Dovecot is not installed; fails in CI instead.
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {fetchMail} from '../../src/services/mail/fetch.js'
import {cycle, testSettings} from '../../src/services/mail/gateway.js'
import {loadState} from '../../src/services/mail/state.js'
import {showTicket, listTickets, updateTicket} from '../../src/services/tickets.js'
import {reply} from '../../src/domain/ticket/ticket-ops.js'
import {Desk} from '../../src/store/desk.js'
import {testIO} from '../helpers.js'
import {syncWith, team} from '../sync/helpers.js'
import {buildMessage, dovecotMissing, setMail, startDovecot, startSmtp, type Dovecot, type SmtpSink} from './helpers.js'

const skip = dovecotMissing()
if (skip) console.warn(skip)

describe.skipIf(skip !== null)('mail over IMAP (Dovecot)', () => {
  let dovecot: Dovecot
  let sink: SmtpSink
  beforeAll(async () => {
    dovecot = await startDovecot()
    sink = await startSmtp()
  })
  afterAll(async () => {
    if (dovecot && process.env.TIX_DEBUG) console.warn(readFileSync(dovecot.log, 'utf8'))
    await dovecot?.stop()
    await sink?.close()
  })

  it('end to end: IMAP in -> ticket -> ack over SMTP; reply from another clone goes out threaded; the answer comes back by IMAP', async () => {
    const {clones} = await team(2, {names: ['Gateway', 'Agent']})
    const [gw, agent] = clones as [typeof clones[0], typeof clones[0]]
    const env = {...gw.env, TIX_IMAP_URL: dovecot.url, TIX_SMTP_URL: sink.url}
    const desk = await Desk.open(testIO(gw.dir, env, gw.warnings))
    await setMail(desk, {address: 'help@example.com', processedFolder: 'Done'})

    const checks = await testSettings(desk)
    expect(checks.map((c) => [c.server, c.ok, c.ok ? '' : c.message])).toEqual([['desk', true, ''], ['imap', true, ''], ['smtp', true, '']])

    dovecot.deliver(await buildMessage({from: 'Ana <ana@example.org>', to: 'help@example.com', subject: 'Laptop will not boot', text: 'Black screen.', messageId: '<boot1@example.org>'}))
    const start = sink.messages.length
    let c = await cycle(desk)
    expect(c.errors).toEqual([])
    expect(c.fetch).toMatchObject({fetched: 1, moved: 1, created: 1})
    expect(c.send!.sent).toHaveLength(1)
    const ack = sink.messages[start]!
    expect(ack.parsed.inReplyTo).toBe('<boot1@example.org>')
    const id = (await listTickets(desk, {})).tickets[0]!.id
    // Moved out of the inbox into the processed folder; the UID is remembered.
    expect(readdirSync(join(dovecot.maildir, 'new')).length + readdirSync(join(dovecot.maildir, 'cur')).length).toBe(0)
    expect(existsSync(join(dovecot.maildir, '.Done'))).toBe(true)
    const st = loadState(desk)
    expect(st.imap).toMatchObject({mailbox: 'INBOX', lastUid: 1})

    // An agent on another clone replies; after the sync the gateway sends it, threaded.
    await syncWith(agent)
    await updateTicket(agent.desk, id, (t, ctx) => reply(t, 'Hold the power button for 30 seconds.', ctx))
    await syncWith(agent)
    c = await cycle(desk)
    expect(c.send!.sent.map((s) => s.key.split(':')[0])).toEqual(['reply'])
    const rep = sink.messages.at(-1)!
    expect(rep.parsed.text).toContain('Hold the power button')
    expect(rep.parsed.references).toContain('<boot1@example.org>')

    // The requester answers; the gateway fetches it into the same ticket.
    dovecot.deliver(await buildMessage({from: 'ana@example.org', to: 'help@example.com', subject: rep.parsed.subject, text: 'That worked, thanks!\n\nOn Tue, Help wrote:\n> Hold the power button', inReplyTo: rep.parsed.messageId}))
    c = await cycle(desk)
    expect(c.fetch).toMatchObject({fetched: 1, replies: 1, created: 0})
    const t = (await showTicket(desk, id)).ticket
    expect(t.thread.map((e) => e.body)).toEqual(['Hold the power button for 30 seconds.', 'That worked, thanks!'])

    // Fetching again finds nothing new; an idle cycle changes nothing.
    const tip = desk.tip()
    const again = await fetchMail(desk)
    expect(again.fetched).toBe(0)
    expect(desk.tip()).toBe(tip)
  }, 240_000)

  it('says what is wrong with a bad password', async () => {
    const {clones} = await team(1, {names: ['Solo']})
    const bad = new URL(dovecot.url)
    bad.password = 'wrong'
    const desk = await Desk.open(testIO(clones[0]!.dir, {TIX_IMAP_URL: bad.href, TIX_SMTP_URL: 'smtp://127.0.0.1:1?starttls=off'}))
    const checks = await testSettings(desk)
    const imap = checks.find((k) => k.server === 'imap')!
    expect(imap.ok).toBe(false)
    expect(imap.message).toContain('refused the user name or password')
    expect(imap.message).not.toContain('wrong')
    expect(checks.find((k) => k.server === 'smtp')!.ok).toBe(false)
  })
})
