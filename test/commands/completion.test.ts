// Shell completion: the hidden `tix __complete` answers from the manifest and the desk's cache,
// and the bash script drives it in a real bash.
import {spawnSync} from 'node:child_process'
import {chmodSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {STATUSES} from '../../src/domain/ticket/model.js'
import {complete, deskValues, type CommandSpec} from '../../src/services/completion.js'
import {newTicket, updateTicket} from '../../src/services/tickets.js'
import {saveMacro} from '../../src/services/workflow/macros.js'
import {updateDeskJson} from '../../src/services/workflow/desk-config.js'
import {changeStatus} from '../../src/domain/ticket/ticket-ops.js'
import type {Desk} from '../../src/store/desk.js'
import {BIN, cliEnv, makeDesk, ROOT, tempDir, tixIn} from '../helpers.js'

/** The commands and flags as the built CLI's manifest describes them (what `tix __complete` reads). */
function manifestCommands(): CommandSpec[] {
  const m = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8')) as {commands: Record<string, any>}
  return Object.values(m.commands)
    .filter((c) => !c.hidden)
    .map((c) => ({
      id: c.id,
      summary: c.summary,
      args: Object.keys(c.args ?? {}),
      flags: Object.values(c.flags as Record<string, any>).filter((f) => !f.hidden && f.name !== 'json').map((f) => ({name: f.name, char: f.char, value: f.type === 'option', options: f.options, summary: f.summary})),
    }))
}

let dir: string
let desk: Desk
let open: string[] // short ids of the unresolved tickets
let resolvedShort: string
const commands = manifestCommands()
const values = () => deskValues(async () => desk)
const words = async (...w: string[]) => (await complete(w, commands, values())).map((c) => c.value)

beforeAll(async () => {
  ;({dir, desk} = await makeDesk())
  await updateDeskJson(desk, 'Agents and departments', (c) => ({
    ...c,
    departments: {it: {name: 'IT'}, facilities: {name: 'Facilities'}},
    agents: {'ana@example.com': {name: 'Ana Diaz', departments: ['it']}, 'bob@example.com': {name: 'Bob Stone', departments: ['facilities']}},
  }))
  await saveMacro(desk, 'password-reset', '---\ndescription: Reset\n---\nReset it here.\n', {mustExist: false})
  const a = await newTicket(desk, {title: 'Printer jams'})
  const b = await newTicket(desk, {title: 'VPN drops'})
  const c = await newTicket(desk, {title: 'Old and solved'})
  await updateTicket(desk, c.ticket.ticket.id, (t, ctx) => changeStatus(t, 'resolved', {resolution: 'done'}, ctx))
  open = [a.shortId, b.shortId]
  resolvedShort = c.shortId
})

describe('tix __complete', () => {
  it('completes command names, topics and subcommands', async () => {
    expect((await words('li')).sort()).toEqual(['link', 'list'])
    expect(await words('config', '')).toEqual(expect.arrayContaining(['get', 'set', 'edit', 'validate']))
    expect(await words('config', '')).not.toContain('list')
    expect(await words('macro', 'ap')).toEqual(['apply'])
    expect(await words('nosuch', '')).toEqual([])
  })

  it('completes flags, and the values of flags with a fixed list', async () => {
    expect(await words('list', '--dep')).toEqual(['--department'])
    expect(await words('list', '--')).toEqual(expect.arrayContaining(['--status', '--json', '--help', '--repo']))
    expect(await words('list', '--sort', '')).toContain('priority')
    expect(await words('list', '--status', 'o')).toEqual(['open', 'on-hold'])
    expect(await words('list', '--status', 'open,p')).toEqual(['open,pending'])
    expect(await words('list', '--status=pe')).toEqual(['--status=pending'])
  })

  it("completes the desk's values: open ticket ids, agents, departments, macros, statuses", async () => {
    const ids = await words('show', '')
    expect(ids.sort()).toEqual([...open].sort())
    expect(ids).not.toContain(resolvedShort)
    expect(await words('reply', open[0]!.slice(0, 3))).toContain(open[0])
    expect(await words('assign', open[0]!, '')).toEqual(['me', 'ana@example.com', 'bob@example.com'])
    expect(await words('list', '--assignee', 'b')).toEqual(['bob@example.com'])
    expect(await words('list', '--department', '')).toEqual(['it', 'facilities'])
    expect(await words('new', 'Title', '--department', 'f')).toEqual(['facilities'])
    expect(await words('macro', 'apply', '')).toEqual(['password-reset'])
    expect(await words('macro', 'apply', 'password-reset', '')).toEqual(expect.arrayContaining(open))
    expect(await words('status', open[0]!, '')).toEqual([...STATUSES])
    // the description says what the ticket is
    const described = await complete(['show', open[0]!], commands, values())
    expect(described[0]!.description).toMatch(/new (Printer jams|VPN drops)/)
  })

  it('runs as a hidden command of the built CLI, from the cache without git', async () => {
    await tixIn(dir, ['list']) // warms the cache
    // No git on PATH at all: the answer must come from the cache alone.
    const noGit = tempDir('tix-nogit-')
    const r = spawnSync(process.execPath, [BIN, '__complete', '--', 'show', ''], {cwd: dir, env: cliEnv({PATH: noGit}), encoding: 'utf8'})
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout.split('\n').filter(Boolean).map((l) => l.split('\t')[0]).sort()).toEqual([...open].sort())
    expect((await tixIn(dir, ['--help'])).stdout).not.toContain('__complete')
  })

  it('prints a script for each shell, with --json', async () => {
    for (const shell of ['bash', 'zsh', 'fish']) {
      const r = await tixIn(dir, ['completion', shell])
      expect(r.code, r.stderr).toBe(0)
      expect(r.stdout).toContain('__complete --')
      expect((await tixIn(dir, ['completion', shell, '--json'])).json()).toMatchObject({schemaVersion: 1, kind: 'completion', shell})
    }
    expect((await tixIn(dir, ['completion', 'tcsh'])).code).toBe(2)
  })

  const hasBash = spawnSync('bash', ['--version']).status === 0
  it.skipIf(!hasBash)('completes in a real bash through the script', async () => {
    const bin = tempDir('tix-bin-')
    writeFileSync(join(bin, 'tix'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`)
    chmodSync(join(bin, 'tix'), 0o755)
    const script = (await tixIn(dir, ['completion', 'bash'])).stdout
    const run = (line: string[]) => {
      const program = `${script}\nCOMP_WORDS=(${line.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${line.length - 1}; _tix_complete; printf '%s\\n' "\${COMPREPLY[@]}"`
      const r = spawnSync('bash', ['--norc', '--noprofile', '-c', program], {cwd: dir, env: cliEnv({PATH: `${bin}:${process.env.PATH}`}), encoding: 'utf8'})
      expect(r.status, r.stderr).toBe(0)
      return r.stdout.split('\n').filter(Boolean)
    }
    expect(run(['tix', 'resol'])).toEqual(['resolve'])
    expect(run(['tix', 'list', '--status', 'pe'])).toEqual(['pending'])
    expect(run(['tix', 'show', '']).sort()).toEqual([...open].sort())
  })
})
