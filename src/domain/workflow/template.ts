// Reply templates (macros, rule and automation replies): `{{ticket.requester.name}}` and friends.
// The set of placeholders is closed, so an unknown one is an error when the template is saved,
// not a blank in a reply a customer reads.

/** Every placeholder a template may use, with what it stands for (shown by `tix macro new --help`). */
export const PLACEHOLDERS: Record<string, string> = {
  'ticket.id': 'the full ticket id',
  'ticket.shortId': 'the short ticket id (e.g. 7K3F9)',
  'ticket.title': 'the title',
  'ticket.status': 'the status',
  'ticket.priority': 'the priority',
  'ticket.type': 'the type',
  'ticket.channel': 'the channel',
  'ticket.department': 'the department key',
  'ticket.tier': 'the tier number',
  'ticket.assignee': "the assignee's e-mail",
  'ticket.requester.name': "the requester's name (their e-mail when no name is known)",
  'ticket.requester.email': "the requester's e-mail",
  'agent.name': "the acting agent's name",
  'agent.email': "the acting agent's e-mail",
  'department.name': "the department's name",
  'department.signature': "the department's signature",
  'desk.name': "the desk's name",
  'article.<slug>.link': "a knowledge-base article's link (the portal page when desk.json has web.baseUrl), in the requester's language when it has one",
  'article.<slug>.summary': "the article's summary (its front matter summary, else its first paragraph)",
  'article.<slug>.title': "the article's title",
}

/** Knowledge-base articles: {{article.<slug>.link}}, {{article.<slug>.summary}}, {{article.<slug>.title}}. */
export const ARTICLE_PLACEHOLDER = /^article\.([a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?)\.(link|summary|title)$/

export const isKnownPlaceholder = (name: string) => name in PLACEHOLDERS || ARTICLE_PLACEHOLDER.test(name)

/** The article slugs a template cites through placeholders. */
export function articleSlugs(text: string): string[] {
  const out: string[] = []
  for (const m of text.matchAll(PLACEHOLDER)) {
    const a = ARTICLE_PLACEHOLDER.exec(m[1]!)
    if (a && !out.includes(a[1]!)) out.push(a[1]!)
  }
  return out
}

// {{ name }} or {{ name | "fallback" }} (fallback used when the value is empty).
const PLACEHOLDER = /\{\{\s*([^{}|\s]*)\s*(?:\|\s*"([^"{}]*)"\s*)?\}\}/g

/** Placeholders in `text` that tix does not know (empty when the template is fine). */
export function unknownPlaceholders(text: string): string[] {
  const out: string[] = []
  for (const m of text.matchAll(PLACEHOLDER)) if (!isKnownPlaceholder(m[1]!) && !out.includes(m[1]!)) out.push(m[1]!)
  // A lone "{{" that is not a placeholder is most likely a typo such as {{ticket.title}
  const stripped = text.replace(PLACEHOLDER, '')
  if (/\{\{|\}\}/.test(stripped)) out.push(stripped.includes('{{') ? '{{ without a matching }}' : '}} without a matching {{')
  return out
}

export type TemplateValues = Partial<Record<keyof typeof PLACEHOLDERS | string, string | number | null | undefined>>

/** Fills the placeholders; empty values become the fallback or nothing. */
export function renderTemplate(text: string, values: TemplateValues): string {
  return text.replace(PLACEHOLDER, (_m, name: string, fallback: string | undefined) => {
    const v = values[name]
    const s = v === null || v === undefined ? '' : String(v)
    return s === '' ? (fallback ?? '') : s
  })
}
