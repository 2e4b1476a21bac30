// Articles in use: suggestions for a ticket, a rule's automatic answer, --article replies and
// macro placeholders, the cited article recorded on the ticket, stats, feedback and the report.
import {beforeAll, describe, expect, test} from 'vitest'
import {serializeArticle} from '../../src/domain/kb/article.js'
import {applyMacroTo, saveMacro} from '../../src/services/workflow/macros.js'
import {updateDeskJson} from '../../src/services/workflow/desk-config.js'
import {newTicket, updateTicket} from '../../src/services/tickets.js'
import * as ops from '../../src/domain/ticket/ticket-ops.js'
import {newArticle, setArticleStatus} from '../../src/services/kb/articles.js'
import {composeArticleReply, replyWithArticle, suggestArticles} from '../../src/services/kb/search.js'
import {kbReport, kbStats, recordArticleFeedback, recordArticleViews} from '../../src/services/kb/stats.js'
import type {Desk} from '../../src/store/desk.js'
import {KB_FIXTURE} from '../fixtures/kb-articles.js'
import {spawnSync} from 'node:child_process'
import {BIN, cliEnv, git, makeDesk, tixIn} from '../helpers.js'

let desk: Desk
let dir: string

beforeAll(async () => {
  ;({desk, dir} = await makeDesk())
  await desk.commitFiles(
    KB_FIXTURE.map((a) => ({
      path: `kb/${a.slug}/${a.lang}.md`,
      content: serializeArticle({title: a.title, category: a.category, tags: a.tags, status: a.slug === 'wifi-guest' ? 'draft' : 'published', author: null, updated: '2026-11-01T00:00:00.000Z', summary: null, source: a.lang === 'en' ? null : 'en'}, a.body),
    })),
    'kb: fixture',
  )
})

describe('suggestions', () => {
  test('rank published articles against the title and body, best first, with the matched words', async () => {
    const t = await newTicket(desk, {title: 'Printer not printing', body: 'The printer on the 3rd floor has a paper jam again and the queue is stuck.'})
    const res = await suggestArticles(desk, t.ticket.ticket.id)
    expect(res.hits[0]!.article.slug).toBe('printer-jam')
    expect(res.hits[0]!.matched).toEqual(expect.arrayContaining(['printer', 'jam']))
    expect(res.hits.length).toBeLessThanOrEqual(3)
    expect(new Set(res.hits.map((h) => h.article.slug)).size).toBe(res.hits.length)
  })
  test('drafts are never suggested', async () => {
    const t = await newTicket(desk, {title: 'Guest wifi voucher', body: 'A visitor needs the guest wireless network code.'})
    const res = await suggestArticles(desk, t.ticket.ticket.id, 10)
    expect(res.hits.map((h) => h.article.slug)).not.toContain('wifi-guest')
  })
  test('the ticket is taken from the cache when it is at the tip (no git process), as git has it', async () => {
    const t = await newTicket(desk, {title: 'VPN drops', body: 'The VPN client drops the connection.'})
    const id = t.ticket.ticket.id
    await updateTicket(desk, id, (tk, ctx) => [...ops.reply(tk, 'Switch the protocol to TCP.', ctx), {v: 1, id: ctx.newEventId(), at: ctx.at, by: ctx.by, type: 'set', fields: {custom: {lang: 'ru'}}} as never])
    const index = await desk.index()
    expect(await desk.cachedTicket(id, index)).toEqual((await desk.readTicket(id))!.ticket)
    expect((await suggestArticles(desk, id)).hits[0]!.article).toMatchObject({slug: 'vpn-setup', lang: 'ru'})
    await updateTicket(desk, id, (tk, ctx) => ops.changeStatus(tk, 'resolved', {resolution: 'TCP'}, ctx))
    const resolved = await desk.index()
    expect(resolved.open[id]).toBeUndefined()
    expect(await desk.cachedTicket(id, resolved)).toEqual((await desk.readTicket(id))!.ticket)
  })
  test('a Russian ticket gets the Russian article', async () => {
    const t = await newTicket(desk, {title: 'Не могу сбросить пароль', body: 'Код на телефон не приходит.'})
    const res = await suggestArticles(desk, t.ticket.ticket.id)
    expect(res.hits[0]!.article).toMatchObject({slug: 'password-reset', lang: 'ru'})
  })
})

describe('citing articles', () => {
  test('reply with an article: title, summary, link, in the requester\'s language; recorded on the event', async () => {
    const t = await newTicket(desk, {title: 'VPN', body: 'drops'})
    // the requester's language, as a custom field a gateway or the portal sets
    await updateTicket(desk, t.ticket.ticket.id, (_tk, ctx) => [{v: 1, id: ctx.newEventId(), at: ctx.at, by: ctx.by, type: 'set', fields: {custom: {lang: 'fa'}}} as never])
    const draft = await composeArticleReply(desk, t.ticket.ticket.id, 'vpn-setup')
    expect(draft.lang).toBe('fa')
    const r = await replyWithArticle(desk, t.ticket.ticket.id, draft.text, {slug: draft.slug, lang: draft.lang})
    const reply = r.events.find((e) => e.type === 'reply')!
    expect(reply.article).toEqual({slug: 'vpn-setup', lang: draft.lang})
    expect(reply.body).toContain('tix:kb/vpn-setup/')
    expect(reply.body).toContain('راه‌اندازی وی‌پی‌ان')
    expect(reply.body).toContain('tix:kb/vpn-setup/fa.md')
  })

  test('tix reply --article (the CLI): refuses drafts and unknown slugs, cites published ones', async () => {
    const env = {TIX_ACTOR: 'agent@example.com'}
    const made = await tixIn(dir, ['new', 'Mic broken in meetings', '--json'], {env})
    const id = made.json().ticket.shortId
    expect((await tixIn(dir, ['reply', id, '--article', 'wifi-guest'], {env})).code).toBe(1)
    expect((await tixIn(dir, ['reply', id, '--article', 'no-such'], {env})).code).toBe(3)
    expect((await tixIn(dir, ['reply', id, '--article', '../../x'], {env})).code).toBe(2)
    const ok = await tixIn(dir, ['reply', id, '--article', 'meeting-audio', 'Please try this:', '--json'], {env})
    expect(ok.code).toBe(0)
    const ev = ok.json().events.find((e: {type: string}) => e.type === 'reply')
    expect(ev.article).toEqual({slug: 'meeting-audio', lang: 'en'})
    expect(ev.body).toMatch(/^Please try this:\n\nNo sound in video meetings\nCheck that the right microphone/)
  })

  test('a macro cites an article with {{article.<slug>.link}} and {{article.<slug>.summary}}', async () => {
    await saveMacro(desk, 'send-2fa', 'Hello,\n\n{{article.two-factor.summary}}\nMore: {{article.two-factor.link}}\n', {mustExist: false})
    const t = await newTicket(desk, {title: '2fa codes'})
    const r = await applyMacroTo(desk, 'send-2fa', t.ticket.ticket.id)
    const reply = r.events.find((e) => e.type === 'reply')!
    expect(reply.body).toContain('Install the authenticator app')
    expect(reply.body).toContain('More: tix:kb/two-factor/en.md')
    expect(reply.article).toEqual({slug: 'two-factor', lang: 'en'})
    await expect(saveMacro(desk, 'bad', 'See {{article.Bad_Slug.link}}', {mustExist: false})).rejects.toThrow(/unknown placeholder/)
  })
})

describe('a rule answers recurring questions with the best article', () => {
  test('above the score it replies (recorded as a rule reply, with the article); below it, it says so', async () => {
    await updateDeskJson(desk, 'kb rule', (c) => ({...c, rules: [{name: 'kb answer', on: ['create'], if: {channel: 'email'}, then: {article: {minScore: 5}}}]}))
    const hit = await newTicket(desk, {title: 'Paper jam in the printer', body: 'The printer does not print, paper is jammed.', channel: 'email'})
    const reply = hit.events.find((e) => e.type === 'reply')
    expect(reply).toMatchObject({via: {rule: 'kb answer'}, auto: true, article: {slug: 'printer-jam', lang: 'en'}})
    expect(String(reply!.body)).toContain('Printer paper jam')
    const miss = await newTicket(desk, {title: 'Coffee machine', body: 'It makes tea instead.', channel: 'email'})
    expect(miss.events.some((e) => e.type === 'reply')).toBe(false)
    expect(miss.messages?.join(' ')).toMatch(/no published article scored 5 or more/)
    await updateDeskJson(desk, 'no rule', (c) => ({...c, rules: []}))
    await expect(updateDeskJson(desk, 'bad rule', (c) => ({...c, rules: [{name: 'x', if: {channel: 'email'}, then: {article: {minScore: -1}}}]}))).rejects.toThrow(/minScore/)
  })
})

describe('stats, feedback and the report', () => {
  test('views and votes from the portal, replies and resolutions from tickets', async () => {
    const t = await newTicket(desk, {title: 'Laptop slow'})
    const id = t.ticket.ticket.id
    const d = await composeArticleReply(desk, id, 'laptop-slow')
    await replyWithArticle(desk, id, d.text, d)
    await updateTicket(desk, id, (tk, ctx) => ops.changeStatus(tk, 'resolved', {resolution: 'restarted'}, ctx))
    await recordArticleFeedback(desk, 'laptop-slow', 'en', true)
    await recordArticleFeedback(desk, 'laptop-slow', 'ru', false)
    await recordArticleFeedback(desk, 'laptop-slow', 'en', null)
    await recordArticleViews(desk, [{slug: 'laptop-slow', lang: 'fa', helpful: null, count: 41}, {slug: 'vpn-setup', lang: 'en', helpful: null}])
    await expect(recordArticleFeedback(desk, 'no-such', 'en', true)).rejects.toThrow(/no article/)
    const log = git(dir, 'show', 'tix:kb/laptop-slow/feedback.jsonl').trim().split('\n').map((l) => JSON.parse(l))
    expect(log.map((e) => e.type)).toEqual(['kb-vote', 'kb-vote', 'kb-view', 'kb-view'])
    const s = (await kbStats(desk)).stats.find((x) => x.slug === 'laptop-slow')!
    expect(s).toMatchObject({replies: 1, resolved: 1, views: 42, helpful: 1, notHelpful: 1, title: 'My laptop is slow'})
    const r = await kbReport(desk)
    expect(r.resolvedWithArticle).toBeGreaterThanOrEqual(1)
    expect(r.byArticle.find((a) => a.slug === 'laptop-slow')).toEqual({slug: 'laptop-slow', tickets: 1})
    const cli = await tixIn(dir, ['report', '--metric', 'kb', '--json'])
    expect(cli.code).toBe(0)
    expect(cli.json()).toMatchObject({kind: 'report', metric: 'kb'})
  })
})

describe('the CLI', () => {
  test('kinds kb-article and kb-list; no terminal means no editor: exit 2 naming --body-file', async () => {
    expect((await tixIn(dir, ['kb', 'search', 'printer', '--json'])).json()).toMatchObject({schemaVersion: 1, kind: 'kb-list'})
    expect((await tixIn(dir, ['kb', 'list', '--lang', 'fa', '--json'])).json().count).toBe(10)
    const show = await tixIn(dir, ['kb', 'show', 'vpn-setup', '--lang', 'de', '--json'])
    expect(show.json()).toMatchObject({kind: 'kb-article', fallback: true, article: {lang: 'en'}})
    const edit = await tixIn(dir, ['kb', 'edit', 'vpn-setup'])
    expect(edit.code).toBe(2)
    expect(edit.stderr).toContain('--body-file')
    const tr = await tixIn(dir, ['kb', 'translate', 'vpn-setup', '--lang', 'de'])
    expect(tr.code).toBe(2)
    expect(tr.stderr).toContain('--body-file')
    const made = await tixIn(dir, ['kb', 'new', 'printer-toner', '--title', 'Replace the toner', '--lang', 'en', '--body', 'Open the side panel.', '--json'])
    expect(made.json()).toMatchObject({kind: 'kb-article', article: {slug: 'printer-toner', status: 'draft'}})
    expect((await tixIn(dir, ['kb', 'new', 'Bad/Slug', '--title', 'x', '--lang', 'en', '--body', 'y'])).code).toBe(2)
    expect((await tixIn(dir, ['kb', 'publish', 'printer-toner', '--json'])).json()).toMatchObject({kind: 'kb-article', article: {status: 'published'}})
  })
})

void setArticleStatus
void newArticle

test('tix new on a terminal prints the top articles; in a pipe it does not', async () => {
  const hasScript = spawnSync('script', ['--version']).status === 0
  if (!hasScript) {
    if (process.env.CI === 'true') throw new Error('util-linux `script` is needed for the terminal test in CI')
    console.log('skipped: util-linux `script` is not installed (it gives tix new a terminal)')
    return
  }
  const cmd = `${process.execPath} ${BIN} new "Printer paper jam" --body "the printer does not print, paper jammed"`
  const r = spawnSync('script', ['-qfec', cmd, '/dev/null'], {cwd: dir, env: cliEnv({TERM: 'dumb'}), encoding: 'utf8'})
  expect(r.status, r.stdout).toBe(0)
  expect(r.stdout).toContain('Articles that may answer it:')
  expect(r.stdout).toMatch(/printer-jam \[en\] Printer paper jam/)
  // the same articles, in the same order, as `tix kb suggest` gives for that ticket
  const sid = /Created (\S+):/.exec(r.stdout)![1]!
  const printed = [...r.stdout.matchAll(/^ {2}(\S+) \[(\S+)\]/gm)].map((m) => `${m[1]}/${m[2]}`)
  const suggested = (await tixIn(dir, ['kb', 'suggest', sid, '--json'])).json().articles.map((a: {slug: string; lang: string}) => `${a.slug}/${a.lang}`)
  expect(printed).toEqual(suggested)
  const piped = await tixIn(dir, ['new', 'Printer paper jam', '--body', 'the printer does not print'])
  expect(piped.stdout).not.toContain('Articles that may answer it')
})
