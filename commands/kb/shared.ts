// What the kb commands share: flags, the editor round-trip, and how an article is printed.
import {Flags} from '@oclif/core'
import {STATUSES, RTL} from '../../src/domain/kb/article.js'
import {safeLine, safeText} from '../../src/output/text.js'
import type {ArticleView} from '../../src/services/kb/articles.js'
import type {KbHit} from '../../src/services/kb/search.js'
import type {palette} from '../../src/output/style.js'

export const slugDescription = 'The article\'s slug: lower-case letters a-z, digits and single hyphens (its folder is kb/<slug>/).'
export const langFlag = (summary = 'Language: en, ar, fa, ru, or any 2-3 letter code (pt-BR with a region).') => Flags.string({char: 'l', summary, helpValue: 'LANG'})
export const statusFlag = () => Flags.option({options: STATUSES, summary: 'Only drafts or only published articles.'})()

export const articleHelp = `An article is one markdown file per language on the desk branch, kb/<slug>/<lang>.md,
with a YAML front matter that tix writes and validates:

  ---
  title: "Set up the VPN"
  category: "network"
  tags: ["vpn", "remote"]
  status: "draft"            # or "published": only published articles are suggested and cited
  author: "ana@example.com"
  updated: "2026-11-02T09:00:00.000Z"
  summary: "..."             # optional; else the first paragraph is the summary
  source: "en"               # on translations: the language it was translated from
  ---
  The text, in markdown.

Every change is one commit; \`tix sync\` merges articles line by line like macros.`

/** Where the source is put for reference in a translation being edited; everything after it is dropped on save. */
export const SOURCE_MARKER = '<!-- tix: everything below this line is the source, for reference; it is removed when you save. -->'

export const cutSource = (text: string) => {
  const at = text.indexOf(SOURCE_MARKER)
  return at < 0 ? text : text.slice(0, at).replace(/\s+$/, '\n')
}

type Colors = ReturnType<typeof palette>

/** One line per article file: slug, language, status, category, title. */
export function articleLine(a: ArticleView, c: Colors, tty: boolean): string {
  if (!tty) return [a.slug, a.lang, a.status, a.category ?? '', safeLine(a.title)].join('\t')
  return `${c.bold(a.slug.padEnd(24))} ${a.lang.padEnd(5)} ${(a.status === 'published' ? c.green : c.dim)(a.status.padEnd(9))} ${(a.category ?? '-').padEnd(12)} ${dir(a.lang, safeLine(a.title))}`
}

export function hitLine(h: KbHit, c: Colors, tty: boolean): string {
  const why = h.matched.map(safeLine).join(', ')
  if (!tty) return [h.article.slug, h.article.lang, h.score, safeLine(h.article.title), why].join('\t')
  return `${c.bold(h.article.slug)} ${c.dim(`[${h.article.lang}]`)} ${dir(h.article.lang, safeLine(h.article.title))}  ${c.dim(`score ${h.score}; matched: ${why}`)}`
}

/** Right-to-left titles isolated so they do not reorder the columns around them. */
const dir = (lang: string, text: string) => (RTL.has(lang.split('-')[0]!) ? `\u2067${text}\u2069` : text)

export function articleBlock(a: ArticleView, c: Colors): string {
  const head = [
    `${c.bold(safeLine(a.title))}`,
    `${c.dim('slug')} ${a.slug}  ${c.dim('language')} ${a.lang} (${a.languages.join(', ')})  ${c.dim('status')} ${a.status}`,
    `${c.dim('category')} ${safeLine(a.category ?? '-')}  ${c.dim('tags')} ${safeLine(a.tags.join(', ') || '-')}  ${c.dim('author')} ${safeLine(a.author ?? '-')}  ${c.dim('updated')} ${a.updated ?? '-'}`,
    `${c.dim('link')} ${safeLine(a.link)}`,
  ]
  return `${head.join('\n')}\n\n${safeText(a.body ?? '').replace(/\s+$/, '')}`
}
