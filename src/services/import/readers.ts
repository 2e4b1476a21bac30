// Readers: each format becomes a stream of raw records with the file and line they came from.
// Files are read as a stream where the format allows (CSV, JSONL), so a large import never holds
// the whole source; JSON documents (GitHub, Zendesk, a JSON array) are parsed whole.
import {createReadStream, readdirSync, readFileSync, statSync} from 'node:fs'
import {basename, join, relative} from 'node:path'
import {createInterface} from 'node:readline'
import {usageError} from '../../errors.js'
import {importModule} from '../../runtime.js'
import type {ImportEntry, ImportFormat, RawRecord} from './record.js'

export interface SourceItem {
  file: string
  line: number
  record?: RawRecord
  /** The reason the item could not be read as a ticket at all. */
  error?: string
}

/** Which tix value `--map tix=Column` sets; `field:KEY` (or fields.KEY) is a custom field. */
export const MAP_TARGETS = ['id', 'title', 'body', 'status', 'priority', 'type', 'channel', 'requester', 'requesterName', 'assignee', 'department', 'tags', 'createdAt', 'createdBy', 'updatedAt', 'resolvedAt', 'closedAt', 'resolution'] as const

/** Column names recognised without --map (compared without case, spaces, dashes and underscores). */
const ALIASES: Record<string, string[]> = {
  id: ['id', 'ticketid', 'key', 'number', 'externalid', 'sourceid'],
  title: ['title', 'subject', 'summary', 'name'],
  body: ['body', 'description', 'details', 'text', 'content'],
  status: ['status', 'state'],
  priority: ['priority'],
  type: ['type', 'tickettype', 'kind'],
  channel: ['channel', 'via', 'source'],
  requester: ['requester', 'requesteremail', 'email', 'from', 'reporter', 'customer'],
  requesterName: ['requestername', 'name_of_requester', 'reportername', 'customername'],
  assignee: ['assignee', 'assigneeemail', 'assignedto', 'owner', 'agent'],
  department: ['department', 'group', 'team', 'queue'],
  tags: ['tags', 'labels', 'tag', 'label'],
  createdAt: ['createdat', 'created', 'createddate', 'opened', 'openedat', 'date'],
  createdBy: ['createdby'],
  updatedAt: ['updatedat', 'updated', 'modified'],
  resolvedAt: ['resolvedat', 'resolved', 'solvedat'],
  closedAt: ['closedat', 'closed'],
  resolution: ['resolution', 'solution'],
}
const norm = (s: string) => s.toLowerCase().replace(/[\s_-]/g, '')

export type ColumnMap = Record<string, string>

/** Parses `--map tix=Column` pairs; checks the tix side. */
export function parseMaps(pairs: readonly string[]): ColumnMap {
  const out: ColumnMap = {}
  for (const p of pairs) {
    const eq = p.indexOf('=')
    if (eq <= 0 || eq === p.length - 1) throw usageError(`--map "${p}" is not tix-field=Column.`, 'e.g. --map title=Subject --map requester=Email --map field:plan=Plan')
    let target = p.slice(0, eq).trim()
    const column = p.slice(eq + 1).trim()
    const custom = /^(?:field:|fields\.)(.+)$/.exec(target)
    if (custom) target = `field:${custom[1]}`
    else if (!(MAP_TARGETS as readonly string[]).includes(target)) throw usageError(`--map "${p}": "${target}" is not something tix keeps: expected ${MAP_TARGETS.join(', ')}, or field:KEY.`)
    out[target] = column
  }
  return out
}

/** A flat row (CSV, or a JSON object) as a raw record: --map first, then the usual column names. */
export function flatRecord(row: Record<string, unknown>, map: ColumnMap): RawRecord {
  const byNorm = new Map<string, string>()
  for (const k of Object.keys(row)) if (!byNorm.has(norm(k))) byNorm.set(norm(k), k)
  const used = new Set<string>()
  const pick = (target: string): unknown => {
    const col = map[target]
    if (col !== undefined) {
      used.add(col)
      return row[col] ?? row[byNorm.get(norm(col)) ?? col]
    }
    for (const alias of ALIASES[target] ?? []) {
      const k = byNorm.get(norm(alias))
      if (k !== undefined && !Object.values(map).includes(k)) {
        used.add(k)
        return row[k]
      }
    }
    return undefined
  }
  const fields: Record<string, unknown> = {}
  for (const [target, col] of Object.entries(map)) if (target.startsWith('field:')) fields[target.slice(6)] = row[col]
  for (const [k, v] of Object.entries(row)) {
    const m = /^(?:field[:.]|fields[:.])(.+)$/i.exec(k)
    if (m && fields[m[1]!] === undefined) fields[m[1]!] = v
  }
  if (typeof row.fields === 'object' && row.fields !== null && !Array.isArray(row.fields)) for (const [k, v] of Object.entries(row.fields)) fields[k] ??= v
  const id = pick('id')
  let requester = pick('requester')
  const requesterName = pick('requesterName')
  if (typeof requester === 'string' && typeof requesterName === 'string' && requesterName.trim() !== '' && !requester.includes('<')) requester = `${requesterName.trim()} <${requester.trim()}>`
  else if ((requester === undefined || requester === '') && typeof requesterName === 'string') requester = requesterName
  const thread = threadOf(row.thread ?? row.comments)
  return {
    sourceId: id === undefined || id === null || id === '' ? null : String(id),
    title: pick('title'),
    body: pick('body'),
    status: pick('status'),
    priority: pick('priority'),
    type: pick('type'),
    channel: pick('channel'),
    requester,
    assignee: pick('assignee'),
    department: pick('department'),
    tags: pick('tags'),
    createdAt: pick('createdAt'),
    createdBy: pick('createdBy'),
    updatedAt: pick('updatedAt'),
    resolvedAt: pick('resolvedAt'),
    closedAt: pick('closedAt'),
    resolution: pick('resolution'),
    fields,
    thread,
  }
}

const s = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null)

/** Comments as JSON sources write them: {author|by, at|createdAt|created_at, body, public|internal|kind}. */
function threadOf(v: unknown): ImportEntry[] {
  if (!Array.isArray(v)) return []
  return v.filter((c): c is Record<string, unknown> => typeof c === 'object' && c !== null).map((c) => {
    const author = c.author
    const who = typeof author === 'object' && author !== null ? (s((author as Record<string, unknown>).email) ?? s((author as Record<string, unknown>).login) ?? s((author as Record<string, unknown>).name)) : s(author) ?? s(c.by)
    const internal = c.public === false || c.internal === true || c.kind === 'note'
    return {kind: internal ? 'note' : 'reply', author: who, at: s(c.at) ?? s(c.createdAt) ?? s(c.created_at), body: s(c.body) ?? s(c.plain_body) ?? ''}
  })
}

// ------------------------------------------------------------------ line numbers in a JSON document

/**
 * The line on which each element of the document's ticket list starts: the top-level array, or
 * the array under the top-level key `key`. A small scanner (strings and nesting only): the
 * document was already parsed, so it is well-formed.
 */
export function elementLines(text: string, key: string | null): number[] {
  const out: number[] = []
  let line = 1
  let depth = 0
  let inString = false
  let escaped = false
  let lastKey = ''
  let keyStart = -1
  let target = -1 // depth of the array whose elements we want
  let expectValue = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (c === '\n') line++
    if (inString) {
      if (escaped) escaped = false
      else if (c === '\\') escaped = true
      else if (c === '"') {
        inString = false
        if (keyStart >= 0) {
          lastKey = text.slice(keyStart, i)
          keyStart = -1
        }
      }
      continue
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') continue
    if (expectValue && c !== ']') {
      out.push(line)
      expectValue = false
    }
    if (c === '"') {
      inString = true
      if (depth === 1 && target < 0 && text[i - 1] !== ':' && /[{,]\s*$/.test(text.slice(Math.max(0, i - 20), i))) keyStart = i + 1
      continue
    }
    if (c === '[' || c === '{') {
      depth++
      if (c === '[' && target < 0 && ((key === null && depth === 1) || (key !== null && depth === 2 && lastKey === key))) {
        target = depth
        expectValue = true
      }
    } else if (c === ']' || c === '}') {
      if (depth === target) target = -2 // done
      depth--
    } else if (c === ',' && depth === target) expectValue = true
  }
  return out
}

// ------------------------------------------------------------------ the readers

function readJsonFile(file: string): {text: string; value: unknown} {
  const text = readFileSync(file, 'utf8')
  try {
    return {text, value: JSON.parse(text)}
  } catch (error) {
    const m = /position (\d+)/.exec((error as Error).message)
    const line = m ? text.slice(0, Number(m[1])).split('\n').length : 1
    throw usageError(`${file}:${line}: not valid JSON (${(error as Error).message}).`)
  }
}

async function* csvItems(file: string, map: ColumnMap): AsyncGenerator<SourceItem> {
  const {parse} = await importModule<typeof import('csv-parse')>('csv-parse')
  const parser = createReadStream(file).pipe(parse({columns: true, bom: true, info: true, skip_empty_lines: true, relax_column_count: false, trim: false}))
  let prevEnd = 1 // the header row
  try {
    for await (const item of parser as AsyncIterable<{record: Record<string, string>; info: {lines: number}}>) {
      const line = prevEnd + 1
      prevEnd = item.info.lines
      yield {file, line, record: flatRecord(item.record, map)}
    }
  } catch (error) {
    const e = error as Error & {lines?: number}
    yield {file, line: e.lines ?? prevEnd + 1, error: `not valid CSV (${e.message.replace(/^Invalid Record Length: /, '')})`}
  }
}

async function* jsonlItems(file: string, map: ColumnMap): AsyncGenerator<SourceItem> {
  const rl = createInterface({input: createReadStream(file, {encoding: 'utf8'}), crlfDelay: Infinity})
  let line = 0
  for await (const text of rl) {
    line++
    if (text.trim() === '') continue
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch (error) {
      yield {file, line, error: `not valid JSON (${(error as Error).message})`}
      continue
    }
    yield objectItem(file, line, value, map)
  }
}

/** A JSON object: a tix export line ({ticket, thread, events}) or a flat ticket. */
function objectItem(file: string, line: number, value: unknown, map: ColumnMap): SourceItem {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {file, line, error: 'expected a JSON object (one ticket)'}
  const o = value as Record<string, unknown>
  if (Array.isArray(o.events) && typeof o.ticket === 'object' && o.ticket !== null) {
    const t = o.ticket as Record<string, unknown>
    return {file, line, record: {sourceId: String(t.id), id: String(t.id), title: t.title, events: o.events as never}}
  }
  return {file, line, record: flatRecord(o, map)}
}

async function* jsonItems(file: string, map: ColumnMap): AsyncGenerator<SourceItem> {
  const {text, value} = readJsonFile(file)
  const key = Array.isArray(value) ? null : typeof value === 'object' && value !== null && Array.isArray((value as Record<string, unknown>).tickets) ? 'tickets' : undefined
  if (key === undefined) throw usageError(`${file}:1: expected a JSON array of tickets (or {"tickets": [...]}).`)
  const list = (key === null ? value : (value as Record<string, unknown>).tickets) as unknown[]
  const lines = elementLines(text, key)
  for (let i = 0; i < list.length; i++) yield objectItem(file, lines[i] ?? 1, list[i], map)
}

/** `gh issue list --json number,title,body,labels,state,createdAt,author,comments` (closedAt too, when asked for). */
async function* githubItems(file: string): AsyncGenerator<SourceItem> {
  const {text, value} = readJsonFile(file)
  if (!Array.isArray(value)) throw usageError(`${file}:1: expected the JSON array that \`gh issue list --json number,title,body,labels,state,createdAt,author,comments\` prints.`)
  const lines = elementLines(text, null)
  for (let i = 0; i < value.length; i++) {
    const line = lines[i] ?? 1
    const v = value[i] as Record<string, unknown>
    if (typeof v !== 'object' || v === null || v.number === undefined) {
      yield {file, line, error: 'expected an issue with a number'}
      continue
    }
    const login = (a: unknown) => (typeof a === 'object' && a !== null ? s((a as Record<string, unknown>).login) : null)
    const author = login(v.author)
    const labels = Array.isArray(v.labels) ? v.labels.map((l) => (typeof l === 'object' && l !== null ? s((l as Record<string, unknown>).name) : s(l))).filter((x): x is string => x !== null) : []
    const state = String(v.state ?? 'OPEN').toLowerCase()
    yield {
      file,
      line,
      record: {
        sourceId: String(v.number),
        title: v.title,
        body: v.body,
        status: state === 'closed' ? 'closed' : 'open',
        requester: author ? `@${author}` : null,
        createdBy: author ? `@${author}` : undefined,
        tags: labels,
        createdAt: v.createdAt,
        closedAt: v.closedAt,
        updatedAt: v.updatedAt,
        resolution: state === 'closed' ? `Closed on GitHub (${s(v.stateReason) ?? 'completed'})` : undefined,
        fields: {'github.number': String(v.number), ...(typeof v.url === 'string' ? {'github.url': v.url} : {})},
        thread: (Array.isArray(v.comments) ? v.comments : []).map((c: Record<string, unknown>) => ({kind: 'reply' as const, author: login(c.author) ? `@${login(c.author)}` : null, at: s(c.createdAt), body: s(c.body) ?? ''})),
      },
    }
  }
}

/**
 * A Zendesk ticket export: {"tickets": [...], "users": [...]} (users side-loaded, as the API's
 * `include=users` gives them), an array of tickets, or one ticket a line. Each ticket carries its
 * `comments` ({author_id, body, public, created_at}).
 */
async function* zendeskItems(file: string): AsyncGenerator<SourceItem> {
  let items: {line: number; value: unknown}[]
  let users = new Map<string, {name?: string; email?: string}>()
  const head = readFileSync(file, 'utf8').trimStart()
  const addUsers = (list: unknown) => {
    if (Array.isArray(list)) for (const u of list as Record<string, unknown>[]) if (u && u.id !== undefined) users.set(String(u.id), {name: s(u.name) ?? undefined, email: s(u.email) ?? undefined})
  }
  if (head.startsWith('[') || (head.startsWith('{') && /^\{\s*"(tickets|users|count|next_page|end_time)"/.test(head))) {
    const {text, value} = readJsonFile(file)
    const key = Array.isArray(value) ? null : 'tickets'
    const list = (key === null ? value : (value as Record<string, unknown>).tickets) as unknown[]
    if (!Array.isArray(list)) throw usageError(`${file}:1: expected {"tickets": [...]} (a Zendesk export) or an array of tickets.`)
    if (key !== null) addUsers((value as Record<string, unknown>).users)
    const lines = elementLines(text, key)
    items = list.map((v, i) => ({line: lines[i] ?? 1, value: v}))
  } else {
    items = []
    let line = 0
    for (const text of head.length > 0 ? readFileSync(file, 'utf8').split('\n') : []) {
      line++
      if (text.trim() === '') continue
      try {
        items.push({line, value: JSON.parse(text)})
      } catch (error) {
        items.push({line, value: new Error(`not valid JSON (${(error as Error).message})`)})
      }
    }
  }
  users = new Map([...users])
  const person = (id: unknown, inline?: unknown) => {
    if (typeof inline === 'object' && inline !== null) return inline
    const u = id === undefined || id === null ? undefined : users.get(String(id))
    return u ? {name: u.name ?? null, email: u.email ?? null} : id === undefined || id === null ? null : `zendesk-user-${String(id)}`
  }
  const who = (id: unknown) => {
    const p = person(id) as {email?: string | null; name?: string | null} | string | null
    return typeof p === 'string' ? p : (p?.email ?? p?.name ?? null)
  }
  for (const {line, value} of items) {
    if (value instanceof Error) {
      yield {file, line, error: value.message}
      continue
    }
    const t = value as Record<string, unknown>
    if (typeof t !== 'object' || t === null || t.id === undefined) {
      yield {file, line, error: 'expected a Zendesk ticket (an object with an id)'}
      continue
    }
    const comments = Array.isArray(t.comments) ? (t.comments as Record<string, unknown>[]) : []
    // Zendesk's description is the first comment: it becomes the body, not a reply.
    const [first, ...rest] = comments
    const custom: Record<string, unknown> = {'zendesk.id': String(t.id)}
    if (Array.isArray(t.custom_fields)) for (const f of t.custom_fields as Record<string, unknown>[]) if (f && f.value !== null && f.value !== undefined && f.value !== '') custom[`zendesk.${String(f.id)}`] = typeof f.value === 'string' ? f.value : JSON.stringify(f.value)
    const via = typeof t.via === 'object' && t.via !== null ? s((t.via as Record<string, unknown>).channel) : s(t.via)
    const channel = via === 'email' || via === 'chat' || via === 'web' || via === 'api' ? via : via === 'voice' ? 'phone' : via === 'twitter' || via === 'facebook' ? 'social' : via === 'web_form' ? 'web' : undefined
    yield {
      file,
      line,
      record: {
        sourceId: String(t.id),
        title: t.subject ?? t.raw_subject,
        body: t.description ?? (first ? (first.plain_body ?? first.body) : ''),
        status: t.status,
        priority: t.priority ?? undefined,
        type: t.type ?? undefined,
        channel,
        requester: person(t.requester_id, t.requester),
        assignee: (() => {
          const p = person(t.assignee_id, t.assignee) as {email?: string | null} | string | null
          return typeof p === 'object' && p !== null ? (p.email ?? undefined) : undefined
        })(),
        tags: Array.isArray(t.tags) ? t.tags : [],
        createdAt: t.created_at,
        updatedAt: t.updated_at,
        fields: custom,
        thread: (t.description !== undefined ? comments.filter((c, i) => !(i === 0 && s(c.body) === s(t.description))) : rest).map((c) => ({
          kind: c.public === false ? ('note' as const) : ('reply' as const),
          author: who(c.author_id),
          at: s(c.created_at),
          body: s(c.plain_body) ?? s(c.body) ?? '',
        })),
      },
    }
  }
}

/** A Backlog.md folder: tasks as markdown files with front matter (id, title, status, assignee, labels, priority, created_date). */
async function* backlogItems(dir: string): AsyncGenerator<SourceItem> {
  const {default: matter} = await importModule<{default: typeof import('gray-matter')}>('gray-matter')
  const roots = ['tasks', 'completed', 'archive/tasks', 'backlog/tasks', 'backlog/completed', 'backlog/archive/tasks'].map((d) => join(dir, d)).filter((d) => isDir(d))
  const files = (roots.length > 0 ? roots : [dir]).flatMap((r) => markdownFiles(r)).sort()
  for (const file of files) {
    const shown = relative(process.cwd(), file) || basename(file)
    let parsed: {data: Record<string, unknown>; content: string}
    try {
      parsed = matter(readFileSync(file, 'utf8')) as never
    } catch (error) {
      const m = /at line (\d+)/.exec((error as Error).message)
      yield {file: shown, line: m ? Number(m[1]) + 1 : 1, error: `front matter is not valid YAML (${(error as Error).message.split('\n')[0]})`}
      continue
    }
    const d = parsed.data
    const assignees = Array.isArray(d.assignee) ? d.assignee : d.assignee === undefined ? [] : [d.assignee]
    const first = s(assignees[0])
    const archived = file.includes('/archive/')
    const status = s(d.status) ?? (file.includes('/completed/') ? 'Done' : 'To Do')
    yield {
      file: shown,
      line: 1,
      record: {
        sourceId: s(d.id) ?? basename(file, '.md'),
        title: d.title,
        body: parsed.content.trim(),
        status: archived ? 'closed' : status,
        priority: d.priority,
        requester: s(d.reporter) ?? null,
        assignee: first && first.includes('@') && !first.startsWith('@') ? first : undefined,
        tags: Array.isArray(d.labels) ? d.labels : [],
        createdAt: d.created_date instanceof Date ? d.created_date.toISOString() : d.created_date,
        updatedAt: d.updated_date instanceof Date ? d.updated_date.toISOString() : d.updated_date,
        fields: {'backlog.id': s(d.id) ?? basename(file, '.md'), ...(first && !(first.includes('@') && !first.startsWith('@')) ? {'backlog.assignee': first} : {})},
      },
    }
  }
}

const isDir = (p: string) => {
  try {
    return statSync(p).isDirectory()
  } catch {
    return false
  }
}

function markdownFiles(dir: string): string[] {
  const out: string[] = []
  for (const e of readdirSync(dir, {withFileTypes: true})) {
    if (e.isSymbolicLink()) continue // a link never takes the import outside the folder given
    const p = join(dir, e.name)
    if (e.isDirectory()) out.push(...markdownFiles(p))
    else if (e.isFile() && e.name.endsWith('.md')) out.push(p)
  }
  return out
}

/** The format from the flag, else from the path: a folder is Backlog.md, else the file's extension. */
export function detectFormat(path: string, given?: string): ImportFormat {
  if (given) return given as ImportFormat
  if (isDir(path)) return 'backlog'
  const ext = /\.([a-z]+)$/i.exec(path)?.[1]?.toLowerCase()
  if (ext === 'csv') return 'csv'
  if (ext === 'jsonl' || ext === 'ndjson') return 'jsonl'
  if (ext === 'json') return 'json'
  throw usageError(`Cannot tell the format of ${path} from its name.`, 'Pass --format csv, json, jsonl, github, zendesk or backlog.')
}

export function readSource(path: string, format: ImportFormat, map: ColumnMap): AsyncGenerator<SourceItem> {
  if (format === 'backlog') {
    if (!isDir(path)) throw usageError(`${path} is not a folder: --format backlog reads a Backlog.md folder (its tasks/*.md).`)
    return backlogItems(path)
  }
  if (isDir(path)) throw usageError(`${path} is a folder: only --format backlog reads a folder.`)
  switch (format) {
    case 'csv':
      return csvItems(path, map)
    case 'jsonl':
      return jsonlItems(path, map)
    case 'json':
      return jsonItems(path, map)
    case 'github':
      return githubItems(path)
    case 'zendesk':
      return zendeskItems(path)
  }
}
