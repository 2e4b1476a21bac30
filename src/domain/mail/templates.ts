// Mail templates: markdown with the macro placeholders (template.ts) plus a few that only mail has
// (the reply text, the resolution, the survey, the requester's page on the portal). Rendered once
// as text and once as HTML; in the HTML every value and every character of the template is escaped
// before the little markdown there is (paragraphs, line breaks, **bold**, links) becomes tags.
import {renderTemplate, unknownPlaceholders, type TemplateValues} from '../workflow/template.js'

export const MAIL_TEMPLATE_NAMES = ['ack', 'reply', 'resolved'] as const
export type MailTemplateName = (typeof MAIL_TEMPLATE_NAMES)[number]

export const MAIL_PLACEHOLDERS: Record<string, string> = {
  'message.body': 'the text of the reply being sent',
  'ticket.resolution': 'the resolution (resolved template)',
  survey: "the satisfaction question: one link per answer to the requester's page when the desk has a web address; answering 1-5 by mail always works",
  'ticket.link': "the requester's own page on the portal (a signed link), empty when the desk has no web address (mail.webUrl or web.baseUrl)",
  signature: "the department's signature, else the desk's name",
  'mail.address': 'the address requesters write to',
}

export function unknownMailPlaceholders(text: string): string[] {
  return unknownPlaceholders(text).filter((p) => !(p in MAIL_PLACEHOLDERS))
}

const FOLLOW = 'Follow or answer your request: {{ticket.link}}'

/**
 * The built-in templates. `link`: the desk has a web address and the ticket a requester e-mail, so
 * each mail also offers the requester's page; without one the requester answers by mail only.
 */
function builtIn(link: boolean): Record<MailTemplateName, string> {
  const follow = link ? [FOLLOW, ''] : []
  return {
    ack: [
      'Hello {{ticket.requester.name}},',
      '',
      'we received your request "{{ticket.title}}" and filed it as ticket **{{ticket.shortId}}**.',
      ...(link ? ['', FOLLOW, '', 'Or reply to this message and keep [#{{ticket.shortId}}] in the subject.'] : ['To add anything, reply to this message and keep [#{{ticket.shortId}}] in the subject.']),
      '',
      '{{signature}}',
    ].join('\n'),
    reply: ['{{message.body}}', '', ...follow, '{{signature}}'].join('\n'),
    resolved: [
      'Hello {{ticket.requester.name}},',
      '',
      'your request "{{ticket.title}}" (ticket {{ticket.shortId}}) is resolved:',
      '',
      '{{ticket.resolution}}',
      '',
      '{{survey}}',
      '',
      'If something is still wrong, reply to this message and the ticket opens again.',
      '',
      ...follow,
      '{{signature}}',
    ].join('\n'),
  }
}

export const DEFAULT_TEMPLATES = builtIn(false)
/** The same with the requester's page: used when the desk has a web address and the ticket a requester e-mail. */
export const DEFAULT_LINK_TEMPLATES = builtIn(true)

export interface SurveyText {
  text: string
  /** Score -> link, when the requester has a page on the portal. */
  links: {score: number; label: string; url: string}[]
}

const LABELS = ['', 'very bad', 'bad', 'okay', 'good', 'excellent']
const BY_MAIL = 'to this message with a number from 1 (very bad) to 5 (excellent); a comment after it is welcome.'

/** `PAGE?score=N#rate`: the portal pre-selects the answer in its rating form; the requester confirms it. */
export function scoreLink(page: string, score: number): string {
  const u = new URL(page)
  u.searchParams.set('score', String(score))
  u.hash = 'rate'
  return u.toString()
}

/**
 * The satisfaction question. With the requester's page (`page`, a signed /t/ link), one link per
 * answer opens the page with that answer chosen; answering by mail works either way.
 */
export function surveyFor(page: string | null): SurveyText {
  if (!page) return {text: `How did we do? Reply ${BY_MAIL}`, links: []}
  const links = [5, 4, 3, 2, 1].map((score) => ({score, label: LABELS[score]!, url: scoreLink(page, score)}))
  return {text: ['How did we do? Pick an answer, then confirm it on the page:', ...links.map((l) => `- ${l.score} (${l.label}): ${l.url}`), '', `Or reply ${BY_MAIL}`].join('\n'), links}
}

export interface RenderedMail {
  text: string
  html: string
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')

/** Markdown-light to HTML; the input is escaped first, so nothing in it becomes markup by itself. */
export function markdownToHtml(md: string): string {
  const paragraphs = md.replace(/\r\n?/g, '\n').split(/\n{2,}/)
  const inline = (s: string) =>
    escapeHtml(s)
      .replace(/\*\*([^*\n]+)\*\*/g, '<strong>$1</strong>')
      .replace(/https?:\/\/[^\s<>"']+/g, (url) => `<a href="${url}">${url}</a>`)
  const blocks = paragraphs
    .map((p) => p.replace(/^\n+|\n+$/g, ''))
    .filter((p) => p.trim() !== '')
    .map((p) => {
      const lines = p.split('\n')
      if (lines.every((l) => /^\s*[-*] /.test(l))) return `<ul>${lines.map((l) => `<li>${inline(l.replace(/^\s*[-*] /, ''))}</li>`).join('')}</ul>`
      if (lines.every((l) => /^>/.test(l))) return `<blockquote>${lines.map((l) => inline(l.replace(/^>\s?/, ''))).join('<br>')}</blockquote>`
      return `<p>${lines.map(inline).join('<br>')}</p>`
    })
  return `<!doctype html><html><body>${blocks.join('\n')}</body></html>`
}

/** Fills a template for text and for HTML. Values are data: in HTML they are escaped like the rest. */
export function renderMail(template: string, values: TemplateValues): RenderedMail {
  const md = renderTemplate(template, values).replace(/\n{3,}/g, '\n\n').trim() + '\n'
  return {text: md.replace(/\*\*([^*\n]+)\*\*/g, '$1'), html: markdownToHtml(md)}
}

