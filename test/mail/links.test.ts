// The requester's portal page in the mail the desk sends, checked at a real SMTP server: the signed
// /t/ link (web.baseUrl, or mail.webUrl first), survey links that open it with ?score=N#rate, the
// reply-by-mail text without a web address, and `tix serve link` from the built CLI.
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {validateDesk} from '../../src/domain/config/config.js'
import '../../src/domain/mail/config.js'
import '../../src/domain/workflow/workflow-config.js'
import {scoreLink, surveyFor} from '../../src/domain/mail/templates.js'
import {changeStatus, reply} from '../../src/domain/ticket/ticket-ops.js'
import {ingestMessages} from '../../src/services/mail/ingest.js'
import {mailLinkSigner} from '../../src/services/mail/links.js'
import {sendOutbox} from '../../src/services/mail/send.js'
import {linkSecret, parseTicketToken, verifyTicketToken} from '../../src/services/serve/auth.js'
import {updateTicket} from '../../src/services/tickets.js'
import {Desk} from '../../src/store/desk.js'
import {git, gitRepo, makeDesk, testIO, tixIn} from '../helpers.js'
import {buildMessage, setMail, startSmtp, type SmtpSink} from './helpers.js'

let sink: SmtpSink
beforeAll(async () => {
  sink = await startSmtp()
})
afterAll(async () => {
  await sink.close()
})

const TOKEN = /\/t\/([0-9A-Z]{10}\.[0-9a-z]+\.[A-Za-z0-9_-]{43})/g

/** The tokens of every /t/ link in a text, each checked against the desk's key for ticket and requester. */
function tokensIn(desk: Desk, text: string, ticket: string, email: string): string[] {
  const found = [...text.matchAll(TOKEN)].map((m) => m[1]!)
  for (const token of found) {
    const parsed = parseTicketToken(token, new Date())
    expect(parsed, token).not.toBeNull()
    expect(parsed!.id).toBe(ticket)
    expect(verifyTicketToken(linkSecret(desk), parsed!, email)).toBe(true)
    expect(verifyTicketToken(linkSecret(desk), parsed!, 'someone.else@example.org')).toBe(false)
  }
  return found
}

async function fileMail(desk: Desk, from: string, subject: string): Promise<string> {
  const raw = await buildMessage({from, to: 'help@example.com', subject, text: 'Help.'})
  return ((await ingestMessages(desk, [{name: subject, raw}])).outcomes[0] as {ticket: string}).ticket
}

const send = async (desk: Desk) => {
  const start = sink.messages.length
  const warnings: string[] = []
  await sendOutbox(await Desk.open(testIO(desk.repo.workTree!, {TIX_SMTP_URL: sink.url}, warnings)))
  return {mails: sink.messages.slice(start), warnings}
}

describe('links to the requester page in mail', () => {
  it('web.baseUrl: the ack, an agent reply and the resolution carry a verifying /t/ link; the survey links are the page with ?score=N#rate', async () => {
    const {desk} = await makeDesk()
    await setMail(desk, {address: 'help@example.com'}, {web: {baseUrl: 'https://help.example.com/desk/'}})
    const id = await fileMail(desk, 'Ana <ana@example.org>', 'Printer jams')
    const first = await send(desk)
    expect(first.warnings.join('\n')).toContain('git config tix.serve.secret') // the key was made on this clone
    const ack = first.mails[0]!
    expect(ack.parsed.text).toMatch(/Follow or answer your request: https:\/\/help\.example\.com\/desk\/t\/\S+\n/)
    const [token] = tokensIn(desk, ack.parsed.text!, id, 'ana@example.org')
    expect(token).toBeDefined()
    expect(ack.parsed.html).toContain(`<a href="https://help.example.com/desk/t/${token}">https://help.example.com/desk/t/${token}</a>`)
    expect(tokensIn(desk, String(ack.parsed.html), id, 'ana@example.org')).toEqual([token, token]) // href and text

    await updateTicket(desk, id, (t, ctx) => reply(t, 'Pull the green lever.', ctx))
    const rep = (await send(desk)).mails[0]!
    expect(rep.parsed.text).toContain('Pull the green lever.')
    expect(tokensIn(desk, rep.parsed.text!, id, 'ana@example.org')).toHaveLength(1)

    await updateTicket(desk, id, (t, ctx) => changeStatus(t, 'resolved', {resolution: 'Cleared the paper path.'}, ctx))
    const second = await send(desk)
    expect(second.warnings).toEqual([]) // the key exists now
    const res = second.mails[0]!
    const text = res.parsed.text!
    const scores = [...text.matchAll(/^- (\d) \(([a-z ]+)\): (https:\/\/\S+)$/gm)].map((m) => ({score: Number(m[1]), url: new URL(m[3]!)}))
    expect(scores.map((s) => s.score)).toEqual([5, 4, 3, 2, 1])
    for (const s of scores) {
      expect(s.url.origin + s.url.pathname).toMatch(/^https:\/\/help\.example\.com\/desk\/t\//)
      expect(s.url.search).toBe(`?score=${s.score}`)
      expect(s.url.hash).toBe('#rate')
    }
    expect(text).not.toContain('/rate/')
    expect(tokensIn(desk, text, id, 'ana@example.org').length).toBe(6) // five answers and the page itself
    expect(text).toContain('Or reply to this message with a number from 1 (very bad) to 5 (excellent)')
    expect(res.parsed.html).toMatch(/<a href="https:\/\/help\.example\.com\/desk\/t\/[^"]+\?score=5#rate">/)
    // Answering by mail still works.
    const vote = await buildMessage({from: 'ana@example.org', to: 'help@example.com', subject: `Re: ${res.parsed.subject}`, text: '4 thanks', inReplyTo: res.parsed.messageId})
    expect((await ingestMessages(desk, [{name: 'vote', raw: vote}])).outcomes[0]).toMatchObject({result: 'rating', ticket: id, score: 4})
  })

  it('without a web address: no link, the requester is told to reply (and 1-5 for the survey); mail.webUrl wins over web.baseUrl', async () => {
    const {desk} = await makeDesk()
    await setMail(desk, {address: 'help@example.com', templates: {reply: '{{message.body}}\n\n{{ticket.link | "Reply to this message to answer."}}'}})
    const id = await fileMail(desk, 'bo@example.org', 'VPN down')
    const ack = (await send(desk)).mails[0]!
    expect(ack.parsed.text).not.toMatch(/https?:/)
    expect(ack.parsed.text).toContain('reply to this message')
    await updateTicket(desk, id, (t, ctx) => reply(t, 'Restart it.', ctx))
    expect((await send(desk)).mails[0]!.parsed.text).toContain('Restart it.\n\nReply to this message to answer.')
    await updateTicket(desk, id, (t, ctx) => changeStatus(t, 'resolved', {resolution: 'Restarted.'}, ctx))
    const res = (await send(desk)).mails[0]!
    expect(res.parsed.text).not.toMatch(/https?:/)
    expect(res.parsed.text).toContain('Reply to this message with a number from 1 (very bad) to 5 (excellent)')
    expect(desk.localConfig('tix.serve.secret')).toBeNull() // no link, no key made

    await setMail(desk, {address: 'help@example.com', webUrl: 'https://mail-links.example.com'}, {web: {baseUrl: 'https://portal.example.com'}})
    const id2 = await fileMail(desk, 'cy@example.org', 'Other')
    const ack2 = (await send(desk)).mails[0]!
    expect(ack2.parsed.text).toContain('https://mail-links.example.com/t/')
    expect(ack2.parsed.text).not.toContain('portal.example.com')
    expect(tokensIn(desk, ack2.parsed.text!, id2, 'cy@example.org')).toHaveLength(1)
  })

  it('hostile values never break the URL: odd requester addresses only go into the signature', async () => {
    const {desk} = await makeDesk()
    await setMail(desk, {address: 'help@example.com'}, {web: {baseUrl: 'https://help.example.com'}})
    const odd = "o'hara+x&y=1#z?w%20/..@example.org"
    const sign = mailLinkSigner(desk, (await desk.index()).config)
    const link = sign('0123456789', odd)!
    const u = new URL(link)
    expect(u.origin).toBe('https://help.example.com')
    expect(u.search).toBe('')
    expect(u.hash).toBe('')
    const token = u.pathname.replace(/^\/t\//, '')
    expect(verifyTicketToken(linkSecret(desk), parseTicketToken(token, new Date())!, odd)).toBe(true)
    expect(surveyFor(link).links.map((l) => l.url)).toEqual([5, 4, 3, 2, 1].map((n) => `${link}?score=${n}#rate`))
    expect(scoreLink('https://h.example.com/a%20b/t/X', 3)).toBe('https://h.example.com/a%20b/t/X?score=3#rate')
    expect(sign('0123456789', null)).toBeNull()
    // Through the mail: the address from the message is signed, never pasted into the link.
    const id = await fileMail(desk, `"Zo\u00eb <b>" <${"o'hara+x&y=1@example.org"}>`, 'Odd')
    const ack = (await send(desk)).mails[0]!
    expect(tokensIn(desk, ack.parsed.text!, id, "o'hara+x&y=1@example.org")).toHaveLength(1)
    expect(ack.parsed.text).not.toContain('hara+x')
    // A web address that would break the links is refused.
    const paths = (webUrl: string) => validateDesk({version: 1, mail: {address: 'help@example.com', webUrl}}).map((p) => p.path)
    expect(paths('https://help.example.com/?a=b')).toEqual(['mail.webUrl'])
    expect(paths('https://help.example.com/#x')).toEqual(['mail.webUrl'])
    expect(paths('https://help.example.com/desk')).toEqual([])
    expect(validateDesk({version: 1, mail: {address: 'help@example.com', templates: {ack: 'See {{ticket.link}}'}}})).toEqual([])
  })
})

describe('tix serve link (CLI)', () => {
  it('prints a verifying link, fails clearly without a web address or requester e-mail, exit 3 for an unknown id', async () => {
    const dir = gitRepo()
    expect((await tixIn(dir, ['init'])).code).toBe(0)
    const id = (await tixIn(dir, ['new', 'Printer jams', '--requester', 'Ana <Ana@Example.org>', '--json'])).json().ticket.id as string
    const none = await tixIn(dir, ['serve', 'link', id.slice(0, 5)])
    expect(none.code).toBe(2)
    expect(none.stderr).toContain('no web address')
    expect(none.stderr).toContain('tix config set web.baseUrl')
    expect(none.stdout).toBe('')

    expect((await tixIn(dir, ['config', 'set', 'web.baseUrl', 'https://help.example.com'])).code).toBe(0)
    const out = await tixIn(dir, ['serve', 'link', id.slice(0, 5)])
    expect(out.code).toBe(0)
    expect(out.stderr).toContain('tix.serve.secret') // made now, on this clone
    const url = new URL(out.stdout.trim())
    expect(url.origin).toBe('https://help.example.com')
    const secret = Buffer.from(git(dir, 'config', '--local', '--get', 'tix.serve.secret').trim(), 'hex')
    const parsed = parseTicketToken(url.pathname.replace(/^\/t\//, ''), new Date())!
    expect(parsed.id).toBe(id)
    expect(verifyTicketToken(secret, parsed, 'ana@example.org')).toBe(true)

    const doc = (await tixIn(dir, ['serve', 'link', id, '--days', '2', '--base-url', 'http://127.0.0.1:8080/', '--json'])).json()
    expect(doc).toMatchObject({schemaVersion: 1, kind: 'portal-link', ticket: id, requester: 'ana@example.org'})
    expect(doc.url).toMatch(/^http:\/\/127\.0\.0\.1:8080\/t\//)
    expect(Date.parse(doc.expiresAt) - Date.now()).toBeLessThan(2 * 86_400_000 + 60_000)
    expect(parsed.expires * 1000 - Date.now()).toBeGreaterThan(179 * 86_400_000)

    const bad = await tixIn(dir, ['serve', 'link', id, '--base-url', 'javascript:alert(1)'])
    expect(bad.code).toBe(2)
    const noMail = (await tixIn(dir, ['new', 'Walk-in', '--requester', 'Cy', '--json'])).json().ticket.id as string
    const nm = await tixIn(dir, ['serve', 'link', noMail, '--json'])
    expect(nm.code).toBe(2)
    expect(nm.json()).toMatchObject({kind: 'error', error: {code: 'usage', message: expect.stringContaining('no requester e-mail')}})
    expect(nm.json().error.hint).toContain('--requester')
    const unknown = await tixIn(dir, ['serve', 'link', 'ZZZZZZ'])
    expect(unknown.code).toBe(3)
    expect(unknown.stderr).toContain('No ticket matches')
  })
})
