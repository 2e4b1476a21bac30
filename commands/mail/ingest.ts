import {Args, Flags} from '@oclif/core'
import {envelope} from '../../src/output/json.js'
import {safeLine} from '../../src/output/text.js'
import {TixCommand} from '../base.js'

export default class MailIngest extends TixCommand {
  static override summary = 'File received mail: one message on stdin, or maildirs, mbox files and .eml files.'
  static override description = [
    'Each message becomes a reply on the ticket it belongs to (its In-Reply-To or References name a message the desk knows, or its subject carries the ticket token such as [#7K3F9]) or a new ticket (title = subject, requester = From, Cc kept, department from the address it was sent to, channel email). The requester\'s reply opens a pending or resolved ticket again.',
    'A message already filed (same Message-ID) changes nothing. Bounces are recorded as failed deliveries; a reply to the satisfaction survey that starts with 1-5 is recorded as a rating. Many messages go into one commit (--batch).',
    'For an MTA pipe (Postfix, procmail, fetchmail): `| tix mail ingest --repo /srv/desk`.',
    'Exit codes: 0 filed (duplicates included); 1 a message could not be read; 2 bad usage.',
  ].join('\n\n')
  static override examples = [
    '<%= config.bin %> mail ingest < message.eml',
    '<%= config.bin %> mail ingest ~/Maildir ./archive.mbox msg1.eml',
    '<%= config.bin %> mail ingest ./Maildir --json',
  ]
  static override strict = false
  static override args = {
    paths: Args.string({description: 'Maildirs (cur/ and new/), mbox files or .eml files; none: one message on stdin.', ignoreStdin: true}),
  }
  static override flags = {
    batch: Flags.integer({summary: 'Messages per commit.', default: 200, min: 1, max: 5000}),
  }

  async run() {
    const {argv, flags} = await this.parse(MailIngest)
    const paths = argv as string[]
    const {ingestMessages, readSources} = await import('../../src/services/mail/ingest.js')
    const desk = await this.openDesk()
    let sources
    if (paths.length === 0) {
      if (this.ctx.stdin.isTTY) {
        const {usageError} = await import('../../src/errors.js')
        throw usageError('No message: give paths, or pipe one message on stdin.', 'tix mail ingest < message.eml')
      }
      const chunks: Buffer[] = []
      for await (const c of this.ctx.stdin) chunks.push(c as Buffer)
      sources = [{name: 'stdin', raw: Buffer.concat(chunks)}]
    } else sources = readSources(paths)
    const res = await ingestMessages(desk, sources, {batch: flags.batch})
    const count = (r: string) => res.outcomes.filter((o) => o.result === r).length
    for (const o of res.outcomes) {
      if (o.result === 'created') this.log(`${o.shortId}: new ticket from ${safeLine(o.source)}${o.department ? ` (department ${o.department})` : ''}${o.acknowledged ? '' : `; no acknowledgement${o.noAck ? ` (${o.noAck})` : ''}`}`)
      else if (o.result === 'reply') this.log(`${o.shortId}: reply added from ${safeLine(o.source)}${o.reopened ? '; opened again' : ''}`)
      else if (o.result === 'rating') this.log(`${o.shortId}: rated ${o.score}/5 by mail`)
      else if (o.result === 'bounce') this.log(o.shortId ? `${o.shortId}: a message bounced (recorded as a failed delivery)` : `${safeLine(o.source)}: a bounce of a message the desk did not send (ignored)`)
      else if (o.result === 'rejected') this.ctx.stderr.write(`${safeLine(o.source)}: ${safeLine(o.reason)}\n`)
    }
    if (res.outcomes.length > 1 || count('duplicate') > 0) {
      this.note(`${res.outcomes.length} message(s): ${count('created')} new, ${count('reply')} repl${count('reply') === 1 ? 'y' : 'ies'}, ${count('rating')} rating(s), ${count('bounce')} bounce(s), ${count('duplicate')} already filed, ${count('rejected')} unreadable.`)
    }
    if (count('rejected') > 0) this.ctx.exitCode = 1
    return envelope('mail-ingest', {messages: res.outcomes, commits: res.commits})
  }
}
