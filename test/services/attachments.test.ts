// Attachments: content-addressed blobs on the desk branch, the size limit, hostile names, and the
// commands that list and save them (real git, the built CLI for the end-to-end checks).
import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {blobPath, mediaTypeOf, sanitizeFileName, sniffMediaType} from '../../src/domain/ticket/attachments.js'
import {validateDesk} from '../../src/domain/config/config.js'
import {commitMessage} from '../../src/domain/ticket/describe.js'
import {createTicket} from '../../src/domain/ticket/ticket-ops.js'
import {attachEvents, attachFiles, findAttachment, readAttachment, stageAttachments} from '../../src/services/attachments.js'
import {newTicket} from '../../src/services/tickets.js'
import {TixError} from '../../src/errors.js'
import {BIN, cliEnv, git, makeDesk, tempDir, tixIn} from '../helpers.js'

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0xff, 0x00, 0x10])
const blobsOn = (dir: string) => git(dir, 'ls-tree', '-r', '--name-only', 'tix', 'attachments').trim().split('\n').filter(Boolean)
const commits = (dir: string) => Number(git(dir, 'rev-list', '--count', 'tix').trim())

describe('file names and media types', () => {
  it('keeps only a safe last part: no path, no escape sequences, no control or invisible characters', () => {
    expect(sanitizeFileName('../../x')).toBe('x')
    expect(sanitizeFileName('/etc/passwd')).toBe('passwd')
    expect(sanitizeFileName('C:\\Users\\ana\\report.pdf')).toBe('report.pdf')
    expect(sanitizeFileName('\u001b]0;owned\u0007\u001b[31mred\u001b[0m.txt')).toBe('red.txt')
    expect(sanitizeFileName('in\u202Egnp.exe')).toBe('ingnp.exe')
    expect(sanitizeFileName('a\nb\r\tc.log')).toBe('abc.log')
    expect(sanitizeFileName('..')).toBe('attachment')
    expect(sanitizeFileName('...hidden')).toBe('hidden')
    expect(sanitizeFileName('what?<>|.txt')).toBe('what____.txt')
    const long = sanitizeFileName('x'.repeat(500) + '.log')
    expect(long).toHaveLength(200)
    expect(long.endsWith('.log')).toBe(true)
  })

  it('takes the media type from the sender, the extension, or the bytes', () => {
    expect(mediaTypeOf('a.log', Buffer.from('hello'))).toBe('text/plain')
    expect(mediaTypeOf('shot', PNG)).toBe('image/png')
    expect(mediaTypeOf('x.bin', PNG, 'image/png; charset=binary')).toBe('image/png')
    expect(mediaTypeOf('x', Buffer.from([0, 1, 2, 255]))).toBe('application/octet-stream')
    expect(sniffMediaType(Buffer.from('%PDF-1.7\n'))).toBe('application/pdf')
    expect(sniffMediaType(Buffer.from('plain text, ünïcode'))).toBe('text/plain')
  })

  it('desk.json attachments.maxBytes is validated', () => {
    expect(validateDesk({attachments: {maxBytes: 5}})).toEqual([])
    expect(validateDesk({attachments: {maxBytes: -1}}).map((p) => p.path)).toEqual(['attachments.maxBytes'])
    expect(validateDesk({attachments: {maxBytes: '10MB'}}).map((p) => p.path)).toEqual(['attachments.maxBytes'])
    expect(validateDesk({attachments: {max: 5}}).map((p) => p.path)).toEqual(['attachments.max'])
    expect(validateDesk({attachments: 5}).map((p) => p.path)).toEqual(['attachments'])
  })
})

describe('attachments on the desk branch', () => {
  it('stores the same bytes once, lists each attachment on its ticket, and reads them back', async () => {
    const {dir, desk} = await makeDesk()
    const a = await newTicket(desk, {title: 'Printer jams'})
    const b = await newTicket(desk, {title: 'Scanner jams'})
    const log = Buffer.from('line 1\nline 2\n')
    const r1 = await attachFiles(desk, a.ticket.ticket.id, [{name: 'crash.log', bytes: log}, {name: 'shot.png', bytes: PNG}])
    expect(r1.added.map((x) => [x.name, x.size, x.mediaType])).toEqual([
      ['crash.log', log.length, 'text/plain'],
      ['shot.png', PNG.length, 'image/png'],
    ])
    const r2 = await attachFiles(desk, b.ticket.ticket.id, [{name: 'copy.log', bytes: log}])
    expect(blobsOn(dir)).toHaveLength(2) // crash.log and copy.log share one blob
    expect(r2.added[0]!.blob).toBe(r1.added[0]!.blob)
    expect(git(dir, 'cat-file', 'blob', `tix:${blobPath(r1.added[0]!.blob)}`)).toBe(log.toString())
    // the same file under the same name again: nothing to write
    const before = commits(dir)
    const again = await attachFiles(desk, a.ticket.ticket.id, [{name: 'crash.log', bytes: log}])
    expect(again.commit).toBeNull()
    expect(commits(dir)).toBe(before)
    // another file under a taken name gets a name of its own
    const other = await attachFiles(desk, a.ticket.ticket.id, [{name: 'crash.log', bytes: Buffer.from('other')}])
    expect(other.added[0]!.name).toBe('crash (2).log')
    const t = (await desk.readTicket(a.ticket.ticket.id))!.ticket
    expect(t.attachments!.map((x) => x.name)).toEqual(['crash.log', 'shot.png', 'crash (2).log'])
    expect(await readAttachment(desk, findAttachment(t, 'shot.png'))).toEqual(PNG)
    expect(findAttachment(t, r1.added[1]!.blob.slice(0, 8)).name).toBe('shot.png')
    expect(() => findAttachment(t, 'nope.txt')).toThrow(/has no attachment named "nope.txt"/)
    git(dir, 'fsck', '--strict')
  })

  it('refuses a file over the limit (exit 2) and writes nothing, not even the smaller files', async () => {
    const {dir, desk} = await makeDesk()
    const a = await newTicket(desk, {title: 'Big logs'})
    const config = JSON.parse(git(dir, 'show', 'tix:desk.json'))
    await desk.commitFiles([{path: 'desk.json', content: JSON.stringify({...config, attachments: {maxBytes: 16}}, null, 2) + '\n'}], 'limit')
    const before = git(dir, 'rev-parse', 'tix').trim()
    const err = await attachFiles(desk, a.ticket.ticket.id, [{name: 'small.txt', bytes: Buffer.from('ok')}, {name: 'big.txt', bytes: Buffer.alloc(17, 97)}]).catch((e) => e)
    expect(err).toBeInstanceOf(TixError)
    expect(err.exitCode).toBe(2)
    expect(err.message).toMatch(/big\.txt \(17 B\) is larger than the desk's limit of 16 B; nothing was written/)
    expect(git(dir, 'rev-parse', 'tix').trim()).toBe(before)
    expect(blobsOn(dir)).toEqual([])
    expect((await attachFiles(desk, a.ticket.ticket.id, [{name: 'edge.txt', bytes: Buffer.alloc(16, 97)}])).added).toHaveLength(1)
  })

  it('goes into another change: a ticket and its files in one commit', async () => {
    const {dir, desk} = await makeDesk()
    const before = commits(dir)
    const staged = await stageAttachments([{name: 'mail/../invoice.pdf', bytes: Buffer.from('%PDF-1.4 fake'), mediaType: 'application/pdf'}], {maxBytes: 1000})
    const id = desk.newTicketId()
    const res = await desk.change(async () => {
      const ctx = desk.opContext()
      const events = [createTicket({id, title: 'Invoice question', channel: 'email'}, ctx), ...attachEvents(null, staged, ctx)]
      return {tickets: [{id, events, fresh: true}], message: commitMessage(id.slice(0, 5), events), files: staged.files}
    })
    expect(commits(dir)).toBe(before + 1)
    expect(res!.tickets.get(id)!.ticket.attachments!.map((a) => [a.name, a.mediaType])).toEqual([['invoice.pdf', 'application/pdf']])
    expect(blobsOn(dir)).toEqual([blobPath(staged.items[0]!.blob)])
    // the index (cache) sees the ticket too, although the commit also wrote a blob
    expect(Object.keys((await desk.index()).open)).toContain(id)
  })

  it('a hostile name written by another clone is made safe by the fold', async () => {
    const {desk} = await makeDesk()
    const a = await newTicket(desk, {title: 'Hostile'})
    const id = a.ticket.ticket.id
    const staged = await stageAttachments([{name: 'x', bytes: Buffer.from('payload')}], {maxBytes: 100})
    await desk.change(async () => {
      const ctx = desk.opContext()
      const e = {v: 1 as const, id: ctx.newEventId(), at: ctx.at, by: ctx.by, type: 'attach', blob: staged.items[0]!.blob, name: '../../\u001b[2Jevil.sh', size: 7, mediaType: 'text/plain'}
      return {tickets: [{id, events: [e]}], message: 'hostile', files: staged.files}
    })
    expect((await desk.readTicket(id))!.ticket.attachments!.map((x) => x.name)).toEqual(['evil.sh'])
  })
})

describe('tix attach / attachment list / attachment get (built CLI)', () => {
  it('attaches, shows, lists, and saves only inside the chosen output', async () => {
    const {dir, desk} = await makeDesk()
    const t = await newTicket(desk, {title: 'Crash on start'})
    const sid = t.shortId
    const files = tempDir('tix attach ')
    writeFileSync(join(files, 'crash.log'), 'boom\n')
    writeFileSync(join(files, 'shot.png'), PNG)
    const r = await tixIn(dir, ['attach', sid, join(files, 'crash.log'), join(files, 'shot.png'), '--json'])
    expect(r.code).toBe(0)
    const doc = r.json()
    expect(doc.kind).toBe('ticket')
    expect(doc.attached.map((a: {name: string}) => a.name)).toEqual(['crash.log', 'shot.png'])
    // a name with escape sequences and path parts, from standard input
    const hostile = await tixIn(dir, ['attach', sid, '-', '--name', '../../\u001b]0;pwned\u0007notes\u001b[31m.txt'], {input: 'secret plan\n'})
    expect(hostile.code).toBe(0)
    expect(hostile.stdout).not.toContain('\u001b')
    expect(hostile.stdout).toContain('attached notes.txt')
    const show = await tixIn(dir, ['show', sid])
    expect(show.stdout).toMatch(/── Attachments \(3\) ──\n {2}crash\.log +5 B +text\/plain/)
    expect((await tixIn(dir, ['show', sid, '--json'])).json().ticket.attachments).toHaveLength(3)
    const list = await tixIn(dir, ['attachment', 'list', sid])
    expect(list.stdout.trim().split('\n').map((l) => l.split('\t')[0])).toEqual(['crash.log', 'shot.png', 'notes.txt'])
    expect((await tixIn(dir, ['attachment', 'list', sid, '--json'])).json()).toMatchObject({kind: 'attachment-list', count: 3})

    // stdout in a pipe: the exact bytes
    const out = tempDir('tix get ')
    const nested = join(out, 'inner')
    mkdirSync(nested)
    const piped = spawnSync(process.execPath, [BIN, 'attachment', 'get', sid, 'shot.png'], {cwd: dir, env: cliEnv()})
    expect(piped.status).toBe(0)
    expect(Buffer.compare(piped.stdout, PNG)).toBe(0)
    // -o a folder: the file lands inside it under its safe name, never above it
    const saved = await tixIn(dir, ['attachment', 'get', sid, 'notes.txt', '-o', nested, '--json'])
    expect(saved.code).toBe(0)
    expect(saved.json().path).toBe(join(nested, 'notes.txt'))
    expect(readFileSync(join(nested, 'notes.txt'), 'utf8')).toBe('secret plan\n')
    expect(readdirSync(out).sort()).toEqual(['inner'])
    // an existing file is kept unless --force; a planted symlink is never written through
    expect((await tixIn(dir, ['attachment', 'get', sid, 'notes.txt', '-o', nested])).code).toBe(2)
    const victim = join(out, 'victim.txt')
    writeFileSync(victim, 'keep me')
    symlinkSync(victim, join(nested, 'crash.log'))
    const viaLink = await tixIn(dir, ['attachment', 'get', sid, 'crash.log', '-o', nested])
    expect(viaLink.code).toBe(2)
    expect(readFileSync(victim, 'utf8')).toBe('keep me')
    expect((await tixIn(dir, ['attachment', 'get', sid, 'crash.log', '-o', nested, '--force'])).code).toBe(0)
    expect(readFileSync(victim, 'utf8')).toBe('keep me') // the link was replaced, not followed
    expect(readFileSync(join(nested, 'crash.log'), 'utf8')).toBe('boom\n')
    // unknown attachment: exit 3; missing file to attach: exit 2
    expect((await tixIn(dir, ['attachment', 'get', sid, 'nope.txt'])).code).toBe(3)
    expect((await tixIn(dir, ['attach', sid, join(files, 'missing.log')])).code).toBe(2)
    expect(existsSync(join(dir, 'notes.txt'))).toBe(false)
  })

  it('over the limit: exit 2, nothing written', async () => {
    const {dir, desk} = await makeDesk()
    const t = await newTicket(desk, {title: 'Limit'})
    expect((await tixIn(dir, ['config', 'set', 'attachments.maxBytes', '4'])).code).toBe(0)
    const before = git(dir, 'rev-parse', 'tix').trim()
    const big = join(tempDir(), 'big.log')
    writeFileSync(big, 'hello')
    const r = await tixIn(dir, ['attach', t.shortId, big, '--json'])
    expect(r.code).toBe(2)
    expect(r.json().error.message).toMatch(/larger than the desk's limit of 4 B/)
    expect(git(dir, 'rev-parse', 'tix').trim()).toBe(before)
    expect((await tixIn(dir, ['config', 'set', 'attachments.maxBytes', '"4"'])).code).toBe(2)
  })
})
