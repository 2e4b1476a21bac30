// Attachments (pure): file names made safe, media types, the `attach` event and the size limit.
// The bytes live on the desk branch as content-addressed blobs, `attachments/<aa>/<sha256>`: the
// same file attached twice (to one ticket or to many) is stored once. The store side is
// src/services/attachments.ts.
import type {DeskConfig} from '../config/core.js'
import type {ConfigProblem, DeskSection, SectionSchema} from '../config/section.js'

/** Default largest attachment: 10 MB (desk.json `attachments.maxBytes` changes it). */
export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024
/** Longest file name kept (characters); longer names are cut, keeping the extension. */
export const MAX_NAME_LENGTH = 200

/** What the fold keeps per attachment (`attachments` on a ticket; absent while there are none). */
export interface Attachment {
  /** Safe file name: no path parts, no control characters. */
  name: string
  /** SHA-256 of the bytes (hex): the blob is `attachments/<first 2>/<blob>`. */
  blob: string
  size: number
  mediaType: string
  at: string
  by: string
}

export const SHA256_HEX = /^[0-9a-f]{64}$/
export const blobPath = (sha256: string): string => {
  if (!SHA256_HEX.test(sha256)) throw new Error(`not a SHA-256: ${sha256}`)
  return `attachments/${sha256.slice(0, 2)}/${sha256}`
}

// eslint-disable-next-line no-control-regex
const ESCAPE_SEQUENCES = /\u001B(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001B]*(?:\u0007|\u001B\\)?|[PX^_][^\u001B]*(?:\u001B\\)?|[@-Z\\-_]|)/g
// C0 and C1 controls, DEL, and the invisible characters that reorder or hide text (bidi overrides,
// zero-width joiners, BOM): a name must read the same on every screen.
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g

/**
 * A file name that is safe to show and to use as the last part of a path: escape sequences and
 * control characters removed, only the last path part kept (`../../x` -> `x`, `C:\a\b` -> `b`),
 * no leading dots (no hidden files, never `..`), characters Windows refuses replaced by `_`.
 */
export function sanitizeFileName(input: string, fallback = 'attachment'): string {
  let s = String(input).normalize('NFC').replace(ESCAPE_SEQUENCES, '').replace(INVISIBLE, '')
  s = s.split(/[/\\]/).pop() ?? ''
  s = s.replace(/[<>:"|?*]/g, '_').replace(/\s+/g, ' ').trim().replace(/^[.\s]+/, '').replace(/[.\s]+$/, '')
  if (s.length > MAX_NAME_LENGTH) {
    const dot = s.lastIndexOf('.')
    const ext = dot > 0 && s.length - dot <= 16 ? s.slice(dot) : ''
    s = s.slice(0, MAX_NAME_LENGTH - ext.length) + ext
  }
  return s === '' ? fallback : s
}

/** "report.pdf" taken: "report (2).pdf", "report (3).pdf", ... */
export function uniqueName(name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name)) return name
  const dot = name.lastIndexOf('.')
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, '']
  for (let n = 2; ; n++) {
    const candidate = `${stem} (${n})${ext}`
    if (!taken.has(candidate)) return candidate
  }
}

const BY_EXTENSION: Record<string, string> = {
  txt: 'text/plain', log: 'text/plain', out: 'text/plain', md: 'text/markdown', csv: 'text/csv', tsv: 'text/tab-separated-values',
  json: 'application/json', jsonl: 'application/x-ndjson', xml: 'application/xml', yaml: 'application/yaml', yml: 'application/yaml',
  html: 'text/html', htm: 'text/html', css: 'text/css', js: 'text/javascript', ts: 'text/plain', py: 'text/x-python', sh: 'text/x-shellscript',
  eml: 'message/rfc822', ics: 'text/calendar', har: 'application/json', diff: 'text/x-diff', patch: 'text/x-diff',
  pdf: 'application/pdf', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp',
  svg: 'image/svg+xml', bmp: 'image/bmp', ico: 'image/vnd.microsoft.icon', heic: 'image/heic',
  zip: 'application/zip', gz: 'application/gzip', tgz: 'application/gzip', tar: 'application/x-tar', '7z': 'application/x-7z-compressed',
  mp3: 'audio/mpeg', wav: 'audio/wav', mp4: 'video/mp4', mov: 'video/quicktime', webm: 'video/webm',
  doc: 'application/msword', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ppt: 'application/vnd.ms-powerpoint', pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  odt: 'application/vnd.oasis.opendocument.text', ods: 'application/vnd.oasis.opendocument.spreadsheet',
}

const startsWith = (b: Uint8Array, sig: readonly number[], at = 0) => sig.every((x, i) => b[at + i] === x)

/** The media type from the first bytes (magic numbers), else text/plain for UTF-8 text, else octet-stream. */
export function sniffMediaType(bytes: Uint8Array): string {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png'
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg'
  if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38])) return 'image/gif'
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp'
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf'
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return 'application/zip'
  if (startsWith(bytes, [0x1f, 0x8b])) return 'application/gzip'
  const head = bytes.subarray(0, 8192)
  if (head.includes(0)) return 'application/octet-stream'
  try {
    new TextDecoder('utf-8', {fatal: true}).decode(head.length < bytes.length ? head.subarray(0, lastCharBoundary(head)) : head)
    return 'text/plain'
  } catch {
    return 'application/octet-stream'
  }
}

/** Cuts a UTF-8 prefix before a character that continues past its end. */
function lastCharBoundary(b: Uint8Array): number {
  let i = b.length
  for (let back = 0; back < 4 && i > 0; back++) {
    const c = b[i - 1]!
    if ((c & 0xc0) !== 0x80) return (c & 0x80) === 0 ? b.length : i - 1 // an ASCII byte ends it; a lead byte may be cut
    i--
  }
  return b.length
}

const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/

/** A given media type when it is well-formed, else one from the extension, else sniffed from the bytes. */
export function mediaTypeOf(name: string, bytes: Uint8Array, given?: string | null): string {
  const g = given?.split(';')[0]!.trim().toLowerCase()
  if (g && MEDIA_TYPE.test(g) && g !== 'application/octet-stream') return g
  const dot = name.lastIndexOf('.')
  const ext = dot >= 0 ? name.slice(dot + 1).toLowerCase() : ''
  return BY_EXTENSION[ext] ?? sniffMediaType(bytes)
}

export const isTextMedia = (t: string) => t.startsWith('text/') || t === 'application/json' || t === 'application/x-ndjson' || t === 'application/xml' || t === 'application/yaml'

/** The desk's largest attachment in bytes. */
export function maxAttachmentBytes(config: DeskConfig): number {
  const a = config.attachments as {maxBytes?: unknown} | undefined
  return typeof a?.maxBytes === 'number' ? a.maxBytes : DEFAULT_MAX_BYTES
}

/** desk.json `attachments`: {"maxBytes": N} (a positive whole number of bytes). */
export function validateAttachmentsConfig(config: Record<string, unknown>, problems: ConfigProblem[]): void {
  const a = config.attachments
  if (a === undefined) return
  if (typeof a !== 'object' || a === null || Array.isArray(a)) {
    problems.push({path: 'attachments', message: 'expected an object such as {"maxBytes": 10485760}'})
    return
  }
  for (const key of Object.keys(a)) if (key !== 'maxBytes') problems.push({path: `attachments.${key}`, message: 'unknown key (expected maxBytes)'})
  const max = (a as Record<string, unknown>).maxBytes
  if (max !== undefined && (typeof max !== 'number' || !Number.isSafeInteger(max) || max < 1)) {
    problems.push({path: 'attachments.maxBytes', message: 'expected a whole number of bytes, at least 1'})
  }
}

export const attachmentsSection: DeskSection = {keys: ['attachments'], compile: validateAttachmentsConfig}

export function attachmentsSchema(): SectionSchema {
  return {
    attachments: {
      type: 'object',
      description: 'Files attached to tickets (`tix attach`, mail, the web portal).',
      additionalProperties: false,
      properties: {
        maxBytes: {
          type: 'integer',
          minimum: 1,
          default: DEFAULT_MAX_BYTES,
          description: 'Largest attachment in bytes (default 10 MB); a larger file is refused and nothing is written.',
        },
      },
    },
  }
}

/** "12 KB", "3.4 MB": sizes for people. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KB`
  return `${(n / (1024 * 1024)).toFixed(n < 10 * 1024 * 1024 ? 1 : 0)} MB`
}

/** The fold's view of an `attach` event (null when it does not name a blob and a name). */
export function attachmentOf(e: {blob?: unknown; name?: unknown; size?: unknown; mediaType?: unknown; at: string; by: string}): Attachment | null {
  if (typeof e.blob !== 'string' || !SHA256_HEX.test(e.blob) || typeof e.name !== 'string') return null
  const size = typeof e.size === 'number' && Number.isSafeInteger(e.size) && e.size >= 0 ? e.size : 0
  const mediaType = typeof e.mediaType === 'string' && MEDIA_TYPE.test(e.mediaType) ? e.mediaType : 'application/octet-stream'
  return {name: sanitizeFileName(e.name), blob: e.blob, size, mediaType, at: e.at, by: e.by}
}
