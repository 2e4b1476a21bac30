import {Args, Flags} from '@oclif/core'
import {TixError, usageError} from '../../src/errors.js'
import {envelope} from '../../src/output/json.js'
import {safeLine} from '../../src/output/text.js'
import {articleText, editArticle, showArticle} from '../../src/services/kb/articles.js'
import {TixCommand} from '../base.js'
import {confirm, editText, isInteractive} from '../editor.js'
import {bodyFlags, readBody} from '../flags.js'
import {articleHelp, langFlag, slugDescription} from './shared.js'

export default class KbEdit extends TixCommand {
  static override summary = 'Change an article in $VISUAL/$EDITOR (front matter and text), or replace its text with --body-file.'
  static override description = `Without --lang, the article's first language. The file is validated before it is saved; on a
terminal a mistake opens the editor again. Without a terminal, --body-file, --body or --file is required.

${articleHelp}`
  static override examples = ['<%= config.bin %> kb edit vpn-setup', '<%= config.bin %> kb edit vpn-setup --lang ru', '<%= config.bin %> kb edit vpn-setup --lang ar --body-file vpn.ar.md', '<%= config.bin %> kb edit vpn-setup --file vpn-setup.en.md']
  static override args = {slug: Args.string({description: slugDescription, required: true})}
  static override flags = {
    ...bodyFlags,
    lang: langFlag('The language to edit (default: the first language).'),
    file: Flags.string({summary: 'Replace the whole file (front matter and text) with this one.', helpValue: 'FILE', exclusive: ['body', 'body-file']}),
  }

  async run() {
    const {args, flags} = await this.parse(KbEdit)
    const desk = await this.openDesk()
    const current = await articleText(desk, args.slug, flags.lang)
    const lang = current.article.lang
    let res: Awaited<ReturnType<typeof editArticle>>
    if (flags.file !== undefined) res = await editArticle(desk, {slug: args.slug, lang, text: readBody({'body-file': flags.file})!})
    else {
      const body = readBody(flags)
      if (body !== undefined) res = await editArticle(desk, {slug: args.slug, lang, body})
      else if (!isInteractive()) throw usageError('Give the new text with --body-file FILE (or --file FILE for the whole file): there is no terminal to open an editor in.', `tix kb edit ${args.slug} --lang ${lang} --body-file ${args.slug}.${lang}.md`)
      else {
        let text = current.text
        for (;;) {
          text = editText(text, {name: `${args.slug}.${lang}.md`, noTerminal: usageError('no terminal')})
          try {
            res = await editArticle(desk, {slug: args.slug, lang, text})
            break
          } catch (error) {
            if (!(error instanceof TixError) || error.exitCode !== 2) throw error
            this.ctx.stderr.write(`${safeLine(error.message)}\n`)
            if (!(await confirm('Edit again?'))) throw new TixError('Nothing was saved.', {exitCode: 2, code: 'usage'})
          }
        }
      }
    }
    this.log(res.commit ? `Saved ${safeLine(args.slug)} (${lang}; ${res.commit.slice(0, 7)}).` : `${safeLine(args.slug)} (${lang}): nothing changed.`)
    const shown = await showArticle(desk, args.slug, lang)
    return envelope('kb-article', {article: shown.article, commit: res.commit, changed: res.commit !== null})
  }
}
