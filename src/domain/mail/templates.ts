// Mail templates: markdown with the macro placeholders (template.ts) plus a few that only mail has
// (the reply text, the resolution, the survey). Rendered once as text and once as HTML; in the HTML
// every value and every character of the template is escaped before the little markdown there is
// (paragraphs, line breaks, **bold**, links) becomes tags.
import {renderTemplate, unknownPlaceholders, type TemplateValues} from '../template.js'

export const MAIL_TEMPLATE_NAMES = ['ack', 'reply', 'resolved'] as const
export type MailTemplateName = (typeof MAIL_TEMPLATE_NAMES)[number]

export const MAIL_PLACEHOLDERS: Record<string, string> = {
  'message.body': 'the text of the reply being sent',
  'ticket.resolution': 'the resolution (resolved template)',
  survey: 'the satisfaction question: one-click links with mail.webUrl, else "reply with 1-5"',
  signature: "the department's signature, else the desk's name",
  'mail.address': 'the address requesters write to',
}

export function unknownMailPlaceholders(text: string): string[] {
  return unknownPlaceholders(text).filter((p) => !(p in MAIL_PLACEHOLDERS))
}

export const DEFAULT_TEMPLATES: Record<MailTemplateName, string> = {
  ack: [
    'Hello {{ticket.requester.name}},',
    '',
    'we received your request "{{ticket.title}}" and filed it as ticket **{{ticket.shortId}}**.',
    'To add anything, reply to this message and keep [#{{ticket.shortId}}] in the subject.',
    '',
    '{{signature}}',
  ].join('\n'),
  reply: ['{{message.body}}', '', '{{signature}}'].join('\n'),
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
    '{{signature}}',
  ].join('\n'),
}

export interface SurveyText {
  text: string
  /** Score -> link, when the desk has a web address. */
  links: {score: number; label: string; url: string}[]
}

const LABELS = ['', 'very bad', 'bad', 'okay', 'good', 'excellent']

export function surveyFor(webUrl: string | null, ticketId: string, token: string): SurveyText {
  if (!webUrl) {
    return {text: 'How did we do? Reply to this message with a number from 1 (very bad) to 5 (excellent); a comment after it is welcome.', links: []}
  }
  const links = [5, 4, 3, 2, 1].map((score) => ({score, label: LABELS[score]!, url: `${webUrl}/rate/${ticketId}/${score}?t=${token}`}))
  return {text: ['How did we do? One click answers:', ...links.map((l) => `- ${l.score} (${l.label}): ${l.url}`)].join('\n'), links}
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

