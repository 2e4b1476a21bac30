// The CLI refuses bad input clearly (exit 2), with --json too. One desk, run in-process.
import {beforeAll, describe, expect, it} from 'vitest'
import {makeDesk, tixIn} from '../helpers.js'

let dir: string
let id: string

beforeAll(async () => {
  dir = (await makeDesk()).dir
  const made = await tixIn(dir, ['new', 'Printer jams', '--json'])
  expect(made.code).toBe(0)
  id = made.json().ticket.shortId
})

describe('strict input at the command line', () => {
  it('show and report refuse impossible dates and "0" with the same words', async () => {
    for (const [cmd, value] of [['show', '2026-02-30'], ['show', '0'], ['report', '2026-02-30'], ['report', '0']] as const) {
      const r = await tixIn(dir, cmd === 'show' ? ['show', id, '--as-of', value] : ['report', '--as-of', value])
      expect(r.code, `${cmd} ${value}: ${r.stderr}`).toBe(2)
      expect(r.stderr).toMatch(value === '0' ? /--as-of "0" is not a date/ : /--as-of "2026-02-30" is not a date: 2026-02 has no day 30/)
    }
  })

  it('an unknown command with --json prints a JSON error document', async () => {
    const r = await tixIn(dir, ['nosuchcmd', '--json'])
    expect(r.code).toBe(2)
    expect(r.json()).toMatchObject({schemaVersion: 1, kind: 'error', error: {code: 'usage', exitCode: 2, message: 'Unknown command "nosuchcmd".'}})
  })

  it('config set __proto__.x is refused (exit 2), not "nothing changed"', async () => {
    const r = await tixIn(dir, ['config', 'set', '__proto__.x', '1'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('names "__proto__", which desk.json cannot hold')
    expect(r.stdout).not.toContain('nothing changed')
  })

  it('--department nosuch on a desk with departments: exit 2 and the list', async () => {
    expect((await tixIn(dir, ['config', 'set', 'departments', '{"it": {"name": "IT"}, "facilities": {}}'])).code).toBe(0)
    const r = await tixIn(dir, ['new', 'x', '--department', 'nosuch'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('expected one of it, facilities')
    const s = await tixIn(dir, ['set', id, '--department', 'nosuch', '--json'])
    expect(s.code).toBe(2)
    expect(s.json().error.details).toEqual({departments: ['it', 'facilities']})
  })

  it('TIX_ACTOR="<>" is refused before anything is written', async () => {
    const r = await tixIn(dir, ['new', 'x'], {env: {TIX_ACTOR: '<>'}})
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('TIX_ACTOR "<>" is not a person with an e-mail address')
  })

  it('config validate names the path of a pattern RE2 cannot run, and of a remote that is an option', async () => {
    const desk = {version: 1, remote: '--upload-pack=touch /tmp/pwned', rules: [{name: 'r', if: {title: '(?=.*x)y'}, then: {tags: ['x']}}]}
    const r = await tixIn(dir, ['config', 'validate', '-', '--json'], {input: JSON.stringify(desk)})
    expect(r.code).toBe(2)
    expect(r.json().problems.map((p: {path: string}) => p.path)).toEqual(['remote', 'rules[0].if.title'])
    expect(r.json().problems[1].message).toContain('look-ahead')
  })
})
