// Articles edited on two clones, synced through a bare remote: different lines (and the `updated`
// stamp both edits change) merge; the same line keeps this clone's version live and theirs whole
// beside it, which is never indexed as an article. Feedback logs merge by union.
import {describe, expect, test} from 'vitest'
import {editArticle, newArticle, showArticle} from '../../src/services/kb/articles.js'
import {searchArticles} from '../../src/services/kb/search.js'
import {kbStats, recordArticleFeedback} from '../../src/services/kb/stats.js'
import {Desk} from '../../src/store/desk.js'
import {testIO} from '../helpers.js'
import {syncWith, team, type Clone} from '../sync/helpers.js'

const at = (c: Clone, now: string) => Desk.open(testIO(c.dir, {...c.env, TIX_NOW: now}, c.warnings))

async function twoClones() {
  const {clones} = await team(2)
  const [a, b] = clones as [Clone, Clone]
  await newArticle(await at(a, '2026-11-01T09:00:00Z'), {slug: 'vpn-setup', lang: 'en', title: 'Set up the VPN', body: 'Step one.\n\nStep two.\n\nStep three.\n', status: 'published'})
  await syncWith(a)
  await syncWith(b)
  return {a, b}
}

describe('articles edited on two clones', () => {
  test('different lines merge, although both stamped `updated`', async () => {
    const {a, b} = await twoClones()
    await editArticle(await at(a, '2026-11-02T09:00:00Z'), {slug: 'vpn-setup', body: 'Step one: open the client.\n\nStep two.\n\nStep three.\n'})
    await editArticle(await at(b, '2026-11-03T09:00:00Z'), {slug: 'vpn-setup', body: 'Step one.\n\nStep two.\n\nStep three: reconnect.\n'})
    await syncWith(a)
    const res = await syncWith(b)
    expect(res.conflicts).toEqual([])
    await syncWith(a)
    for (const c of [a, b]) {
      const s = await showArticle(c.desk, 'vpn-setup')
      expect(s.article.body).toBe('Step one: open the client.\n\nStep two.\n\nStep three: reconnect.\n')
      expect(s.article.updated).toBe('2026-11-03T09:00:00.000Z')
      expect((await searchArticles(c.desk, 'reconnect client')).hits[0]!.article.slug).toBe('vpn-setup')
    }
  })

  test('the same line: this clone keeps its line, theirs is kept whole beside it and not indexed', async () => {
    const {a, b} = await twoClones()
    await editArticle(await at(a, '2026-11-02T09:00:00Z'), {slug: 'vpn-setup', body: 'Step one: use the portal.\n\nStep two.\n\nStep three.\n'})
    await editArticle(await at(b, '2026-11-03T09:00:00Z'), {slug: 'vpn-setup', body: 'Step one: use the app.\n\nStep two.\n\nStep three.\n'})
    await syncWith(a)
    const res = await syncWith(b)
    expect(res.conflicts).toEqual([expect.objectContaining({path: 'kb/vpn-setup/en.md', kind: 'text'})])
    const live = await showArticle(b.desk, 'vpn-setup')
    expect(live.article.body).toContain('use the app')
    expect(live.article.body).not.toMatch(/<<<<<<<|>>>>>>>/)
    const hits = await searchArticles(b.desk, 'portal')
    expect(hits.hits).toEqual([]) // the conflict copy holds "portal" but is not an article
  })

  test('portal feedback recorded on both clones is merged, not lost', async () => {
    const {a, b} = await twoClones()
    await recordArticleFeedback(a.desk, 'vpn-setup', 'en', true)
    await recordArticleFeedback(b.desk, 'vpn-setup', 'en', false)
    await recordArticleFeedback(b.desk, 'vpn-setup', 'en', null)
    await syncWith(a)
    expect((await syncWith(b)).conflicts).toEqual([])
    await syncWith(a)
    for (const c of [a, b]) expect((await kbStats(c.desk)).stats[0]).toMatchObject({slug: 'vpn-setup', helpful: 1, notHelpful: 1, views: 1})
  })
})
