import {Flags} from '@oclif/core'
import {envelope} from '../../src/output/json.js'
import {safeLine} from '../../src/output/text.js'
import {listArticles} from '../../src/services/kb/articles.js'
import {TixCommand} from '../base.js'
import {articleLine, langFlag, statusFlag} from './shared.js'

export default class KbList extends TixCommand {
  static override summary = 'List knowledge-base articles: one line per language, the first language first.'
  static override description = 'In a pipe: tab-separated slug, language, status, category, title. Files under kb/ that are not valid articles are named on stderr.'
  static override examples = ['<%= config.bin %> kb list', '<%= config.bin %> kb list --lang fa', '<%= config.bin %> kb list --category network --status draft', '<%= config.bin %> kb list --json']
  static override flags = {
    lang: langFlag('Only this language.'),
    category: Flags.string({char: 'c', summary: 'Only this category.'}),
    status: statusFlag(),
  }

  async run() {
    const {flags} = await this.parse(KbList)
    const desk = await this.openDesk()
    const {articles, problems} = await listArticles(desk, {lang: flags.lang, category: flags.category, status: flags.status})
    for (const p of problems) this.ctx.stderr.write(`${safeLine(p.message)}\n`)
    if (articles.length === 0) this.note('No articles yet. Write one: tix kb new SLUG --title "..." --lang en --body-file FILE')
    for (const a of articles) this.log(articleLine(a, this.color, this.tty))
    return envelope('kb-list', {count: articles.length, articles, problems})
  }
}
