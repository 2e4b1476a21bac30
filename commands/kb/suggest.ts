import {Args, Flags} from '@oclif/core'
import {shortId} from '../../src/domain/ticket/ids.js'
import {envelope} from '../../src/output/json.js'
import {safeLine} from '../../src/output/text.js'
import {suggestArticles} from '../../src/services/kb/search.js'
import {TixCommand} from '../base.js'
import {hitLine} from './shared.js'

export default class KbSuggest extends TixCommand {
  static override summary = "The published articles that fit a ticket (its title and body), best first, with the words that matched."
  static override description = 'An article is shown in the requester\'s language when the ticket has one (a `lang` field) and the article has it. Cite one with `tix reply ID --article SLUG`.'
  static override examples = ['<%= config.bin %> kb suggest 7K3F9', '<%= config.bin %> kb suggest 7K3F9 --limit 5 --json']
  static override args = {id: Args.string({description: 'Ticket id or a unique prefix of it.', required: true})}
  static override flags = {limit: Flags.integer({char: 'n', summary: 'At most this many articles (default 3).', default: 3, min: 1})}

  async run() {
    const {args, flags} = await this.parse(KbSuggest)
    const desk = await this.openDesk()
    const res = await suggestArticles(desk, args.id, flags.limit)
    const sid = shortId((await desk.index()).ids, res.ticket.id)
    if (res.hits.length === 0) this.note(`No published article fits ${sid} (${safeLine(res.ticket.title)}).`)
    for (const h of res.hits) this.log(hitLine(h, this.color, this.tty))
    if (res.hits.length > 0) this.note(`Cite one: tix reply ${sid} --article ${res.hits[0]!.article.slug}`)
    return envelope('kb-list', {ticket: res.ticket.id, count: res.hits.length, articles: res.hits.map((h) => ({...h.article, score: h.score, matched: h.matched}))})
  }
}
