import {Args, Flags} from '@oclif/core'
import {usageError} from '../../src/errors.js'
import {checkLang, checkSlug} from '../../src/domain/kb/article.js'
import {envelope} from '../../src/output/json.js'
import {safeLine} from '../../src/output/text.js'
import {newArticle, showArticle} from '../../src/services/kb/articles.js'
import {TixCommand} from '../base.js'
import {editText, isInteractive} from '../editor.js'
import {bodyFlags, list, readBody} from '../flags.js'
import {articleHelp, langFlag, slugDescription} from './shared.js'

export default class KbNew extends TixCommand {
  static override summary = 'Write a knowledge-base article (a draft until `tix kb publish`).'
  static override description = `The text comes from --body/--body-file, or on a terminal from $VISUAL/$EDITOR. Without a terminal,
--body or --body-file is required.

${articleHelp}`
  static override examples = [
    '<%= config.bin %> kb new vpn-setup --title "Set up the VPN" --lang en --category network --tag vpn --body-file vpn.md',
    '<%= config.bin %> kb new password-reset --title "Reset your password" --lang en   # opens $EDITOR on a terminal',
    '<%= config.bin %> kb new printer-jam --title "Клинит принтер" --lang ru --body-file - < printer.ru.md --publish',
  ]
  static override args = {slug: Args.string({description: slugDescription, required: true})}
  static override flags = {
    ...bodyFlags,
    title: Flags.string({summary: 'The title (required).', required: true}),
    lang: langFlag('Language of this first version (required): en, ar, fa, ru, or any 2-3 letter code.'),
    category: Flags.string({char: 'c', summary: 'Category (e.g. network, accounts, billing).'}),
    tag: Flags.string({char: 't', summary: 'Tag (repeat or comma-separate).', multiple: true}),
    summary: Flags.string({summary: 'A one-paragraph summary for replies (default: the first paragraph).'}),
    publish: Flags.boolean({summary: 'Publish it at once instead of saving a draft.'}),
  }

  async run() {
    const {args, flags} = await this.parse(KbNew)
    const slug = checkSlug(args.slug)
    if (flags.lang === undefined) throw usageError('Say which language the article is written in.', `tix kb new ${slug} --title "..." --lang en`)
    const lang = checkLang(flags.lang)
    let body = readBody(flags)
    if (body === undefined) {
      if (!isInteractive()) throw usageError('Give the article text with --body-file FILE (or --body): there is no terminal to open an editor in.', `tix kb new ${slug} --title "..." --lang ${lang} --body-file ${slug}.${lang}.md`)
      body = editText(`# ${flags.title}\n\n`, {name: `${slug}.${lang}.md`, noTerminal: usageError('no terminal')})
    }
    const desk = await this.openDesk()
    const res = await newArticle(desk, {slug, lang, title: flags.title, body, category: flags.category, tags: list(flags.tag), summary: flags.summary, status: flags.publish ? 'published' : 'draft'})
    this.log(`Saved article ${safeLine(slug)} (${lang}, ${res.article.status}; ${res.commit.slice(0, 7)}).${res.article.status === 'draft' ? ` Publish it: tix kb publish ${slug}` : ''}`)
    const shown = await showArticle(desk, slug, lang)
    return envelope('kb-article', {article: shown.article, commit: res.commit, changed: true})
  }
}
