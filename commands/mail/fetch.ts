import {Flags} from '@oclif/core'
import {envelope} from '../../src/output/json.js'
import {TixCommand} from '../base.js'

export default class MailFetch extends TixCommand {
  static override summary = 'Fetch new mail over IMAP and file it; fetched messages move to the processed folder.'
  static override description = [
    'The server comes from TIX_IMAP_URL or this clone\'s `git config tix.imap` (imaps://USER:PASSWORD@host/INBOX); never from desk.json. Messages are filed as `tix mail ingest` files them, then moved to mail.processedFolder (default "Processed").',
    'UIDVALIDITY and the last UID are remembered in this clone\'s git directory; a message fetched twice changes nothing (Message-ID).',
    'Exit codes: 0 fetched (or nothing new); 1 the server could not be reached or refused the login; 2 no server set.',
  ].join('\n\n')
  static override examples = ['<%= config.bin %> mail fetch', 'TIX_IMAP_URL=imaps://desk:secret@imap.example.com/INBOX <%= config.bin %> mail fetch --json']
  static override flags = {
    keep: Flags.boolean({summary: 'Leave fetched messages in the inbox (the UID is still remembered).'}),
  }

  async run() {
    const {flags} = await this.parse(MailFetch)
    const {fetchMail} = await import('../../src/services/mail/fetch.js')
    const desk = await this.openDesk()
    const r = await fetchMail(desk, {keep: flags.keep})
    const n = (k: string) => r.outcomes.filter((o) => o.result === k).length
    if (r.uidValidityChanged) this.note(`The mailbox ${r.mailbox} was re-created on the server (UIDVALIDITY changed): read from the start; Message-IDs keep it from filing anything twice.`)
    this.log(r.fetched === 0 ? `No new mail in ${r.mailbox}.` : `Fetched ${r.fetched} message(s) from ${r.mailbox}: ${n('created')} new ticket(s), ${n('reply')} repl${n('reply') === 1 ? 'y' : 'ies'}, ${n('duplicate')} already filed${r.moved ? `; moved ${r.moved} to the processed folder` : ''}.`)
    return envelope('mail-fetch', {mailbox: r.mailbox, fetched: r.fetched, moved: r.moved, messages: r.outcomes, commits: r.commits})
  }
}
