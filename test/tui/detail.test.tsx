import {describe, expect, it} from 'vitest'
import {ticketPath} from '../../src/store/desk.js'
import {deskWith, ENTER, ESC, NOW, renderApp} from './helpers.js'

describe('detail screen', () => {
  it('shows fields, the body, and the thread with public replies and internal notes told apart', async () => {
    const {desk} = await deskWith([
      {
        title: 'Printer jams',
        body: 'Every job jams at the fuser.',
        priority: 'high',
        department: 'it',
        tags: ['printer'],
        requester: {name: 'Bob Jones', email: 'bob@example.com'},
        replies: [{body: 'Restarted the spooler; try again.'}],
        notes: [{body: 'Toner sensor looks faulty'}],
      },
    ])
    const app = renderApp(desk)
    await app.waitFor('Printer jams')
    await app.press(ENTER)
    const f = await app.waitFor('PUBLIC REPLY')
    expect(f).toContain('open · high priority · question · via email')
    expect(f).toMatch(/requester\s+Bob Jones <bob@example.com>/)
    expect(f).toMatch(/department\s+it/)
    expect(f).toMatch(/tags\s+printer/)
    expect(f).toContain('Every job jams at the fuser.')
    expect(f).toContain('Thread: 1 reply, 1 note')
    expect(f).toMatch(/▌PUBLIC REPLY agent@example.com/)
    expect(f).toContain('│ Restarted the spooler; try again.')
    expect(f).toMatch(/▌INTERNAL NOTE agent@example.com .*\(agents only\)/)
    expect(f).toContain('┆ Toner sensor looks faulty')
    expect(f).toMatch(/· \d{4}-\d\d-\d\d \d\d:\d\d agent@example.com: status new -> open/)
    await app.press(ESC)
    await app.waitFor('1/1 ticket')
    app.unmount()
  })

  it('wraps long bodies to the width and scrolls them', async () => {
    const words = Array.from({length: 400}, (_, i) => `word${i}`).join(' ')
    const {desk} = await deskWith([{title: 'Long one', body: words}])
    const app = renderApp(desk, {size: {columns: 60, rows: 20}})
    await app.waitFor('Long one')
    await app.press(ENTER)
    let f = await app.waitFor('word0 ')
    for (const line of f.split('\n')) expect(line.length).toBeLessThanOrEqual(60)
    expect(f).toMatch(/1-\d+ of \d+ lines/)
    expect(f).not.toContain('word399')
    await app.press('G')
    f = await app.waitFor('word399')
    expect(f).not.toContain('word0 ')
    await app.press('g')
    await app.waitFor('word0 ')
    app.unmount()
  })

  it('never lets ticket text move the cursor, retitle the window or hide text', async () => {
    const evil = 'Title \u001B[2J\u001B[H\u001B]0;pwned\u0007 end'
    const {desk} = await deskWith([
      {title: evil, body: 'body \u001B[8mhidden\u001B[0m \u009B31m and \r carriage', requester: {name: 'Eve \u001B[31m', email: 'eve@example.com'}, replies: [{body: 'reply \u001B[1A up'}]},
    ])
    const app = renderApp(desk)
    let f = await app.waitFor('Title')
    expect(f).not.toContain('\u001B')
    expect(f).toContain('Title \\x1b[2J\\x1b[H\\x1b]0;pwned\\x07 end')
    await app.press(ENTER)
    f = await app.waitFor('PUBLIC REPLY')
    expect(f).not.toContain('\u001B')
    expect(f).not.toContain('\u009B')
    expect(f).not.toContain('\r')
    expect(f).toContain('\\x1b[8mhidden\\x1b[0m')
    expect(f).toContain('reply \\x1b[1A up')
    expect(f).toContain('Eve \\x1b[31m')
    for (const frame of app.frames) expect(frame).not.toMatch(/\u001B\]|\u001B\[[0-9;]*[HJA]/)
    app.unmount()
  })

  it('shows the skipped lines of a damaged ticket file, sanitised, and still the rest of it', async () => {
    const {desk, ids} = await deskWith([{title: 'Damaged', replies: [{body: 'Still here'}]}])
    const loaded = (await desk.readTicket(ids[0]!))!
    await desk.commitFiles([{path: ticketPath(ids[0]!), content: loaded.raw + '{"type": \u001B[2J}\n'}], 'Damage a file')
    const app = renderApp(desk)
    await app.waitFor('1 ticket file with skipped lines')
    await app.press(ENTER)
    const f = await app.waitFor('Skipped lines in the file:')
    expect(f).toContain('│ Still here')
    expect(f).toMatch(/line 4: not valid JSON \(Unexpected token .*\\x1b/) // the parser quotes the line: made visible
    expect(f).not.toContain('\u001B')
    app.unmount()
  })

  it('shows the selected ticket beside the queue on a wide terminal, and Tab moves between panes', async () => {
    const {desk} = await deskWith([
      {title: 'First ticket', priority: 'urgent', body: 'Body of the first'},
      {title: 'Second ticket', priority: 'low', body: 'Body of the second'},
    ])
    const app = renderApp(desk, {size: {columns: 180, rows: 30}})
    let f = await app.waitFor('Body of the first')
    expect(f).toMatch(/priority│ \S+\s+First ticket/)
    await app.press('j')
    f = await app.waitFor('Body of the second')
    expect(f).not.toContain('Body of the first')
    await app.press('\t')
    await app.waitFor((x) => x.includes('Esc back'))
    await app.press('\t')
    await app.waitFor('Tickets by status')
    await app.press('\t')
    await app.waitFor('Body of the second')
    app.unmount()
  })

  it('uses the fixed clock for ages', async () => {
    const {desk} = await deskWith([{title: 'Aged', createdAt: new Date(Date.parse(NOW) - 3 * 86400_000).toISOString()}])
    const app = renderApp(desk)
    const f = await app.waitFor('Aged')
    expect(f).toMatch(/new\s+3d/)
    app.unmount()
  })
})
