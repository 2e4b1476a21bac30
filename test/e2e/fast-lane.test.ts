// The fast lane (commands/index.ts, docs/architecture.md): a command line that names a command runs
// its class without oclif's Config.load. It must behave exactly as the full oclif path does.
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {fastLane} from '../../commands/index.js'
import {newTicket} from '../../src/services/tickets.js'
import {makeDesk, tix} from '../helpers.js'

describe('which command lines take the fast lane', () => {
  it('a command, a topic command, and their arguments; never help, topics, unknown words or completion', () => {
    expect(fastLane(['show', '7K3F9', '--json'])).toEqual({id: 'show', argv: ['7K3F9', '--json']})
    expect(fastLane(['kb', 'search', 'vpn', 'drops'])).toEqual({id: 'kb:search', argv: ['vpn', 'drops']})
    expect(fastLane(['report', 'backlog-age'])).toEqual({id: 'report:backlog-age', argv: []})
    expect(fastLane(['report', '--by', 'department'])).toEqual({id: 'report', argv: ['--by', 'department']})
    expect(fastLane(['serve', 'token', 'add', 'chat'])).toEqual({id: 'serve:token:add', argv: ['chat']})
    // a word after `--` is an argument, and help after it is not a help request
    expect(fastLane(['search', '--', '--help'])).toEqual({id: 'search', argv: ['--', '--help']})
    for (const argv of [[], ['--help'], ['show', '--help'], ['show', '7K3F9', '-h'], ['help', 'show'], ['kb'], ['report', 'nonsense'], ['nosuch'], ['completion', 'bash'], ['__complete', 'sh']]) {
      expect(fastLane(argv), argv.join(' ')).toBeNull()
    }
  })
})

describe('the fast lane and oclif give the same output', () => {
  it('for results, JSON, usage errors, unknown flags, missing arguments and not-found ids', async () => {
    const {dir, desk} = await makeDesk()
    const res = await newTicket(desk, {title: 'Printer jam on floor 3', requester: {name: 'Ana', email: 'ana@example.com'}})
    const id = res.ticket.ticket.id
    const lines = [
      ['show', id],
      ['show', id, '--json'],
      ['show', id, '--bogus'],
      ['show'],
      ['show', 'ZZZZ'],
      ['list', '--json'],
      ['list', '--status', 'nonsense'],
      ['list', '--limit'],
      ['search', 'printer'],
      ['report', 'nonsense'],
      ['new', '--json'],
      ['kb', 'list', '--json'],
    ]
    const now = {TIX_NOW: new Date(Date.now() + 3_600_000).toISOString()} // "1h ago" in both runs, however slow the machine
    for (const args of lines) {
      const fast = tix(dir, args, {env: now})
      const full = tix(dir, args, {env: {...now, TIX_OCLIF_FULL: '1'}})
      expect({args, code: fast.code, stdout: fast.stdout, stderr: fast.stderr}).toEqual({args, code: full.code, stdout: full.stdout, stderr: full.stderr})
    }
    // and those shared results are the documented exit codes, not two identical crashes
    expect(tix(dir, ['show', id, '--bogus']).code).toBe(2)
    expect(tix(dir, ['show', 'ZZZZ']).code).toBe(3)
  })
})

describe('the queue bucket is read only by what needs it', () => {
  it('show does not parse open.jsonl; a bucket damaged without changing size is dropped, reported once, and rebuilt', async () => {
    const {dir, desk} = await makeDesk()
    const a = await newTicket(desk, {title: 'First'})
    await newTicket(desk, {title: 'Second'})
    expect(tix(dir, ['list', '-q']).code).toBe(0) // the cache is at the tip
    const open = join(desk.cache.dir, 'open.jsonl')
    const text = readFileSync(open, 'utf8')
    writeFileSync(open, text.replace('"title":"First"', '"title"!"First"')) // same size, not JSON
    const show = tix(dir, ['show', a.ticket.ticket.id, '--json'])
    expect(show.code).toBe(0)
    expect(show.json().ticket.title).toBe('First')
    const list = tix(dir, ['list'])
    expect(list.code).toBe(1)
    expect(list.stderr).toMatch(/cache was damaged and has been dropped; nothing on the desk is lost/)
    expect(list.stderr).toMatch(/Run the command again/)
    const again = tix(dir, ['list', '--json'])
    expect(again.code).toBe(0)
    expect(again.json().tickets.map((t: {title: string}) => t.title).sort()).toEqual(['First', 'Second'])
  })
})
