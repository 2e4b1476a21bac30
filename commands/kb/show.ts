import {Args} from '@oclif/core'
import {envelope} from '../../src/output/json.js'
import {showArticle} from '../../src/services/kb/articles.js'
import {TixCommand} from '../base.js'
import {articleBlock, langFlag, slugDescription} from './shared.js'

export default class KbShow extends TixCommand {
  static override summary = "Show an article; without the language asked for, its first language (and says so)."
  static override examples = ['<%= config.bin %> kb show vpn-setup', '<%= config.bin %> kb show vpn-setup --lang ar', '<%= config.bin %> kb show vpn-setup --json']
  static override args = {slug: Args.string({description: slugDescription, required: true})}
  static override flags = {lang: langFlag('The language to show (default: the first language).')}

  async run() {
    const {args, flags} = await this.parse(KbShow)
    const desk = await this.openDesk()
    const res = await showArticle(desk, args.slug, flags.lang)
    if (res.fallback) this.note(`${args.slug} has no ${res.wanted} version; showing ${res.article.lang}, its first language (it has ${res.article.languages.join(', ')}).`)
    this.log(articleBlock(res.article, this.color))
    return envelope('kb-article', {article: res.article, fallback: res.fallback, requestedLang: res.wanted})
  }
}
