// Dedupe keys: one ticket per key, however often and from however many clones it is filed. The id
// derives from the desk and the key, so clones agree offline; the fold counts a second `create` of
// the same ticket as an occurrence, never as a conflict.
import {describe, expect, it} from 'vitest'
import {foldTicket} from '../../src/domain/ticket/fold.js'
import {parseEventLines} from '../../src/domain/ticket/events.js'
import {changeStatus} from '../../src/domain/ticket/ticket-ops.js'
import {dedupeId, deskKey, fileKeyed, keyedTicket} from '../../src/services/dedupe.js'
import {listTickets, updateTicket} from '../../src/services/tickets.js'
import {ticketPath} from '../../src/store/desk.js'
import {git, makeDesk, tixIn} from '../helpers.js'
import {foldedDesk, syncWith, team} from './helpers.js'

/** A small seeded PRNG (mulberry32): the random orders are the same on every run of a seed. */
function prng(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
const shuffle = <T>(xs: T[], rnd: () => number) => {
  const out = [...xs]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1))
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}

describe('filing with a dedupe key (one clone)', () => {
  it('creates once, then notes, reopens, ignores, and opens a follow-up after a close', async () => {
    const {dir, desk} = await makeDesk()
    const key = 'nightly/linux'
    const first = await fileKeyed(desk, {title: 'Nightly build failed', channel: 'ci'}, {key, run: 'https://ci.example.com/runs/1'})
    expect(first).toMatchObject({action: 'created', deduped: false, occurrences: 1})
    const id = first.id
    expect(id).toBe(await dedupeId(await desk.rootCommit(), key))
    expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{10}$/)

    const again = await fileKeyed(desk, {title: 'Nightly build failed', body: 'log tail'}, {key, run: 'https://ci.example.com/runs/2'})
    expect(again).toMatchObject({action: 'noted', deduped: true, occurrences: 2, id})
    expect(again.ticket!.ticket.noteCount).toBe(1)
    expect(again.ticket!.ticket.occurrences).toMatchObject({count: 2, lastRun: 'https://ci.example.com/runs/2'})

    await updateTicket(desk, id, (t, ctx) => changeStatus(t, 'resolved', {resolution: 'fixed the build'}, ctx))
    const noted = await fileKeyed(desk, {title: 'Nightly build failed'}, {key})
    expect(noted.ticket!.ticket.status).toBe('resolved') // note: the default never reopens
    const reopened = await fileKeyed(desk, {title: 'Nightly build failed'}, {key, onRepeat: 'reopen'})
    expect(reopened).toMatchObject({action: 'reopened', occurrences: 4})
    expect(reopened.ticket!.ticket).toMatchObject({status: 'open', reopenCount: 1})
    const ignored = await fileKeyed(desk, {title: 'Nightly build failed'}, {key, onRepeat: 'ignore'})
    expect(ignored).toMatchObject({action: 'ignored', occurrences: 5})
    expect(ignored.ticket!.ticket.noteCount).toBe(3)

    // closed is final: a repeat opens a follow-up, linked both ways, with an id of its own that clones agree on
    await updateTicket(desk, id, (t, ctx) => changeStatus(t, 'closed', {resolution: 'won\'t fix'}, ctx))
    const follow = await fileKeyed(desk, {title: 'Nightly build failed'}, {key, onRepeat: 'reopen'})
    expect(follow).toMatchObject({action: 'follow-up', deduped: true, followUpOf: id, occurrences: 1})
    expect(follow.id).toBe(await dedupeId(await deskKey(desk, (await desk.index()).config), key, 1))
    expect(follow.ticket!.ticket).toMatchObject({followUp: 1, dedupeKey: key, links: [{id, as: 'related'}]})
    expect((await desk.readTicket(id))!.ticket.links).toEqual([{id: follow.id, as: 'related'}])
    const onFollow = await fileKeyed(desk, {title: 'Nightly build failed'}, {key})
    expect(onFollow).toMatchObject({action: 'noted', id: follow.id, occurrences: 2})
    expect((await keyedTicket(desk, key))!.ticket.id).toBe(follow.id)

    // a dry run says what would happen and writes nothing
    const tip = git(dir, 'rev-parse', 'tix').trim()
    expect(await fileKeyed(desk, {title: 'x'}, {key, dryRun: true})).toMatchObject({action: 'noted', id: follow.id, commit: null})
    expect(await fileKeyed(desk, {title: 'x'}, {key: 'other', dryRun: true})).toMatchObject({action: 'created', commit: null, ticket: null})
    expect(git(dir, 'rev-parse', 'tix').trim()).toBe(tip)

    // list --dedupe-key finds the key's tickets whatever their status
    const listed = (await listTickets(desk, {dedupeKeys: [key], all: true})).tickets.map((t) => t.id).sort()
    expect(listed).toEqual([id, follow.id].sort())
  })

  it('tix new --dedupe-key through the CLI: JSON deduped/occurrences, show and list', async () => {
    const {dir} = await makeDesk()
    const a = await tixIn(dir, ['new', 'Nightly build failed', '--dedupe-key', 'nightly/linux', '--channel', 'ci', '--json'])
    expect(a.code, a.stderr).toBe(0)
    expect(a.json()).toMatchObject({deduped: false, occurrences: 1, action: 'created', ticket: {dedupeKey: 'nightly/linux', channel: 'ci', occurrences: {count: 1}}})
    const b = await tixIn(dir, ['new', 'Nightly build failed', '--dedupe-key', 'nightly/linux', '--on-repeat', 'reopen', '--json'])
    expect(b.json()).toMatchObject({deduped: true, occurrences: 2, action: 'noted', ticket: {id: a.json().ticket.id}})
    const plain = (await tixIn(dir, ['new', 'Unrelated', '--json'])).json()
    expect(plain).toMatchObject({deduped: false, occurrences: 1, ticket: {dedupeKey: null, occurrences: null}})
    const list = (await tixIn(dir, ['list', '--dedupe-key', 'nightly/linux', '--json'])).json()
    expect(list.tickets.map((t: {id: string}) => t.id)).toEqual([a.json().ticket.id])
    const show = await tixIn(dir, ['show', a.json().ticket.shortId])
    expect(show.stdout).toMatch(/dedupe key +nightly\/linux/)
    expect(show.stdout).toMatch(/occurrences +2, last/)
    expect((await tixIn(dir, ['new', 'x', '--on-repeat', 'ignore'])).code).toBe(2) // needs --dedupe-key
    expect((await tixIn(dir, ['new', 'x', '--dedupe-key', ' '])).code).toBe(2)
  })

  it('the fold: a second create of a keyed ticket is an occurrence; of an ordinary one, a notice', () => {
    const ev = (id: string, seq: number, extra: object) => ({v: 1, id, seq, at: `2026-01-0${seq}T00:00:00Z`, by: 'a@example.com', type: 'create', title: 'T', ...extra})
    const keyed = foldTicket('AAAAAAAAAA', [ev('e1', 1, {dedupeKey: 'k', run: 'r1'}), ev('e2', 1, {dedupeKey: 'k', run: 'r2'}), ev('e2', 1, {dedupeKey: 'k'})] as never)
    expect(keyed.ticket.occurrences).toEqual({count: 2, lastAt: '2026-01-01T00:00:00Z', lastRun: 'r2'})
    expect(keyed.ticket.notices).toEqual([])
    const plain = foldTicket('AAAAAAAAAA', [ev('e1', 1, {}), ev('e2', 2, {})] as never)
    expect(plain.ticket.notices[0]).toMatch(/a second create event/)
  })
})

describe('dedupe keys across clones (property)', () => {
  for (const seed of [7]) {
    it(`3 clones file the same 5 keys (some twice) offline, sync in a random order (seed ${seed}): 5 tickets, every occurrence counted once`, async () => {
      const rnd = prng(seed)
      const {clones} = await team(3)
      const keys = ['nightly/linux', 'nightly/mac', 'deploy/prod', 'lint', 'e2e:chromium']
      const expected = new Map(keys.map((k) => [k, 0]))
      for (const c of clones) {
        for (const key of shuffle(keys, rnd)) {
          const times = rnd() < 0.4 ? 2 : 1
          for (let i = 0; i < times; i++) {
            await fileKeyed(c.desk, {title: `${key} failed`, channel: 'ci'}, {key, onRepeat: (['note', 'reopen', 'ignore'] as const)[Math.floor(rnd() * 3)], run: `${c.name}/${key}/${i}`})
            expected.set(key, expected.get(key)! + 1)
          }
        }
      }
      // random sync orders, twice round, then everyone once more so all have everything
      for (let round = 0; round < 2; round++) for (const c of shuffle(clones, rnd)) await syncWith(c)
      for (const c of clones) await syncWith(c)
      const views = await Promise.all(clones.map((c) => foldedDesk(c.desk)))
      for (const view of views) {
        expect(view).toHaveLength(5)
        expect(new Map(view.map((t) => [t.dedupeKey!, t.occurrences!.count]))).toEqual(expected)
        for (const t of view) expect(t.notices.filter((n) => /second create/.test(n))).toEqual([])
      }
      expect(views[1]).toEqual(views[0])
      expect(views[2]).toEqual(views[0])
      // the raw logs hold each event once (the union merge never repeats a line's event twice in the fold)
      const c0 = clones[0]!
      for (const t of views[0]!) {
        const raw = git(c0.dir, 'show', `tix:${ticketPath(t.id)}`)
        const ids = parseEventLines(raw).events.map((e) => e.id)
        expect(foldTicket(t.id, parseEventLines(raw).events).events.length).toBe(new Set(ids).size)
      }
    })
  }
})
