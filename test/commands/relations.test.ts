// Ratings, links, merges and customer profiles through the real CLI, and how they behave when two
// clones work at once and their desk branches are merged (plain `git merge`: the union driver for
// *.jsonl is how clones converge, whatever `tix sync` adds on top).
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {git, gitRepo, tempDir, tixIn} from '../helpers.js'

const at = (iso: string) => ({env: {TIX_NOW: iso}})

/** A desk with tickets from Ana by e-mail and by a social handle. */
async function desk() {
  const dir = gitRepo()
  expect((await tixIn(dir, ['init'])).code).toBe(0)
  const mk = async (title: string, args: string[], when: string) => (await tixIn(dir, ['new', title, ...args, '--json'], at(when))).json().ticket.id as string
  const email = await mk('Printer jams', ['--requester', 'Ana Diaz <ana@example.com>', '--channel', 'email', '--body', 'The 3rd floor printer jams.'], '2026-11-02T08:00:00Z')
  const social = await mk('printer broken again??', ['--requester', '@ana_d', '--channel', 'social', '--body', 'Still jammed, third time this week'], '2026-11-02T09:00:00Z')
  const other = await mk('VPN drops', ['--requester', 'ben@example.com', '--channel', 'chat'], '2026-11-02T10:00:00Z')
  return {dir, email, social, other}
}

describe('tix rate', () => {
  it('stores the rating and shows it in show and list --json', async () => {
    const {dir, email} = await desk()
    const r = await tixIn(dir, ['rate', email.slice(0, 5), '2', '--comment', 'Took too long'], at('2026-11-03T08:00:00Z'))
    expect(r.code).toBe(0)
    expect(r.stdout).toBe(`${email.slice(0, 5)}: rated bad (2/5): Took too long.\n`)
    const sat = {rating: 'bad', score: 2, comment: 'Took too long', at: '2026-11-03T08:00:00.000Z', by: 'agent@example.com'}
    expect((await tixIn(dir, ['show', email, '--json'])).json().ticket.satisfaction).toEqual(sat)
    expect((await tixIn(dir, ['list', '--json'])).json().tickets.find((t: any) => t.id === email).satisfaction).toEqual(sat)
    expect((await tixIn(dir, ['show', email])).stdout).toMatch(/satisfaction +bad \(2\/5\) "Took too long" on 2026-11-03/)
    const bad = await tixIn(dir, ['rate', email, 'superb'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/Rating "superb" is not valid: expected good, neutral, bad or a score from 1 to 5/)
  })
})

describe('tix link', () => {
  it('links both tickets, each from its own side, in one commit', async () => {
    const {dir, email, other} = await desk()
    const before = git(dir, 'rev-list', '--count', 'tix').trim()
    const r = await tixIn(dir, ['link', email, other, '--as', 'blocks'])
    expect(r.stdout).toBe(`${email.slice(0, 5)} is now blocking ${other.slice(0, 5)} (both tickets show the link).\n`)
    expect(Number(git(dir, 'rev-list', '--count', 'tix').trim())).toBe(Number(before) + 1)
    expect((await tixIn(dir, ['show', email, '--json'])).json().ticket.links).toEqual([{id: other, shortId: other.slice(0, 5), as: 'blocks'}])
    expect((await tixIn(dir, ['show', other, '--json'])).json().ticket.links).toEqual([{id: email, shortId: email.slice(0, 5), as: 'blocked-by'}])
    expect((await tixIn(dir, ['link', email, other, '--as', 'blocks'])).stdout).toMatch(/already blocking .*nothing changed/)
    expect((await tixIn(dir, ['link', email, other, '--remove'])).stdout).toMatch(/no longer linked/)
    expect((await tixIn(dir, ['show', other, '--json'])).json().ticket.links).toEqual([])
    const r2 = await tixIn(dir, ['link', email, other])
    expect(r2.code).toBe(2)
    expect(r2.stderr).toMatch(/--as related\|duplicate\|blocks/)
  })
})

describe('tix merge', () => {
  it('closes the source, keeps every event, and shows its messages in the target thread', async () => {
    const {dir, email, social} = await desk()
    expect((await tixIn(dir, ['reply', social, 'Which printer?'], at('2026-11-02T09:30:00Z'))).code).toBe(0)
    const sourceFile = git(dir, 'show', `tix:tickets/${social.slice(0, 2)}/${social}.jsonl`)
    const r = await tixIn(dir, ['merge', social.slice(0, 5), '--into', email.slice(0, 5), '--reason', 'same printer', '--json'], at('2026-11-02T10:00:00Z'))
    expect(r.code).toBe(0)
    const out = r.json()
    expect(out).toMatchObject({kind: 'merge', source: {id: social, status: 'closed', mergedInto: email}, target: {id: email, mergedFrom: [social]}})
    // Nothing rewritten: the source file only grew
    expect(git(dir, 'show', `tix:tickets/${social.slice(0, 2)}/${social}.jsonl`).startsWith(sourceFile)).toBe(true)
    const shown = (await tixIn(dir, ['show', email, '--json'])).json().ticket
    expect(shown.mergedThread.map((e: any) => [e.from, e.kind, e.author, e.body])).toEqual([
      [social, 'request', '@ana_d', 'Still jammed, third time this week'],
      [social, 'reply', 'agent@example.com', 'Which printer?'],
    ])
    const text = (await tixIn(dir, ['show', email])).stdout
    expect(text).toMatch(/merged in +\w{5}/)
    expect(text).toMatch(new RegExp(`@ana_d  request · from ${social.slice(0, 5)} \\(merged\\)\\n│ Still jammed, third time this week`))
    expect((await tixIn(dir, ['show', social])).stdout).toMatch(/merged into +\w{5}/)
    // Merging again, or into a merged ticket, is refused with a way forward
    const again = await tixIn(dir, ['merge', social, '--into', email])
    expect(again.code).toBe(1)
    expect(again.stderr).toMatch(/already merged into/)
    // The merged duplicate counts as created, not as resolved
    const rep = (await tixIn(dir, ['report', '--metric', 'created,resolved,backlog', '--json'], at('2026-11-02T12:00:00Z'))).json()
    expect(rep.rows[0]).toMatchObject({created: 3, resolved: 0, backlog: 2})
  })
})

describe('tix customer', () => {
  it('links handles into one person and lists their tickets across channels', async () => {
    const {dir, email, social, other} = await desk()
    expect((await tixIn(dir, ['customer', 'show', 'ana@example.com', '--json'])).json().tickets.map((t: any) => t.id)).toEqual([email])
    const r = await tixIn(dir, ['customer', 'link', 'ana@example.com', '@Ana_D', '--channel', 'social', '--name', 'Ana Diaz'])
    expect(r.stdout).toBe('Linked: @ana_d, ana@example.com are one customer (Ana Diaz).\n')
    const view = (await tixIn(dir, ['customer', 'show', '@ana_d', '--json'])).json()
    expect(view).toMatchObject({kind: 'customer', customer: {key: '@ana_d', name: 'Ana Diaz'}, count: 2})
    expect(view.tickets.map((t: any) => [t.id, t.channel, t.requester])).toEqual([
      [social, 'social', {name: '@ana_d', email: null}], // requesters are never rewritten
      [email, 'email', {name: 'Ana Diaz', email: 'ana@example.com'}],
    ])
    expect((await tixIn(dir, ['customer', 'link', 'ana@example.com', '@ana_d'])).stdout).toMatch(/Already one customer/)
    expect((await tixIn(dir, ['customer', 'show', 'ben@example.com', '--json'])).json().tickets.map((t: any) => t.id)).toEqual([other])
    const none = await tixIn(dir, ['customer', 'show', 'zoe@example.com'])
    expect(none.code).toBe(0)
    expect(none.stderr).toMatch(/No tickets from zoe@example.com/)
    const bad = await tixIn(dir, ['customer', 'link', 'ana@example.com', 'not a handle'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/"not a handle" is not a customer handle/)
    expect((await tixIn(dir, ['customer', 'unlink', '@ana_d'])).stdout).toMatch(/Unlinked @ana_d/)
    expect((await tixIn(dir, ['customer', 'show', 'ana@example.com', '--json'])).json().count).toBe(1)
  })
})

describe('two clones working at once, then merged', () => {
  it('keeps both sides: a merge on one clone, a reply and customer links on the other', async () => {
    const {dir: origin, email, social} = await desk()
    const remote = join(tempDir(), 'remote.git')
    git(origin, 'clone', '--quiet', '--bare', origin, remote)
    const clone = (name: string) => {
      const d = join(tempDir(), name)
      git(tempDir(), 'clone', '--quiet', remote, d)
      git(d, 'fetch', '--quiet', 'origin', 'tix:tix')
      return d
    }
    const a = clone('a')
    const b = clone('b')
    // Clone A merges the social ticket into the e-mail one and links Ana's handles.
    expect((await tixIn(a, ['merge', social, '--into', email], at('2026-11-03T08:00:00Z'))).code).toBe(0)
    expect((await tixIn(a, ['customer', 'link', 'ana@example.com', '@ana_d', '--channel', 'social'], at('2026-11-03T08:01:00Z'))).code).toBe(0)
    // Clone B, not knowing, answers the social ticket and links Ana's phone and Ben's chat handle.
    expect((await tixIn(b, ['reply', social, 'Is it the one by the window?'], at('2026-11-03T08:02:00Z'))).code).toBe(0)
    expect((await tixIn(b, ['customer', 'link', '@ana_d', '+49 30 1234567', '--channel', 'phone'], at('2026-11-03T08:03:00Z'))).code).toBe(0)
    expect((await tixIn(b, ['customer', 'link', 'ben@example.com', 'chat:ben', '--channel', 'chat'], at('2026-11-03T08:04:00Z'))).code).toBe(0)
    // B publishes; A merges B's desk branch with plain git (the union driver joins the .jsonl files).
    git(b, 'push', '--quiet', 'origin', 'tix')
    git(a, 'fetch', '--quiet', 'origin', 'tix')
    const wt = join(tempDir(), 'a-tix')
    git(a, 'worktree', 'add', '--quiet', wt, 'tix')
    git(wt, '-c', 'user.name=A', '-c', 'user.email=a@example.com', 'merge', '--quiet', '--no-edit', 'origin/tix')
    git(a, 'worktree', 'remove', wt)
    // Nothing lost: the merged source carries B's reply, and the target's thread shows it.
    const target = (await tixIn(a, ['show', email, '--json'])).json().ticket
    expect(target.mergedFrom).toEqual([social])
    expect(target.mergedThread.map((e: any) => e.body)).toEqual(['Still jammed, third time this week', 'Is it the one by the window?'])
    const source = (await tixIn(a, ['show', social, '--json'])).json().ticket
    expect(source).toMatchObject({status: 'closed', mergedInto: email})
    // B's reply also moved it new -> open, unaware of the merge: the merge stands.
    expect(source.notices.join(' ')).toMatch(/not knowing it was merged into \w{5}; it stays closed/)
    // Both clones' customer links hold: one Ana with three handles, and Ben.
    const ana = (await tixIn(a, ['customer', 'show', '+49 30 1234567', '--json'])).json()
    expect(ana.customer.handles.map((h: any) => h.handle)).toEqual(['+49301234567', '@ana_d', 'ana@example.com'])
    expect(ana.tickets.map((t: any) => t.id).sort()).toEqual([email, social].sort())
    expect((await tixIn(a, ['customer', 'show', 'chat:ben', '--json'])).json().customer.handles.map((h: any) => h.handle)).toEqual(['ben@example.com', 'chat:ben'])
    // The link log is the union of both sides' lines.
    expect(git(a, 'show', 'tix:customers/links.jsonl').trim().split('\n')).toHaveLength(3)
  })
})

describe('two clones and tix sync', () => {
  it('converge on the same merge, thread, links and customer profiles', async () => {
    const {team, actorEnv} = await import('../sync/helpers.js')
    const {clones} = await team(2)
    const [a, b] = clones as [(typeof clones)[0], (typeof clones)[0]]
    const A = actorEnv('Ana')
    const B = actorEnv('Bo')
    const run = async (dir: string, env: NodeJS.ProcessEnv, args: string[], when: string) => {
      const r = await tixIn(dir, args, {env: {...env, TIX_NOW: when}})
      expect(r.code, r.stderr).toBe(0)
      return r
    }
    const email = (await run(a.dir, A, ['new', 'Printer jams', '--requester', 'ana@example.com', '--channel', 'email', '--json'], '2026-11-02T08:00:00Z')).json().ticket.id
    const social = (await run(a.dir, A, ['new', 'printer again', '--requester', '@ana_d', '--channel', 'social', '--json'], '2026-11-02T09:00:00Z')).json().ticket.id
    await run(a.dir, A, ['sync'], '2026-11-02T09:05:00Z')
    await run(b.dir, B, ['sync'], '2026-11-02T09:06:00Z')
    // Offline on both sides
    await run(a.dir, A, ['merge', social, '--into', email, '--reason', 'same printer'], '2026-11-02T10:00:00Z')
    await run(a.dir, A, ['customer', 'link', 'ana@example.com', '@ana_d', '--channel', 'social'], '2026-11-02T10:01:00Z')
    await run(b.dir, B, ['reply', social, 'Which floor?'], '2026-11-02T10:02:00Z')
    await run(b.dir, B, ['rate', email, '4'], '2026-11-02T10:03:00Z')
    await run(b.dir, B, ['customer', 'link', '@ana_d', '+49 30 1234567', '--channel', 'phone'], '2026-11-02T10:04:00Z')
    await run(a.dir, A, ['sync'], '2026-11-02T11:00:00Z')
    await run(b.dir, B, ['sync'], '2026-11-02T11:01:00Z')
    await run(a.dir, A, ['sync'], '2026-11-02T11:02:00Z')
    const view = async (dir: string, env: NodeJS.ProcessEnv) => {
      const t = (await run(dir, env, ['show', email, '--json'], '2026-11-02T12:00:00Z')).json().ticket
      const s = (await run(dir, env, ['show', social, '--json'], '2026-11-02T12:00:00Z')).json().ticket
      const c = (await run(dir, env, ['customer', 'show', 'ana@example.com', '--json'], '2026-11-02T12:00:00Z')).json()
      const r = (await run(dir, env, ['report', '--metric', 'created,resolved,backlog,csat', '--json'], '2026-11-02T12:00:00Z')).json()
      return {
        thread: t.mergedThread.map((e: any) => [e.from, e.kind, e.body]),
        satisfaction: t.satisfaction?.score,
        source: [s.status, s.mergedInto],
        handles: c.customer.handles.map((h: any) => h.handle),
        tickets: c.tickets.map((x: any) => x.id).sort(),
        report: r.rows,
      }
    }
    const onA = await view(a.dir, A)
    expect(onA).toEqual(await view(b.dir, B))
    expect(onA).toMatchObject({
      thread: [
        [social, 'request', 'printer again'],
        [social, 'reply', 'Which floor?'],
      ],
      satisfaction: 4,
      source: ['closed', email],
      handles: ['+49301234567', '@ana_d', 'ana@example.com'],
      tickets: [email, social].sort(),
    })
    expect(onA.report[0]).toMatchObject({created: 2, resolved: 0, backlog: 1, csat: {good: 1}})
  })
})
