import {Args} from '@oclif/core'
import type {ArticleStatus} from '../../src/domain/kb/article.js'
import {envelope} from '../../src/output/json.js'
import {safeLine} from '../../src/output/text.js'
import {setArticleStatus, showArticle} from '../../src/services/kb/articles.js'
import {TixCommand} from '../base.js'
import {langFlag, slugDescription} from './shared.js'

abstract class StatusCommand extends TixCommand {
  protected async setStatus(slug: string, status: ArticleStatus, lang?: string) {
    const desk = await this.openDesk()
    const res = await setArticleStatus(desk, slug, status, lang)
    if (res.commit === null) this.log(`${safeLine(slug)}: already ${status}.`)
    else this.log(`${safeLine(slug)}: ${status} (${res.changed.join(', ')}; ${res.commit.slice(0, 7)}).`)
    const shown = await showArticle(desk, slug, lang)
    return envelope('kb-article', {article: shown.article, changed: res.commit !== null, languages: res.changed, commit: res.commit})
  }
}

export class KbPublish extends StatusCommand {
  static override summary = 'Publish an article (every language, or one with --lang): requesters can read it, suggestions and replies use it.'
  static override examples = ['<%= config.bin %> kb publish vpn-setup', '<%= config.bin %> kb publish vpn-setup --lang ar']
  static override args = {slug: Args.string({description: slugDescription, required: true})}
  static override flags = {lang: langFlag('Only this language.')}

  async run() {
    const {args, flags} = await this.parse(KbPublish)
    return this.setStatus(args.slug, 'published', flags.lang)
  }
}

export class KbUnpublish extends StatusCommand {
  static override summary = 'Take an article back to draft (every language, or one with --lang).'
  static override examples = ['<%= config.bin %> kb unpublish vpn-setup', '<%= config.bin %> kb unpublish vpn-setup --lang ru']
  static override args = {slug: Args.string({description: slugDescription, required: true})}
  static override flags = {lang: langFlag('Only this language.')}

  async run() {
    const {args, flags} = await this.parse(KbUnpublish)
    return this.setStatus(args.slug, 'draft', flags.lang)
  }
}
