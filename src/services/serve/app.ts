// `tix serve`: the requesters' portal and the HTTP API, as one Hono application over one desk.
//
// Why Hono: it is small (no dependencies), built on the Web-standard Request/Response (so the same
// app is tested with app.request() and served by @hono/node-server), fast, and ships the
// middleware this needs (secure headers, body limit). Hono, its node adapter and zod stay out of
// the CLI bundle and are loaded here, when the server starts.
import {createHmac, randomBytes} from 'node:crypto'
import type {Context, Hono as HonoApp, MiddlewareHandler} from 'hono'
import {TixError, usageError} from '../../errors.js'
import {shortId as shortIdOf, shortIdPrefix} from '../../domain/ticket/ids.js'
import {SORT_KEYS, type SortKey} from '../../domain/queue/query.js'
import {rate as rateOp} from '../../domain/ticket/relations.js'
import {ratingOfScore} from '../../domain/ticket/fold.js'
import {note as noteOp, parsePerson, reply as replyOp} from '../../domain/ticket/ticket-ops.js'
import type {EventBase} from '../../domain/ticket/events.js'
import type {Person, Ticket} from '../../domain/ticket/model.js'
import {workflowOf} from '../../domain/workflow/workflow-config.js'
import {envelope, ticketDetailJson, ticketJson} from '../../output/json.js'
import {importModule} from '../../runtime.js'
import type {Desk, LoadedTicket} from '../../store/desk.js'
import {maxAttachmentBytes} from '../../domain/ticket/attachments.js'
import {stageAttachments} from '../attachments.js'
import {listTickets} from '../tickets.js'
import {baseUrlOf, DEFAULT_LINK_DAYS, linkSecret, parseTicketToken, signTicketToken, TokenBook, verifyTicketToken, type Scope, type StoredToken} from './auth.js'
import {homePage, kbArticlePage, kbIndexPage, layout, messagePage, STYLESHEET, ticketPage, html, type Markup} from './html.js'
import {pickLang, t, type Lang} from './i18n.js'
import {formatBytes, RateLimiter} from './limits.js'
import {KbFeedback, PortalKb, portalArticleLang, portalSlug} from './kb.js'
import {renderArticle} from './markdown.js'
import {apiSchemas, openApiDocument} from './openapi.js'
import {GroupWriter, type WriteResult} from './writer.js'

export interface ServeOptions {
  /** The portal's public address (links); default desk.json web.baseUrl, else the address served. */
  baseUrl?: string | null
  /** Largest request body, bytes. */
  maxBody?: number
  /** Most files one form may carry. */
  maxFiles?: number
  /** Requests per minute per client address (0: no limit). */
  ratePerIp?: number
  /** Requests per minute per API token (0: no limit). */
  ratePerToken?: number
  /** Days a requester's link stays valid. */
  linkDays?: number
}

export interface ServeState {
  lastSync: {at: string; ok: boolean; error: string | null; fetched: number; pushed: number} | null
  syncEvery: number | null
  conflicts: {path: string; message: string}[]
  /** Mail waiting to go out (as `tix mail outbox` counts it): not yet final, and of those, failed at least once. */
  outbox: () => Promise<OutboxSize | null>
}

export interface OutboxSize {
  pending: number
  failed: number
}

export interface ServeApp {
  app: HonoApp<Vars>
  writer: GroupWriter
  state: ServeState
  /** Article views (counted in memory; flushViews() writes them) and votes. */
  feedback: KbFeedback
}

export type Vars = {Variables: {token: StoredToken; lang: Lang; csrfCookie: string}}

const SCOPE_FOR_NOTES: Scope = 'notes:write'

/** An HTTP status for an error the CLI would report with an exit code. */
export function statusOf(error: unknown): number {
  const s = (error as {status?: number}).status
  if (typeof s === 'number') return s
  if (!(error instanceof TixError)) return 500
  if (error.code === 'git' || error.code === 'write-failed' || error.code === 'locked') return 503
  if (error.exitCode === 2) return 400
  if (error.exitCode === 3) return error.code === 'ambiguous' ? 409 : 404
  return 409
}

export function errorDoc(error: unknown) {
  const e = error instanceof TixError ? error : new TixError('Internal error: the request was not completed.', {code: 'internal'})
  return envelope('error', {error: {message: e.message, hint: e.hint ?? null, code: e.code, exitCode: e.exitCode, ...(e.details ? {details: e.details} : {})}})
}

function httpError(status: number, message: string, code: string, hint?: string): TixError {
  return Object.assign(new TixError(message, {code, hint, exitCode: status === 400 ? 2 : 1}), {status})
}

const done = (t: Ticket) => t.status === 'resolved' || t.status === 'closed'

export async function createServeApp(desk: Desk, options: ServeOptions = {}, stateIn: Partial<ServeState> = {}): Promise<ServeApp> {
  const [{Hono}, {secureHeaders}, {bodyLimit}, {z}] = await Promise.all([
    importModule<typeof import('hono')>('hono'),
    importModule<typeof import('hono/secure-headers')>('hono/secure-headers'),
    importModule<typeof import('hono/body-limit')>('hono/body-limit'),
    importModule<typeof import('zod')>('zod'),
  ])
  const opts = {maxBody: 12 << 20, maxFiles: 3, ratePerIp: 120, ratePerToken: 600, linkDays: DEFAULT_LINK_DAYS, ...options}
  const state: ServeState = {lastSync: null, syncEvery: null, conflicts: [], outbox: async () => null, ...stateIn}
  const schemas = apiSchemas(z)
  const writer = new GroupWriter(desk)
  const kb = new PortalKb(desk)
  const feedback = new KbFeedback(desk, writer)
  const tokens = new TokenBook(desk)
  const secret = linkSecret(desk)
  const ipLimit = new RateLimiter(opts.ratePerIp)
  const tokenLimit = new RateLimiter(opts.ratePerToken)
  const app = new Hono<Vars>()

  const config = async () => (await desk.index()).config
  const baseUrl = async (c: Context) => opts.baseUrl?.replace(/\/+$/, '') || baseUrlOf(await config()) || new URL(c.req.url).origin
  const deskName = async () => {
    const n = (await config()).name
    return typeof n === 'string' && n.trim() ? n : 'Help desk'
  }
  const clientIp = (c: Context) => (c.env as {incoming?: {socket?: {remoteAddress?: string}}} | undefined)?.incoming?.socket?.remoteAddress ?? 'local'

  // ---------------------------------------------------------------- every response

  const strict = secureHeaders({
    contentSecurityPolicy: {defaultSrc: ["'none'"], styleSrc: ["'self'"], imgSrc: ["'self'", 'data:'], formAction: ["'self'"], frameAncestors: ["'none'"], baseUri: ["'none'"]},
    xFrameOptions: 'DENY',
    referrerPolicy: 'no-referrer',
    crossOriginResourcePolicy: 'same-origin',
  })
  app.use('*', async (c, next) => {
    const wait = ipLimit.take(clientIp(c))
    if (wait > 0) {
      c.header('Retry-After', String(wait))
      return c.req.path.startsWith('/api/') ? c.json(errorDoc(httpError(429, 'Too many requests from this address.', 'rate-limited', `Wait ${wait} s.`)), 429) : c.html(await pageFor(c, t(langOf(c), 'errorTitle'), messagePage(langOf(c), t(langOf(c), 'errorTitle'), t(langOf(c), 'tooMany'))), 429)
    }
    return next()
  })
  app.use('*', async (c, next) => {
    if (c.req.path === '/reports') return next() // its own policy (inline SVG and style, by hash)
    return strict(c, next)
  })
  app.use('*', async (c, next) => {
    await next()
    if (!c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', 'no-store')
  })
  app.use(
    '*',
    bodyLimit({
      maxSize: opts.maxBody,
      onError: async (c) => {
        const msg = `The request body is larger than ${formatBytes(opts.maxBody)}.`
        if (c.req.path.startsWith('/api/')) return c.json(errorDoc(httpError(413, msg, 'too-large')), 413)
        const lang = langOf(c)
        return c.html(await pageFor(c, t(lang, 'errorTitle'), messagePage(lang, t(lang, 'errorTitle'), t(lang, 'tooLarge', {max: formatBytes(opts.maxBody)}))), 413)
      },
    }),
  )
  app.onError(async (err, c) => {
    const status = statusOf(err)
    if (status >= 500) desk.io.warn(`tix serve: ${c.req.method} ${c.req.path}: ${(err as Error).message}`)
    if (c.req.path.startsWith('/api/') || c.req.path === '/healthz') return c.json(errorDoc(err), status as 400)
    const lang = langOf(c)
    const text = status === 404 ? t(lang, 'notFound') : status >= 500 ? t(lang, 'writeFailed') : t(lang, 'badInput', {message: (err as Error).message})
    return c.html(await pageFor(c, t(lang, 'errorTitle'), messagePage(lang, t(lang, 'errorTitle'), text)), status as 400)
  })
  app.notFound(async (c) => {
    if (c.req.path.startsWith('/api/')) return c.json(errorDoc(httpError(404, `No API route ${c.req.method} ${c.req.path}.`, 'no-route', 'See /api/v1/openapi.json.')), 404)
    const lang = langOf(c)
    return c.html(await pageFor(c, t(lang, 'errorTitle'), messagePage(lang, t(lang, 'errorTitle'), t(lang, 'notFound'))), 404)
  })

  function langOf(c: Context): Lang {
    return pickLang(c.req.query('lang'), c.req.header('accept-language'))
  }

  async function pageFor(c: Context, title: string, body: Markup, keep?: Record<string, string>): Promise<string> {
    return layout({lang: langOf(c), title, deskName: await deskName(), path: c.req.path, body, keep})
  }

  // ---------------------------------------------------------------- CSRF: double submit, no JavaScript needed

  const CSRF_COOKIE = 'tix_csrf'
  const csrfOf = (cookie: string) => createHmac('sha256', secret).update(`csrf\n${cookie}`).digest('base64url')
  const cookieOf = (c: Context): string | null => {
    const m = /(?:^|;\s*)tix_csrf=([A-Za-z0-9_-]{20,64})(?:;|$)/.exec(c.req.header('cookie') ?? '')
    return m ? m[1]! : null
  }
  /** The form token for this visitor (setting the cookie on first visit). */
  const csrfFor = async (c: Context): Promise<string> => {
    let cookie = cookieOf(c)
    if (!cookie) {
      cookie = randomBytes(24).toString('base64url')
      const secure = (await baseUrl(c)).startsWith('https:') ? '; Secure' : ''
      c.header('Set-Cookie', `${CSRF_COOKIE}=${cookie}; Path=/; HttpOnly; SameSite=Strict${secure}`)
    }
    return csrfOf(cookie)
  }
  const checkCsrf = (c: Context, sent: unknown) => {
    const origin = c.req.header('origin')
    if (origin && origin !== 'null' && origin !== new URL(c.req.url).origin) {
      const host = c.req.header('host')
      if (!host || new URL(origin).host !== host) throw httpError(403, 'The form was sent from another site.', 'csrf')
    }
    const cookie = cookieOf(c)
    if (!cookie || typeof sent !== 'string' || sent.length !== 43 || csrfOf(cookie) !== sent) throw httpError(403, 'The form expired.', 'csrf')
  }

  // ---------------------------------------------------------------- the portal

  app.get('/static/portal.css', (c) => c.body(STYLESHEET, 200, {'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'public, max-age=3600'}))

  const publicDepartments = async () => [...workflowOf(await config()).departments.values()].filter((d) => d.public).map((d) => ({key: d.key, name: d.name}))

  const fileLimit = async () => formatBytes(maxAttachmentBytes(await config()))

  app.get('/', async (c) => {
    const lang = langOf(c)
    const body = homePage({lang, csrf: await csrfFor(c), departments: await publicDepartments(), fileLimit: await fileLimit(), maxFiles: opts.maxFiles, kb: await kb.hasArticles()})
    return c.html(await pageFor(c, t(lang, 'homeTitle'), body))
  })

  const formError = async (c: Context, lang: Lang, error: unknown, values: Record<string, string>) => {
    const message = error instanceof Error ? error.message : String(error)
    const body = homePage({lang, csrf: await csrfFor(c), departments: await publicDepartments(), fileLimit: await fileLimit(), maxFiles: opts.maxFiles, kb: await kb.hasArticles(), values, error: message})
    return c.html(await pageFor(c, t(lang, 'homeTitle'), body), 400)
  }

  app.post('/requests', async (c) => {
    const lang = langOf(c)
    const form = await c.req.parseBody({all: true})
    checkCsrf(c, form.csrf)
    const text = (k: string) => {
      const v = form[k]
      return typeof v === 'string' ? v : ''
    }
    const values = {name: text('name'), email: text('email'), subject: text('subject'), description: text('description'), department: text('department')}
    const files = Object.values(form)
      .flat()
      .filter((v): v is File => typeof v !== 'string' && v.size > 0)
    try {
      if (files.length > opts.maxFiles) throw usageError(`At most ${opts.maxFiles} file${opts.maxFiles === 1 ? '' : 's'} can come with a request; ${files.length} were sent.`)
      if (values.name.trim() === '') throw usageError('Your name is empty.')
      if (values.description.trim() === '') throw usageError('The description is empty.')
      const requester: Person = parsePerson(`${values.name.replace(/[<>"]/g, ' ').trim()} <${values.email.trim()}>`, 'The e-mail address')
      const depts = await publicDepartments()
      if (values.department !== '' && !depts.some((d) => d.key === values.department)) throw usageError(`Department "${values.department}" is not one this form offers.`)
      // Same checks and limit as `tix attach` (desk.json attachments.maxBytes); nothing is written when one is too large.
      const staged = files.length === 0 ? undefined : await stageAttachments(await Promise.all(files.map(async (f) => ({name: f.name, bytes: new Uint8Array(await f.arrayBuffer()), mediaType: f.type || null}))), {maxBytes: maxAttachmentBytes(await config())})
      const res = await writer.submit({
        kind: 'create',
        input: {title: values.subject, body: values.description.replace(/\r\n?/g, '\n'), requester, channel: 'web', department: values.department || null},
        attachments: staged,
      })
      const token = signTicketToken(secret, res.id, requester.email!, new Date(desk.now().getTime() + opts.linkDays * 86_400_000))
      return c.redirect(`/t/${token}?lang=${lang}&created=1`, 303)
    } catch (error) {
      if (statusOf(error) !== 400) throw error
      return formError(c, lang, error, values)
    }
  })

  // The portal's view of one ticket, cached per ticket while the branch does not move.
  const seen = new Map<string, {tip: string; loaded: LoadedTicket}>()
  async function loadTicket(id: string): Promise<LoadedTicket | null> {
    const tip = desk.tip()
    if (!tip) return null
    const hit = seen.get(id)
    if (hit && hit.tip === tip) return hit.loaded
    const loaded = await desk.readTicket(id, tip)
    if (loaded) {
      if (seen.size >= 10_000) seen.clear()
      seen.set(id, {tip, loaded})
    }
    return loaded
  }

  /** The ticket a signed link opens, or a 404 (the same answer for a bad, tampered, expired or foreign link). */
  async function ticketOfLink(token: string): Promise<{loaded: LoadedTicket; email: string}> {
    const parsed = parseTicketToken(token, desk.now())
    const loaded = parsed ? await loadTicket(parsed.id) : null
    const email = loaded?.ticket.requester.email ?? null
    if (!parsed || !loaded || !verifyTicketToken(secret, parsed, email)) throw httpError(404, 'This link is not valid or has expired.', 'bad-link')
    return {loaded, email: email!}
  }

  app.get('/t/:token', async (c) => {
    const lang = langOf(c)
    const {loaded} = await ticketOfLink(c.req.param('token'))
    const index = await desk.index()
    const sid = shortIdOf(index.ids, loaded.ticket.id)
    const flag = c.req.query('created') ? 'created' : c.req.query('done')
    // ?score=N (a survey mail's link): chooses the answer on the form. A GET never records anything
    // (mail scanners open links); the requester sends the form.
    const scoreText = c.req.query('score')
    const score = scoreText !== undefined && /^[1-5]$/.test(scoreText) ? Number(scoreText) : null
    const notice = flag === 'created' ? t(lang, 'createdText', {id: sid}) : flag === 'reply' ? t(lang, 'replyDone') : flag === 'rate' ? t(lang, 'rateThanks') : null
    const body = ticketPage({
      lang,
      ticket: loaded.ticket,
      shortId: sid,
      thread: loaded.thread.filter((e) => e.public && e.kind === 'reply'),
      csrf: await csrfFor(c),
      action: `/t/${c.req.param('token')}?lang=${lang}`,
      notice,
      score: flag === 'rate' ? null : score,
    })
    const title = t(lang, 'ticketTitle', {id: sid})
    return c.html(await pageFor(c, title, flag === 'created' ? html`<p class="ticket-no" data-ticket="${sid}">${sid}</p>${body}` : body))
  })

  app.post('/t/:token', async (c) => {
    const lang = langOf(c)
    const token = c.req.param('token')
    const form = await c.req.parseBody()
    checkCsrf(c, form.csrf)
    const {loaded, email} = await ticketOfLink(token)
    const id = loaded.ticket.id
    const same = (t: Ticket) => {
      if (t.requester.email?.toLowerCase() !== email.toLowerCase()) throw httpError(404, 'This link is not valid or has expired.', 'bad-link')
    }
    const action = form.action
    try {
      if (action === 'reply') {
        const body = typeof form.body === 'string' ? form.body.replace(/\r\n?/g, '\n') : ''
        await writer.submit({kind: 'update', id, op: (t, ctx) => (same(t), replyOp(t, body, ctx, {author: email}))})
      } else if (action === 'rate') {
        const rating = typeof form.rating === 'string' ? form.rating : ''
        if (!['good', 'neutral', 'bad'].includes(rating)) throw usageError('Choose good, neutral or bad.')
        const comment = typeof form.comment === 'string' ? form.comment : undefined
        // A survey's 1-5 score is kept (as `tix rate ID 4` keeps it) when the answer sent is the one it chose.
        const score = typeof form.score === 'string' && /^[1-5]$/.test(form.score) && ratingOfScore(Number(form.score)) === rating ? form.score : rating
        await writer.submit({
          kind: 'update',
          id,
          op: (t, ctx) => {
            same(t)
            if (!done(t)) throw usageError('A request is rated once it is resolved.')
            return rateOp(t, score, {comment}, {...ctx, by: email})
          },
        })
      } else throw usageError('Unknown action.')
    } catch (error) {
      if (statusOf(error) >= 500 || statusOf(error) === 404) throw error
      const index = await desk.index()
      const fresh = (await loadTicket(id)) ?? loaded
      const sid = shortIdOf(index.ids, id)
      const body = ticketPage({lang, ticket: fresh.ticket, shortId: sid, thread: fresh.thread.filter((e) => e.public && e.kind === 'reply'), csrf: await csrfFor(c), action: `/t/${token}?lang=${lang}`, error: t(lang, 'badInput', {message: (error as Error).message})})
      return c.html(await pageFor(c, t(lang, 'ticketTitle', {id: sid}), body), 400)
    }
    return c.redirect(`/t/${token}?lang=${lang}&done=${action}${action === 'rate' ? '#rate' : ''}`, 303)
  })

  // ---------------------------------------------------------------- the knowledge base

  app.get('/kb', async (c) => {
    const lang = langOf(c)
    const query = (c.req.query('q') ?? '').replace(/\s+/g, ' ').trim().slice(0, 200)
    const searched = query !== ''
    const entries = searched ? await kb.search(query, lang) : await kb.list(lang)
    const body = kbIndexPage({lang, query, entries, searched})
    return c.html(await pageFor(c, t(lang, 'kbTitle'), body, searched ? {q: query} : undefined))
  })

  /** The published article a /kb/<slug> URL names, in the language it asks for; a 404 page otherwise. */
  const articleOf = async (c: Context) => {
    const lang = langOf(c)
    const slug = portalSlug(c.req.param('slug') ?? '')
    // ?lang= names the article's language too (links from replies may carry any code, e.g. pt-BR).
    const wanted = portalArticleLang(c.req.query('lang')) ?? lang
    const found = slug === null ? null : await kb.article(slug, wanted)
    return {lang, wanted, found}
  }
  const noArticle = async (c: Context, lang: Lang) => c.html(await pageFor(c, t(lang, 'errorTitle'), messagePage(lang, t(lang, 'errorTitle'), t(lang, 'kbNotFound'))), 404)

  app.get('/kb/:slug', async (c) => {
    const {lang, wanted, found} = await articleOf(c)
    if (!found) return noArticle(c, lang)
    const a = found.article
    const voted = c.req.query('voted') === '1'
    if (!voted) feedback.view(a.slug, a.lang)
    const body = kbArticlePage({
      lang,
      article: a,
      bodyHtml: renderArticle(a.body),
      fallback: found.fallback,
      wanted,
      languages: found.languages,
      csrf: await csrfFor(c),
      action: `/kb/${a.slug}/vote?lang=${encodeURIComponent(wanted)}`,
      voted,
    })
    return c.html(await pageFor(c, a.title, body))
  })

  app.post('/kb/:slug/vote', async (c) => {
    const form = await c.req.parseBody()
    checkCsrf(c, form.csrf)
    const {lang, wanted, found} = await articleOf(c)
    if (!found) return noArticle(c, lang)
    const helpful = form.helpful === 'yes' ? true : form.helpful === 'no' ? false : null
    if (helpful === null) throw usageError('Answer yes or no.')
    await feedback.vote(found.article.slug, found.article.lang, helpful)
    return c.redirect(`/kb/${found.article.slug}?lang=${encodeURIComponent(wanted)}&voted=1`, 303)
  })

  // ---------------------------------------------------------------- the API

  const bearer = (c: Context): string | null => {
    const h = c.req.header('authorization') ?? ''
    const m = /^Bearer\s+(\S+)$/i.exec(h)
    if (m) return m[1]!
    // Basic auth (any user name, the token as password): what a browser can send to /reports.
    const b = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(h)
    if (b) {
      const text = Buffer.from(b[1]!, 'base64').toString('utf8')
      const i = text.indexOf(':')
      return i >= 0 ? text.slice(i + 1) : null
    }
    return null
  }

  /** The token a request presents, checked for `scope` (null: any valid token; the route checks later). */
  const authorize = (c: Context<Vars>, scope: Scope | null): StoredToken => {
    const presented = bearer(c)
    const realm = c.req.path === '/reports' ? 'Basic realm="tix reports", charset="UTF-8"' : 'Bearer realm="tix"'
    if (!presented) {
      c.header('WWW-Authenticate', realm)
      throw httpError(401, 'This needs an API token: send "Authorization: Bearer TOKEN".', 'unauthorized', `Make one with \`tix serve token add NAME --scope ${scope ?? 'tickets:write'}\`.`)
    }
    const found = tokens.find(presented)
    if (!found) {
      c.header('WWW-Authenticate', c.req.path === '/reports' ? realm : 'Bearer realm="tix", error="invalid_token"')
      throw httpError(401, 'The API token is not valid (unknown or revoked).', 'unauthorized', 'See the tokens with `tix serve token list`.')
    }
    const wait = tokenLimit.take(found.name)
    if (wait > 0) {
      c.header('Retry-After', String(wait))
      throw httpError(429, `Too many requests with the token "${found.name}".`, 'rate-limited', `Wait ${wait} s.`)
    }
    c.set('token', found)
    if (scope) needScope(found, scope)
    return found
  }
  const needScope = (found: StoredToken, scope: Scope) => {
    if (!found.scopes.includes(scope)) throw httpError(403, `The token "${found.name}" lacks the scope ${scope}.`, 'forbidden', `Make a token with it: tix serve token add NAME --scope ${scope}`)
  }
  const requireScope = (scope: Scope): MiddlewareHandler<Vars> => async (c, next) => {
    authorize(c, scope)
    return next()
  }

  const readJson = async (c: Context): Promise<unknown> => {
    const type = c.req.header('content-type') ?? ''
    if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) throw usageError('Send the body as JSON (Content-Type: application/json).')
    const text = await c.req.text()
    try {
      return JSON.parse(text)
    } catch (error) {
      throw usageError(`The body is not valid JSON: ${(error as Error).message}.`)
    }
  }
  const check = <T>(schema: {safeParse: (v: unknown) => {success: true; data: T} | {success: false; error: {issues: {path: PropertyKey[]; message: string}[]}}}, value: unknown): T => {
    const r = schema.safeParse(value)
    if (r.success) return r.data
    const i = r.error.issues[0]!
    const where = i.path.length > 0 ? i.path.map(String).join('.') : 'the body'
    throw usageError(`${where}: ${i.message}.`, 'See /api/v1/openapi.json for the fields.', {issues: r.error.issues.map((x) => ({path: x.path.map(String), message: x.message}))})
  }

  /** Internal notes are for agents: tokens without notes:write see the public thread only. */
  const canSeeNotes = (c: Context<Vars>) => c.get('token').scopes.includes(SCOPE_FOR_NOTES)
  const visibleEvents = <E extends {type: string}>(c: Context<Vars>, events: readonly E[]) => (canSeeNotes(c) ? [...events] : events.filter((e) => e.type !== 'note'))

  const changeDoc = async (c: Context<Vars>, res: WriteResult) => {
    const index = await desk.index()
    return envelope('ticket', {
      ticket: ticketJson(res.ticket.ticket, index.ids),
      changed: res.events.length > 0,
      commit: res.commit,
      events: visibleEvents(c, res.events as EventBase[]),
      ...(res.deduplicated ? {deduplicated: true} : {}),
    })
  }

  app.get('/api/v1/openapi.json', async (c) => c.json(openApiDocument(z, schemas, opts.baseUrl ?? baseUrlOf(await config()))))

  app.post('/api/v1/tickets', requireScope('tickets:write'), async (c) => {
    const body = check(schemas.newTicket, await readJson(c))
    const requester = body.requester === undefined ? undefined : typeof body.requester === 'string' ? parsePerson(body.requester) : personOf(body.requester)
    const res = await writer.submit({
      kind: 'create',
      input: {title: body.title, body: body.body, requester, channel: body.channel ?? 'api', priority: body.priority, type: body.type, tags: body.tags, department: body.department, assignee: body.assignee},
      custom: body.fields,
      dedupeKey: body.dedupeKey,
    })
    return c.json(await changeDoc(c, res), res.deduplicated ? 200 : 201)
  })

  app.post('/api/v1/tickets/:id/messages', async (c) => {
    // The scope depends on the body: a note needs notes:write, a reply tickets:write.
    const token = authorize(c, null)
    const body = check(schemas.newMessage, await readJson(c))
    needScope(token, body.kind === 'note' ? 'notes:write' : 'tickets:write')
    const id = await desk.resolveId(c.req.param('id'))
    const res = await writer.submit({
      kind: 'update',
      id,
      op: (t, ctx) => {
        if (body.kind === 'note') return noteOp(t, body.body, ctx)
        const email = t.requester.email
        if (!email) throw usageError(`Ticket ${shortIdPrefix(t.id)} has no requester e-mail, so a reply cannot come from the requester.`, 'Set one with `tix set ID --requester "Name <email>"`.')
        return replyOp(t, body.body, ctx, {author: email})
      },
    })
    return c.json(await changeDoc(c, res), 201)
  })

  app.get('/api/v1/tickets/:id', requireScope('tickets:read'), async (c) => {
    const index = await desk.index()
    const id = await desk.resolveId(c.req.param('id'), index)
    const loaded = await desk.readTicket(id, index.commit)
    if (!loaded) throw httpError(404, `Ticket ${shortIdPrefix(id)} is listed but its file is missing.`, 'not-found')
    const detail = ticketDetailJson(loaded, index.ids)
    const notes = canSeeNotes(c)
    const doc = {
      ...detail,
      thread: notes ? detail.thread : detail.thread.filter((e) => e.public && e.kind === 'reply'),
      events: visibleEvents(c, detail.events),
    }
    const {mergedThread: _m, problems: _p, ...rest} = doc
    return c.json(envelope('ticket', {ticket: rest}))
  })

  app.get('/api/v1/tickets', requireScope('tickets:read'), async (c) => {
    const {queryFromFlags} = await import('../../../commands/ticket/list.js')
    const q = (k: string) => c.req.query(k)
    const many = (k: string) => (q(k) ? [q(k)!] : undefined)
    const bool = (k: string) => {
      const v = q(k)
      if (v === undefined || v === '' || v === 'false' || v === '0') return false
      if (v === 'true' || v === '1') return true
      throw usageError(`--${k} "${v}" is not valid: expected true or false.`)
    }
    const query = queryFromFlags(
      {status: many('status'), assignee: many('assignee'), unassigned: bool('unassigned'), priority: many('priority'), type: many('type'), tag: many('tag'), department: many('department'), channel: many('channel'), requester: q('requester'), all: bool('all'), tier: many('tier'), sla: many('sla')},
      desk,
    )
    const words = (q('q') ?? '').split(/\s+/).filter(Boolean)
    const sort = q('sort') ?? 'created'
    if (!(SORT_KEYS as readonly string[]).includes(sort)) throw usageError(`--sort "${sort}" is not valid: expected one of ${SORT_KEYS.join(', ')}.`)
    const limitText = q('limit') ?? '100'
    if (!/^\d{1,4}$/.test(limitText) || Number(limitText) < 1 || Number(limitText) > 1000) throw usageError(`--limit "${limitText}" is not valid: expected a number from 1 to 1000.`)
    const res = await listTickets(desk, {...query, words}, {sort: sort as SortKey, limit: Number(limitText)})
    return c.json(envelope('ticket-list', {count: res.tickets.length, total: res.total, scope: null, tickets: res.tickets.map((t) => ticketJson(t, res.index.ids))}))
  })

  const reportOf = async (c: Context) => {
    const {GROUP_BY} = await import('../../domain/reports/report.js')
    const {PERIOD_UNITS} = await import('../../domain/reports/periods.js')
    const {parseMetrics} = await import('../../../commands/report/report.js')
    const {runReport} = await import('../reports.js')
    const q = (k: string) => c.req.query(k) || undefined
    const by = q('by')
    const period = q('period')
    if (by !== undefined && !(GROUP_BY as readonly string[]).includes(by)) throw usageError(`--by "${by}" is not valid: expected one of ${GROUP_BY.join(', ')}.`)
    if (period !== undefined && !(PERIOD_UNITS as readonly string[]).includes(period)) throw usageError(`--period "${period}" is not valid: expected one of ${PERIOD_UNITS.join(', ')}.`)
    const metrics = parseMetrics(q('metric') ? [q('metric')!] : undefined)
    return runReport(desk, {by: by as never, period: period as never, from: q('from'), to: q('to'), metrics, asOf: q('asOf') ?? q('as-of')})
  }

  app.get('/api/v1/reports', requireScope('reports:read'), async (c) => {
    const {reportJson} = await import('../../output/report.js')
    return c.json(envelope('report', reportJson(await reportOf(c))))
  })

  app.get('/reports', requireScope('reports:read'), async (c) => {
    const {htmlReport, reportStyleHash} = await import('../../output/html-report.js')
    const page = htmlReport(await reportOf(c), {deskName: await deskName()})
    c.header('Content-Security-Policy', `default-src 'none'; style-src '${reportStyleHash()}'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`)
    c.header('X-Content-Type-Options', 'nosniff')
    c.header('X-Frame-Options', 'DENY')
    c.header('Referrer-Policy', 'no-referrer')
    return c.html(page)
  })

  app.get('/healthz', async (c) => {
    const tip = desk.tip()
    const outbox = await state.outbox().catch(() => null)
    return c.json(
      envelope('health', {
        ok: tip !== null,
        ref: desk.ref,
        commit: tip,
        lastSync: state.lastSync,
        syncEvery: state.syncEvery,
        conflicts: state.conflicts,
        outbox,
        writer: {...writer.stats, queued: writer.queued},
        kb: {...feedback.stats, pendingViews: feedback.pendingViews},
      }),
    )
  })

  return {app, writer, state, feedback}
}

function personOf(p: {name?: string | null; email?: string | null}): Person {
  if (p.email) return parsePerson(p.name ? `${p.name.replace(/[<>"]/g, ' ').trim()} <${p.email}>` : p.email)
  if (p.name) return parsePerson(p.name)
  throw usageError('requester: give a name or an e-mail address.')
}
