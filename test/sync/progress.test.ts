// A sync on a terminal shows what it is doing on one progress line (git's own progress for the
// fetch and the push, our phases in between) and erases it; in a pipe it shows nothing of it.
import {spawnSync} from 'node:child_process'
import {describe, expect, it} from 'vitest'
import {syncDesk} from '../../src/services/sync.js'
import {newTicket} from '../../src/services/tickets.js'
import {BIN, cliEnv, testIO, tix} from '../helpers.js'
import {team} from './helpers.js'

describe('the progress of a sync', () => {
  it('names each phase, passes on git’s counts, and ends by erasing the line', async () => {
    const {clones} = await team(2)
    const [a, b] = clones as [(typeof clones)[0], (typeof clones)[0]]
    for (let i = 0; i < 5; i++) await newTicket(a.desk, {title: `From A ${i}`})
    await newTicket(b.desk, {title: 'From B'})
    const shown: Array<string | null> = []
    const progress = (text: string | null): void => void shown.push(text)
    await syncDesk({...testIO(a.dir, a.env, a.warnings), progress}, {backoffMs: 5})
    const texts = shown.filter((t): t is string => t !== null)
    expect(texts).toContain('Fetching the desk from origin…')
    expect(texts).toContain('Pushing the desk to origin…')
    expect(texts.some((t) => /^Pushing the desk to origin: [a-z ]+ \d+% \([\d,]+ of [\d,]+\)$/.test(t)), texts.join('\n')).toBe(true)
    expect(shown.at(-1)).toBeNull()
    // B's sync merges A's five tickets: fetched (with git's counts) and merged
    shown.length = 0
    const r = await syncDesk({...testIO(b.dir, b.env, b.warnings), progress}, {backoffMs: 5})
    expect(r.result.merged).toBe('merge')
    expect(shown).toContain('Merging the desk with origin…')
    expect(shown.some((t) => t !== null && /^Fetching the desk from origin: [a-z ]+ \d+% /.test(t)), shown.join('\n')).toBe(true)
    expect(shown.at(-1)).toBeNull()
  })

  it('the built CLI draws it on a terminal only', async () => {
    const {clones} = await team(1)
    const a = clones[0]!
    expect(tix(a.dir, ['new', 'On a terminal'], {env: a.env}).code).toBe(0)
    // a pipe: no progress line, no carriage return
    const piped = tix(a.dir, ['sync'], {env: a.env})
    expect(piped.code, piped.stderr).toBe(0)
    expect(piped.stderr).not.toContain('\r')
    expect(piped.stderr).not.toContain('Fetching')
    expect(tix(a.dir, ['new', 'Again on a terminal'], {env: a.env}).code).toBe(0)
    // a pseudo-terminal (util-linux `script`): the line is drawn and erased
    const cmd = `stty cols 100; ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} sync`
    const r = spawnSync('script', ['-qec', cmd, '/dev/null'], {cwd: a.dir, env: {...cliEnv(a.env), COLUMNS: '100'}, encoding: 'utf8'})
    expect(r.status, r.stdout + r.stderr).toBe(0)
    expect(r.stdout).toContain('\rPushing the desk to origin')
    expect(r.stdout).toContain('\r\u001b[K')
    expect(r.stdout).toMatch(/Pushed|pushed/)
  })
})
