import {envelope} from '../../src/output/json.js'
import {safeLine} from '../../src/output/text.js'
import {TixCommand} from '../base.js'

export default class MailTest extends TixCommand {
  static override summary = 'Check the mail settings: desk.json mail.address, the IMAP login and mailbox, the SMTP connection and login.'
  static override description = [
    'The servers come from TIX_IMAP_URL / TIX_SMTP_URL, else this clone\'s `git config tix.imap` / `tix.smtp`, e.g. imaps://desk%40example.com:PASSWORD@imap.example.com/INBOX and smtps://desk%40example.com:PASSWORD@smtp.example.com (smtp:// uses STARTTLS; ?tls=insecure accepts a self-signed certificate). Passwords are never printed.',
    'Exit codes: 0 everything needed works; 1 something is wrong (each line says what).',
  ].join('\n\n')
  static override examples = ['<%= config.bin %> mail test', '<%= config.bin %> mail test --json']

  async run() {
    await this.parse(MailTest)
    const {testSettings} = await import('../../src/services/mail/gateway.js')
    const desk = await this.openDesk()
    const checks = await testSettings(desk)
    const c = this.color
    for (const k of checks) {
      this.log(`${k.ok ? c.green('ok  ') : c.red('FAIL')} ${k.server.padEnd(5)} ${safeLine(k.message)}`)
      if (!k.ok && k.hint) this.log(`           ${c.dim(safeLine(k.hint))}`)
    }
    // IMAP is optional (an MTA may pipe mail in); the desk address and SMTP are needed to answer.
    const needed = checks.filter((k) => k.server !== 'imap' || !/^not set/.test(k.message))
    if (needed.some((k) => !k.ok)) this.ctx.exitCode = 1
    return envelope('mail-test', {ok: !needed.some((k) => !k.ok), checks})
  }
}
