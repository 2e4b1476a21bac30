// The in-process runner (test/run-tix.ts) is what most command tests use instead of the binary, so
// it must give what the binary gives: the same stdout, stderr and exit code, through both lanes,
// and leave nothing of one run in the process (environment, folder, exit code) for the next.
import {describe, expect, it} from 'vitest'
import {gitRepo, tix, tixIn} from '../helpers.js'

const env = {TIX_NOW: '2026-01-01T10:00:00Z'}

/** Ticket and event ids and commit hashes differ between two desks (upper-case words go too, on both sides); temp folders too. */
const same = (dirs: string[]) => (s: string) => dirs.reduce((t, d) => t.replaceAll(d, '<dir>'), s.replace(/\b[0-9A-Z]{5,16}\b/g, '<id>').replace(/\b[0-9a-f]{7,40}\b/g, '<commit>'))

describe('tixIn gives what the binary gives', () => {
  it('for the same command lines on two desks: results, JSON, errors, help, unknown commands, stdin, exit codes 0, 1 and 2', async () => {
    const spawned = gitRepo()
    const inProcess = gitRepo()
    const norm = same([spawned, inProcess])
    const lines: Array<{args: string[]; input?: string; env?: NodeJS.ProcessEnv}> = [
      {args: ['list']}, // no desk yet: exit 1 with a hint
      {args: ['init']},
      {args: ['new', 'Printer on fire', '-p', 'high']},
      {args: ['new', '--title', 'From stdin', '--body-file', '-', '--json'], input: 'The body, piped.\n', env: {TIX_NOW: '2026-01-01T10:05:00Z'}},
      {args: ['list']},
      {args: ['list', '--json']},
      {args: ['list', '-q']},
      {args: ['show', 'ZZZZZ']},
      {args: ['show', 'ZZZZZ', '--json']},
      {args: ['list', '--bogus']},
      {args: ['lst']},
      {args: ['lst', '--json']},
      {args: ['report', 'nonsense']},
      {args: []},
      {args: ['--help']},
      {args: ['help', 'list']},
      {args: ['list', '-h']},
      {args: ['kb']},
      {args: ['--version']},
      {args: ['completion', 'bash']},
      {args: ['list'], env: {TIX_OCLIF_FULL: '1'}},
      {args: ['doctor', '--json']},
    ]
    for (const line of lines) {
      const opts = {env: {...env, ...line.env}, input: line.input}
      const a = tix(spawned, line.args, opts)
      const b = await tixIn(inProcess, line.args, opts)
      const label = line.args.join(' ') || '(no arguments)'
      expect({label, code: b.code, stdout: norm(b.stdout), stderr: norm(b.stderr)}).toEqual({label, code: a.code, stdout: norm(a.stdout), stderr: norm(a.stderr)})
    }
    // `tix status - pending` reads the ids piped in, as in a shell pipeline
    const ids = (await tixIn(inProcess, ['list', '-q'], {env})).stdout
    const piped = await tixIn(inProcess, ['status', '-', 'pending', '--json'], {env, input: ids})
    expect(piped.code, piped.stderr).toBe(0)
    expect(piped.json()).toMatchObject({kind: 'ticket-batch', count: 2, changed: 2})
  })

  it('leaves the process as it found it: environment, folder, exit code; and a run sees only its own environment', async () => {
    const dir = gitRepo()
    const before = {env: {...process.env}, cwd: process.cwd(), exitCode: process.exitCode}
    expect((await tixIn(dir, ['init'], {env: {TIX_BRANCH: 'desk-a'}})).code).toBe(0)
    expect((await tixIn(dir, ['list'], {env: {TIX_BRANCH: 'desk-a'}})).code).toBe(0)
    // the next run has no TIX_BRANCH: it looks for the "tix" branch, which does not exist
    const other = await tixIn(dir, ['list'])
    expect(other.code).toBe(1)
    expect(other.stderr).toMatch(/no "tix" branch/)
    expect((await tixIn(dir, ['show', 'NOPE1'], {env: {TIX_BRANCH: 'desk-a'}})).code).toBe(3) // not found
    expect({env: {...process.env}, cwd: process.cwd(), exitCode: process.exitCode}).toEqual(before)
  })
})
