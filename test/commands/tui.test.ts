import {describe, expect, it} from 'vitest'
import {makeDesk, tix} from '../helpers.js'

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
