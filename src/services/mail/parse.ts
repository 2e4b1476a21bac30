// One RFC 5322 message -> the plain data the desk decides on. The parsing is mailparser's
// (MIME, charsets, quoted-printable, base64); HTML-only mail becomes text with html-to-text, and
// quoted history and signatures are cut with email-reply-parser. Nothing here is hand-written MIME.
import {createHash} from 'node:crypto'
import type {ParsedMail, AddressObject, Attachment} from 'mailparser'
import {normalizeMessageId, type InboundMail} from '../../domain/mail/inbound.js'
import {isEmail} from '../../domain/mail/config.js'
import {importModule} from '../../runtime.js'

export interface InboundAttachment {
  filename: string
  contentType: string
  size: number
  content: Buffer
}

export interface ParsedInbound extends InboundMail {
  /** The text with quoted history and signature cut (for thread entries). */
  visibleText: string
  attachments: InboundAttachment[]
  date: string | null
  /** The whole message as received (kept as an attachment when the desk has attachments). */
  raw: Buffer
}

type MailParserModule = typeof import('mailparser')

let quoteHeadersAdded = false

// "On ... wrote:" in the languages this desk's requesters write (the library knows English and
// several European ones): Russian, Ukrainian, Arabic, Persian, Turkish.
const EXTRA_QUOTE_HEADERS = [
  /^(.{1,300}\s(пишет|написал|написала|написав|пише)\s?:)$/mu,
  /^(.{1,300}\s(كتب|کتب)\s?:)$/mu,
  /^(.{1,300}\sنوشت\s?:)$/mu,
  /^(.{1,300}\syazdı\s?:)$/mu,
  /^-{2,}\s*(Исходное сообщение|Пересылаемое сообщение|الرسالة الأصلية)\s*-{2,}$/mu,
]

async function replyParser(): Promise<{visible: (text: string) => string}> {
  const mod = await importModule<{default?: unknown}>('email-reply-parser')
  const ERP = ((mod as {default?: unknown}).default ?? mod) as new () => {read(t: string): {getVisibleText(): string}}
  if (!quoteHeadersAdded) {
    const parserMod = await importModule<{default?: unknown}>('email-reply-parser/lib/parser/emailparser.js')
    const EmailParser = ((parserMod as {default?: unknown}).default ?? parserMod) as new () => {getQuoteHeadersRegex(): RegExp[]; setQuoteHeadersRegex(r: RegExp[]): unknown}
    const p = new EmailParser()
    p.setQuoteHeadersRegex([...p.getQuoteHeadersRegex(), ...EXTRA_QUOTE_HEADERS])
    quoteHeadersAdded = true
  }
  const erp = new ERP()
  return {visible: (text) => erp.read(text).getVisibleText()}
}

const addressList = (v: AddressObject | AddressObject[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).flatMap((o) => o.value ?? [])

/** Flattens mailparser's address groups; bad addresses are dropped. */
function addresses(v: AddressObject | AddressObject[] | undefined): {name: string | null; address: string}[] {
  const out: {name: string | null; address: string}[] = []
  const walk = (list: {name?: string; address?: string; group?: unknown[]}[]) => {
    for (const a of list) {
      if (Array.isArray(a.group)) walk(a.group as never)
      else if (a.address && isEmail(a.address)) out.push({name: a.name ? a.name : null, address: a.address.toLowerCase()})
    }
  }
  walk(addressList(v) as never)
  return out
}

function headerText(v: unknown): string {
  if (typeof v === 'string') return v
  if (v instanceof Date) return v.toISOString()
  if (Array.isArray(v)) return v.map(headerText).join(', ')
  if (v && typeof v === 'object') {
    const o = v as {value?: unknown; text?: unknown; params?: Record<string, string>}
    if (typeof o.text === 'string') return o.text
    if (typeof o.value === 'string') return o.value + Object.entries(o.params ?? {}).map(([k, p]) => `; ${k}=${p}`).join('')
  }
  return String(v ?? '')
}

const ids = (v: string | string[] | undefined): string[] =>
  (Array.isArray(v) ? v : v ? v.split(/\s+/) : [])
    .flatMap((s) => s.match(/<[^<>\s]+>/g) ?? (s.trim() ? [s.trim()] : []))
    .slice(-50)
    .map(normalizeMessageId)

function findDsn(parsed: ParsedMail, attachments: Attachment[]): InboundMail['dsn'] {
  const ct = parsed.headers.get('content-type') as {value?: string; params?: Record<string, string>} | undefined
  const isReport = ct?.value === 'multipart/report' && (ct.params?.['report-type'] ?? '').toLowerCase() === 'delivery-status'
  if (!isReport) return null
  let original: string | null = null
  let status: string | null = null
  let diagnostic: string | null = null
  for (const a of attachments) {
    const text = a.content.toString('utf8', 0, Math.min(a.content.length, 64 * 1024))
    if (a.contentType === 'message/delivery-status' || a.contentType === 'message/global-delivery-status') {
      status ??= /^Status:\s*([0-9.]+)/im.exec(text)?.[1] ?? null
      diagnostic ??= /^Diagnostic-Code:\s*([^\r\n]{1,300})/im.exec(text)?.[1]?.trim() ?? null
    } else if (a.contentType === 'message/rfc822' || a.contentType === 'text/rfc822-headers' || a.contentType === 'message/rfc822-headers') {
      original ??= /^Message-ID:\s*(<[^<>\s]{1,300}>)/im.exec(text)?.[1] ?? null
    }
  }
  return {original, status, diagnostic}
}

/** Parses one message. Never throws on bad MIME: mailparser reads what it can. */
export async function parseMessage(raw: Buffer): Promise<ParsedInbound> {
  const {simpleParser} = await importModule<MailParserModule>('mailparser')
  const parsed = await simpleParser(raw, {skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true, keepDeliveryStatus: true})
  const headers = new Map<string, string>()
  for (const [k, v] of parsed.headers) headers.set(k.toLowerCase(), headerText(v))
  const from = addresses(parsed.from)[0] ?? null
  const rawFromName = addressList(parsed.from)[0]?.name
  let text = typeof parsed.text === 'string' ? parsed.text : ''
  if (text.trim() === '' && typeof parsed.html === 'string' && parsed.html.trim() !== '') {
    const {convert} = await importModule<typeof import('html-to-text')>('html-to-text')
    text = convert(parsed.html, {wordwrap: false, selectors: [{selector: 'img', format: 'skip'}, {selector: 'a', options: {hideLinkHrefIfSameAsText: true}}]})
  }
  text = text.replace(/\r\n?/g, '\n').replace(/\s+$/, '')
  const attachments = parsed.attachments ?? []
  const dsn = findDsn(parsed, attachments)
  let visibleText = text
  if (text !== '') {
    try {
      const v = (await replyParser()).visible(text).replace(/\s+$/, '')
      if (v.trim() !== '') visibleText = v
    } catch {
      visibleText = text
    }
  }
  const messageId = parsed.messageId ? normalizeMessageId(parsed.messageId) : `<sha256.${createHash('sha256').update(raw).digest('hex').slice(0, 40)}@tix.invalid>`
  const delivered = ['delivered-to', 'x-original-to', 'envelope-to'].flatMap((h) => (headers.get(h) ?? '').split(/[\s,]+/)).map((s) => s.replace(/^<|>$/g, '').toLowerCase()).filter(isEmail)
  return {
    messageId,
    inReplyTo: ids(parsed.inReplyTo),
    references: ids(parsed.references),
    subject: parsed.subject ?? '',
    from: from ? {name: from.name ?? null, address: from.address} : {name: rawFromName || null, address: null},
    to: addresses(parsed.to).map((a) => a.address),
    cc: addresses(parsed.cc),
    deliveredTo: delivered,
    headers,
    text,
    visibleText,
    dsn,
    attachments: dsn
      ? []
      : attachments.map((a) => ({filename: a.filename ?? `attachment.${(a.contentType ?? 'bin').split('/')[1] ?? 'bin'}`, contentType: a.contentType ?? 'application/octet-stream', size: a.size ?? a.content.length, content: a.content})),
    date: parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date.toISOString() : null,
    raw,
  }
}
