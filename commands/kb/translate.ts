import {Args, Flags} from '@oclif/core'
import {TixError, usageError} from '../../src/errors.js'
import {checkLang, checkSlug, serializeArticle} from '../../src/domain/kb/article.js'
import {envelope} from '../../src/output/json.js'
import {safeLine} from '../../src/output/text.js'
import {showArticle, translateArticle, translationSource} from '../../src/services/kb/articles.js'
import {TixCommand} from '../base.js'
import {confirm, editText, isInteractive} from '../editor.js'
import {bodyFlags, readBody} from '../flags.js'
import {articleHelp, cutSource, langFlag, slugDescription, SOURCE_MARKER} from './shared.js'

export default class KbTranslate extends TixCommand {
  static override summary = 'Add a language to an article: on a terminal, $EDITOR opens with the source text beside yours.'
  static override description = `The translation keeps the source's category and tags and starts as a draft. Without a terminal,
--body-file (or --body) is required.

${articleHelp}`
  static override examples = [
    '<%= config.bin %> kb translate vpn-setup --lang ar',
    '<%= config.bin %> kb translate vpn-setup --lang fa --title "راه‌اندازی VPN" --body-file vpn.fa.md',
    '<%= config.bin %> kb translate vpn-setup --lang ru --from en --body-file - < vpn.ru.md',
  ]
  static override args = {slug: Args.string({description: slugDescription, required: true})}
  static override flags = {
    ...bodyFlags,
    lang: langFlag('The new language (required).'),
    title: Flags.string({summary: 'The translated title (default: the source title, to change in the editor).'}),
    from: Flags.string({summary: 'Translate from this language (default: the article\'s first language).', helpValue: 'LANG'}),
    summary: Flags.string({summary: 'A translated one-paragraph summary.'}),
  }

  async run() {
    const {args, flags} = await this.parse(KbTranslate)
    const slug = checkSlug(args.slug)
    if (flags.lang === undefined) throw usageError('Say which language to add.', `tix kb translate ${slug} --lang ar --body-file ${slug}.ar.md`)
    const lang = checkLang(flags.lang)
    let body = readBody(flags)
    const desk = await this.openDesk()
    const {source} = await translationSource(desk, slug, flags.from)
    let title = flags.title
    if (body === undefined) {
      if (!isInteractive()) throw usageError('Give the translation with --body-file FILE (or --body): there is no terminal to open an editor in.', `tix kb translate ${slug} --lang ${lang} --body-file ${slug}.${lang}.md`)
      const start = `${serializeArticle({...source, title: title ?? source.title, status: 'draft', source: source.lang}, '\n')}\n\n${SOURCE_MARKER}\n# ${source.title}\n\n${source.body}`
      for (;;) {
        const edited = cutSource(editText(start, {name: `${slug}.${lang}.md`, noTerminal: usageError('no terminal')}))
        const m = /^---\n[\s\S]*?^title:\s*(.*)$[\s\S]*?\n---\n([\s\S]*)$/m.exec(edited)
        title = m ? m[1]!.trim().replace(/^"(.*)"$/, '$1') : title
        body = m ? m[2]! : edited
        if (body.trim() !== '') break
        if (!(await confirm('The translation is empty. Edit again?'))) throw new TixError('Nothing was saved.', {exitCode: 2, code: 'usage'})
      }
    }
    const res = await translateArticle(desk, {slug, lang, body: body!, title, from: flags.from, summary: flags.summary})
    this.log(`Saved ${safeLine(slug)} in ${lang} (translated from ${source.lang}, draft; ${res.commit.slice(0, 7)}). Publish it: tix kb publish ${slug} --lang ${lang}`)
    const shown = await showArticle(desk, slug, lang)
    return envelope('kb-article', {article: shown.article, commit: res.commit, changed: true})
  }
}
