import {existsSync} from 'node:fs'
import {createRequire} from 'node:module'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {gitRepo, makeDesk, ROOT, tix} from '../helpers.js'

describe('tix tui without a terminal', () => {
  it('refuses, names what to use instead, and exits 2', async () => {
    const {dir} = await makeDesk()
    const r = tix(dir, ['tui'])
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain('Error: The TUI needs a terminal (standard input and output must both be one).')
    expect(r.stderr).toContain('Hint: In scripts, use `tix list` (add --json for data).')
  })

  it('plain tix in a pipe still prints the help, listing the tui command', async () => {
    const {dir} = await makeDesk()
    const r = tix(dir, [])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/tui\s+Open the interactive queue/)
  })

  it('documents its views and flags', () => {
    const r = tix(process.cwd(), ['tui', '--help'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('--view=<option>')
    expect(r.stdout).toContain('mine|unassigned|at-risk|new|open|all')
    expect(r.stdout).toContain('--filter')
  })
})

describe('one bundle', () => {
  it("the TUI in the built bundle throws the CLI's own TixError: src/ is there once", async () => {
    expect(existsSync(join(ROOT, 'dist', 'tui.js'))).toBe(false)
    const cli = createRequire(import.meta.url)(join(ROOT, 'dist', 'cli.cjs'))
    const {runTui} = await cli.loadTui()
    // (the desk is opened before the terminal is touched: these fail first)
    const noDesk = await runTui({cwd: gitRepo(), env: process.env}).catch((e: unknown) => e)
    expect(noDesk).toBeInstanceOf(cli.TixError)
    expect(noDesk).toMatchObject({code: 'no-desk', exitCode: 1, hint: expect.stringContaining('tix init')})
    const badBranch = await runTui({cwd: gitRepo(), env: {...process.env, TIX_BRANCH: 'a..b'}}).catch((e: unknown) => e)
    expect(badBranch).toBeInstanceOf(cli.TixError)
    expect(badBranch).toMatchObject({code: 'usage', exitCode: 2})
  })
})
