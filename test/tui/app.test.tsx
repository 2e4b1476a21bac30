import {EventEmitter} from 'node:events'
import {describe, expect, it} from 'vitest'
import {showTicket} from '../../src/services/tickets.js'
import {updateDeskJson} from '../../src/services/workflow/desk-config.js'
import {syncLine} from '../../tui/actions.js'
import {makeTheme} from '../../tui/theme.js'
import {runTui} from '../../tui/main.js'
import {git, tempDir} from '../helpers.js'
import {deskWith, ENTER, ESC, NOW, renderApp, tick} from './helpers.js'

describe('help, dashboard, screens', () => {
  it('shows every key in the help overlay, from the binding table', async () => {
    const {desk} = await deskWith([{title: 'Alpha'}])
    const app = renderApp(desk, {size: {columns: 100, rows: 60}})
    await app.waitFor('Alpha')
    await app.press('?')
    const f = await app.waitFor('Keys')
    for (const text of ['Moving around', 'Filter as you type', 'Reply in public (tix reply)', 'Resolve, saying what solved it', 'Saved views: 1 Mine, 2 Unassigned', 'Quit at once, from anywhere']) {
      expect(f).toContain(text)
    }
    expect(f).toContain('Sync with the remote (tix sync)')
    expect(f).toContain('Escalate, with the reason (tix escalate)')
    await app.press(ESC)
    await app.waitFor('1/1 ticket')
    app.unmount()
  })

  it('counts by status and department, charts the week, lists the oldest unanswered; Enter opens one', async () => {
    const day = (d: number) => new Date(Date.parse(NOW) - d * 86400_000).toISOString()
    const {desk} = await deskWith([
      {title: 'Oldest unanswered', department: 'it', createdAt: day(20)},
      {title: 'Answered', department: 'it', createdAt: day(2), replies: [{body: 'hi', at: day(1)}]},
      {title: 'New today', department: 'facilities', createdAt: day(0)},
      {title: 'Done', createdAt: day(10), status: 'resolved', resolvedAt: day(1)},
    ])
    const app = renderApp(desk, {size: {columns: 100, rows: 40}})
    await app.waitFor('Oldest unanswered')
    await app.press('\t')
    await app.waitFor('Tickets by status')
    // resolved tickets load after the first frame ("still loading"): wait for them as a person would
    const f = await app.waitFor('3 unresolved of 4')
    expect(f).toMatch(/new 2 · open 1 · pending 0 · on-hold 0 · resolved 1 · closed 0/)
    expect(f).toMatch(/it\s+2 █+\s+2 unassigned/)
    expect(f).toMatch(/facilities\s+1 █+/)
    expect(f).toMatch(/Thu 03-12\s+1 █+\s+0/)
    expect(f).toMatch(/Wed 03-11\s+0\s+1 ▒+/)
    expect(f).toContain('2 unresolved with no response yet')
    expect(f.indexOf('Oldest unanswered  ')).toBeLessThan(f.indexOf('▶'))
    expect(f).toMatch(/▶ \S+\s+normal\s+new\s+2w\s+Oldest unanswered/)
    await app.press(ENTER)
    await app.waitFor((x) => x.includes('Oldest unanswered') && x.includes('first response -'))
    await app.press(ESC)
    await app.waitFor('Tickets by status')
    await app.press(ESC)
    await app.waitFor('3 tickets')
    app.unmount()
  })

  it('adapts to a resize, and says so when the terminal is too small', async () => {
    const {desk} = await deskWith([{title: 'A title that is long enough to be cut on a narrow terminal'}])
    const app = renderApp(desk, {size: undefined})
    const stdout = app.stdout as unknown as EventEmitter & {columns: number; rows: number}
    Object.defineProperty(stdout, 'columns', {value: 60, configurable: true, writable: true})
    Object.defineProperty(stdout, 'rows', {value: 20, configurable: true, writable: true})
    stdout.emit('resize')
    let f = await app.waitFor('A title')
    for (const line of f.split('\n')) expect(line.length).toBeLessThanOrEqual(60)
    expect(f.split('\n').length).toBeLessThanOrEqual(19)
    stdout.columns = 30
    stdout.rows = 8
    stdout.emit('resize')
    f = await app.waitFor((x) => x.includes('The terminal is 30x8;') && x.includes('40x10'))
    for (const line of f.split('\n')) expect(line.length).toBeLessThanOrEqual(30)
    stdout.columns = 140
    stdout.rows = 30
    stdout.emit('resize')
    await app.waitFor('A title that is long enough to be cut on a narrow terminal')
    app.unmount()
  })

  it('turns colour off with NO_COLOR, unless FORCE_COLOR', () => {
    expect(makeTheme({NO_COLOR: '1'}).of('error')).toBeUndefined()
    expect(makeTheme({}).of('error')).toBe('red')
    expect(makeTheme({NO_COLOR: '1', FORCE_COLOR: '1'}).of('error')).toBe('red')
  })
})

describe('actions that reach beyond the ticket', () => {
  it('syncs with the remote (tix sync) and says what moved, in one line', async () => {
    const {desk, dir} = await deskWith([{title: 'Alpha'}])
    const remote = tempDir()
    git(remote, 'init', '--quiet', '--bare')
    git(dir, 'remote', 'add', 'origin', remote)
    const app = renderApp(desk, {size: {columns: 140, rows: 30}})
    const f = await app.waitFor('Alpha')
    expect(f).toContain('S sync')
    await app.press('S')
    await app.waitFor(/Synced with origin \(\w+\): 0 commits in, \d+ out\./)
    expect(git(remote, 'rev-parse', 'tix').trim()).toBe(git(dir, 'rev-parse', 'tix').trim())
    app.unmount()
  })

  it('says what a sync brought in and what is left to do', () => {
    const r = {remote: 'origin', merged: 'merge', fetched: 3, pushed: 1, tickets: ['A', 'B'], conflicts: [], ahead: 0} as unknown as Parameters<typeof syncLine>[0]
    expect(syncLine(r)).toBe('Synced with origin (merge): 3 commits in (2 tickets), 1 out.')
    expect(syncLine({...r, merged: 'up-to-date', fetched: 0, pushed: 0, tickets: [], ahead: 2})).toBe('Synced with origin (up to date): 0 commits in, 0 out; 2 commits not pushed.')
    expect(syncLine({...r, conflicts: [{}] as never})).toBe('Synced with origin (merge): 3 commits in (2 tickets), 1 out; 1 conflict to settle: run tix sync in a shell.')
  })

  it('escalates (tix escalate): the service refuses an empty reason, then hands the ticket to the next tier', async () => {
    const {desk, ids} = await deskWith([{title: 'Alpha', department: 'it'}])
    await updateDeskJson(desk, 'Agents', (c) => ({
      ...c,
      departments: {it: {name: 'IT'}},
      agents: {'ana@example.com': {name: 'Ana', departments: ['it'], tier: 1}, 'ben@example.com': {name: 'Ben', departments: ['it'], tier: 2}},
    }))
    const app = renderApp(desk)
    await app.waitFor('Alpha')
    await app.press('E')
    await app.waitFor('why? (the reason is required')
    await app.press(ENTER)
    await app.waitFor('Escalating needs a reason')
    await app.press('Needs L2', ENTER)
    await app.waitFor(/: escalated/)
    expect((await showTicket(desk, ids[0]!)).ticket.ticket).toMatchObject({tier: 2, assignee: 'ben@example.com'})
    app.unmount()
  })
})

/** A terminal for runTui: raw mode, size, and everything written. */
class FakeTty extends EventEmitter {
  isTTY = true
  columns = 100
  rows = 30
  raw: boolean[] = []
  out = ''
  data: string | null = null
  write = (s: string) => {
    this.out += s
    return true
  }
  setRawMode = (v: boolean) => {
    this.raw.push(v)
    return this
  }
  setEncoding() {}
  ref() {}
  unref() {}
  resume() {}
  pause() {}
  read = () => {
    const d = this.data
    this.data = null
    return d
  }
  type(s: string) {
    this.data = s
    this.emit('readable')
  }
}

describe('the terminal', () => {
  it('takes the alternate screen and gives the terminal back on Ctrl-C', async () => {
    const {dir} = await deskWith([{title: 'Alpha'}])
    const tty = new FakeTty()
    let ready = false
    const done = runTui({cwd: dir, env: {...process.env, TIX_NOW: NOW}, stdin: tty as never, stdout: tty as never, onReady: () => (ready = true)})
    for (let i = 0; i < 200 && !(ready && tty.out.includes('Alpha')); i++) await tick(10)
    expect(tty.out.startsWith('\u001B[?1049h')).toBe(true)
    expect(tty.out).toContain('\u001B[?2004h')
    expect(tty.raw.at(-1)).toBe(true)
    tty.type('\u0003')
    expect(await done).toBe(0)
    expect(tty.out.endsWith('\u001B[?2004l\u001B[?25h\u001B[?1049l')).toBe(true)
    expect(tty.raw.at(-1)).toBe(false)
  })
})
