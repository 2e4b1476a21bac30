// The API's documents as zod schemas: the same schemas check request bodies, describe the
// responses, and generate the OpenAPI 3.1 document served at /api/v1/openapi.json (the tests
// validate real responses against that document).
import type * as Z from 'zod'
import {CHANNELS, PRIORITIES, RATINGS, STATUSES, TYPES} from '../../domain/ticket/model.js'
import {SCOPES} from './auth.js'

type ZodNS = typeof Z.z

export function apiSchemas(z: ZodNS) {
  const nullableString = z.string().nullable()
  const person = z.object({name: nullableString, email: nullableString})
  const ticket = z.object({
    id: z.string(),
    shortId: z.string(),
    title: z.string(),
    body: z.string(),
    status: z.enum(STATUSES),
    priority: z.enum(PRIORITIES),
    type: z.enum(TYPES),
    channel: z.enum(CHANNELS),
    requester: person,
    assignee: nullableString,
    department: nullableString,
    tags: z.array(z.string()),
    tier: z.number().int(),
    fields: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
    createdBy: z.string(),
    updatedAt: z.string(),
    firstResponseAt: nullableString,
    resolvedAt: nullableString,
    closedAt: nullableString,
    resolution: nullableString,
    replyCount: z.number().int(),
    noteCount: z.number().int(),
    reopenCount: z.number().int(),
    satisfaction: z.object({rating: z.enum(RATINGS), score: z.number().nullable(), comment: nullableString, at: z.string(), by: z.string()}).nullable(),
    links: z.array(z.object({id: z.string(), shortId: z.string(), as: z.string()})),
    mergedInto: nullableString,
    mergedFrom: z.array(z.string()),
    notices: z.array(z.string()),
    attachments: z.array(z.object({name: z.string(), blob: z.string(), size: z.number().int(), mediaType: z.string(), at: z.string(), by: z.string()})),
    mailFailures: z.array(z.object({key: z.string(), at: z.string(), result: z.enum(['failed', 'bounced']), error: nullableString, attempts: z.number().int()})),
    dedupeKey: nullableString,
    occurrences: z.object({count: z.number().int(), lastAt: z.string(), lastRun: nullableString}).nullable(),
    followUp: z.number().int().nullable(),
  })
  const threadEntry = z.object({id: z.string(), kind: z.enum(['reply', 'note']), public: z.boolean(), author: z.string(), at: z.string(), body: z.string()})
  const event = z.looseObject({v: z.number(), id: z.string(), at: z.string(), by: z.string(), type: z.string()})
  const ticketDetail = ticket.extend({thread: z.array(threadEntry), events: z.array(event)})
  const envelope = <K extends string>(kind: K) => z.object({schemaVersion: z.literal(1), kind: z.literal(kind)})
  const ticketDoc = envelope('ticket').extend({ticket: ticketDetail})
  const changeDoc = envelope('ticket').extend({
    ticket,
    changed: z.boolean(),
    commit: nullableString,
    events: z.array(event),
    deduplicated: z.boolean().optional(),
  })
  const listDoc = envelope('ticket-list').extend({count: z.number().int(), total: z.number().int(), scope: z.null(), tickets: z.array(ticket)})
  const errorDoc = envelope('error').extend({error: z.object({message: z.string(), hint: nullableString, code: z.string(), exitCode: z.number().int(), details: z.unknown().optional()})})
  const reportRow = z.looseObject({period: z.string(), from: z.string(), to: z.string(), group: z.string().nullable().optional()})
  const reportDoc = envelope('report').extend({
    timezone: z.string(),
    period: nullableString,
    from: z.string(),
    to: z.string(),
    asOf: z.string(),
    by: nullableString,
    metrics: z.array(z.string()),
    units: z.record(z.string(), z.string()),
    sla: z.object({configured: z.boolean()}),
    groups: z.array(z.string()).nullable(),
    rows: z.array(reportRow),
    totals: z.array(reportRow),
  })
  const healthDoc = envelope('health').extend({
    ok: z.boolean(),
    ref: z.string(),
    commit: nullableString,
    lastSync: z.object({at: z.string(), ok: z.boolean(), error: nullableString, fetched: z.number().int(), pushed: z.number().int()}).nullable(),
    syncEvery: z.number().nullable(),
    conflicts: z.array(z.object({path: z.string(), message: z.string()})),
    outbox: z
      .object({pending: z.number().int().describe('Mail not yet sent, bounced or given up (what `tix mail outbox` lists).'), failed: z.number().int().describe('Of those, mail that failed at least once and waits for a retry.')})
      .nullable()
      .describe('null when the outbox could not be read.'),
    writer: z.object({commits: z.number().int(), changes: z.number().int(), failures: z.number().int(), largestBatch: z.number().int(), queued: z.number().int()}),
    kb: z.object({viewCommits: z.number().int(), voteCommits: z.number().int(), pendingViews: z.number().int().describe('Article views counted and not yet written (they are written every 30 s).')}),
  })
  const requester = z.union([z.string().min(1).max(400), z.object({name: z.string().max(200).nullable().optional(), email: z.string().max(254).nullable().optional()})])
  const newTicket = z.strictObject({
    // Values are checked by the same rules as `tix new` (so the 400 carries the CLI's message).
    title: z.string().max(1000).describe('Short description (up to 300 characters after spaces are folded).'),
    body: z.string().max(100_000).optional(),
    requester: requester.optional().describe('"Name <email>", an e-mail, or {name, email}. Default: the serving clone\'s actor.'),
    channel: z.string().optional().describe(`One of ${CHANNELS.join(', ')} (default api).`),
    priority: z.string().optional().describe(`One of ${PRIORITIES.join(', ')}.`),
    type: z.string().optional().describe(`One of ${TYPES.join(', ')}.`),
    tags: z.array(z.string()).max(50).optional(),
    department: z.string().max(64).nullable().optional(),
    assignee: z.string().max(254).nullable().optional(),
    fields: z.record(z.string().max(64), z.union([z.string().max(2000), z.number(), z.boolean(), z.null()])).optional(),
    dedupeKey: z.string().min(1).max(200).optional(),
  })
  const newMessage = z.strictObject({
    body: z.string().max(100_000),
    kind: z.enum(['reply', 'note']).optional(),
  })
  return {ticket, ticketDoc, changeDoc, listDoc, errorDoc, reportDoc, healthDoc, newTicket, newMessage}
}

export type ApiSchemas = ReturnType<typeof apiSchemas>

export function openApiDocument(z: ZodNS, s: ApiSchemas, serverUrl: string | null) {
  const js = (schema: Z.ZodType, io: 'input' | 'output' = 'output') => {
    const out = z.toJSONSchema(schema, {io, unrepresentable: 'any'}) as Record<string, unknown>
    delete out.$schema
    return out
  }
  const ref = (name: string) => ({$ref: `#/components/schemas/${name}`})
  const json = (name: string) => ({content: {'application/json': {schema: ref(name)}}})
  const errors = (...codes: number[]) =>
    Object.fromEntries(codes.map((c) => [String(c), {description: ERROR_TEXT[c] ?? 'Error', ...json('Error')}]))
  const secured = (scope: string) => ({security: [{bearer: [scope]}]})
  const idParam = {name: 'id', in: 'path', required: true, description: 'Ticket id or a unique prefix (at least 4 characters).', schema: {type: 'string'}}
  const q = (name: string, description: string, schema: Record<string, unknown> = {type: 'string'}) => ({name, in: 'query', required: false, description, schema})
  return {
    openapi: '3.1.0',
    info: {title: 'tix desk API', version: '1', description: 'Tickets and reports of a tix desk. Bodies are the documents `tix --json` prints: {schemaVersion, kind, ...}. Errors are {kind: "error"} documents with the CLI\'s message, hint and code.'},
    ...(serverUrl ? {servers: [{url: serverUrl}]} : {}),
    components: {
      securitySchemes: {bearer: {type: 'http', scheme: 'bearer', description: `Tokens from \`tix serve token add NAME --scope ...\`. Scopes: ${SCOPES.join(', ')}.`}},
      schemas: {
        Ticket: js(s.ticket),
        TicketDocument: js(s.ticketDoc),
        TicketChange: js(s.changeDoc),
        TicketList: js(s.listDoc),
        Report: js(s.reportDoc),
        Health: js(s.healthDoc),
        Error: js(s.errorDoc),
        NewTicket: js(s.newTicket, 'input'),
        NewMessage: js(s.newMessage, 'input'),
      },
    },
    paths: {
      '/api/v1/tickets': {
        post: {
          operationId: 'createTicket',
          summary: 'Open a ticket (the fields of `tix new`, plus custom fields and a dedupe key).',
          description: 'With a dedupeKey, an unresolved ticket opened earlier with the same key is returned instead (200, deduplicated: true). The response is sent once the commit is on the desk branch.',
          ...secured('tickets:write'),
          requestBody: {required: true, ...json('NewTicket')},
          responses: {'201': {description: 'Created', ...json('TicketChange')}, '200': {description: 'An unresolved ticket with this dedupeKey exists', ...json('TicketChange')}, ...errors(400, 401, 403, 413, 429, 503)},
        },
        get: {
          operationId: 'listTickets',
          summary: 'List tickets with the filters of `tix list`.',
          ...secured('tickets:read'),
          parameters: [
            q('status', 'Comma-separated statuses.'),
            q('priority', 'Comma-separated priorities.'),
            q('type', 'Comma-separated types.'),
            q('department', 'Comma-separated departments.'),
            q('channel', 'Comma-separated channels.'),
            q('tag', 'Comma-separated tags.'),
            q('assignee', 'Comma-separated agent e-mails.'),
            q('unassigned', 'true: only unassigned tickets.', {type: 'boolean'}),
            q('requester', 'Part of the requester name or e-mail.'),
            q('tier', 'Comma-separated tiers.'),
            q('sla', 'breached, at-risk, ok, none.'),
            q('all', 'true: include resolved and closed tickets.', {type: 'boolean'}),
            q('q', 'Words that must all occur in the ticket.'),
            q('sort', 'created, updated, priority, status, age, due.'),
            q('limit', 'At most this many (default 100, at most 1000).', {type: 'integer'}),
          ],
          responses: {'200': {description: 'Tickets', ...json('TicketList')}, ...errors(400, 401, 403, 429)},
        },
      },
      '/api/v1/tickets/{id}': {
        get: {
          operationId: 'getTicket',
          summary: 'One ticket with its thread (internal notes only for tokens with notes:write).',
          ...secured('tickets:read'),
          parameters: [idParam],
          responses: {'200': {description: 'The ticket', ...json('TicketDocument')}, ...errors(400, 401, 403, 404, 429)},
        },
      },
      '/api/v1/tickets/{id}/messages': {
        post: {
          operationId: 'addMessage',
          summary: "Add the requester's reply (tickets:write), or an internal note (kind: note, notes:write).",
          ...secured('tickets:write'),
          parameters: [idParam],
          requestBody: {required: true, ...json('NewMessage')},
          responses: {'201': {description: 'Added', ...json('TicketChange')}, ...errors(400, 401, 403, 404, 409, 413, 429, 503)},
        },
      },
      '/api/v1/reports': {
        get: {
          operationId: 'getReport',
          summary: 'The same document as `tix report --json`.',
          ...secured('reports:read'),
          parameters: [q('by', 'department, agent, channel, priority, type, tag, tier.'), q('period', 'day, week, month, year.'), q('from', 'YYYY-MM-DD'), q('to', 'YYYY-MM-DD'), q('metric', 'Comma-separated metrics, or all.'), q('asOf', 'A date or ISO time.')],
          responses: {'200': {description: 'The report', ...json('Report')}, ...errors(400, 401, 403, 429)},
        },
      },
      '/healthz': {
        get: {operationId: 'health', summary: 'The desk ref, the last sync, conflicts waiting, the mail outbox (pending and failed) and the writers\' counts.', responses: {'200': {description: 'Serving', ...json('Health')}}},
      },
    },
  }
}

const ERROR_TEXT: Record<number, string> = {
  400: 'Bad input: the message is the one the CLI gives',
  401: 'No token, an unknown one, or a revoked one',
  403: 'The token lacks the scope',
  404: 'No such ticket',
  409: 'The ticket is in a state that does not allow it (e.g. closed)',
  413: 'Body too large',
  429: 'Rate limit: wait for Retry-After seconds',
  503: 'Could not write to the desk; nothing of the request was written',
}
