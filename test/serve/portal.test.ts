// The requesters' portal over real HTTP: the form (CSRF, validation), the signed ticket page (never
// a note; links for one ticket, expired or tampered refused), replies and ratings, escaping of every
// stored field, languages and headers.
import {beforeAll, describe, expect, it} from 'vitest'
import {CATALOGUES, fromAcceptLanguage} from '../../src/services/serve/i18n.js'
import {linkSecret, portalLink, signTicketToken} from '../../src/services/serve/auth.js'
import {addNote, replyTo, setStatus} from '../../src/services/queue.js'
import {newTicket, showTicket} from '../../src/services/tickets.js'
import {parseConfig} from '../../src/domain/config/config.js'
import {servedDesk, visitor as visitorOf} from './helpers.js'

type Served = Awaited<ReturnType<typeof servedDesk>>
let s: Served

const visitor = () => visitorOf(() => s.url)

beforeAll(async () => {
  s = await servedDesk({baseUrl: 'https://help.example.com'}, async (desk) => {
    const {updateDeskJson} = await import('../../src/services/workflow/desk-config.js')
    await updateDeskJson(desk, 'departments', (c) => ({...c, name: 'Acme <Help>', web: {baseUrl: 'https://help.example.com'}, departments: {it: {name: 'IT support', public: true}, legal: {name: 'Legal'}}}))
  })
})

const linkPath = (link: string) => new URL(link).pathname

describe('the form', () => {
  it('files a request with channel web and sends the requester to their page, which shows the number', async () => {
    const v = visitor()
    const home = await v.go('/')
    expect(home.res.status).toBe(200)
    expect(home.text).toContain('IT support')
    expect(home.text).not.toContain('Legal') // not public
    const form = new FormData()
    form.set('csrf', v.csrfOf(home.text))
    form.set('name', 'Ana Diaz')
    form.set('email', 'Ana@Example.com')
    form.set('subject', 'Printer jams')
    form.set('description', 'Since Monday\r\nevery page')
    form.set('department', 'it')
    const sent = await v.go('/requests', {method: 'POST', body: form})
    expect(sent.res.status).toBe(303)
    const page = await v.go(sent.res.headers.get('location')!)
    expect(page.res.status).toBe(200)
    const sid = /data-ticket="([0-9A-Z]+)"/.exec(page.text)![1]!
    const {ticket} = await showTicket(s.desk, sid)
    expect(ticket.ticket).toMatchObject({title: 'Printer jams', channel: 'web', department: 'it', body: 'Since Monday\nevery page', requester: {name: 'Ana Diaz', email: 'ana@example.com'}})
    expect(page.text).toContain(sid)
  })

  it('takes a file with the request, and refuses too many files or one over the limit (nothing written)', async () => {
    const v = visitor()
    const home = await v.go('/')
    expect(home.text).toContain('type="file"')
    const base = () => {
      const f = new FormData()
      f.set('csrf', v.csrfOf(home.text))
      f.set('name', 'Fay')
      f.set('email', 'fay@example.com')
      f.set('subject', 'With a file')
      f.set('description', 'see the log')
      return f
    }
    const one = base()
    one.append('file', new Blob(['line 1\n']), 'crash.log')
    const ok = await v.go('/requests', {method: 'POST', body: one})
    expect(ok.res.status).toBe(303)
    const sid = /^\/t\/([0-9A-Z]{10})\./.exec(ok.res.headers.get('location')!)![1]!
    expect((await showTicket(s.desk, sid)).ticket.ticket.attachments).toEqual([expect.objectContaining({name: 'crash.log', size: 7})])
    const before = (await s.desk.index()).commit
    const many = base()
    for (let i = 0; i < 4; i++) many.append('file', new Blob([`f${i}`]), `f${i}.txt`)
    const refused = await v.go('/requests', {method: 'POST', body: many})
    expect(refused.res.status).toBe(400)
    expect(refused.text).toMatch(/At most 3 files/)
    const {updateDeskJson} = await import('../../src/services/workflow/desk-config.js')
    await updateDeskJson(s.desk, 'small attachments', (c) => ({...c, attachments: {maxBytes: 1024}}))
    const big = base()
    big.append('file', new Blob(['x'.repeat(2048)]), 'big.bin')
    const tooBig = await v.go('/requests', {method: 'POST', body: big})
    expect(tooBig.res.status).toBe(400)
    expect(tooBig.text).toMatch(/larger than the desk&#39;s limit/)
    const after = (await s.desk.index()).commit
    const {git} = await import('../helpers.js')
    // only the desk.json change came after: neither refused request wrote anything
    expect(git(s.dir, 'rev-list', '--count', `${before}..${after}`).trim()).toBe('1')
    await updateDeskJson(s.desk, 'default attachments', (c) => {
      const {attachments: _a, ...rest} = c
      return rest
    })
  })

  it('refuses a form without the CSRF token, or from another site', async () => {
    const v = visitor()
    const home = await v.go('/')
    const form = new FormData()
    form.set('name', 'Eve')
    form.set('email', 'eve@example.com')
    form.set('subject', 'x')
    form.set('description', 'y')
    expect((await v.go('/requests', {method: 'POST', body: form})).res.status).toBe(403)
    form.set('csrf', v.csrfOf(home.text))
    expect((await v.go('/requests', {method: 'POST', body: form, headers: {origin: 'https://evil.example'}})).res.status).toBe(403)
    // a stranger's token with their own cookie does not work either
    const other = visitor()
    await other.go('/')
    expect((await other.go('/requests', {method: 'POST', body: form})).res.status).toBe(403)
  })

  it('bad input comes back as the form with the message (400), keeping what was typed', async () => {
    const v = visitor()
    const home = await v.go('/')
    const form = new FormData()
    form.set('csrf', v.csrfOf(home.text))
    form.set('name', 'Bo')
    form.set('email', 'not-an-address')
    form.set('subject', 'Keep me')
    form.set('description', 'z')
    const r = await v.go('/requests', {method: 'POST', body: form})
    expect(r.res.status).toBe(400)
    expect(r.text).toMatch(/no valid e-mail address/)
    expect(r.text).toContain('value="Keep me"')
    form.set('email', 'bo@example.com')
    form.set('department', 'legal')
    const dept = await v.go('/requests', {method: 'POST', body: form})
    expect(dept.res.status).toBe(400)
    expect(dept.text).toMatch(/not one this form offers/)
  })
})

describe('the ticket page', () => {
  let id: string
  let link: string
  beforeAll(async () => {
    const res = await newTicket(s.desk, {title: 'VPN drops', body: 'Every hour', requester: {name: 'Cy', email: 'cy@example.com'}, channel: 'web'})
    id = res.ticket.ticket.id
    await replyTo(s.desk, id, 'PUBLIC-REPLY: restart the client')
    await addNote(s.desk, id, 'INTERNAL-NOTE: user is on the old VPN')
    link = (await portalLink(s.desk, id, 'cy@example.com'))!
  })

  it('portalLink makes links under the base URL', () => {
    expect(link).toMatch(/^https:\/\/help\.example\.com\/t\/[0-9A-Z]{10}\.[0-9a-z]+\.[A-Za-z0-9_-]{43}$/)
  })

  it('shows status and the public thread, never a note', async () => {
    const r = await visitor().go(linkPath(link))
    expect(r.res.status).toBe(200)
    expect(r.text).toContain('PUBLIC-REPLY: restart the client')
    expect(r.text).not.toContain('INTERNAL-NOTE')
    expect(r.text).toContain('data-status="open"')
  })

  it('a link for one ticket does not open another; tampered and expired links are refused', async () => {
    const other = await newTicket(s.desk, {title: 'Other', requester: {name: null, email: 'cy@example.com'}})
    const [, exp, mac] = linkPath(link).slice(3).split('.')
    const swapped = `/t/${other.ticket.ticket.id}.${exp}.${mac}`
    expect((await visitor().go(swapped)).res.status).toBe(404)
    const tampered = linkPath(link).slice(0, -2) + (linkPath(link).endsWith('AA') ? 'BB' : 'AA')
    expect((await visitor().go(tampered)).res.status).toBe(404)
    const longer = `/t/${id}.${(parseInt(exp!, 36) + 1000).toString(36)}.${mac}`
    expect((await visitor().go(longer)).res.status).toBe(404)
    const expired = `/t/${signTicketToken(linkSecret(s.desk), id, 'cy@example.com', new Date(Date.now() - 1000))}`
    expect((await visitor().go(expired)).res.status).toBe(404)
    const wrongPerson = `/t/${signTicketToken(linkSecret(s.desk), id, 'eve@example.com', new Date(Date.now() + 86_400_000))}`
    expect((await visitor().go(wrongPerson)).res.status).toBe(404)
    expect((await visitor().go('/t/../../etc/passwd')).res.status).toBe(404)
  })

  it('the requester answers and rates; tix show has both', async () => {
    const v = visitor()
    const page = await v.go(linkPath(link))
    const form = new FormData()
    form.set('csrf', v.csrfOf(page.text))
    form.set('action', 'reply')
    form.set('body', 'Still dropping')
    const sent = await v.go(linkPath(link), {method: 'POST', body: new URLSearchParams(form as never), headers: {'content-type': 'application/x-www-form-urlencoded'}})
    expect(sent.res.status).toBe(303)
    // rating before it is resolved is refused
    const early = await v.go(linkPath(link), {method: 'POST', body: new URLSearchParams({csrf: v.csrfOf(page.text), action: 'rate', rating: 'good'}), headers: {'content-type': 'application/x-www-form-urlencoded'}})
    expect(early.res.status).toBe(400)
    await setStatus(s.desk, id, 'resolved', 'New VPN profile')
    const resolved = await v.go(linkPath(link))
    expect(resolved.text).toContain('name="rating"')
    const rated = await v.go(linkPath(link), {method: 'POST', body: new URLSearchParams({csrf: v.csrfOf(resolved.text), action: 'rate', rating: 'good', comment: 'Quick, thanks'}), headers: {'content-type': 'application/x-www-form-urlencoded'}})
    expect(rated.res.status).toBe(303)
    const {ticket} = await showTicket(s.desk, id)
    expect(ticket.thread.some((e) => e.author === 'cy@example.com' && e.body === 'Still dropping' && e.public)).toBe(true)
    expect(ticket.ticket.satisfaction).toMatchObject({rating: 'good', comment: 'Quick, thanks', by: 'cy@example.com'})
    expect(ticket.events.some((e) => e.type === 'rate')).toBe(true)
  })
})

describe('escaping and headers', () => {
  it('script in every stored field is escaped on the page', async () => {
    const x = '<script>alert(1)</script>"\'><img src=x onerror=alert(2)>'
    const res = await newTicket(s.desk, {title: `T ${x}`, body: `B ${x}`, requester: {name: `N ${x.replace(/[<>@]/g, '')}`, email: 'xss@example.com'}, tags: []})
    await replyTo(s.desk, res.ticket.ticket.id, `R ${x}`)
    const {updateDeskJson} = await import('../../src/services/workflow/desk-config.js')
    const link = (await portalLink(s.desk, res.ticket.ticket.id, 'xss@example.com'))!
    const page = (await visitor().go(linkPath(link))).text
    expect(page).not.toMatch(/<script|<img/i)
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&gt;&lt;img')
    // the desk's own name too
    expect(page).toContain('Acme &lt;Help&gt;')
    void updateDeskJson
  })

  it('sends strict headers: CSP without inline script, nosniff, frame-ancestors none', async () => {
    const r = await fetch(`${s.url}/`)
    const csp = r.headers.get('content-security-policy')!
    expect(csp).toContain("default-src 'none'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).not.toMatch(/script-src|unsafe-inline/)
    expect(r.headers.get('x-content-type-options')).toBe('nosniff')
    expect(r.headers.get('x-frame-options')).toBe('DENY')
    const css = await fetch(`${s.url}/static/portal.css`)
    expect(css.headers.get('content-type')).toMatch(/text\/css/)
    expect(await css.text()).toContain(':focus-visible')
  })
})

describe('languages', () => {
  it('every catalogue has the same keys', () => {
    const keys = Object.keys(CATALOGUES.en).sort()
    for (const lang of ['ar', 'fa', 'ru'] as const) expect(Object.keys(CATALOGUES[lang]).sort()).toEqual(keys)
  })

  it('picks the language from Accept-Language, ?lang= switches it, Arabic and Persian are right to left', async () => {
    expect(fromAcceptLanguage('fr-FR,ru;q=0.8,en;q=0.5')).toBe('ru')
    expect(fromAcceptLanguage('de')).toBe('en')
    const ar = await (await fetch(`${s.url}/`, {headers: {'accept-language': 'ar-EG,ar;q=0.9'}})).text()
    expect(ar).toContain('<html lang="ar" dir="rtl">')
    expect(ar).toContain(CATALOGUES.ar.homeTitle)
    const fa = await (await fetch(`${s.url}/?lang=fa`, {headers: {'accept-language': 'en'}})).text()
    expect(fa).toContain('<html lang="fa" dir="rtl">')
    const ru = await (await fetch(`${s.url}/?lang=ru`)).text()
    expect(ru).toContain('<html lang="ru" dir="ltr">')
    expect(ru).toContain(CATALOGUES.ru.send)
    // the switcher is on the page, every language linked
    for (const l of ['en', 'ar', 'fa', 'ru']) expect(ru).toContain(`href="/?lang=${l}"`)
  })
})

describe('desk.json', () => {
  it('validates departments.*.public and web.baseUrl', () => {
    expect(() => parseConfig(JSON.stringify({version: 1, departments: {it: {public: 'yes'}}}))).toThrow(/departments\.it\.public/)
    expect(() => parseConfig(JSON.stringify({version: 1, web: {baseUrl: 'ftp://x'}}))).toThrow(/web\.baseUrl/)
    expect(() => parseConfig(JSON.stringify({version: 1, web: {baseUrl: 'https://help.example.com', colour: 1}}))).toThrow(/web\.colour/)
    expect(parseConfig(JSON.stringify({version: 1, web: {baseUrl: 'https://help.example.com'}, departments: {it: {public: true}}})).web).toEqual({baseUrl: 'https://help.example.com'})
  })
})
