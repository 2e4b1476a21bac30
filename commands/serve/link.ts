import {Args, Flags} from '@oclif/core'
import {usageError} from '../../src/errors.js'
import {envelope} from '../../src/output/json.js'
import {safeLine} from '../../src/output/text.js'
import {TixCommand} from '../base.js'

export default class ServeLink extends TixCommand {
  static override summary = "Print a requester's own page on the portal for a ticket: a signed link to send them."
  static override description = `The link (/t/<signed token>) opens the ticket's page for its requester: the status, the public conversation, a reply box and, once resolved, the satisfaction question. It is the page the mail gateway links to in acknowledgements, replies and resolutions.

The address is --base-url, else desk.json mail.webUrl, else web.baseUrl. The link is signed with this clone's key (git config tix.serve.secret, made on first use, never on the branch): it opens only on a \`tix serve\` running on this clone, or on one given the same key. It is bound to the requester's e-mail, so changing the ticket's requester voids it. See docs/mail.md.`
  static override examples = [
    '<%= config.bin %> serve link 7K3F9',
    '<%= config.bin %> serve link 7K3F9 --days 30',
    '<%= config.bin %> serve link 7K3F9 --base-url https://help.example.com --json',
  ]
  static override args = {id: Args.string({description: 'Ticket id or a unique prefix of it (at least 4 characters).', required: true})}
  static override flags = {
    days: Flags.integer({summary: 'Days the link stays valid.', default: 180, min: 1, max: 3650, helpValue: 'N'}),
    'base-url': Flags.string({summary: "The portal's public address (default: mail.webUrl, else web.baseUrl).", helpValue: 'URL'}),
  }

  async run() {
    const {args, flags} = await this.parse(ServeLink)
    const {linkExpiry, parseBaseUrl, signedPageLink} = await import('../../src/services/serve/auth.js')
    let base: string | null = null
    if (flags['base-url'] !== undefined) {
      base = parseBaseUrl(flags['base-url'])
      if (base === null) throw usageError(`--base-url "${flags['base-url']}" is not an http(s) address without a query.`, `tix serve link ${args.id} --base-url https://help.example.com`)
    }
    const {showTicket} = await import('../../src/services/tickets.js')
    const {cloneLinkKey, mailWebUrl} = await import('../../src/services/mail/links.js')
    const {shortId} = await import('../../src/domain/ticket/ids.js')
    const desk = await this.openDesk()
    const {ticket, index} = await showTicket(desk, args.id) // unknown id: exit 3 (not-found), with a hint
    const t = ticket.ticket
    const sid = shortId(desk.sortedIds(index), t.id)
    base ??= mailWebUrl(index.config)
    if (!base) {
      throw usageError(
        'The desk has no web address, so there is no portal page to link to.',
        `Set the portal's address once with \`tix config set web.baseUrl https://help.example.com\`, or pass --base-url: tix serve link ${sid} --base-url https://help.example.com`,
      )
    }
    if (!t.requester.email) {
      throw usageError(`Ticket ${sid} has no requester e-mail, and a requester's link is signed for one.`, `Set the requester first: tix set ${sid} --requester "Name <name@example.com>"`)
    }
    const expiresAt = linkExpiry(desk, flags.days)
    const url = signedPageLink(base, cloneLinkKey(desk), t.id, t.requester.email, expiresAt)
    if (!this.jsonEnabled()) {
      this.ctx.stdout.write(`${url}\n`)
      this.note(`The page of ticket ${sid} for ${safeLine(t.requester.email)}, valid until ${expiresAt.toISOString().slice(0, 10)}.`)
    }
    return envelope('portal-link', {ticket: t.id, shortId: sid, requester: t.requester.email, url, expiresAt: expiresAt.toISOString()})
  }
}
