// The `mail` section of desk.json: the desk's address, per-department addresses, templates,
// acknowledgements and the web address for links to the requester's page (default web.baseUrl).
// Server settings and passwords never live here (every clone reads the branch): validation refuses
// anything that looks like one, naming its JSON path.
import type {DeskConfig} from '../config/core.js'
import type {ConfigProblem, DeskSection, SectionSchema} from '../config/section.js'
import {isObj} from '../workflow/conditions.js'
import {MAIL_TEMPLATE_NAMES, unknownMailPlaceholders, type MailTemplateName} from './templates.js'

export interface MailDepartment {
  key: string
  address: string | null
  name: string | null
  /** Acknowledge new tickets of this department (default: the desk's setting). */
  acknowledge: boolean | null
  signature: string | null
}

export interface MailConfig {
  /** The desk's own address (From of everything it sends), or null: mail is not set up. */
  address: string | null
  name: string | null
  acknowledge: boolean
  /** Acknowledgements one sender gets per hour at most. */
  ackPerHour: number
  departments: Map<string, MailDepartment>
  templates: Partial<Record<MailTemplateName, string>>
  /** The portal's address for links in mail; null: desk.json web.baseUrl is used (src/services/mail/links.ts). */
  webUrl: string | null
  /** How long a claim keeps other gateways off a message (ms). */
  leaseMs: number
  /** Outgoing messages older than this (ms) are not sent any more (a gateway started late does not flood). */
  maxAgeMs: number
  /** The IMAP folder fetched messages are moved to. */
  processedFolder: string
}

export const MAIL_DEFAULTS = {
  ackPerHour: 3,
  leaseMinutes: 10,
  maxAgeDays: 7,
  processedFolder: 'Processed',
} as const

const EMAIL = /^[^\s<>@"(),;:]+@[^\s<>@"(),;:]+\.[^\s<>@"(),;:]+$/
export const isEmail = (s: string) => EMAIL.test(s)

// Keys that hold secrets, and values that carry one (a URL with user:password@, a PEM block).
const SECRET_KEY = /pass(word|wd)?$|secret|token|api[-_]?key|credential|private[-_]?key|^(imap|smtp)(url)?$/i
const SECRET_VALUE = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@|-----BEGIN [A-Z ]*PRIVATE KEY-----/i

function findSecrets(value: unknown, path: string, problems: ConfigProblem[]): void {
  if (typeof value === 'string') {
    if (SECRET_VALUE.test(value)) problems.push({path, message: 'looks like a password or key: secrets never go on the desk branch (use TIX_IMAP_URL / TIX_SMTP_URL or `git config tix.imap` / `tix.smtp` on the gateway clone)'})
    return
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => findSecrets(v, `${path}[${i}]`, problems))
    return
  }
  if (!isObj(value)) return
  for (const [k, v] of Object.entries(value)) {
    const p = `${path}.${k}`
    if (SECRET_KEY.test(k)) {
      problems.push({path: p, message: 'looks like a password or server setting: these never go on the desk branch (use TIX_IMAP_URL / TIX_SMTP_URL or `git config tix.imap` / `tix.smtp` on the gateway clone)'})
      continue
    }
    findSecrets(v, p, problems)
  }
}

const KNOWN = new Set(['address', 'name', 'acknowledge', 'ackPerHour', 'departments', 'templates', 'webUrl', 'leaseMinutes', 'maxAgeDays', 'processedFolder'])

/** Validates desk.json's `mail` section (every problem with its JSON path) and compiles it. */
export function compileMail(config: Record<string, unknown>, problems: ConfigProblem[]): MailConfig {
  const raw = config.mail
  const out: MailConfig = {
    address: null,
    name: null,
    acknowledge: true,
    ackPerHour: MAIL_DEFAULTS.ackPerHour,
    departments: new Map(),
    templates: {},
    webUrl: null,
    leaseMs: MAIL_DEFAULTS.leaseMinutes * 60_000,
    maxAgeMs: MAIL_DEFAULTS.maxAgeDays * 86_400_000,
    processedFolder: MAIL_DEFAULTS.processedFolder,
  }
  if (raw === undefined) return out
  if (!isObj(raw)) {
    problems.push({path: 'mail', message: 'expected an object such as {"address": "help@example.com"}'})
    return out
  }
  findSecrets(raw, 'mail', problems)
  for (const k of Object.keys(raw)) {
    if (!KNOWN.has(k) && !SECRET_KEY.test(k)) problems.push({path: `mail.${k}`, message: `unknown setting (known: ${[...KNOWN].join(', ')})`})
  }
  const address = (v: unknown, path: string): string | null => {
    if (v === undefined || v === null) return null
    if (typeof v !== 'string' || !isEmail(v.trim())) {
      problems.push({path, message: 'expected an e-mail address such as "help@example.com"'})
      return null
    }
    return v.trim().toLowerCase()
  }
  const text = (v: unknown, path: string, max = 200): string | null => {
    if (v === undefined || v === null) return null
    if (typeof v !== 'string' || v.length > max || /[\r\n\p{Cc}]/u.test(v)) {
      problems.push({path, message: `expected one line of text (up to ${max} characters)`})
      return null
    }
    return v
  }
  const bool = (v: unknown, path: string): boolean | null => {
    if (v === undefined) return null
    if (typeof v !== 'boolean') {
      problems.push({path, message: 'expected true or false'})
      return null
    }
    return v
  }
  const positive = (v: unknown, path: string, fallback: number, max: number): number => {
    if (v === undefined) return fallback
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > max) {
      problems.push({path, message: `expected a number from 0 to ${max}`})
      return fallback
    }
    return v
  }
  out.address = address(raw.address, 'mail.address')
  out.name = text(raw.name, 'mail.name')
  out.acknowledge = bool(raw.acknowledge, 'mail.acknowledge') ?? true
  out.ackPerHour = positive(raw.ackPerHour, 'mail.ackPerHour', MAIL_DEFAULTS.ackPerHour, 1000)
  out.leaseMs = positive(raw.leaseMinutes, 'mail.leaseMinutes', MAIL_DEFAULTS.leaseMinutes, 24 * 60) * 60_000
  out.maxAgeMs = positive(raw.maxAgeDays, 'mail.maxAgeDays', MAIL_DEFAULTS.maxAgeDays, 3650) * 86_400_000
  out.processedFolder = text(raw.processedFolder, 'mail.processedFolder', 100) ?? MAIL_DEFAULTS.processedFolder
  if (raw.webUrl !== undefined) {
    // Links are BASE/t/TOKEN?score=N#rate: a query or fragment in the base would break them.
    if (typeof raw.webUrl !== 'string' || !/^https?:\/\/[^\s/@?#]+(\/[^\s?#]*)?$/.test(raw.webUrl)) problems.push({path: 'mail.webUrl', message: 'expected the portal\'s web address, such as "https://help.example.com" (no user or password, query or #fragment in it)'})
    else out.webUrl = raw.webUrl.replace(/\/+$/, '')
  }
  if (raw.departments !== undefined) {
    if (!isObj(raw.departments)) problems.push({path: 'mail.departments', message: 'expected an object of department key -> {"address": ...}'})
    else {
      const depts = isObj(config.departments) ? config.departments : {}
      const seen = new Map<string, string>()
      for (const [key, d] of Object.entries(raw.departments)) {
        const p = `mail.departments.${key}`
        if (!(key in depts)) problems.push({path: p, message: `no department "${key}" in "departments" (add it with \`tix dept add ${key}\`)`})
        if (!isObj(d)) {
          problems.push({path: p, message: 'expected an object such as {"address": "billing@example.com"}'})
          continue
        }
        const dept: MailDepartment = {
          key,
          address: address(d.address, `${p}.address`),
          name: text(d.name, `${p}.name`),
          acknowledge: bool(d.acknowledge, `${p}.acknowledge`),
          signature: typeof d.signature === 'string' ? d.signature : null,
        }
        if (d.signature !== undefined && typeof d.signature !== 'string') problems.push({path: `${p}.signature`, message: 'expected text'})
        if (dept.address) {
          const other = seen.get(dept.address)
          if (other) problems.push({path: `${p}.address`, message: `the same address as department "${other}"`})
          seen.set(dept.address, key)
        }
        out.departments.set(key, dept)
      }
    }
  }
  if (raw.templates !== undefined) {
    if (!isObj(raw.templates)) problems.push({path: 'mail.templates', message: `expected an object with ${MAIL_TEMPLATE_NAMES.join(', ')}`})
    else {
      for (const [name, t] of Object.entries(raw.templates)) {
        const p = `mail.templates.${name}`
        if (!(MAIL_TEMPLATE_NAMES as readonly string[]).includes(name)) {
          problems.push({path: p, message: `unknown template (known: ${MAIL_TEMPLATE_NAMES.join(', ')})`})
          continue
        }
        if (typeof t !== 'string' || t.trim() === '') {
          problems.push({path: p, message: 'expected markdown text'})
          continue
        }
        const bad = unknownMailPlaceholders(t)
        if (bad.length > 0) problems.push({path: p, message: `unknown placeholder(s): ${bad.join(', ')}`})
        else out.templates[name as MailTemplateName] = t
      }
    }
  }
  return out
}

export const mailSection: DeskSection = {
  keys: ['mail'],
  compile(config, problems) {
    if (config.mail !== undefined) compileMail(config, problems)
  },
}

const TEMPLATE_TEXT = 'Markdown with placeholders ({{ticket.shortId}}, {{ticket.requester.name}}, {{message.body}}, {{ticket.resolution}}, {{survey}}, {{signature}}, ...); sent as text and HTML.'

export function mailSchema(): SectionSchema {
  return {
    mail: {
      type: 'object',
      description: 'The e-mail channel (tix mail ...). Server settings and passwords never go here: they come from TIX_IMAP_URL / TIX_SMTP_URL or the gateway clone\'s git config tix.imap / tix.smtp.',
      additionalProperties: false,
      properties: {
        address: {type: 'string', format: 'email', description: 'The desk\'s address: From of everything it sends, and where requesters write.'},
        name: {type: 'string', maxLength: 200, description: 'Display name of the desk\'s address.'},
        acknowledge: {type: 'boolean', default: true, description: 'Acknowledge new tickets made from mail (ticket number and how to answer).'},
        ackPerHour: {type: 'number', minimum: 0, maximum: 1000, default: MAIL_DEFAULTS.ackPerHour, description: 'Acknowledgements one sender gets per hour at most (no storms).'},
        departments: {
          type: 'object',
          description: 'Per-department addresses: mail to one of them files the ticket in that department.',
          additionalProperties: {
            type: 'object',
            additionalProperties: false,
            properties: {
              address: {type: 'string', format: 'email'},
              name: {type: 'string', maxLength: 200, description: 'Display name for mail from this department.'},
              acknowledge: {type: 'boolean', description: 'Overrides mail.acknowledge for this department.'},
              signature: {type: 'string', description: 'Signature under this department\'s mail ({{signature}}).'},
            },
          },
        },
        templates: {
          type: 'object',
          additionalProperties: false,
          description: 'Templates (otherwise mail/NAME.md on the branch, else built-in ones).',
          properties: Object.fromEntries(MAIL_TEMPLATE_NAMES.map((name) => [name, {type: 'string', description: TEMPLATE_TEXT}])),
        },
        webUrl: {
          type: 'string',
          pattern: '^https?://[^\\s/@?#]+(/[^\\s?#]*)?$',
          description: 'The portal\'s address for links in mail (default: web.baseUrl): acknowledgements, replies and resolutions carry the requester\'s signed page WEBURL/t/TOKEN, and the survey links WEBURL/t/TOKEN?score=N#rate. Without a web address requesters reply by mail (1-5 for the survey).',
        },
        leaseMinutes: {
          type: 'number',
          minimum: 0,
          maximum: 24 * 60,
          default: MAIL_DEFAULTS.leaseMinutes,
          description: 'How long a gateway\'s claim on an outgoing message keeps other gateways off it.',
        },
        maxAgeDays: {
          type: 'number',
          minimum: 0,
          maximum: 3650,
          default: MAIL_DEFAULTS.maxAgeDays,
          description: 'Outgoing mail older than this is not sent any more (a gateway started late does not flood).',
        },
        processedFolder: {type: 'string', maxLength: 100, default: MAIL_DEFAULTS.processedFolder, description: 'IMAP folder fetched messages are moved to.'},
      },
    },
  }
}

const compiled = new WeakMap<object, MailConfig>()

/** The compiled mail section of a (validated) desk config. */
export function mailOf(config: DeskConfig): MailConfig {
  let m = compiled.get(config)
  if (!m) {
    m = compileMail(config, [])
    compiled.set(config, m)
  }
  return m
}

/** Every address the desk sends from or receives at (mail from these never gets an automatic answer). */
export function ownAddresses(m: MailConfig): Set<string> {
  const out = new Set<string>()
  if (m.address) out.add(m.address)
  for (const d of m.departments.values()) if (d.address) out.add(d.address)
  return out
}

/** The department whose address the message was sent to (first match in To, then Cc, then Delivered-To). */
export function departmentFor(m: MailConfig, recipients: readonly string[]): string | null {
  for (const r of recipients) {
    const a = r.toLowerCase()
    for (const d of m.departments.values()) if (d.address === a) return d.key
  }
  return null
}

export function acknowledges(m: MailConfig, department: string | null): boolean {
  const d = department ? m.departments.get(department) : undefined
  return d?.acknowledge ?? m.acknowledge
}

/** From-address and name for a ticket's department (the desk's when the department has none). */
export function senderFor(m: MailConfig, department: string | null, deskName: string | undefined): {address: string; name: string} | null {
  const d = department ? m.departments.get(department) : undefined
  const address = d?.address ?? m.address
  if (!address) return null
  return {address, name: d?.name ?? m.name ?? deskName ?? 'Help desk'}
}
