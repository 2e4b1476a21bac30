// The built TUI in a real terminal (tmux): open, filter, open a ticket, reply, quit; then the reply
// is on the desk for `tix show --json`. Skipped when tmux is not installed.
import {spawnSync} from 'node:child_process'
import {afterAll, describe, expect, it} from 'vitest'
import {BIN, gitRepo, tempDir, tix} from '../helpers.js'
import {deskWith} from './helpers.js'

const hasTmux = spawnSync('tmux', ['-V']).status === 0
const socket = `tix-e2e-${process.pid}`
const tmux = (...args: string[]) => spawnSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], {encoding: 'utf8'})
const capture = () => tmux('capture-pane', '-p', '-t', 'tui').stdout ?? ''
const send = (...keys: string[]) => tmux('send-keys', '-t', 'tui', ...keys)
const sendText = (text: string) => tmux('send-keys', '-t', 'tui', '-l', text)

async function until(test: (screen: string) => boolean, what: string, timeout = 15_000): Promise<string> {
  const start = Date.now()
  let screen = ''
  while (Date.now() - start < timeout) {
    screen = capture()
    if (test(screen)) return screen
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`Timed out waiting for ${what}. Screen:\n${screen}`)
}

afterAll(() => {
  if (hasTmux) tmux('kill-server')
})

/** Runs the CLI with `args` in a fresh tmux window, in a clean environment (no CI variables). */
function start(dir: string, args: string, name = 'tui') {
  const env = Object.entries({TIX_ACTOR: 'Ana Agent <ana@example.com>', HOME: process.env.HOME, GIT_CONFIG_GLOBAL: process.env.GIT_CONFIG_GLOBAL, GIT_CONFIG_NOSYSTEM: '1', TERM: 'xterm-256color', PATH: process.env.PATH})
    .map(([k, v]) => `${k}='${v}'`)
    .join(' ')
  const cmd = `cd '${dir}' && env -i ${env} '${process.execPath}' '${BIN}' ${args}; echo "TIX-EXIT=$?"; sleep 30`
  tmux('kill-session', '-t', name)
  expect(tmux('new-session', '-d', '-s', name, '-x', '100', '-y', '30', cmd).status).toBe(0)
  tmux('set', '-g', 'status', 'off')
}

describe.skipIf(!hasTmux)('the TUI in a real terminal (tmux)', () => {
  it('opens, filters, opens a ticket, replies and quits; the reply is on the desk', async () => {
    const {dir, ids} = await deskWith([
      {title: 'VPN drops every hour', priority: 'urgent', tags: ['vpn']},
      {title: 'Printer on 3rd floor jams', priority: 'high', body: 'Every job jams at the fuser.'},
      {title: 'Chair is broken', priority: 'low'},
    ])
    start(dir, 'tui')

    let screen = await until((s) => s.includes('1/3 tickets'), 'the queue')
    expect(screen).toContain('VPN drops every hour')
    send('/')
    await until((s) => s.includes('/ ') && s.includes('type words or terms'), 'the filter line')
    sendText('printer')
    screen = await until((s) => s.includes('1/1 ticket'), 'the filtered queue')
    expect(screen).not.toContain('VPN drops')
    send('Enter')
    await until((s) => s.includes('filter: printer'), 'the kept filter')
    send('Enter')
    await until((s) => s.includes('Every job jams at the fuser.'), 'the ticket')
    send('r')
    await until((s) => s.includes('public: the requester sees it'), 'the reply prompt')
    sendText('Replaced the fuser; please try again.')
    await until((s) => s.includes('› Replaced the fuser; please try again.'), 'the typed reply')
    send('Enter')
    await until((s) => s.includes(': public reply: Replaced the fuser; please try again.'), 'the status line')
    // the thread re-reads the ticket right after the status line: wait for it, as a person would
    screen = await until((s) => s.includes('│ Replaced the fuser; please try again.'), 'the reply in the thread')
    expect(screen).toContain('PUBLIC REPLY')
    send('q')
    await until((s) => s.includes('1/1 ticket'), 'back in the queue')
    send('q')
    screen = await until((s) => s.includes('TIX-EXIT=0'), 'the exit')
    expect(screen).not.toContain('? help') // the alternate screen is gone: the shell is as it was

    const show = tix(dir, ['show', ids[1]!.slice(0, 6), '--json'])
    expect(show.code, show.stderr).toBe(0)
    const ticket = show.json().ticket
    expect(ticket.thread).toEqual([expect.objectContaining({kind: 'reply', public: true, author: 'ana@example.com', body: 'Replaced the fuser; please try again.'})])
    expect(ticket.status).toBe('open')
  })

  it('in a repository without a desk, the error the TUI meets is the CLI\'s: message, hint, exit code', async () => {
    start(gitRepo(), 'tui')
    const screen = await until((s) => s.includes('TIX-EXIT='), 'the exit')
    expect(screen).toContain('Error: This repository has no desk yet (no "tix" branch).')
    expect(screen).toContain('Hint: Run `tix init` to make one here')
    expect(screen).toContain('TIX-EXIT=1')
  })

  it('opens from plain `tix` on a terminal in a desk, and prints the help elsewhere', async () => {
    const {dir} = await deskWith([{title: 'Only ticket'}])
    start(dir, '')
    await until((s) => s.includes('Only ticket') && s.includes('1/1 ticket'), 'the queue')
    send('q')
    await until((s) => s.includes('TIX-EXIT=0'), 'the exit')
    start(tempDir(), '')
    const screen = await until((s) => s.includes('TIX-EXIT=0'), 'the help')
    expect(screen).toMatch(/tui\s+Open the interactive queue/)
  })
})
