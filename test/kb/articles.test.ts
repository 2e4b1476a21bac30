// Articles as a person writes them: new, translate, edit, publish; the fallback language; hostile
// slugs and front matter; the index kept up to date from the changed files only.
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, test} from 'vitest'
import {alignUpdated, checkSlug, parseArticlePath} from '../../src/domain/kb/article.js'
import {analyze, normalizeText} from '../../src/domain/kb/normalize.js'
import {editArticle, listArticles, newArticle, setArticleStatus, showArticle, translateArticle} from '../../src/services/kb/articles.js'
import {searchArticles} from '../../src/services/kb/search.js'
import {TixError} from '../../src/errors.js'
import {KB_INDEX_VERSION, openKbIndex, openKbLookup, parseArticle} from '../../src/store/kb-index.js'
import {readKbTip} from '../../src/store/kb-tip.js'
import {newTicket} from '../../src/services/tickets.js'
import {git, makeDesk} from '../helpers.js'

const code = async (p: Promise<unknown>) => {
  try {
    await p
  } catch (e) {
    return e instanceof TixError ? e.exitCode : -1
  }
  return 0
}

describe('normalisation', () => {
  test('Arabic and Persian letter forms, harakat, tatweel, ZWNJ and digits', () => {
    expect(normalizeText('أإآٱ')).toBe('اااا')
    expect(normalizeText('كَتَبَ')).toBe('كتب')
    expect(normalizeText('کتاب')).toBe(normalizeText('كتاب'))
    expect(normalizeText('یی')).toBe(normalizeText('يى'))
    expect(normalizeText('مـــدرسة')).toBe('مدرسه')
    expect(normalizeText('می\u200Cخواهم')).toBe(normalizeText('میخواهم'))
    expect(normalizeText('۱۲۳ ١٢٣')).toBe('123 123')
    expect(normalizeText('Ёлка')).toBe('елка')
  })
  test('Russian and English endings meet at one stem; Arabic is stemmed lightly only as Arabic', async () => {
    const {stemmers} = await openKbIndex((await makeDesk()).desk)
    expect(analyze('принтеры принтера принтером', 'ru', stemmers)).toEqual(['принтер', 'принтер', 'принтер'])
    expect(analyze('printing printers printed', 'en', stemmers)).toEqual(['print', 'printer', 'print'])
    expect(analyze('الطابعة طابعات', 'ar', stemmers)).toEqual(['طابع', 'طابع'])
    expect(analyze('چاپگرها', 'fa', stemmers)).toEqual(['چاپگرها'])
  })
})

describe('slugs and paths', () => {
  test.each(['../etc', 'a/b', 'VPN', '-vpn', 'vpn-', 'a--b', '', 'a b', 'vpn.md', '%2e%2e', 'x'.repeat(81), 'café', 'a\u0000b'])('refuses %j', (slug) => {
    expect(() => checkSlug(slug)).toThrow(/not a usable article slug/)
  })
  test('only kb/<slug>/<lang>.md files are articles (conflict copies and logs are not)', () => {
    expect(parseArticlePath('kb/vpn-setup/en.md')).toEqual({slug: 'vpn-setup', lang: 'en'})
    expect(parseArticlePath('kb/vpn-setup/pt-BR.md')).toEqual({slug: 'vpn-setup', lang: 'pt-BR'})
    expect(parseArticlePath('kb/vpn-setup/en.md.conflict-abc1234')).toBeNull()
    expect(parseArticlePath('kb/vpn-setup/feedback.jsonl')).toBeNull()
    expect(parseArticlePath('kb/../en.md')).toBeNull()
    expect(parseArticlePath('kb/a/b/en.md')).toBeNull()
  })
})

describe('hostile front matter', () => {
  test('JavaScript front matter is refused, never run', async () => {
    const before = (globalThis as {pwned?: boolean}).pwned
    await expect(parseArticle('x', 'en', '---js\n{title: (globalThis.pwned = true, "x")}\n---\nbody\n')).rejects.toThrow(/must be YAML/)
    await expect(parseArticle('x', 'en', '---javascript\nglobalThis.pwned = true\n---\nbody\n')).rejects.toThrow(/must be YAML/)
    expect((globalThis as {pwned?: boolean}).pwned).toBe(before)
  })
  test('YAML tags that make objects, unknown keys, bad types and control characters are problems, all named', async () => {
    await expect(parseArticle('x', 'en', '---\ntitle: !!js/function "function () { return 1 }"\n---\nbody\n')).rejects.toThrow(/not valid/)
    const err = await parseArticle('x', 'en', '---\ntitle: ["a"]\nstatus: live\nowner: me\ntags: {a: 1}\nupdated: yesterday\n---\nbody\n').catch((e) => e)
    expect(err).toBeInstanceOf(TixError)
    expect(err.exitCode).toBe(2)
    for (const k of ['title', 'status', 'owner', 'tags', 'updated']) expect(err.message).toContain(`${k}:`)
    await expect(parseArticle('x', 'en', '---\ntitle: "a\\u001b]0;pwned\\u0007"\n---\nbody\n')).rejects.toThrow(/control characters/)
    await expect(parseArticle('x', 'en', '---\ntitle: [unclosed\n---\nbody\n')).rejects.toThrow(/not valid YAML/)
  })
  test('a damaged file on the branch is reported by list and kept out of search; the rest still works', async () => {
    const {desk} = await makeDesk()
    await newArticle(desk, {slug: 'ok', lang: 'en', title: 'Printer help', body: 'Restart the printer.'})
    await desk.commitFiles([{path: 'kb/bad/en.md', content: '---\ntitle: x\nstatus: nope\n---\nprinter\n'}], 'hand edit')
    const l = await listArticles(desk)
    expect(l.articles.map((a) => a.slug)).toEqual(['ok'])
    expect(l.problems[0]!.message).toMatch(/kb\/bad\/en.md is not valid: status/)
    expect((await searchArticles(desk, 'printer')).hits.map((h) => h.article.slug)).toEqual(['ok'])
  })
})

describe('writing articles', () => {
  test('new, translate, edit, publish: one commit each, fields kept, the first language remembered', async () => {
    const {desk, dir} = await makeDesk({TIX_NOW: '2026-11-02T09:00:00Z'})
    const count = () => Number(git(dir, 'rev-list', '--count', 'tix').trim())
    const n0 = count()
    await newArticle(desk, {slug: 'vpn-setup', lang: 'en', title: 'Set up the VPN', body: 'Open the client.\n\nThen sign in.', category: 'network', tags: ['VPN', 'remote']})
    expect(count()).toBe(n0 + 1)
    expect(await code(newArticle(desk, {slug: 'vpn-setup', lang: 'ru', title: 'x', body: 'y'}))).toBe(2)
    await translateArticle(desk, {slug: 'vpn-setup', lang: 'ar', title: 'إعداد VPN', body: 'افتح البرنامج.'})
    expect(await code(translateArticle(desk, {slug: 'vpn-setup', lang: 'ar', body: 'again'}))).toBe(2)
    expect(await code(translateArticle(desk, {slug: 'nope', lang: 'ar', body: 'x'}))).toBe(3)
    const text = git(dir, 'show', 'tix:kb/vpn-setup/ar.md')
    expect(text).toContain('category: "network"')
    expect(text).toContain('tags: ["vpn", "remote"]')
    expect(text).toContain('source: "en"')
    expect(text).toContain('status: "draft"')
    const e = await editArticle(desk, {slug: 'vpn-setup', body: 'Open the VPN client.\n\nThen sign in.'})
    expect(e.commit).not.toBeNull()
    expect((await editArticle(desk, {slug: 'vpn-setup', body: 'Open the VPN client.\n\nThen sign in.'})).commit).toBeNull()
    expect(count()).toBe(n0 + 3)
    const p = await setArticleStatus(desk, 'vpn-setup', 'published')
    expect(p.changed.sort()).toEqual(['ar', 'en'])
    expect(count()).toBe(n0 + 4)
    expect((await setArticleStatus(desk, 'vpn-setup', 'published')).commit).toBeNull()
    const shown = await showArticle(desk, 'vpn-setup')
    expect(shown.article).toMatchObject({lang: 'en', languages: ['en', 'ar'], status: 'published', summary: 'Open the VPN client.', link: 'tix:kb/vpn-setup/en.md'})
  })

  test('show falls back to the first language and says so', async () => {
    const {desk} = await makeDesk()
    await newArticle(desk, {slug: 'printer-jam', lang: 'ru', title: 'Замятие бумаги', body: 'Откройте дверцу.'})
    await translateArticle(desk, {slug: 'printer-jam', lang: 'en', title: 'Paper jam', body: 'Open the door.'})
    const fa = await showArticle(desk, 'printer-jam', 'fa')
    expect(fa).toMatchObject({fallback: true, wanted: 'fa', article: {lang: 'ru', title: 'Замятие бумаги'}})
    expect(await showArticle(desk, 'printer-jam', 'en')).toMatchObject({fallback: false, article: {lang: 'en'}})
    expect(await code(showArticle(desk, 'nothing-here'))).toBe(3)
  })

  test('the links point at the portal when desk.json has web.baseUrl', async () => {
    const {desk} = await makeDesk()
    await desk.commitFiles([{path: 'desk.json', content: JSON.stringify({version: 1, name: 'Desk', timezone: 'UTC', web: {baseUrl: 'https://help.example.com/'}})}], 'web address')
    await newArticle(desk, {slug: 'vpn', lang: 'fa', title: 'وی‌پی‌ان', body: 'متن'})
    expect((await showArticle(desk, 'vpn')).article.link).toBe('https://help.example.com/kb/vpn?lang=fa')
  })
})

describe('the cached index', () => {
  test('is updated from the changed files only, and follows edits, deletions and ticket-only commits', async () => {
    const {desk} = await makeDesk()
    await newArticle(desk, {slug: 'a', lang: 'en', title: 'Printer jam', body: 'Open the printer door.', status: 'published'})
    await newArticle(desk, {slug: 'b', lang: 'en', title: 'Password reset', body: 'Use the portal.', status: 'published'})
    const first = await openKbIndex(desk)
    const file = join(desk.cache.dir, 'kb-index.json')
    expect(JSON.parse(readFileSync(file, 'utf8')).commit).toBe(first.commit)
    await editArticle(desk, {slug: 'b', body: 'Use the self-service portal; printers are elsewhere.'})
    await desk.commitFiles([{path: 'kb/a/en.md', content: null}], 'remove a')
    const hits = (await searchArticles(desk, 'printer')).hits.map((h) => h.article.slug)
    expect(hits).toEqual(['b'])
    const stored = JSON.parse(readFileSync(file, 'utf8'))
    expect(Object.keys(stored.docs)).toEqual(['b/en'])
    expect(stored.docs['b/en'].oid).toMatch(/^[0-9a-f]{40}$/)
  })
  test('a ticket-only commit of ours carries the known kb/ tree along (a warm search then asks git nothing)', async () => {
    const {desk} = await makeDesk()
    await newArticle(desk, {slug: 'a', lang: 'en', title: 'Printer jam', body: 'Open the printer door.', status: 'published'})
    const before = await openKbLookup(desk)
    const {tree, desk: deskJson} = readKbTip(desk.cache.dir)!
    expect(tree).toMatch(/^[0-9a-f]{40}$/)
    expect(deskJson).toBe(await desk.deskText(before.commit)) // desk.json recorded with it: a warm search reads no git for links
    expect(readKbTip(desk.cache.dir)!.commit).toBe(before.commit)
    await newTicket(desk, {title: 'Printer', body: 'jammed'})
    expect(readKbTip(desk.cache.dir)).toEqual({commit: desk.tip(), tree, desk: deskJson})
    // an article commit is not carried along: the tree is asked for again
    await editArticle(desk, {slug: 'a', body: 'Open the front door.'})
    expect(readKbTip(desk.cache.dir)!.commit).not.toBe(desk.tip())
    expect((await searchArticles(desk, 'front')).hits.map((h) => h.article.slug)).toEqual(['a'])
    expect(readKbTip(desk.cache.dir)!.commit).toBe(desk.tip())
  })
  test("a query's stems are remembered per clone (kb-stems.tsv) and give the same results", async () => {
    const {desk} = await makeDesk()
    await newArticle(desk, {slug: 'a', lang: 'en', title: 'Printers jammed', body: 'Open the printer door.', status: 'published'})
    await newArticle(desk, {slug: 'b', lang: 'ru', title: 'Принтеры', body: 'Откройте дверцу принтера.', status: 'published'})
    const file = join(desk.cache.dir, 'kb-stems.tsv')
    const first = await searchArticles(desk, 'printing printers принтером')
    const memo = readFileSync(file, 'utf8')
    expect(memo).toMatch(/^tix-stems\t\d+\t\S+\n/)
    expect(memo).toContain('e\tprinting\tprint\n')
    expect(memo).toContain('r\tпринтером\tпринтер\n')
    expect(await searchArticles(desk, 'printing printers принтером')).toEqual(first)
    expect(readFileSync(file, 'utf8')).toBe(memo) // nothing new to remember
    // a memo made with another stemmer version is not trusted: started again
    writeFileSync(file, 'tix-stems\t1\t0.0.1\ne\tprinting\tzzz\n')
    expect(await searchArticles(desk, 'printing printers принтером')).toEqual(first)
    expect(readFileSync(file, 'utf8')).not.toContain('zzz')
  })
  test("an article's metadata read after another process replaced the lookup is the current one, never bytes of the new file at the old place", async () => {
    const {desk} = await makeDesk()
    await newArticle(desk, {slug: 'a', lang: 'en', title: 'Printer jam', body: 'Open the printer door.', status: 'published'})
    await newArticle(desk, {slug: 'b', lang: 'en', title: 'Password reset', body: 'Use the portal.', status: 'published'})
    await openKbLookup(desk) // builds it (that one answers from memory)
    const old = await openKbLookup(desk) // reads kb-lookup.bin
    expect(old.search(['printer']).map((h) => h.doc.id)).toEqual(['a/en'])
    await newArticle(desk, {slug: 'aa', lang: 'en', title: 'A much longer title that moves every record after it', body: 'Text.', status: 'published'})
    await editArticle(desk, {slug: 'b', body: 'Use the self-service portal.'})
    await openKbLookup(desk) // rewrites kb-lookup.bin
    await new Promise((r) => setImmediate(r))
    expect(old.doc('b/en')).toMatchObject({id: 'b/en', title: 'Password reset', excerpt: 'Use the self-service portal.'})
    expect(old.files('a').map((d) => d.title)).toEqual(['Printer jam'])
  })
  test('a cache written by another version is rebuilt, never misread', async () => {
    const {desk} = await makeDesk()
    await newArticle(desk, {slug: 'a', lang: 'en', title: 'Printer jam', body: 'Open the printer door.', status: 'published'})
    await openKbLookup(desk)
    const lookup = join(desk.cache.dir, 'kb-lookup.bin')
    const buf = readFileSync(lookup)
    const n = buf.readUInt32LE(0) // then an 8-byte stamp, then the head
    const head = JSON.parse(buf.toString('utf8', 12, 12 + n))
    expect(head.version).toBe(KB_INDEX_VERSION)
    const old = Buffer.from(JSON.stringify({...head, version: KB_INDEX_VERSION - 1, ids: []}))
    const prelude = Buffer.alloc(12)
    prelude.writeUInt32LE(old.length)
    writeFileSync(lookup, Buffer.concat([prelude, old]))
    expect((await searchArticles(desk, 'printer')).hits.map((h) => h.article.slug)).toEqual(['a'])
    writeFileSync(lookup, 'damaged')
    expect((await searchArticles(desk, 'printer')).hits.map((h) => h.article.slug)).toEqual(['a'])
    expect((await searchArticles(desk, 'printer')).hits.map((h) => h.article.slug)).toEqual(['a'])
    // postings that do not add up (damage that kept the head readable): dropped, then rebuilt
    const good = readFileSync(lookup)
    const bad = Buffer.from(good)
    bad.writeUInt32LE(0xffff, 12 + good.readUInt32LE(0)) // the first term's first count
    writeFileSync(lookup, bad)
    await expect(searchArticles(desk, 'printer door')).rejects.toThrow(/knowledge base cache was damaged/)
    expect((await searchArticles(desk, 'printer door')).hits.map((h) => h.article.slug)).toEqual(['a'])
  })
})

test('alignUpdated lets two edits of one article merge when only their stamps collide', () => {
  const base = '---\ntitle: "T"\nstatus: "draft"\nupdated: "2026-01-01T00:00:00.000Z"\n---\nA\nB\nC\n'
  const ours = base.replace('2026-01-01', '2026-02-01').replace('A\n', 'A1\n')
  const theirs = base.replace('2026-01-01', '2026-03-01').replace('C\n', 'C1\n')
  const [b, o, t] = alignUpdated(base, ours, theirs)
  expect([b, o, t].every((x) => x.includes('updated: "2026-03-01T00:00:00.000Z"'))).toBe(true)
  expect(o).toContain('A1')
  expect(t).toContain('C1')
  // a body line that looks like a stamp is not touched
  const tricky = alignUpdated(base + 'updated: "x"\n', ours, theirs)[0]
  expect(tricky.endsWith('updated: "x"\n')).toBe(true)
})
