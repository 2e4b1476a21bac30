// The HTTP API over real HTTP on 127.0.0.1: every route, every auth failure, limits, bad bodies,
// group commit, a failed write, and every response checked against the served OpenAPI document.
import {beforeAll, describe, expect, it} from 'vitest'
import {reportJson} from '../../src/output/report.js'
import {revokeToken} from '../../src/services/serve/auth.js'
import {runReport} from '../../src/services/reports.js'
import {git} from '../helpers.js'
import {checkAgainst, servedDesk} from './helpers.js'

type Served = Awaited<ReturnType<typeof servedDesk>>
let s: Served
let doc: Record<string, unknown>
const tok = {write: '', read: '', agent: '', reports: ''}

async function call(method: string, path: string, opts: {token?: string; body?: unknown; raw?: string; type?: string} = {}) {
  const headers: Record<string, string> = {}
  if (opts.token) headers.authorization = `Bearer ${opts.token}`
  if (opts.body !== undefined || opts.raw !== undefined) headers['content-type'] = opts.type ?? 'application/json'
  const res = await fetch(s.url + path, {method, headers, body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body))})
  const text = await res.text()
  let json: any
  try {
    json = JSON.parse(text)
  } catch {
    json = null
  }
  return {status: res.status, json, text, headers: res.headers}
}

const valid = (pathKey: string, method: string, r: {status: number; json: unknown}) => expect(checkAgainst(doc, pathKey, method, r.status, r.json)).toEqual([])

beforeAll(async () => {
  s = await servedDesk({maxBody: 64 * 1024}, async (desk) => {
    const {updateDeskJson} = await import('../../src/services/workflow/desk-config.js')
    await updateDeskJson(desk, 'departments', (c) => ({...c, departments: {it: {name: 'IT', public: true}, hr: {name: 'HR'}}}))
  })
  tok.write = s.token('writer', 'tickets:write')
  tok.read = s.token('reader', 'tickets:read')
  tok.agent = s.token('agent', 'tickets:read', 'tickets:write', 'notes:write')
  tok.reports = s.token('boss', 'reports:read')
  const r = await call('GET', '/api/v1/openapi.json')
  expect(r.status).toBe(200)
  doc = r.json
  expect(doc.openapi).toBe('3.1.0')
})

describe('tickets', () => {
  it('creates a ticket with the fields of tix new, on the branch before the answer', async () => {
    const r = await call('POST', '/api/v1/tickets', {token: tok.write, body: {title: 'Printer jams', body: 'Since Monday', requester: 'Ana Diaz <ana@example.com>', priority: 'high', type: 'incident', tags: ['printer'], department: 'it', fields: {floor: 3}}})
    expect(r.status).toBe(201)
    valid('/api/v1/tickets', 'post', r)
    expect(r.json.kind).toBe('ticket')
    expect(r.json.ticket).toMatchObject({title: 'Printer jams', channel: 'api', priority: 'high', type: 'incident', department: 'it', tags: ['printer'], fields: {floor: 3}, requester: {name: 'Ana Diaz', email: 'ana@example.com'}})
    const id = r.json.ticket.id as string
    expect(git(s.dir, 'ls-tree', '-r', '--name-only', 'tix')).toContain(`tickets/${id.slice(0, 2)}/${id}.jsonl`)
    expect(git(s.dir, 'rev-parse', 'tix').trim()).toBe(r.json.commit)
  })

  it('takes channel and a dedupe key: the same key returns the open ticket instead of a new one', async () => {
    const a = await call('POST', '/api/v1/tickets', {token: tok.write, body: {title: 'Disk full on db1', channel: 'ci', dedupeKey: 'alert-db1-disk'}})
    expect(a.status).toBe(201)
    expect(a.json.ticket.channel).toBe('ci')
    const b = await call('POST', '/api/v1/tickets', {token: tok.write, body: {title: 'Disk full on db1 (again)', dedupeKey: 'alert-db1-disk'}})
    expect(b.status).toBe(200)
    valid('/api/v1/tickets', 'post', b)
    expect(b.json).toMatchObject({changed: false, deduplicated: true})
    expect(b.json.ticket.id).toBe(a.json.ticket.id)
  })

  it('answers bad bodies with 400 and the CLI message', async () => {
    const cases: [unknown, RegExp][] = [
      [{title: '   '}, /The title is empty/],
      [{title: 'x', priority: 'mega'}, /Priority "mega" is not valid/],
      [{title: 'x', channel: 'fax'}, /Channel "fax" is not valid/],
      [{title: 'x', requester: 'not <an address>'}, /no valid e-mail address/],
      [{title: 'x', tags: ['bad tag!']}, /Tag "bad tag!" is not valid/],
      [{title: 'x', colour: 'red'}, /colour|Unrecognized key/i],
      [{}, /title/],
      [[1, 2], /expected object/i],
    ]
    for (const [body, message] of cases) {
      const r = await call('POST', '/api/v1/tickets', {token: tok.write, body})
      expect(r.status, JSON.stringify(body)).toBe(400)
      valid('/api/v1/tickets', 'post', r)
      expect(r.json.error.message).toMatch(message)
      expect(r.json.error.exitCode).toBe(2)
    }
    const notJson = await call('POST', '/api/v1/tickets', {token: tok.write, raw: '{"title": '})
    expect(notJson.status).toBe(400)
    expect(notJson.json.error.message).toMatch(/not valid JSON/)
    const wrongType = await call('POST', '/api/v1/tickets', {token: tok.write, raw: 'title=x', type: 'application/x-www-form-urlencoded'})
    expect(wrongType.status).toBe(400)
    expect(wrongType.json.error.message).toMatch(/JSON/)
  })

  it('refuses a body over the limit with 413, writing nothing', async () => {
    const before = git(s.dir, 'rev-parse', 'tix').trim()
    const r = await call('POST', '/api/v1/tickets', {token: tok.write, body: {title: 'big', body: 'x'.repeat(100 * 1024)}})
    expect(r.status).toBe(413)
    valid('/api/v1/tickets', 'post', r)
    expect(git(s.dir, 'rev-parse', 'tix').trim()).toBe(before)
  })

  it('reads one ticket, and lists with the filters of tix list', async () => {
    const made = await call('POST', '/api/v1/tickets', {token: tok.write, body: {title: 'VPN drops', requester: 'bo@example.com', priority: 'urgent', department: 'hr'}})
    const id = made.json.ticket.id as string
    const one = await call('GET', `/api/v1/tickets/${id.slice(0, 6).toLowerCase()}`, {token: tok.read})
    expect(one.status).toBe(200)
    valid('/api/v1/tickets/{id}', 'get', one)
    expect(one.json.ticket.id).toBe(id)
    const list = await call('GET', '/api/v1/tickets?priority=urgent&department=hr', {token: tok.read})
    expect(list.status).toBe(200)
    valid('/api/v1/tickets', 'get', list)
    expect(list.json.tickets.map((t: {id: string}) => t.id)).toEqual([id])
    const words = await call('GET', '/api/v1/tickets?q=vpn', {token: tok.read})
    expect(words.json.tickets.map((t: {id: string}) => t.id)).toEqual([id])
    const limited = await call('GET', '/api/v1/tickets?limit=1', {token: tok.read})
    expect(limited.json.count).toBe(1)
    expect(limited.json.total).toBeGreaterThan(1)
    for (const bad of ['status=bogus', 'sort=sideways', 'limit=0', 'unassigned=maybe', 'tier=x']) {
      const r = await call('GET', `/api/v1/tickets?${bad}`, {token: tok.read})
      expect(r.status, bad).toBe(400)
      valid('/api/v1/tickets', 'get', r)
    }
    const missing = await call('GET', '/api/v1/tickets/ZZZZZZZZZZ', {token: tok.read})
    expect(missing.status).toBe(404)
    valid('/api/v1/tickets/{id}', 'get', missing)
    const bad = await call('GET', '/api/v1/tickets/no!', {token: tok.read})
    expect(bad.status).toBe(400)
  })

  it("adds the requester's reply, and a note only with notes:write; notes never reach a requester-scope read", async () => {
    const made = await call('POST', '/api/v1/tickets', {token: tok.write, body: {title: 'Laptop slow', requester: 'cy@example.com'}})
    const id = made.json.ticket.id as string
    const reply = await call('POST', `/api/v1/tickets/${id}/messages`, {token: tok.write, body: {body: 'It got worse today'}})
    expect(reply.status).toBe(201)
    valid('/api/v1/tickets/{id}/messages', 'post', reply)
    expect(reply.json.ticket.replyCount).toBe(1)
    const denied = await call('POST', `/api/v1/tickets/${id}/messages`, {token: tok.write, body: {body: 'SECRET-NOTE-42', kind: 'note'}})
    expect(denied.status).toBe(403)
    valid('/api/v1/tickets/{id}/messages', 'post', denied)
    const noted = await call('POST', `/api/v1/tickets/${id}/messages`, {token: tok.agent, body: {body: 'SECRET-NOTE-42', kind: 'note'}})
    expect(noted.status).toBe(201)
    const asReader = await call('GET', `/api/v1/tickets/${id}`, {token: tok.read})
    valid('/api/v1/tickets/{id}', 'get', asReader)
    expect(asReader.text).not.toContain('SECRET-NOTE-42')
    expect(asReader.json.ticket.thread.map((e: {author: string; body: string}) => [e.author, e.body])).toEqual([['cy@example.com', 'It got worse today']])
    const asAgent = await call('GET', `/api/v1/tickets/${id}`, {token: tok.agent})
    expect(asAgent.text).toContain('SECRET-NOTE-42')
    const empty = await call('POST', `/api/v1/tickets/${id}/messages`, {token: tok.write, body: {body: '  '}})
    expect(empty.status).toBe(400)
    expect(empty.json.error.message).toMatch(/The reply is empty/)
  })

  it('refuses a reply to a closed ticket with 409 and the CLI message', async () => {
    const made = await call('POST', '/api/v1/tickets', {token: tok.write, body: {title: 'Old thing', requester: 'di@example.com'}})
    const {setStatus} = await import('../../src/services/queue.js')
    await setStatus(s.desk, made.json.ticket.id, 'closed', 'Done')
    const r = await call('POST', `/api/v1/tickets/${made.json.ticket.id}/messages`, {token: tok.write, body: {body: 'hello?'}})
    expect(r.status).toBe(409)
    valid('/api/v1/tickets/{id}/messages', 'post', r)
    expect(r.json.error.message).toMatch(/closed/)
  })
})

describe('auth', () => {
  it('no token, an unknown token, a revoked token: 401; a missing scope: 403', async () => {
    const routes: [string, string, unknown?][] = [
      ['POST', '/api/v1/tickets', {title: 'x'}],
      ['GET', '/api/v1/tickets'],
      ['GET', '/api/v1/tickets/ABCDEFGHJK'],
      ['POST', '/api/v1/tickets/ABCDEFGHJK/messages', {body: 'x'}],
      ['GET', '/api/v1/reports'],
    ]
    const gone = s.token('gone', 'tickets:read', 'tickets:write', 'reports:read')
    revokeToken(s.desk, 'gone')
    for (const [method, path, body] of routes) {
      const none = await call(method, path, {body})
      expect(none.status, `${method} ${path}`).toBe(401)
      expect(none.headers.get('www-authenticate')).toMatch(/Bearer/)
      expect(none.json.error.code).toBe('unauthorized')
      const unknown = await call(method, path, {body, token: 'tix_' + 'A'.repeat(43)})
      expect(unknown.status).toBe(401)
      const revoked = await call(method, path, {body, token: gone})
      expect(revoked.status).toBe(401)
      expect(revoked.json.error.message).toMatch(/unknown or revoked/)
    }
    expect((await call('POST', '/api/v1/tickets', {token: tok.read, body: {title: 'x'}})).status).toBe(403)
    expect((await call('GET', '/api/v1/tickets', {token: tok.write})).status).toBe(403)
    expect((await call('GET', '/api/v1/reports', {token: tok.read})).status).toBe(403)
    expect((await call('GET', '/reports', {token: tok.read})).status).toBe(403)
    const wrongScope = await call('GET', '/api/v1/tickets', {token: tok.reports})
    expect(wrongScope.json.error).toMatchObject({code: 'forbidden'})
    expect(wrongScope.json.error.message).toMatch(/lacks the scope tickets:read/)
  })
})

describe('reports, health, group commit, failures', () => {
  it('GET /api/v1/reports is the document tix report --json prints', async () => {
    const asOf = new Date().toISOString()
    const r = await call('GET', `/api/v1/reports?by=department&period=week&asOf=${asOf}`, {token: tok.reports})
    expect(r.status).toBe(200)
    valid('/api/v1/reports', 'get', r)
    const local = {schemaVersion: 1, kind: 'report', ...reportJson(await runReport(s.desk, {by: 'department', period: 'week', asOf}))}
    expect(r.json).toEqual(JSON.parse(JSON.stringify(local)))
    const bad = await call('GET', '/api/v1/reports?by=planet', {token: tok.reports})
    expect(bad.status).toBe(400)
    expect(bad.json.error.message).toMatch(/--by "planet"/)
    const html = await fetch(`${s.url}/reports?period=week`, {headers: {authorization: `Basic ${Buffer.from(`x:${tok.reports}`).toString('base64')}`}})
    expect(html.status).toBe(200)
    const page = await html.text()
    expect(page).toContain('<svg')
    expect(html.headers.get('content-security-policy')).toMatch(/style-src 'sha256-/)
    const noAuth = await fetch(`${s.url}/reports`)
    expect(noAuth.status).toBe(401)
    expect(noAuth.headers.get('www-authenticate')).toMatch(/Basic/)
  })

  it('/healthz says the ref and commit, and matches its schema', async () => {
    const r = await call('GET', '/healthz')
    expect(r.status).toBe(200)
    valid('/healthz', 'get', r)
    expect(r.json).toMatchObject({kind: 'health', ok: true, ref: 'refs/heads/tix', commit: git(s.dir, 'rev-parse', 'tix').trim(), outbox: {pending: expect.any(Number), failed: 0}})
  })

  it('writes requests that arrive together in fewer commits, answering each after its commit exists', async () => {
    const before = Number(git(s.dir, 'rev-list', '--count', 'tix').trim())
    const all = await Promise.all(Array.from({length: 30}, (_, i) => call('POST', '/api/v1/tickets', {token: tok.write, body: {title: `Burst ${i}`}})))
    expect(all.map((r) => r.status)).toEqual(Array(30).fill(201))
    const after = Number(git(s.dir, 'rev-list', '--count', 'tix').trim())
    expect(after - before).toBeLessThan(30)
    expect(after - before).toBeGreaterThanOrEqual(1)
    const files = git(s.dir, 'ls-tree', '-r', '--name-only', 'tix')
    for (const r of all) {
      expect(files).toContain(`${r.json.ticket.id}.jsonl`)
      // the commit the answer names contains the ticket
      expect(git(s.dir, 'ls-tree', '-r', '--name-only', r.json.commit)).toContain(`${r.json.ticket.id}.jsonl`)
    }
  })

  it('a failed write is a 503 and nothing of the request is on the branch', async () => {
    const before = git(s.dir, 'rev-parse', 'tix').trim()
    const saved = process.env.GIT_OBJECT_DIRECTORY
    process.env.GIT_OBJECT_DIRECTORY = '/nonexistent/objects'
    let r
    try {
      r = await call('POST', '/api/v1/tickets', {token: tok.write, body: {title: 'Will not be written'}})
    } finally {
      if (saved === undefined) delete process.env.GIT_OBJECT_DIRECTORY
      else process.env.GIT_OBJECT_DIRECTORY = saved
    }
    expect(r.status).toBe(503)
    valid('/api/v1/tickets', 'post', r)
    expect(git(s.dir, 'rev-parse', 'tix').trim()).toBe(before)
    expect(git(s.dir, 'log', '--format=%s', 'tix')).not.toContain('Will not be written')
    // and the server goes on
    expect((await call('POST', '/api/v1/tickets', {token: tok.write, body: {title: 'Written after'}})).status).toBe(201)
  })

  it('unknown API routes are JSON 404s', async () => {
    const r = await call('GET', '/api/v1/nothing')
    expect(r.status).toBe(404)
    expect(r.json.kind).toBe('error')
  })
})

describe('rate limits', () => {
  it('per token and per address: 429 with Retry-After', async () => {
    const limited = await servedDesk({ratePerToken: 3, ratePerIp: 0})
    const t = limited.token('t', 'tickets:read')
    const codes: number[] = []
    for (let i = 0; i < 6; i++) codes.push((await fetch(`${limited.url}/api/v1/tickets`, {headers: {authorization: `Bearer ${t}`}})).status)
    expect(codes.slice(0, 1)).toEqual([200])
    expect(codes).toContain(429)
    const other = limited.token('u', 'tickets:read')
    expect((await fetch(`${limited.url}/api/v1/tickets`, {headers: {authorization: `Bearer ${other}`}})).status).toBe(200)

    const byIp = await servedDesk({ratePerIp: 4, ratePerToken: 0})
    const res: Response[] = []
    for (let i = 0; i < 6; i++) res.push(await fetch(`${byIp.url}/`))
    const last = res.at(-1)!
    expect(last.status).toBe(429)
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0)
  })
})
