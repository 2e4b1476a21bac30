import {Flags} from '@oclif/core'
import {envelope} from '../../src/output/json.js'
import {safeLine} from '../../src/output/text.js'
import {TixCommand} from '../base.js'

export default class MailSend extends TixCommand {
  static override summary = 'Send the outbox over SMTP and record each delivery.'
  static override description = [
    'The server comes from TIX_SMTP_URL or this clone\'s `git config tix.smtp` (smtps://USER:PASSWORD@host, or smtp:// for STARTTLS); never from desk.json.',
    'Exactly once, even with two gateways: each message is claimed in a commit that is pushed (when the desk has a remote) before it is sent; a claim another gateway pushed first wins. After sending, a delivery event records the Message-ID, the time and the result. A failure is retried with backoff (1 min, 5 min, 15 min, 1 h, ...); `tix show` and `tix mail outbox` show it.',
    'Exit codes: 0 sent (or nothing due); 1 some messages failed (they are retried later); 2 no server or no mail.address.',
  ].join('\n\n')
  static override examples = ['<%= config.bin %> mail send', '<%= config.bin %> mail send --dry-run', '<%= config.bin %> mail send --json']
  static override flags = {
    'dry-run': Flags.boolean({summary: 'Show what would go out (recipients, subjects, text); send and record nothing.'}),
  }

  async run() {
    const {flags} = await this.parse(MailSend)
    const {sendOutbox} = await import('../../src/services/mail/send.js')
    const {publisher} = await import('../../src/services/mail/gateway.js')
    const desk = await this.openDesk()
    const r = await sendOutbox(desk, {dryRun: flags['dry-run'], publish: flags['dry-run'] ? null : await publisher(desk)})
    if (flags['dry-run']) {
      if (r.preview.length === 0) this.log('Nothing is due.')
      for (const m of r.preview) {
        this.log(`To: ${safeLine(m.to.map((p) => p.address).join(', '))}${m.cc.length ? `  Cc: ${m.cc.length}` : ''}\nSubject: ${safeLine(m.subject)}\nMessage-ID: ${m.messageId}\n\n${m.text}`)
      }
      return envelope('mail-send', {dryRun: true, messages: r.preview.map((m) => ({key: m.key, ticket: m.ticket, to: m.to, cc: m.cc, subject: m.subject, messageId: m.messageId, inReplyTo: m.inReplyTo, text: m.text}))})
    }
    for (const s of r.sent) this.log(`${s.shortId}: sent ${s.key.split(':')[0]} to ${safeLine(s.to.join(', '))}`)
    for (const s of r.skipped) this.log(`${s.shortId}: ${s.key.split(':')[0]} is being sent by another gateway`)
    for (const f of r.failed) this.ctx.stderr.write(`${f.shortId}: ${f.key.split(':')[0]} failed: ${safeLine(f.error)} (retried later)\n`)
    if (r.sent.length + r.failed.length + r.skipped.length === 0) this.log('Nothing is due.')
    if (r.failed.length > 0) this.ctx.exitCode = 1
    return envelope('mail-send', {dryRun: false, sent: r.sent, failed: r.failed, skipped: r.skipped, commits: r.commits})
  }
}
