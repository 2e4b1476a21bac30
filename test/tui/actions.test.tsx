import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {showTicket} from '../../src/services/tickets.js'
import {tempDir} from '../helpers.js'
import {ALT_ENTER, BACKSPACE, CTRL_S, deskWith, ENTER, ESC, renderApp, RIGHT, TAB, UP} from './helpers.js'

const show = async (desk: Parameters<typeof showTicket>[0], id: string) => (await showTicket(desk, id)).ticket

describe('actions on a ticket', () => {
  it('replies in public from the queue, and the reply is on the ticket at once', async () => {
    const {desk, ids} = await deskWith([{title: 'Printer jams'}])
    const app = renderApp(desk)
    await app.waitFor('Printer jams')
    await app.press('r')
    await app.waitFor('public: the requester sees it')
    await app.press('Restarted the spooler.', ALT_ENTER, 'Try again?')
    await app.waitFor('› Restarted the spooler.')
    await app.press(ENTER)
    const f = await app.waitFor(': public reply: Restarted the spooler.')
    expect(f).toMatch(/\S+\s+normal\s+open/) // a reply opens a new ticket, as `tix reply` does
    const t = await show(desk, ids[0]!)
    expect(t.thread.map((e) => [e.kind, e.body])).toEqual([['reply', 'Restarted the spooler.\nTry again?']])
    app.unmount()
  })

  it('adds an internal note from the detail screen and shows it in the thread', async () => {
    const {desk, ids} = await deskWith([{title: 'VPN drops'}])
    const app = renderApp(desk)
    await app.waitFor('VPN drops')
    await app.press(ENTER)
    await app.waitFor('id ')
    await app.press('n')
    await app.waitFor('agents only, the requester never sees it')
    await app.press('Checked the tunnel logs', ENTER)
    const f = await app.waitFor('┆ Checked the tunnel logs')
    expect(f).toContain('INTERNAL NOTE')
    expect((await show(desk, ids[0]!)).thread[0]).toMatchObject({kind: 'note', public: false})
    app.unmount()
  })

  it('refuses to send an empty reply and keeps the prompt open', async () => {
    const {desk} = await deskWith([{title: 'Printer jams'}])
    const app = renderApp(desk)
    await app.waitFor('Printer jams')
    await app.press('r', ENTER)
    await app.waitFor('The reply is empty.')
    await app.press(ESC)
    await app.waitFor('Cancelled; nothing changed.')
    app.unmount()
  })

  it('assigns: an invalid address is an error in place, a valid one is stored', async () => {
    const {desk, ids} = await deskWith([{title: 'Printer jams'}, {title: 'Other', assignee: 'bob@example.com', priority: 'low'}])
    const app = renderApp(desk)
    await app.waitFor('Printer jams')
    await app.press('a')
    const f = await app.waitFor('me (agent@example.com)')
    expect(f).toContain('bob@example.com')
    expect(f).toContain('nobody (unassign)')
    await app.press('carol', ENTER)
    await app.waitFor('"carol" is not an e-mail address')
    expect((await show(desk, ids[0]!)).ticket.assignee).toBeNull()
    await app.press('@example.com', ENTER)
    await app.waitFor(': assigned to carol@example.com.')
    expect((await show(desk, ids[0]!)).ticket.assignee).toBe('carol@example.com')
    await app.press('a', 'me', ENTER)
    await app.waitFor(': assigned to agent@example.com.')
    app.unmount()
  })

  it('changes the status from a list, asks for the resolution when resolving', async () => {
    const {desk, ids} = await deskWith([{title: 'Printer jams'}])
    const app = renderApp(desk)
    await app.waitFor('Printer jams')
    await app.press('s')
    let f = await app.waitFor('Status of')
    expect(f).toContain('waiting on the requester')
    expect(f).not.toMatch(/▶ new/)
    await app.press('pend', ENTER)
    await app.waitFor(': status new -> pending.')
    await app.press('s', 'resolved', ENTER)
    await app.waitFor('what solved it?')
    await app.press(ENTER)
    await app.waitFor('Resolving needs a resolution')
    expect((await show(desk, ids[0]!)).ticket.status).toBe('pending')
    await app.press('Replaced the fuser', ENTER)
    f = await app.waitFor(': status pending -> resolved (resolution: Replaced the fuser).')
    expect(f).toContain('Nothing here') // it left the unresolved queue at once
    expect((await show(desk, ids[0]!)).ticket).toMatchObject({status: 'resolved', resolution: 'Replaced the fuser'})
    app.unmount()
  })

  it('resolves with x, closes a resolved ticket after asking, and reopens it', async () => {
    const {desk, ids} = await deskWith([{title: 'Printer jams'}])
    const app = renderApp(desk)
    await app.waitFor('Printer jams')
    await app.press('x', 'Fixed it', ENTER)
    await app.waitFor('-> resolved')
    await app.press('6')
    await app.waitFor(/▶ \S+\s+normal\s+resolved/)
    await app.press('X')
    await app.waitFor('Closed is final')
    await app.press('n')
    await app.waitFor('Cancelled; nothing changed.')
    await app.press('X', 'y')
    await app.waitFor(': status resolved -> closed.')
    await app.press('r', 'hello', ENTER)
    const refused = await app.waitFor('is closed: closed is final.')
    expect(refused).toContain('› hello') // a refused reply is still there to copy or fix
    await app.press(ESC, 'R')
    await app.waitFor(': status closed -> open.')
    expect((await show(desk, ids[0]!)).ticket.status).toBe('open')
    app.unmount()
  })

  it('reopening an open ticket says why not', async () => {
    const {desk} = await deskWith([{title: 'Printer jams'}])
    const app = renderApp(desk)
    await app.waitFor('Printer jams')
    await app.press('R')
    await app.waitFor('only resolved or closed tickets reopen.')
    app.unmount()
  })

  it('sets the priority and edits tags', async () => {
    const {desk, ids} = await deskWith([{title: 'Printer jams', tags: ['old']}])
    const app = renderApp(desk)
    await app.waitFor('Printer jams')
    await app.press('p')
    await app.waitFor('Priority of')
    await app.press(UP, ENTER) // the list starts at the current priority (normal); high is above it
    await app.waitFor(': priority -> high.')
    await app.press('t')
    await app.waitFor('(now: old)')
    await app.press('bad!', ENTER)
    await app.waitFor('Tag "bad!" is not valid')
    await app.press(BACKSPACE, BACKSPACE, BACKSPACE, BACKSPACE, 'vpn -old', ENTER)
    await app.waitFor(': tags +vpn -old.')
    expect((await show(desk, ids[0]!)).ticket).toMatchObject({priority: 'high', tags: ['vpn']})
    app.unmount()
  })

  it('writes a long reply in $EDITOR, then sends it from the prompt', async () => {
    const dir = tempDir()
    const editor = join(dir, 'editor.mjs')
    writeFileSync(
      editor,
      `import {readFileSync, writeFileSync} from 'node:fs'
const file = process.argv.at(-1)
const old = readFileSync(file, 'utf8')
if (!old.includes('Printer jams')) process.exit(3) // the ticket is shown below the scissors
writeFileSync(file, 'First line from the editor\\nSecond line\\n' + old)
`,
    )
    const {desk, ids} = await deskWith([{title: 'Printer jams', body: 'It jams.'}])
    const app = renderApp(desk, {env: {...process.env, EDITOR: `${process.execPath} ${editor}`, VISUAL: ''}})
    await app.waitFor('Printer jams')
    await app.press('e')
    await app.waitFor('› First line from the editor')
    await app.press(ENTER)
    await app.waitFor(': public reply: First line from the editor')
    expect((await show(desk, ids[0]!)).thread[0]!.body).toBe('First line from the editor\nSecond line')
    app.unmount()
  })

  it('says so when $EDITOR cannot start, and nothing is sent', async () => {
    const {desk, ids} = await deskWith([{title: 'Printer jams'}])
    const app = renderApp(desk, {env: {...process.env, EDITOR: 'no-such-editor-tix', VISUAL: ''}})
    await app.waitFor('Printer jams')
    await app.press('r', 'draft', '\u0005')
    await app.waitFor('Could not start the editor "no-such-editor-tix": ENOENT.')
    expect((await show(desk, ids[0]!)).thread).toEqual([])
    app.unmount()
  })
})

describe('new ticket form', () => {
  it('checks fields like tix new, shows each problem by its field, then creates and selects the ticket', async () => {
    const {desk} = await deskWith([{title: 'Existing', priority: 'urgent'}])
    const app = renderApp(desk, {size: {columns: 100, rows: 34}})
    await app.waitFor('Existing')
    await app.press('c')
    await app.waitFor('New ticket')
    await app.press(CTRL_S)
    await app.waitFor('✗ The title is empty.')
    // The whole form in one go, as a fast typist (or keys pasted from a script) would: no waiting
    // for a field to show active before typing into it. Every key must land in its own field.
    app.stdin.write(['Laptop will not boot', TAB, TAB, 'not <an email>', TAB, RIGHT, RIGHT, TAB, TAB, TAB, 'it', TAB, 'hw laptop', TAB, 'nobody', CTRL_S].join(''))
    // Ctrl-S shows every problem, and the first field with one takes the focus.
    let f = await app.waitFor((x) => x.includes('"nobody" is not an e-mail address') && /▶ Requester/.test(x))
    expect(f).toContain('The requester "not <an email>" has no valid e-mail address between < and >.')
    expect(f).not.toContain('The title is empty.')
    // Mend both in one go: the requester, then down to the assignee, and Enter on the last field creates.
    app.stdin.write([...Array(14).fill(BACKSPACE), 'Dana <dana@example.com>', TAB, TAB, TAB, TAB, TAB, TAB, ...Array(6).fill(BACKSPACE), 'me', ENTER].join(''))
    f = await app.waitFor('Created ')
    expect(f).toMatch(/▶ \S+\s+urgent\s+new .*Laptop will not boot/)
    const {listTickets} = await import('../../src/services/tickets.js')
    const created = (await listTickets(desk, {})).tickets.find((t) => t.title === 'Laptop will not boot')!
    expect(created).toMatchObject({priority: 'urgent', department: 'it', tags: ['hw', 'laptop'], assignee: 'agent@example.com', requester: {name: 'Dana', email: 'dana@example.com'}})
    app.unmount()
  })

  it('Esc leaves the form without creating anything', async () => {
    const {desk} = await deskWith([{title: 'Existing'}])
    const app = renderApp(desk)
    await app.waitFor('Existing')
    await app.press('c', 'Half typed', ESC)
    await app.waitFor('No ticket created.')
    expect((await desk.index()).ids.length).toBe(1)
    app.unmount()
  })
})
