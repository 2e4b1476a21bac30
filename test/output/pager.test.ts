// A long `tix list` on a terminal goes through the pager; never in a pipe, never with --no-pager,
// never when it fits the screen; the pager is started without a shell.
import {spawnSync} from 'node:child_process'
import {chmodSync, existsSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {pagerCommand} from '../../src/output/pager.js'
import {newTicket} from '../../src/services/tickets.js'
import {BIN, cliEnv, makeDesk, tempDir, tix} from '../helpers.js'

describe('pagerCommand', () => {
  it('takes TIX_PAGER, then PAGER, then less -FRX; cat or empty means none', () => {
    expect(pagerCommand({})).toEqual(['less', '-FRX'])
    expect(pagerCommand({PAGER: 'most'})).toEqual(['most'])
    expect(pagerCommand({PAGER: 'most', TIX_PAGER: '  less  -S -R '})).toEqual(['less', '-S', '-R'])
    expect(pagerCommand({PAGER: 'cat'})).toBeNull()
    expect(pagerCommand({TIX_PAGER: '', PAGER: 'less'})).toBeNull()
    // no shell: quotes and $() are plain words
    expect(pagerCommand({PAGER: 'less "$(touch x)"'})).toEqual(['less', '"$(touch', 'x)"'])
  })
})

const hasScript = spawnSync('script', ['--version']).status === 0

describe.skipIf(!hasScript)('tix list on a terminal', () => {
  let dir: string
  let out: string
  let pager: string
  beforeAll(async () => {
    const made = await makeDesk()
    dir = made.dir
    for (let i = 0; i < 25; i++) await newTicket(made.desk, {title: `Ticket ${i} $(touch ${join(dir, 'pwned')})`})
    const bin = tempDir('tix-pager-')
    out = join(bin, 'paged')
    pager = join(bin, 'fake-pager')
    // Records its arguments and what it was given, as a pager would show it.
    writeFileSync(pager, `#!/bin/sh\nprintf '%s\\n' "$@" > "${out}.args"\ncat > "${out}"\n`)
    chmodSync(pager, 0o755)
  })

  /** Runs tix under a pseudo-terminal of `rows` rows (util-linux `script`). */
  const onTerminal = (args: string, rows: number, env: NodeJS.ProcessEnv = {}) => {
    rmSync(out, {force: true})
    const cmd = `stty rows ${rows} cols 120; '${process.execPath}' '${BIN}' ${args}`
    const full = cliEnv({TIX_PAGER: `${pager} --from-tix`, ...env})
    for (const k of Object.keys(full)) if (full[k] === undefined) delete full[k]
    const r = spawnSync('script', ['-qec', cmd, '/dev/null'], {cwd: dir, env: full, encoding: 'utf8', input: ''})
    expect(r.status, r.stderr).toBe(0)
    return {screen: r.stdout, paged: existsSync(out) ? readFileSync(out, 'utf8') : null}
  }

  it('pages a list longer than the screen, with the pager given as argv (no shell)', () => {
    const {paged, screen} = onTerminal('list', 10)
    expect(paged).not.toBeNull()
    expect(paged!.split('\n').filter((l) => l.includes('Ticket '))).toHaveLength(25)
    expect(readFileSync(`${out}.args`, 'utf8')).toBe('--from-tix\n')
    expect(screen).not.toContain('Ticket 3 ')
    expect(existsSync(join(dir, 'pwned'))).toBe(false)
  })

  it('does not page with --no-pager, when the list fits, or with PAGER=cat', () => {
    for (const [args, rows, env] of [['list --no-pager', 10, {}], ['list', 60, {}], ['list', 10, {TIX_PAGER: undefined, PAGER: 'cat'}]] as const) {
      const {paged, screen} = onTerminal(args, rows, env)
      expect(paged, `${args} in ${rows} rows`).toBeNull()
      expect(screen).toContain('Ticket 3 ')
    }
  })

  it('never pages in a pipe', () => {
    rmSync(out, {force: true})
    const r = tix(dir, ['list'], {env: {TIX_PAGER: pager}})
    expect(r.code).toBe(0)
    expect(r.stdout.split('\n').filter((l) => l.includes('Ticket '))).toHaveLength(25)
    expect(existsSync(out)).toBe(false)
  })

  it('prints the list itself when the pager cannot start', () => {
    const {screen} = onTerminal('list', 10, {TIX_PAGER: join(dir, 'no-such-pager')})
    expect(screen).toContain('Ticket 3 ')
  })
})
