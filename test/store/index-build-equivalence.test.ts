// The index build after a clone (src/store/index-fold.ts, bulk-reader.ts, pack-order.ts) folds every
// ticket file once, in batches, on this thread or in fold workers, in the order that suits git:
// what it writes must be what folding each file on its own gives (foldFile, summaryText,
// searchText, encodeFacts), on a desk with every kind of strange file, and the same with workers.
import {readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {writeSyntheticDesk} from '../../fixtures/generate.js'
import {parseConfig} from '../../src/domain/config/config.js'
import {encodeFacts, ticketFacts} from '../../src/domain/reports/report-facts.js'
import {reportSetup} from '../../src/domain/reports/report-sla.js'
import {isUnresolved} from '../../src/domain/ticket/model.js'
import {summaryText} from '../../src/domain/ticket/summary-text.js'
import {Desk} from '../../src/store/desk.js'
import {foldFile, searchText, ticketIdOfPath, ticketPath} from '../../src/store/desk/ticket-file.js'
import {BatchFolder, type FoldedBatch} from '../../src/store/index-fold.js'
import {lsTree, readBlobs} from '../../src/store/objects.js'
import {git, tempDir, testIO, tix} from '../helpers.js'

const NOW = '2026-11-30T12:00:00Z'
const env = {TIX_NOW: NOW}
const cacheDir = (dir: string) => join(dir, '.git', 'tix', 'cache', 'tix')
const lines = (text: string) => text.split('\n').filter((l) => l !== '')
/** As the text reads back from the file: a lone surrogate (which UTF-8 cannot hold) becomes U+FFFD. */
const asWritten = (text: string) => Buffer.from(text, 'utf8').toString('utf8')
const sortedLines = (file: string) => lines(readFileSync(file, 'utf8')).sort()

const ev = (id: string, seq: number, at: string, type: string, more: Record<string, unknown> = {}) =>
  JSON.stringify({v: 1, id, seq, at: `2026-11-${at}Z`, by: 'ana@example.com', type, ...more})
const create = (ticket: string, more: Record<string, unknown> = {}) =>
  ev('C1', 1, '02T09:00:00.000', 'create', {ticket, title: 'Printer jams', body: 'On every page.', requester: {name: 'Bo', email: 'bo@example.com'}, channel: 'email', priority: 'high', ticketType: 'incident', tags: ['printer'], department: 'it', assignee: null, ...more})

/** Ticket files no generator writes: every kind of line the fold reports, skips, or must read exactly. */
function strangeFiles(): Record<string, string> {
  const id = (k: number) => `AAAAA000${String(k).padStart(2, '0')}`
  const [a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p] = [id(1), id(2), id(3), id(4), id(5), id(6), id(7), id(8), id(9), id(10), id(11), id(12), id(13), id(14), id(15), id(16)] as const
  const reply = (id: string, seq: number, body: string, more: Record<string, unknown> = {}) => ev(id, seq, `02T1${seq}:00:00.000`, 'reply', {body, by: 'agent@example.com', ...more})
  return {
    // a line that is not JSON between good ones
    [a]: [create(a), '{"v":1,"id":"R1","seq":2,', reply('R2', 3, 'Restarted it')].join('\n') + '\n',
    // an event type this version does not know, and types named like Object's members
    [b]: [create(b), ev('X1', 2, '02T10:00:00.000', 'teleport'), ev('X2', 3, '02T10:30:00.000', 'valueOf'), reply('R3', 4, 'ok')].join('\n') + '\n',
    // the same event twice (one event), and the same id with other contents (reported)
    [c]: [create(c), reply('R4', 2, 'same'), reply('R4', 2, 'same'), reply('R5', 3, 'first'), reply('R5', 3, 'other')].join('\n') + '\n',
    // no create event
    [d]: [reply('R6', 2, 'a reply to nothing'), ev('S1', 3, '02T12:00:00.000', 'status', {from: 'new', to: 'resolved', resolution: 'Gone.'})].join('\n') + '\n',
    // lines out of order, and a status change that did not know of another
    [e]: [reply('R7', 3, 'later'), create(e), ev('S2', 2, '02T10:00:00.000', 'status', {from: 'new', to: 'open'}), ev('S3', 4, '02T14:00:00.000', 'status', {from: 'new', to: 'closed'})].join('\n') + '\n',
    // one line holding two events, and one event split over two lines: both reported, line by line
    [f]: [create(f), reply('R8', 2, 'one') + ',' + reply('R9', 3, 'two'), '{"v":1,"id":"RA","seq":4,"at":"2026-11-02T15:00:00.000Z","by":"b","type":"note","x":[{"a":1}', '{"b":2}]}', reply('RB', 5, 'has },{ in it')].join('\n') + '\n',
    // Windows line ends, blank and white lines, no final newline
    [g]: [create(g), '', '   ', reply('RC', 2, 'crlf')].join('\r\n'),
    // text past ASCII (emoji take 4 bytes, a lone surrogate 3), and white space of every kind
    [h]: [create(h, {title: 'Drucker 🖨 kaputt — 打印机', body: 'Tabs\there,\u00a0no-break, lines\nand\r\n  runs   of  spaces \ud800 lone'}), reply('RD', 2, '🙂'.repeat(300))].join('\n') + '\n',
    // a long body (a batch's buffer grows)
    [i]: [create(i, {body: 'long '.repeat(60_000)}), reply('RE', 2, 'x'.repeat(200_000))].join('\n') + '\n',
    // merges, links, ratings, escalations, the tier set by hand, tags, custom fields named like summary members
    [j]: [create(j, {fields: {reopenCount: 3, nested: {notices: ['x']}}}), ev('M1', 2, '02T10:00:00.000', 'merge', {into: k}), ev('L1', 3, '02T11:00:00.000', 'link', {target: l, as: 'related'})].join('\n') + '\n',
    [k]: [create(k), ev('M2', 2, '02T10:00:00.000', 'merged-in', {from: j}), ev('E1', 3, '02T11:00:00.000', 'escalate', {toTier: 2, toDept: 'it', to: 'lead@example.com'}), ev('T1', 4, '02T12:00:00.000', 'set', {fields: {tier: 3, priority: 'urgent', custom: {region: 'eu'}}}), ev('T2', 5, '02T13:00:00.000', 'set', {fields: {tier: 1}})].join('\n') + '\n',
    [l]: [create(l), reply('RF', 2, 'done'), ev('S4', 3, '02T13:00:00.000', 'status', {from: 'new', to: 'resolved', resolution: 'Fixed.'}), ev('RT', 4, '02T14:00:00.000', 'rate', {score: 2, comment: 'slow'}), ev('S5', 5, '02T15:00:00.000', 'status', {from: 'resolved', to: 'open'}), ev('TG', 6, '02T16:00:00.000', 'tags', {add: ['vip'], remove: ['printer']})].join('\n') + '\n',
    // times that are not ISO-8601 UTC, a seq that is not whole, an event naming another ticket
    [m]: [create(m), ev('Z1', 2, '31T10:00:00.000', 'note', {body: 'bad day'}), ev('Z2', 2.5, '02T10:00:00.000', 'note', {body: 'bad seq'}), create(a)].join('\n') + '\n',
    // an empty file, and one of nothing but lines that are not events
    [n]: '',
    [o]: '[1,2]\nnull\n"text"\n',
    [p]: [create(p), ev('A1', 2, '02T10:00:00.000', 'assign', {from: null, to: 'ana@example.com'}), ev('A2', 3, '02T11:00:00.000', 'assign', {from: 'ana@example.com', to: null})].join('\n') + '\n',
  }
}

/** Each ticket file at the tip folded on its own: what the cache must hold. */
async function expected(dir: string) {
  const desk = await Desk.open(testIO(dir, env))
  const tip = desk.requireTip()
  const entries = (await lsTree(desk.repo, tip, 'tickets')).filter((x) => x.type === 'blob' && ticketIdOfPath(x.path) !== null)
  const blobs = await readBlobs(desk.repo, entries.map((x) => x.oid))
  const deskText = (await readBlobs(desk.repo, [`${tip}:desk.json`]))[0]!.toString('utf8')
  const ctx = reportSetup(parseConfig(deskText)).facts(Date.parse(NOW))
  const out = {open: [] as string[], done: [] as string[], text: [] as string[], facts: [] as string[], problems: {} as Record<string, unknown>}
  entries.forEach((x, k) => {
    const id = ticketIdOfPath(x.path)!
    const loaded = foldFile(id, ticketPath(id), blobs[k]!.toString('utf8'))
    const line = asWritten(`${id}\t${summaryText(loaded.ticket)}`)
    if (isUnresolved(loaded.ticket.status)) out.open.push(line)
    else out.done.push(line)
    out.text.push(asWritten(`${id}\t${searchText(loaded.ticket, loaded.thread)}`))
    if (loaded.events.length > 0 && loaded.ticket.createdBy !== '') out.facts.push(JSON.stringify(encodeFacts(ticketFacts(loaded.ticket, loaded.events, ctx))))
    if (loaded.problems.length > 0) out.problems[id] = loaded.problems
  })
  return {desk, entries, blobs, deskText, out}
}

let dir: string
beforeAll(async () => {
  dir = tempDir()
  // above the sizes from which the build reads in pack order and through two git processes
  await writeSyntheticDesk(dir, 4200, {seed: 11})
  const desk = await Desk.open(testIO(dir, env))
  const files = Object.entries(strangeFiles()).map(([id, content]) => ({path: ticketPath(id), content}))
  files.push({path: 'tickets/ZZ/AAAAA00099.jsonl', content: create('AAAAA00099') + '\n'}) // not at its id's path
  await desk.commitFiles(files, 'Strange tickets')
}, 120_000)

describe('searchText', () => {
  it('makes each run of white space one space, as replacing /\\s+/ did', () => {
    const ticket = foldFile('AAAAA00001', ticketPath('AAAAA00001'), create('AAAAA00001') + '\n').ticket
    const pieces = ['a', 'Bé', ' ', '  ', '\t', '\n', '\r\n', '\u00a0', '\u2028', '\ufeff', '\u3000', ' \t ', 'x y']
    let seed = 5
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
    for (let n = 0; n < 3000; n++) {
      const body = Array.from({length: 1 + Math.floor(next() * 12)}, () => pieces[Math.floor(next() * pieces.length)]!).join('')
      const t = {...ticket, title: body, body: body.split('').reverse().join('')}
      const thread = [{eventId: 'R', kind: 'reply' as const, public: true, author: 'a', at: '', body}]
      const old = [t.title, t.body, t.requester.name ?? '', t.requester.email ?? '', t.resolution ?? '', t.tags.join(' '), body].join(' ').replace(/\s+/g, ' ').toLowerCase()
      expect(searchText(t, thread), JSON.stringify(body)).toBe(old)
    }
  })
})

describe('the index build: batches, workers and pack order write what each file folds to', () => {
  it('BatchFolder writes each ticket as folding it alone does, its buffers reused or moved', async () => {
    const {entries, blobs, deskText, out} = await expected(dir)
    const ids = entries.map((x) => ticketIdOfPath(x.path)!)
    for (const moved of [false, true]) {
      const folder = new BatchFolder({deskText, now: Date.parse(NOW), summaries: true, facts: true}, moved)
      const got = {open: [] as string[], done: [] as string[], text: [] as string[], facts: [] as string[], problems: {} as Record<string, unknown>}
      const take = (b: FoldedBatch) => {
        for (const [id, json] of b.open) got.open.push(asWritten(`${id}\t${json}`))
        got.done.push(...lines(Buffer.from(b.done).toString('utf8')))
        got.text.push(...lines(Buffer.from(b.text).toString('utf8')))
        got.facts.push(...lines(b.facts))
        for (const [id, p] of b.problems) got.problems[id] = p
      }
      // batches of uneven sizes, each read before the next is folded (the buffers are reused)
      for (let at = 0, size = 1; at < ids.length; at += size, size = (size * 7) % 300 || 1) {
        take(folder.fold(ids.slice(at, at + size), blobs.slice(at, at + size).map((b) => b!.toString('utf8'))))
      }
      for (const key of ['open', 'done', 'text', 'facts'] as const) expect(got[key].sort(), `${key}, moved: ${moved}`).toEqual([...out[key]].sort())
      expect(got.problems).toEqual(out.problems)
    }
    // facts only, as rows (a report folding every file): the rows the lines hold
    const rows = new BatchFolder({deskText, now: Date.parse(NOW), summaries: false, facts: true, factsRows: true}).fold(ids, blobs.map((b) => b?.toString('utf8') ?? null))
    expect(rows.facts).toBe('')
    expect(rows.open).toEqual([])
    expect(rows.rows.map((r) => JSON.stringify(r)).sort()).toEqual([...out.facts].sort())
  })

  it('the built CLI writes the same cache with no fold worker, one, or two (the main thread folding too)', async () => {
    const {out, desk} = await expected(dir)
    const tip = desk.requireTip()
    let report: unknown = null
    for (const workers of ['0', '1', '2']) {
      rmSync(join(dir, '.git', 'tix'), {recursive: true, force: true})
      const r = tix(dir, ['list'], {env: {...env, TIX_FOLD_WORKERS: workers}})
      expect(r.code, r.stderr).toBe(0)
      expect(sortedLines(join(cacheDir(dir), 'open.jsonl')), workers).toEqual([...out.open].sort())
      expect(sortedLines(join(cacheDir(dir), 'done.jsonl')), workers).toEqual([...out.done].sort())
      expect(sortedLines(join(cacheDir(dir), 'text.tsv')), workers).toEqual([...out.text].sort())
      expect(sortedLines(join(cacheDir(dir), 'ids.txt'))).toEqual(
        [...out.open, ...out.done].map((x) => x.slice(0, 10)).sort(),
      )
      const meta = JSON.parse(readFileSync(join(cacheDir(dir), 'meta.json'), 'utf8'))
      expect(meta.commit).toBe(tip)
      expect(meta.counts).toEqual({open: out.open.length, done: out.done.length})
      expect(meta.problems).toEqual({...out.problems, 'tickets/ZZ/AAAAA00099.jsonl': [expect.objectContaining({line: 0})]})
      // the report facts, whatever their file's form, count the same
      const rep = tix(dir, ['report', '--by', 'department', '--json'], {env})
      expect(rep.code, rep.stderr).toBe(0)
      if (report === null) report = rep.json()
      else expect(rep.json(), workers).toEqual(report)
      // and built by the report itself (facts only, handed back as rows), as after desk.json changed
      for (const f of readdirSync(cacheDir(dir))) if (f.startsWith('report-facts.')) rmSync(join(cacheDir(dir), f))
      const cold = tix(dir, ['report', '--by', 'department', '--json'], {env: {...env, TIX_FOLD_WORKERS: workers}})
      expect(cold.code, cold.stderr).toBe(0)
      expect(cold.json(), `report folding every file, workers: ${workers}`).toEqual(report)
      expect(readdirSync(cacheDir(dir)).filter((f) => f.startsWith('report-facts.'))).toHaveLength(1)
    }
    expect(git(dir, 'status', '--porcelain')).toBe('')
  }, 120_000)

  it('reads the files as they are when an attribute gives them a diff driver that converts text', async () => {
    // cat-file --textconv (a buffered write per blob) is used only where no textconv driver can apply
    const small = tempDir()
    await writeSyntheticDesk(small, 40, {seed: 12})
    const build = () => {
      rmSync(join(small, '.git', 'tix'), {recursive: true, force: true})
      expect(tix(small, ['list'], {env}).code).toBe(0)
      return ['open.jsonl', 'done.jsonl', 'text.tsv'].map((f) => sortedLines(join(cacheDir(small), f)))
    }
    const plain = build()
    writeFileSync(join(small, '.gitattributes'), '* diff=shout\n')
    git(small, 'config', 'diff.shout.textconv', 'tr a-z A-Z')
    expect(git(small, 'check-attr', 'diff', '--', 'tix-ticket-file')).toContain('diff: shout')
    expect(build()).toEqual(plain)
  }, 60_000)
})

