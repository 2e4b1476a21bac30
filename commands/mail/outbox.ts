import {Flags} from '@oclif/core'
import {envelope} from '../../src/output/json.js'
import {pad, safeLine, truncate} from '../../src/output/text.js'
import {TixCommand} from '../base.js'

const KIND: Record<string, string> = {ack: 'acknowledgement', reply: 'reply', resolved: 'resolution+survey'}

export default class MailOutbox extends TixCommand {
  static override summary = 'Mail waiting to go out: acknowledgements, public replies, resolutions with the survey.'
  static override description = [
    'Every public reply on an e-mail ticket goes out (never an internal note), from any clone once it has synced to the gateway. States: due (next `tix mail send`), claimed (a gateway is sending it), waiting (failed; retried with backoff at the time shown). With --all also sent, bounced, held (no automatic answer to auto-submitted or list mail) and stale (older than mail.maxAgeDays).',
  ].join('\n\n')
  static override examples = ['<%= config.bin %> mail outbox', '<%= config.bin %> mail outbox --all --json']
  static override flags = {
    all: Flags.boolean({summary: 'Also show what was sent, bounced, held or is too old to send.'}),
  }

  async run() {
    const {flags} = await this.parse(MailOutbox)
    const {showOutbox} = await import('../../src/services/mail/send.js')
    const desk = await this.openDesk()
    const items = await showOutbox(desk, {all: flags.all})
    if (items.length === 0) this.log(flags.all ? 'Nothing has gone out by mail yet.' : 'The outbox is empty.')
    const c = this.color
    for (const i of items) {
      const state = i.state === 'waiting' ? `${i.state} until ${i.nextAt!.replace('T', ' ').slice(0, 16)}` : i.state === 'claimed' ? `claimed by ${i.claim?.gateway} until ${i.claim?.until.slice(11, 16)}` : i.state
      const err = i.lastError ? c.red(`  (${i.attempts} failed: ${truncate(safeLine(i.lastError), 60)})`) : ''
      this.log(`${c.bold(pad(i.shortId, 6))} ${pad(KIND[i.kind] ?? i.kind, 18)} ${pad(state, 24)} ${truncate(safeLine(i.to ?? ''), 30)}  ${truncate(safeLine(i.title), 40)}${err}${i.held ? c.dim(`  ${safeLine(i.held)}`) : ''}`)
    }
    return envelope('mail-outbox', {items: items.map((i) => ({key: i.key, kind: i.kind, ticket: i.ticket, shortId: i.shortId, title: i.title, to: i.to, state: i.state, at: i.at, attempts: i.attempts, lastError: i.lastError, nextAt: i.nextAt, claim: i.claim, held: i.held}))})
  }
}
