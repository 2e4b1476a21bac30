// The knowledge base on the portal, over real HTTP: /kb lists the published articles (never a
// draft) by category and searches them with the KB index (Arabic with harakat, Russian inflected),
// /kb/<slug> falls back to the first language and says so, hostile slugs are a 404 and never a
// path, article text is escaped, votes need the CSRF token and views are written in batches, both
// counted by `tix kb stats`. Also: a survey's ?score=N chooses the rating without writing, and
// /healthz reports the mail outbox.
import {beforeAll, describe, expect, it} from 'vitest'
import {articleLink, serializeArticle, type ArticleMeta} from '../../src/domain/kb/article.js'
import {portalLink} from '../../src/services/serve/auth.js'
import {CATALOGUES} from '../../src/services/serve/i18n.js'
import {renderArticle} from '../../src/services/serve/markdown.js'
import {replyTo, setStatus} from '../../src/services/queue.js'
import {newTicket, showTicket} from '../../src/services/tickets.js'
import {git, tix} from '../helpers.js'
import {ENV, servedDesk, visitor as visitorOf} from './helpers.js'

type Served = Awaited<ReturnType<typeof servedDesk>>
let s: Served

const XSS = '<script>alert(1)</script><img src=x onerror=alert(2)>'

const meta = (m: Partial<ArticleMeta> & {title: string}): ArticleMeta => ({category: null, tags: [], status: 'published', author: 'kb@example.com', updated: '2026-11-01T10:00:00.000Z', summary: null, source: null, ...m})
const ARTICLES: {slug: string; lang: string; meta: ArticleMeta; body: string}[] = [
  {slug: 'vpn-setup', lang: 'en', meta: meta({title: 'Set up the VPN', category: 'network', tags: ['vpn']}), body: 'Install the VPN client.\n\n## If it drops\n\n- switch to TCP\n- restart the client\n'},
  {slug: 'vpn-setup', lang: 'ar', meta: meta({title: 'إعداد الشبكة الافتراضية الخاصة', category: 'network', source: 'en'}), body: 'لإعداد الاتصال بالشبكة ثبت برنامج الشبكة الافتراضية.\n'},
  {slug: 'printer-jam', lang: 'ru', meta: meta({title: 'Принтер не печатает', category: 'printers'}), body: 'Если принтер не печатает, выключите его и достаньте бумагу.\n'},
  {slug: 'password-reset', lang: 'en', meta: meta({title: 'Reset your password', category: 'accounts'}), body: 'Open the account page and choose "Forgot password".\n'},
  {slug: 'secret-draft', lang: 'en', meta: meta({title: 'Secret plans for the printer', category: 'printers', status: 'draft'}), body: 'Not for requesters: printer printers VPN.\n'},
  {slug: 'hostile', lang: 'en', meta: meta({title: `Hostile ${XSS}`, category: 'security', summary: `Summary ${XSS}`}), body: `Body ${XSS}\n\n[click](javascript:alert(3)) and <a href="javascript:alert(4)">raw</a>\n\n\`\`\`\n${XSS}\n\`\`\`\n`},
]

const visitor = () => visitorOf(() => s.url)

const tip = () => git(s.dir, 'rev-parse', 'tix').trim()
const stats = () => {
  const r = tix(s.dir, ['kb', 'stats', '--json'], {env: {...ENV, TIX_REPO: s.dir}})
  expect(r.code).toBe(0)
  return r.json().articles as {slug: string; views: number; helpful: number; notHelpful: number}[]
}
const healthz = async (): Promise<any> => (await fetch(`${s.url}/healthz`)).json()
const statOf = (slug: string) => stats().find((a) => a.slug === slug)!

beforeAll(async () => {
  s = await servedDesk({viewFlushSeconds: 3600}, async (desk) => {
    const {updateDeskJson} = await import('../../src/services/workflow/desk-config.js')
    await updateDeskJson(desk, 'web', (c) => ({...c, web: {baseUrl: 'https://help.example.com'}}))
    await desk.commitFiles(
      ARTICLES.map((a) => ({path: `kb/${a.slug}/${a.lang}.md`, content: serializeArticle(a.meta, a.body)})),
      'kb: portal fixture',
    )
  })
})

/** The slugs listed under each category heading of /kb. */
function byCategory(page: string): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const m of page.matchAll(/<section class="kb-category" data-category="([^"]*)">([\s\S]*?)<\/section>/g)) {
    out[m[1]!] = [...m[2]!.matchAll(/data-slug="([^"]+)"/g)].map((x) => x[1]!)
  }
  return out
}

describe('/kb', () => {
  it('lists the published articles by category, never a draft, in the page language', async () => {
    const r = await visitor().go('/kb?lang=en')
    expect(r.res.status).toBe(200)
    expect(byCategory(r.text)).toEqual({accounts: ['password-reset'], network: ['vpn-setup'], printers: ['printer-jam'], security: ['hostile']})
    expect(r.text).not.toMatch(/secret-draft|Secret plans/)
    expect(r.text).toContain('Set up the VPN')
    expect(r.text).toContain('Install the VPN client.') // the summary
    // in Arabic the same article is shown in Arabic, the page right to left
    const ar = await visitor().go('/kb', {headers: {'accept-language': 'ar'}})
    expect(ar.text).toContain('<html lang="ar" dir="rtl">')
    expect(ar.text).toContain('إعداد الشبكة الافتراضية الخاصة')
    expect(ar.text).toContain(CATALOGUES.ar.kbTitle)
  })

  it('search finds an Arabic article from a query with harakat and a Russian one from an inflected form; drafts never', async () => {
    const arabic = await visitor().go(`/kb?lang=ar&q=${encodeURIComponent('الشَّبَكَةِ الافتراضيّة')}`)
    expect(arabic.res.status).toBe(200)
    expect(arabic.text).toMatch(/<li data-slug="vpn-setup" data-lang="ar">/)
    const russian = await visitor().go(`/kb?lang=ru&q=${encodeURIComponent('принтерами')}`)
    expect(russian.text).toMatch(/data-results><li data-slug="printer-jam" data-lang="ru">/)
    expect(russian.text).toContain('data-category="printers"')
    expect(russian.text).not.toMatch(/secret-draft|Secret plans/)
    const none = await visitor().go(`/kb?lang=en&q=${encodeURIComponent('secret plans')}`)
    expect(none.text).not.toMatch(/data-slug=/)
    expect(none.text).toContain(CATALOGUES.en.kbNone)
    // the query is shown escaped, and kept by the language links
    const hostile = await visitor().go(`/kb?lang=en&q=${encodeURIComponent('"><script>x</script>')}`)
    expect(hostile.text).not.toContain('<script>x')
    expect(hostile.text).toContain('value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"')
  })

  it('the home page searches the knowledge base and links to it', async () => {
    const home = await visitor().go('/?lang=en')
    expect(home.text).toMatch(/<form method="get" action="\/kb" role="search">/)
    expect(home.text).toContain('href="/kb?lang=en"')
  })
})

describe('/kb/<slug>', () => {
  it('opens the links tix makes for articles, in their language', async () => {
    const link = articleLink({web: {baseUrl: 'https://help.example.com'}}, 'tix', 'vpn-setup', 'ar')
    const u = new URL(link)
    const r = await visitor().go(u.pathname + u.search)
    expect(r.res.status).toBe(200)
    expect(r.text).toContain('<html lang="ar" dir="rtl">')
    expect(r.text).toContain('<article lang="ar" dir="rtl" data-slug="vpn-setup">')
    expect(r.text).not.toContain('data-fallback')
    const en = await visitor().go('/kb/vpn-setup?lang=en')
    expect(en.text).toContain('<h3>If it drops</h3>')
    expect(en.text).toContain('<li>switch to TCP</li>')
  })

  it('an article lacking the language falls back to its first language and says so', async () => {
    const r = await visitor().go('/kb/printer-jam?lang=en')
    expect(r.res.status).toBe(200)
    expect(r.text).toContain('data-fallback="ru"')
    expect(r.text).toContain('<article lang="ru" dir="ltr"')
    expect(r.text).toContain('Принтер не печатает')
    expect(r.text).toContain(CATALOGUES.en.kbFallback.replace('{wanted}', 'English').replace('{shown}', 'Русский'))
  })

  it('hostile or unknown slugs and drafts are a 404 page, never a path', async () => {
    const before = tip()
    for (const p of ['/kb/..%2F..%2F..%2Fetc%2Fpasswd', '/kb/..%5C..%5Cdesk.json', '/kb/VPN-SETUP', '/kb/vpn--setup', `/kb/${'a'.repeat(81)}`, '/kb/vpn-setup%00', '/kb/secret-draft', '/kb/no-such-article', '/kb/secret-draft/vote']) {
      const r = await visitor().go(p)
      expect(r.res.status, p).toBe(404)
      expect(r.text).not.toMatch(/root:|Secret plans|"version"/)
    }
    const v = visitor()
    const page = await v.go('/kb/vpn-setup?lang=en')
    expect((await v.post('/kb/secret-draft/vote', {csrf: v.csrfOf(page.text), helpful: 'yes'})).res.status).toBe(404)
    expect((await v.post('/kb/..%2Fvpn-setup/vote', {csrf: v.csrfOf(page.text), helpful: 'yes'})).res.status).toBe(404)
    expect(tip()).toBe(before)
  })

  it("escapes script in an article's title, summary and body; links keep only safe targets", async () => {
    for (const path of ['/kb/hostile?lang=en', '/kb?lang=en', `/kb?lang=en&q=hostile`]) {
      const page = (await visitor().go(path)).text
      expect(page, path).not.toMatch(/<script|<img|href="javascript|<a href="javascript/i)
      expect(page, path).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;')
    }
    const article = (await visitor().go('/kb/hostile?lang=en')).text
    expect(article).toContain('[click](javascript:alert(3))')
    expect(article).toContain('<pre><code>&lt;script&gt;')
  })
})

describe('the article renderer', () => {
  it('escapes first and adds only its own markup; links only to http(s), mailto and this site', () => {
    expect(renderArticle('**bold** and *it* and `<b>code</b>`')).toBe('<p><strong>bold</strong> and <em>it</em> and <code>&lt;b&gt;code&lt;/b&gt;</code></p>')
    for (const target of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,x', '//evil.example/x', 'vbscript:x']) {
      expect(renderArticle(`[x](${target})`), target).not.toContain('<a ')
    }
    expect(renderArticle('[guide](/kb/vpn-setup?lang=ar) https://example.com/a?b=1&c=2.')).toBe(
      '<p><a href="/kb/vpn-setup?lang=ar" rel="noopener noreferrer nofollow">guide</a> <a href="https://example.com/a?b=1&amp;c=2" rel="noopener noreferrer nofollow">https://example.com/a?b=1&amp;c=2</a>.</p>',
    )
    expect(renderArticle('[x](https://a.example/"onmouseover="alert(1))')).not.toMatch(/"onmouseover/)
    expect(renderArticle('1. one\n2. two\n\n> quoted <i>')).toBe('<ol><li>one</li><li>two</li></ol>\n<blockquote><p>quoted &lt;i&gt;</p></blockquote>')
    expect(renderArticle('\uE0000\uE001 `a`')).toBe('<p>\uFFFD0\uFFFD <code>a</code></p>')
  })
})

describe('views and votes', () => {
  it('a vote without the CSRF token is refused; with it, it is counted by tix kb stats', async () => {
    const v = visitor()
    const page = await v.go('/kb/password-reset?lang=en')
    expect(page.text).toContain(CATALOGUES.en.kbHelpful)
    const before = tip()
    expect((await v.post('/kb/password-reset/vote?lang=en', {helpful: 'yes'})).res.status).toBe(403)
    expect((await visitor().post('/kb/password-reset/vote?lang=en', {csrf: v.csrfOf(page.text), helpful: 'yes'})).res.status).toBe(403) // someone else's token
    expect((await v.post('/kb/password-reset/vote?lang=en', {csrf: v.csrfOf(page.text), helpful: 'maybe'})).res.status).toBe(400)
    expect(tip()).toBe(before)
    const yes = await v.post('/kb/password-reset/vote?lang=en', {csrf: v.csrfOf(page.text), helpful: 'yes'})
    expect(yes.res.status).toBe(303)
    expect(yes.res.headers.get('location')).toBe('/kb/password-reset?lang=en&voted=1')
    const thanks = await v.go(yes.res.headers.get('location')!)
    expect(thanks.text).toContain(CATALOGUES.en.kbThanks)
    expect(thanks.text).not.toContain('name="helpful"')
    const ar = await v.go('/kb/vpn-setup?lang=ar')
    expect((await v.post('/kb/vpn-setup/vote?lang=ar', {csrf: v.csrfOf(ar.text), helpful: 'no'})).res.status).toBe(303)
    expect(statOf('password-reset')).toMatchObject({helpful: 1, notHelpful: 0})
    expect(statOf('vpn-setup')).toMatchObject({helpful: 0, notHelpful: 1})
    const log = git(s.dir, 'show', 'tix:kb/vpn-setup/feedback.jsonl')
    expect(log).toMatch(/"type":"kb-vote".*"lang":"ar".*"helpful":false|"helpful":false.*"lang":"ar"/)
  })

  it('views are counted in memory and written as one commit per flush', async () => {
    await s.server.flushViews() // the views of the tests above
    const before = tip()
    const viewsBefore = statOf('printer-jam').views
    for (let i = 0; i < 5; i++) expect((await visitor().go('/kb/printer-jam?lang=ru')).res.status).toBe(200)
    await visitor().go('/kb/printer-jam?lang=en') // the fallback is a view of the Russian file
    expect(tip()).toBe(before) // no commit per page view
    const health = await healthz()
    expect(health.kb.pendingViews).toBeGreaterThanOrEqual(6)
    await s.server.flushViews()
    expect(git(s.dir, 'rev-list', '--count', `${before}..tix`).trim()).toBe('1')
    expect(statOf('printer-jam').views).toBe(viewsBefore + 6)
    await s.server.flushViews() // nothing counted since: no commit
    expect(git(s.dir, 'rev-list', '--count', `${before}..tix`).trim()).toBe('1')
  })
})

describe('the survey link (?score=N)', () => {
  it('chooses the answer as tix rate counts the score, writes nothing on GET, and the POST keeps the score', async () => {
    const res = await newTicket(s.desk, {title: 'Laptop slow', requester: {name: 'Dee', email: 'dee@example.com'}, channel: 'web'})
    const id = res.ticket.ticket.id
    await setStatus(s.desk, id, 'resolved', 'New disk')
    const path = new URL((await portalLink(s.desk, id, 'dee@example.com'))!).pathname
    const before = tip()
    const v = visitor()
    const four = await v.go(`${path}?score=4`)
    expect(four.res.status).toBe(200)
    expect(four.text).toContain('id="rate"')
    expect(four.text).toMatch(/value="good" required checked/)
    expect(four.text).toContain('name="score" value="4"')
    expect((await v.go(`${path}?score=2`)).text).toMatch(/value="bad" required checked/)
    expect((await v.go(`${path}?score=3`)).text).toMatch(/value="neutral" required checked/)
    const junk = await v.go(`${path}?score=9`)
    expect(junk.text).not.toMatch(/checked|name="score"/)
    expect(tip()).toBe(before) // no GET wrote anything
    expect((await showTicket(s.desk, id)).ticket.ticket.satisfaction).toBeUndefined()
    const sent = await v.post(`${path}?lang=en`, {csrf: v.csrfOf(four.text), action: 'rate', rating: 'good', score: '4'})
    expect(sent.res.status).toBe(303)
    expect((await showTicket(s.desk, id)).ticket.ticket.satisfaction).toMatchObject({rating: 'good', score: 4, by: 'dee@example.com'})
    // an answer changed on the form drops the mail's score: the rating alone is recorded
    await v.post(`${path}?lang=en`, {csrf: v.csrfOf(four.text), action: 'rate', rating: 'bad', score: '4'})
    expect((await showTicket(s.desk, id)).ticket.ticket.satisfaction).toMatchObject({rating: 'bad', score: null})
  })
})

describe('/healthz', () => {
  it('reports the mail outbox: pending and failed deliveries', async () => {
    const empty = await healthz()
    expect(empty.outbox).toEqual({pending: 0, failed: 0})
    const res = await newTicket(s.desk, {title: 'By mail', requester: {name: 'Mo', email: 'mo@example.com'}, channel: 'email'})
    await replyTo(s.desk, res.ticket.ticket.id, 'We are on it')
    const h = await healthz()
    expect(h.outbox.pending).toBeGreaterThanOrEqual(1)
    expect(h.outbox.failed).toBe(0)
    expect(h).toMatchObject({kind: 'health', ok: true, writer: expect.any(Object), conflicts: []})
  })
})
