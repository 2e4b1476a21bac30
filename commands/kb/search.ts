import {Args, Flags} from '@oclif/core'
import {usageError} from '../../src/errors.js'
import {envelope} from '../../src/output/json.js'
import {searchArticles} from '../../src/services/kb/search.js'
import {TixCommand} from '../base.js'
import {hitLine, langFlag, statusFlag} from './shared.js'

export default class KbSearch extends TixCommand {
  static override summary = 'Search the knowledge base: titles, tags and text, in every language (or one), forgiving endings and typos.'
  static override description = `Arabic and Persian are matched with or without diacritics and in either's letter forms (ي/ی, ك/ک),
Russian and English across word endings (a stemmer), ё as е; a word also matches longer words it
starts, and a typo or two. Best first, with the words that matched.`
  static override examples = ['<%= config.bin %> kb search "vpn drops"', '<%= config.bin %> kb search "не печатает принтер" --lang ru', '<%= config.bin %> kb search "رمز عبور" --status published --json']
  static override args = {query: Args.string({description: 'Words to look for.', required: true})}
  static override flags = {
    lang: langFlag('Only articles in this language.'),
    status: statusFlag(),
    limit: Flags.integer({char: 'n', summary: 'At most this many results (default 20).', default: 20, min: 1}),
  }

  async run() {
    const {args, flags} = await this.parse(KbSearch)
    if (args.query.trim() === '') throw usageError('Give some words to search for.', 'tix kb search "vpn drops"')
    const desk = await this.openDesk()
    const res = await searchArticles(desk, args.query, {lang: flags.lang, status: flags.status, limit: flags.limit})
    if (res.hits.length === 0) this.note('No article matches.')
    for (const h of res.hits) this.log(hitLine(h, this.color, this.tty))
    return envelope('kb-list', {query: args.query, count: res.hits.length, total: res.total, articles: res.hits.map((h) => ({...h.article, score: h.score, matched: h.matched}))})
  }
}
