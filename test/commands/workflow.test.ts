// The workflow commands, run in-process (tixIn) in temp desks; the editor tests run the built CLI on a terminal.
import {spawnSync} from 'node:child_process'
import {chmodSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {CHANNELS, PRIORITIES, STATUSES} from '../../src/domain/ticket/model.js'
import {HOOK_EVENTS, SCHEMA_URL, STRATEGIES} from '../../src/domain/workflow/workflow-config.js'
import {git, gitRepo, ROOT, tempDir, tixIn} from '../helpers.js'

const ANA = {TIX_ACTOR: 'Ana Diaz <ana@example.com>'}
const MON = '2026-11-23T08:00:00Z' // Monday 09:00 in Berlin

/** A desk with IT (three tiers), marketing, an office calendar, an SLA policy and a rule. */
async function setupDesk(): Promise<string> {
  const dir = gitRepo()
  const ok = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const r = await tixIn(dir, args, {env: {...ANA, TIX_NOW: MON, ...env}})
    if (r.code !== 0) throw new Error(`tix ${args.join(' ')} failed: ${r.stderr}`)
    return r
  }
  await ok(['init', '--timezone', 'Europe/Berlin'])
  await ok(['dept', 'add', 'it', '--name', 'IT', '--signature', '-- IT Help Desk'])
  await ok(['dept', 'add', 'marketing', '--name', 'Marketing'])
  await ok(['agent', 'add', 'ana@example.com', '--name', 'Ana Diaz', '--dept', 'it', '--tier', '1', '--capacity', '1'])
  await ok(['agent', 'add', 'ben@example.com', '--name', 'Ben Okafor', '--dept', 'it', '--tier', '2'])
  await ok(['agent', 'add', 'cy@example.com', '--name', 'Cy Park', '--dept', 'it', '--tier', '3'])
  await ok(['agent', 'add', 'mo@example.com', '--name', 'Mo Reyes', '--dept', 'marketing'])
  await ok(['config', 'set', 'calendars', JSON.stringify({office: {hours: {'mon-fri': '09:00-17:00'}, holidays: ['2026-12-24']}})])
  await ok(['config', 'set', 'sla', JSON.stringify([{name: 'standard', if: {department: 'it'}, calendar: 'office', targets: {urgent: {firstResponse: '1h', resolution: '4h'}, normal: {firstResponse: '4h', resolution: '16h'}}}])])
  await ok(['config', 'set', 'rules', JSON.stringify([
    {name: 'printers to it', on: ['create'], if: {title: 'print|toner'}, then: {department: 'it', assign: {strategy: 'load-balanced'}}},
    {name: 'social to marketing', on: ['create'], if: {channel: 'social'}, then: {department: 'marketing', assign: 'auto'}},
  ])])
  return dir
}

let desk: string
beforeAll(async () => {
  desk = await setupDesk()
})

/** A copy of the prepared desk, so tests that write do not see each other. */
function fresh(): string {
  const dir = tempDir()
  git(dir, 'clone', '--quiet', '--no-checkout', desk, '.')
  git(dir, 'branch', 'tix', 'origin/tix')
  return dir
}
const run = async (dir: string, args: string[], env: NodeJS.ProcessEnv = {}, input?: string) => await tixIn(dir, args, {env: {...ANA, TIX_NOW: MON, ...env}, input})
const newTicket = async (dir: string, title: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}) => {
  const r = await run(dir, ['new', title, '--requester', 'Zed <zed@corp.com>', '--json', ...extra], env)
  expect(r.code, r.stderr).toBe(0)
  return r.json().ticket as {id: string; shortId: string; department: string | null; assignee: string | null}
}
const commits = (dir: string) => Number(git(dir, 'rev-list', '--count', 'tix').trim())

describe('desk.json: dept, agent, config', () => {
  it('dept list and agent list show what was added', async () => {
    const d = (await run(desk, ['dept', 'list', '--json'])).json()
    expect(d.departments.map((x: {key: string; tiers: object}) => [x.key, x.tiers])).toEqual([
      ['it', {'1': ['ana@example.com'], '2': ['ben@example.com'], '3': ['cy@example.com']}],
      ['marketing', {'1': ['mo@example.com']}],
    ])
    expect((await run(desk, ['agent', 'list'])).stdout.split('\n')[0]).toBe('ana@example.com\tAna Diaz\tit\t1\t0\t1\t\tavailable')
    expect((await run(desk, ['dept', 'add', 'it'])).code).toBe(2)
  })

  it('config get prints values; desk.json references the schema', async () => {
    expect((await run(desk, ['config', 'get', 'timezone'])).stdout).toBe('Europe/Berlin\n')
    expect((await run(desk, ['config', 'get', 'departments.it.signature'])).stdout).toBe('-- IT Help Desk\n')
    expect((await run(desk, ['config', 'get', 'agents.ana@example.com.capacity', '--json'])).json()).toMatchObject({kind: 'config', key: 'agents["ana@example.com"].capacity', value: 1})
    expect((await run(desk, ['config', 'get', '$schema'])).stdout.trim()).toBe(SCHEMA_URL)
    expect((await run(desk, ['config', 'get', 'nope'])).code).toBe(3)
  })

  it('an invalid change exits 2 with the JSON path and what is expected, and nothing is written', async () => {
    const dir = fresh()
    const before = commits(dir)
    const r = await run(dir, ['config', 'set', 'rules[0].then.assign.strategy', 'fastest'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('rules[0].then.assign.strategy: expected one of round-robin, load-balanced, skills')
    expect(commits(dir)).toBe(before)
    const s = await run(dir, ['config', 'set', 'departments.it.assignment', 'round-robin'])
    expect(s.stdout).toMatch(/^desk.json: departments.it.assignment -> "round-robin" \([0-9a-f]{7}\)\.\n$/)
    expect(commits(dir)).toBe(before + 1)
    expect((await run(dir, ['config', 'set', 'departments.it.assignment', 'round-robin'])).stdout).toMatch(/nothing changed/)
  })

  it('config validate: a desk, a file, standard input', async () => {
    expect(await run(desk, ['config', 'validate'])).toMatchObject({code: 0, stdout: 'desk.json is valid.\n'})
    const file = join(tempDir(), 'desk.json')
    writeFileSync(file, JSON.stringify({version: 1, sla: [{name: 'x', targets: {urgent: {firstResponse: 'soon'}}}], hooks: [{on: ['assigned'], run: 'curl x'}]}))
    const r = await run(desk, ['config', 'validate', file])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('  sla[0].targets.urgent.firstResponse: expected a duration')
    expect(r.stderr).toContain('  hooks[0].run: expected the command and its arguments as a list of strings, run without a shell')
    const j = await run(desk, ['config', 'validate', '-', '--json'], {}, '{"version": 2}')
    expect(j.code).toBe(2)
    expect(j.json()).toMatchObject({kind: 'config-validation', valid: false, problems: [{path: 'version', message: 'expected 1'}]})
  })

  it('a desk.json made invalid behind tix’s back: commands exit 2 naming the path; tix refuses to save one', async () => {
    const dir = fresh()
    const bad = JSON.stringify({version: 1, departments: {it: {assignment: 'lottery'}}})
    const refused = await tixIn(dir, ['config', 'edit', '--file', '-'], {env: ANA, input: bad})
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain('departments.it.assignment: expected one of round-robin, load-balanced, skills')
    // A hand edit committed with plain git, as a careless push would bring it
    const wt = join(tempDir(), 'wt')
    git(dir, 'worktree', 'add', '--quiet', wt, 'tix')
    writeFileSync(join(wt, 'desk.json'), bad)
    git(wt, '-c', 'user.name=X', '-c', 'user.email=x@example.com', 'commit', '--quiet', '-am', 'hand edit')
    // tix refuses a desk branch that a work tree has checked out: let the hand edit's work tree go
    expect((await run(dir, ['list'])).stderr).toContain('is checked out in')
    git(dir, 'worktree', 'remove', '--force', wt)
    const r = await run(dir, ['list'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('desk.json is not valid: departments.it.assignment: expected one of round-robin, load-balanced, skills.')
    expect(r.stderr).toContain('tix config edit')
    const e = await run(dir, ['config', 'edit'])
    expect(e.code).toBe(2)
    expect(e.stderr).toContain('there is no terminal here')
    expect(e.stderr).toContain('--file')
    // the way out: a valid file
    const fixed = await tixIn(dir, ['config', 'edit', '--file', '-'], {env: ANA, input: JSON.stringify({version: 1, departments: {it: {assignment: 'skills'}}})})
    expect(fixed.code, fixed.stderr).toBe(0)
    expect((await run(dir, ['list'])).code).toBe(0)
  })

  it('config edit --file saves a valid file in one commit', async () => {
    const dir = fresh()
    const current = JSON.parse((await run(dir, ['config', 'get'])).stdout)
    current.departments.it.name = 'Information Technology'
    const r = await tixIn(dir, ['config', 'edit', '--file', '-'], {env: ANA, input: JSON.stringify(current, null, 2)})
    expect(r.code, r.stderr).toBe(0)
    expect((await run(dir, ['config', 'get', 'departments.it.name'])).stdout).toBe('Information Technology\n')
  })
})

describe('rules on tix new, route', () => {
  it('rules run in the same commit as the create; the command says what they did', async () => {
    const dir = fresh()
    const before = commits(dir)
    const r = await run(dir, ['new', 'Printer jams', '--requester', 'Zed <zed@corp.com>'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^Created \w{5}: Printer jams\n\w{5}: rule "printers to it": department -> it; assigned to ana@example.com\.\n$/)
    expect(commits(dir)).toBe(before + 1)
    // Ana is at capacity (1): the next one stays unassigned, and tix says so
    const second = await run(dir, ['new', 'Toner empty', '--requester', 'Zed <zed@corp.com>'])
    expect(second.stderr).toContain('nobody: the only agent of IT tier 1 (ana@example.com) is at capacity; the ticket stays in the IT tier 1 queue')
  })

  it('route --explain says which rule matched and why; --dry-run writes nothing', async () => {
    const dir = fresh()
    const t = await newTicket(dir, 'VPN drops', ['--channel', 'email'])
    expect(t.department).toBeNull()
    await run(dir, ['set', t.shortId, '--title', 'Printer VPN drops'])
    const before = commits(dir)
    const r = await run(dir, ['route', t.shortId, '--dry-run', '--explain'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain(`${t.shortId}: would apply rule "printers to it": department -> it; assigned to ana@example.com`)
    expect(r.stdout).toContain('✓ rule "printers to it": matched and fired')
    expect(r.stdout).toContain('✗ rule "social to marketing": did not match')
    expect(r.stdout).toContain('no  channel is not social (ticket: email)')
    expect(commits(dir)).toBe(before)
    expect((await run(dir, ['route', t.shortId])).code).toBe(0)
    expect(commits(dir)).toBe(before + 1)
    expect((await run(dir, ['route', t.shortId, '--json'])).json()).toMatchObject({kind: 'route', tickets: [{changed: false}]})
  })

  it('route --all --dry-run lists what the rules would do to the queue', async () => {
    const dir = fresh()
    await newTicket(dir, 'Laptop fan loud')
    const social = await newTicket(dir, 'Brand mention', ['--channel', 'social'])
    expect(social).toMatchObject({department: 'marketing', assignee: 'mo@example.com'})
    await run(dir, ['config', 'set', 'rules[2]', JSON.stringify({name: 'laptops', if: {title: 'laptop'}, then: {department: 'it', tags: ['hardware']}})])
    const r = await run(dir, ['route', '--all', '--dry-run'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/would apply rule "laptops": department -> it; tags \+hardware/)
    expect(r.stderr).toContain('1 of 2 unresolved tickets would change.')
    expect((await run(dir, ['route'])).code).toBe(2)
  })
})

describe('assign --auto, escalate, list --tier / --mine / scoping', () => {
  it('assign --auto by the department strategy; at capacity it says so and exits 0', async () => {
    const dir = fresh()
    const a = await newTicket(dir, 'Printer A')
    expect(a.assignee).toBe('ana@example.com')
    await run(dir, ['assign', a.shortId, '--unassign'])
    const r = await run(dir, ['assign', a.shortId, '--auto', '--json'])
    expect(r.json()).toMatchObject({changed: true, assignment: {agent: 'ana@example.com', strategy: 'load-balanced', tier: 1}})
    const b = await newTicket(dir, 'Printer B')
    const again = await run(dir, ['assign', b.shortId, '--auto'])
    expect(again).toMatchObject({code: 0, stdout: `${b.shortId}: stays unassigned: the only agent of IT tier 1 (ana@example.com) is at capacity; the ticket stays in the IT tier 1 queue.\n`})
  })

  it('escalate needs a reason (exit 2), goes through three tiers, and show/history/list --tier find it', async () => {
    const dir = fresh()
    const t = await newTicket(dir, 'Printer C')
    const none = await run(dir, ['escalate', t.shortId])
    expect(none.code).toBe(2)
    expect(none.stderr).toContain('Escalating needs a reason (--reason)')
    expect((await run(dir, ['escalate', t.shortId, '--reason', 'Needs admin rights'])).stdout).toBe(`${t.shortId}: escalated it tier 1 -> it tier 2, assigned to ben@example.com: Needs admin rights.\n`)
    expect((await run(dir, ['escalate', t.shortId, '--reason', 'Needs the vendor'])).stdout).toContain('it tier 2 -> it tier 3, assigned to cy@example.com')
    const last = await run(dir, ['escalate', t.shortId, '--reason', 'more'])
    expect(last.code).toBe(1)
    expect(last.stderr).toContain('the last tier of IT')
    expect((await run(dir, ['list', '--tier', '3', '--json'])).json().tickets.map((x: {id: string}) => x.id)).toEqual([t.id])
    expect((await run(dir, ['list', '--tier', '1', '--json'])).json().tickets).toEqual([])
    expect((await run(dir, ['history', t.shortId])).stdout).toContain('escalated it tier 2 -> it tier 3, assigned to cy@example.com: Needs the vendor')
    expect((await run(dir, ['show', t.shortId])).stdout).toContain('tier 3')
    expect((await run(dir, ['escalate', t.shortId, '--to-dept', 'marketing', '--reason', 'Press'], {})).stdout).toContain('escalated it tier 3 -> marketing tier 1, assigned to mo@example.com: Press')
  })

  it("an agent's list shows their departments' queues by default; --all everything; --mine theirs", async () => {
    const dir = fresh()
    const it1 = await newTicket(dir, 'Printer D')
    const mk = await newTicket(dir, 'Brand mention', ['--channel', 'social'])
    const loose = await newTicket(dir, 'Where is the canteen')
    const ids = async (args: string[], env = {}) => (await run(dir, ['list', '--json', ...args], env)).json().tickets.map((x: {id: string}) => x.id).sort()
    expect(await ids([])).toEqual([it1.id, loose.id].sort()) // ana: IT + no department
    expect(await ids([], {TIX_ACTOR: 'mo@example.com'})).toEqual([mk.id, loose.id].sort())
    expect(await ids(['--all'])).toEqual([it1.id, mk.id, loose.id].sort())
    expect(await ids(['--mine'])).toEqual([it1.id])
    expect(await ids([], {TIX_ACTOR: 'boss@example.com'})).toEqual([it1.id, mk.id, loose.id].sort()) // not an agent: no scoping
    expect((await run(dir, ['list', '--json'])).json().scope).toEqual({departments: ['it'], agent: 'ana@example.com'})
  })
})

describe('SLA: sla, list --sla, show', () => {
  it('tix sla ID, the queues, list --sla and the sla object in --json', async () => {
    const dir = fresh()
    const a = await newTicket(dir, 'Printer E', ['--priority', 'urgent']) // 1h first response -> due 10:00 local
    const b = await newTicket(dir, 'Printer F') // 4h -> due 13:00 local
    await newTicket(dir, 'Brand mention', ['--channel', 'social']) // marketing: no policy
    const at = {TIX_NOW: '2026-11-23T11:05:00Z'} // 12:05 local
    const one = await run(dir, ['sla', a.shortId], at)
    expect(one.stdout).toContain('SLA            breached · policy standard · calendar office')
    expect(one.stdout).toContain('· first reply  breached · due 2026-11-23 09:00 UTC · overdue by 2h 5m')
    expect((await run(dir, ['sla', b.shortId, '--json'], {TIX_NOW: '2026-11-23T10:59:00Z'})).json().sla.state).toBe('ok')
    const j = (await run(dir, ['sla', b.shortId, '--json'], at)).json()
    expect(j.sla).toMatchObject({
      policy: 'standard',
      state: 'warning',
      firstResponse: {dueAt: '2026-11-23T12:00:00.000Z', state: 'warning', remaining: 55, overdueBy: null, elapsed: 185, target: 240, business: true},
      resolution: {state: 'ok'},
      nextResponse: null,
    })
    expect((await run(dir, ['sla', '--breached', '--all'], at)).stdout.split('\n')[0]).toMatch(new RegExp(`^${a.shortId}\turgent\tnew\tbreached 2h 5m\tfirst response\t2026-11-23 09:00\t`))
    expect((await run(dir, ['sla', '--at-risk', '--json', '--all'], at)).json().tickets.map((x: {id: string}) => x.id)).toEqual([b.id])
    expect((await run(dir, ['list', '--all', '--sla', 'breached', '--json'], at)).json().tickets.map((x: {id: string}) => x.id)).toEqual([a.id])
    expect((await run(dir, ['list', '--all', '--sla', 'none', '--json'], at)).json().tickets).toHaveLength(1)
    expect((await run(dir, ['list', '--sla', 'late'])).code).toBe(2)
    const listed = (await run(dir, ['list', '--all', '--json'], at)).json().tickets
    expect(listed.find((x: {id: string}) => x.id === a.id).sla.firstResponse.state).toBe('breached')
    expect((await run(dir, ['show', b.shortId, '--json'], at)).json().ticket.sla.state).toBe('warning')
    expect((await run(dir, ['show', b.shortId], at)).stdout).toContain('· first reply  at risk · due 2026-11-23 12:00 UTC · 55m left of 4h (business hours)')
    expect((await run(dir, ['sla'], at)).stdout).toBe('Unresolved tickets in your queues (it, no department, or yours; --all for every department): 1 breached, 1 at risk, 0 ok, 0 paused, 0 met, 0 without an SLA.\n')
    expect((await run(dir, ['sla', '--all'], at)).stdout).toBe('Unresolved tickets in every department: 1 breached, 1 at risk, 0 ok, 0 paused, 0 met, 1 without an SLA.\n')
    // The table has an SLA column
    expect((await run(dir, ['list', '--all'], at)).stdout).toContain(`${a.shortId}\turgent\tnew\tbreached 2h 5m\t`)
  })
})

describe('tix sla counts what tix sla --breached lists', () => {
  it('same scope for the overview and the queue (an agent\'s departments, or --all), and both say it', async () => {
    const dir = fresh()
    // marketing gets a policy too, so a breach outside Ana's departments exists
    const sla = [{name: 'standard', if: {department: 'it'}, calendar: 'office', targets: {urgent: {firstResponse: '1h'}}}, {name: 'marketing', if: {department: 'marketing'}, targets: {normal: {firstResponse: '1h'}}}]
    expect((await run(dir, ['config', 'set', 'sla', JSON.stringify(sla)])).code).toBe(0)
    await newTicket(dir, 'Printer G', ['--priority', 'urgent'])
    await newTicket(dir, 'Brand mention', ['--channel', 'social'])
    const at = {TIX_NOW: '2026-11-23T12:00:00Z'}
    for (const all of [[], ['--all']]) {
      const summary = (await run(dir, ['sla', '--json', ...all], at)).json()
      const queue = (await run(dir, ['sla', '--breached', '--json', ...all], at)).json()
      expect(summary.counts.breached, JSON.stringify(all)).toBe(queue.count)
      expect(summary.scope).toEqual(queue.scope)
    }
    expect((await run(dir, ['sla', '--json'], at)).json().counts.breached).toBe(1)
    expect((await run(dir, ['sla', '--json', '--all'], at)).json().counts.breached).toBe(2)
    expect((await run(dir, ['sla', '--breached'], at)).stderr).toContain('1 unresolved ticket breached in your queues (it, no department, or yours; --all for every department).')
  })
})

describe('macros', () => {
  it('new (flags, no terminal), list, show, apply with --dry-run; an unknown placeholder is refused at save', async () => {
    const dir = fresh()
    const body = 'Hello {{ticket.requester.name}},\nreset it at https://pw.example.com ({{ticket.shortId}}).\n{{agent.name}}\n{{department.signature}}'
    const made = await run(dir, ['macro', 'new', 'password-reset', '--description', 'Password reset steps', '--status', 'pending', '--tag', 'password', '--body', body])
    expect(made.code, made.stderr).toBe(0)
    const bad = await run(dir, ['macro', 'new', 'oops', '--body', 'Hi {{ticket.requestor.name}}'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('unknown placeholder {{ticket.requestor.name}} (did you mean {{ticket.requester.name}}?)')
    expect((await run(dir, ['macro', 'new', 'nobody'])).stderr).toContain('there is no terminal to open an editor in')
    expect((await run(dir, ['macro', 'list'])).stdout).toBe('password-reset\tPassword reset steps\tstatus: pending, tags: password\n')
    expect((await run(dir, ['macro', 'show', 'password-reset'])).stdout).toBe(`---\ndescription: Password reset steps\nstatus: pending\ntags: password\n---\n${body}\n`)
    const t = await newTicket(dir, 'Printer G')
    const before = commits(dir)
    const dry = await run(dir, ['macro', 'apply', 'password-reset', t.shortId, '--dry-run'])
    expect(dry.stdout).toContain(`│ Hello Zed,\n  │ reset it at https://pw.example.com (${t.shortId}).\n  │ Ana Diaz\n  │ -- IT Help Desk`)
    expect(commits(dir)).toBe(before)
    const applied = await run(dir, ['macro', 'apply', 'password-reset', t.shortId])
    expect(applied.stdout).toBe(`${t.shortId}: macro "password-reset" applied: public reply sent; status new -> open; tags +password; status open -> pending.\n`)
    expect(commits(dir)).toBe(before + 1)
    expect((await run(dir, ['macro', 'apply', 'nope', t.shortId])).code).toBe(3)
    // edit without a terminal replaces the text; the placeholders are checked again
    expect((await run(dir, ['macro', 'edit', 'password-reset', '--body', 'Bye {{agent.nam}}'])).code).toBe(2)
    expect((await run(dir, ['macro', 'edit', 'password-reset', '--body', 'Bye {{agent.name}}'])).code).toBe(0)
    expect((await run(dir, ['macro', 'show', 'password-reset', '--json'])).json()).toMatchObject({body: 'Bye {{agent.name}}\n', actions: {status: 'pending'}})
  })
})

describe('automate', () => {
  it('fires due automations in one commit; running it twice changes nothing', async () => {
    const dir = fresh()
    await run(dir, ['config', 'set', 'automations', JSON.stringify([
      {name: 'close stale pending', if: {status: 'pending', idleFor: '5 business days'}, then: {status: 'resolved', note: 'Closed after 5 days without an answer.'}},
      {name: 'escalate breaches', if: {sla: 'breached'}, then: {escalate: true}},
    ])])
    const a = await newTicket(dir, 'Printer H')
    await run(dir, ['status', a.shortId, 'pending'])
    await newTicket(dir, 'Printer I')
    const later = {TIX_NOW: '2026-12-01T09:00:00Z'}
    const dry = await run(dir, ['automate', '--dry-run'], later)
    expect(dry.code, dry.stderr).toBe(0)
    expect(dry.stderr).toContain('Would change 2 tickets.')
    const before = commits(dir)
    const first = (await run(dir, ['automate', '--json'], later)).json()
    expect(first).toMatchObject({kind: 'automation-run', changed: 2})
    expect(commits(dir)).toBe(before + 1)
    const second = await run(dir, ['automate'], later)
    expect(second.stderr).toContain('Nothing to do: no automation is due')
    expect(commits(dir)).toBe(before + 1)
    expect((await run(dir, ['show', a.shortId, '--json'])).json().ticket.status).toBe('resolved')
  })
})

describe('hooks', () => {
  async function hookDesk(script: string): Promise<{dir: string; out: string}> {
    const dir = fresh()
    const out = join(tempDir(), 'hook.out')
    const file = join(tempDir(), 'hook.mjs')
    writeFileSync(file, script.replace('OUT', JSON.stringify(out)))
    chmodSync(file, 0o755)
    await run(dir, ['config', 'set', 'hooks', JSON.stringify([{name: 'notify', on: ['assigned', 'escalated', 'created-by-rule'], run: [process.execPath, file, 'arg with spaces; $(echo no-shell)'], timeout: 5}])])
    return {dir, out}
  }
  const writer = `import {appendFileSync, readFileSync} from 'node:fs'
const input = readFileSync(0, 'utf8')
appendFileSync(OUT, JSON.stringify({argv: process.argv.slice(2), env: process.env.TIX_HOOK, payload: JSON.parse(input)}) + '\\n')`

  it('run only where enabled, with the event and ticket as JSON on stdin, without a shell', async () => {
    const {dir, out} = await hookDesk(writer)
    const off = await run(dir, ['new', 'Printer J', '--requester', 'zed@corp.com'])
    expect(off.code).toBe(0)
    expect(off.stderr).toContain('they did not run because hooks are off in this clone (turn them on with: git config tix.hooks true)')
    git(dir, 'config', 'tix.hooks', 'true')
    const t = await newTicket(dir, 'Brand mention', ['--channel', 'social'])
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l))
    expect(lines.map((l) => l.env).sort()).toEqual(['assigned', 'created-by-rule'])
    expect(lines[0].argv).toEqual(['arg with spaces; $(echo no-shell)'])
    const assigned = lines.find((l) => l.env === 'assigned').payload
    expect(assigned).toMatchObject({schemaVersion: 1, kind: 'hook', hook: 'assigned', event: {type: 'assign', to: 'mo@example.com', via: {rule: 'social to marketing'}}, ticket: {id: t.id, assignee: 'mo@example.com', department: 'marketing', sla: null}})
    expect(lines.find((l) => l.env === 'created-by-rule').payload.event).toEqual({type: 'created-by-rule', rules: ['social to marketing']})
    // SLA data reaches hooks too
    const escalated = await run(dir, ['escalate', off.stdout.slice(8, 13), '--reason', 'Needs admin rights'])
    expect(escalated.code, escalated.stderr).toBe(0)
    const esc = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).find((l) => l.env === 'escalated').payload
    expect(esc).toMatchObject({event: {type: 'escalate', fromTier: 1, toTier: 2, to: 'ben@example.com', reason: 'Needs admin rights'}, ticket: {tier: 2, sla: {policy: 'standard'}}})
  })

  it('a failing or hanging hook is reported and never loses the change', async () => {
    const {dir} = await hookDesk(`process.stderr.write('chat is down\\n'); process.exit(3)`)
    git(dir, 'config', 'tix.hooks', 'true')
    const before = commits(dir)
    const r = await run(dir, ['new', 'Printer L', '--requester', 'zed@corp.com'])
    expect(r.code).toBe(0)
    expect(r.stderr).toContain('tix: hook "notify" (assigned, ticket')
    expect(r.stderr).toContain('failed: exit 3: chat is down. The change itself is saved.')
    expect(commits(dir)).toBe(before + 1)
    await run(dir, ['config', 'set', 'hooks[0].timeout', '0.5'])
    await run(dir, ['config', 'set', 'hooks[0].run', JSON.stringify([process.execPath, '-e', 'setTimeout(() => {}, 60000)'])])
    const slow = await run(dir, ['escalate', r.stdout.slice(8, 13), '--reason', 'Needs admin rights'])
    expect(slow.code).toBe(0)
    expect(slow.stderr).toContain('failed: timed out after 0.5s')
  })
})

describe('the JSON Schema of desk.json', () => {
  const schema = JSON.parse(readFileSync(join(ROOT, 'schema', 'desk.schema.json'), 'utf8'))
  it('ships, parses, and names the same values as the code', () => {
    const p = schema.properties
    expect(p.departments.additionalProperties.properties.assignment.enum).toEqual([...STRATEGIES])
    expect(p.hooks.items.properties.on.items.enum).toEqual([...HOOK_EVENTS])
    expect(p.rules.items.properties.if.properties.channel.anyOf[0].enum).toEqual([...CHANNELS])
    expect(p.rules.items.properties.if.properties.status.anyOf[0].enum).toEqual([...STATUSES])
    expect(Object.keys(p.sla.items.properties.targets.properties)).toEqual([...PRIORITIES])
    expect(schema.$id).toBe(SCHEMA_URL)
    expect(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).files).toContain('schema')
  })
})

describe('editing on a terminal ($VISUAL/$EDITOR, spawned without a shell)', () => {
  const hasScript = spawnSync('script', ['--version']).status === 0
  /** Runs tix under a pseudo-terminal (util-linux `script`), so it believes a person is there. */
  const onTty = (dir: string, args: string[], env: NodeJS.ProcessEnv) => {
    const cmd = [process.execPath, join(ROOT, 'bin', 'run.js'), ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ')
    return spawnSync('script', ['-qec', cmd, '/dev/null'], {cwd: dir, env: {...process.env, ...ANA, ...env}, encoding: 'utf8', input: ''})
  }
  it.skipIf(!hasScript)('config edit and macro new open the editor on a copy, validate, then commit', async () => {
    const dir = fresh()
    const editor = join(tempDir('tix editor '), 'edit me.mjs') // spaces in the path: quoted in $EDITOR, no shell involved
    writeFileSync(
      editor,
      `import {readFileSync, writeFileSync} from 'node:fs'
const file = process.argv[2]
let text = readFileSync(file, 'utf8')
if (file.endsWith('desk.json')) {
  const schema = JSON.parse(text).$schema
  writeFileSync(process.env.SCHEMA_SEEN, String(schema))
  text = text.replace('"name": "IT"', '"name": "IT Services"')
} else text = text.replace('Hello', 'Hi there')
writeFileSync(file, text)
`,
    )
    const seen = join(tempDir(), 'schema.txt')
    const env = {EDITOR: `"${process.execPath}" "${editor}"`, VISUAL: '', SCHEMA_SEEN: seen}
    const r = onTty(dir, ['config', 'edit'], env)
    expect(r.status, r.stdout).toBe(0)
    expect((await run(dir, ['config', 'get', 'departments.it.name'])).stdout).toBe('IT Services\n')
    expect(readFileSync(seen, 'utf8')).toMatch(/^file:\/\/.*\/schema\/desk\.schema\.json$/) // the editor saw the local schema
    expect((await run(dir, ['config', 'get', '$schema'])).stdout.trim()).toBe(SCHEMA_URL) // the desk keeps the public one
    const m = onTty(dir, ['macro', 'new', 'greeting'], env)
    expect(m.status, m.stdout).toBe(0)
    expect((await run(dir, ['macro', 'show', 'greeting'])).stdout).toContain('Hi there {{ticket.requester.name | "there"}},')
  })
})

describe('rules on update', () => {
  it('run after set and escalate, in the same commit, when their on says update', async () => {
    const dir = fresh()
    await run(dir, ['config', 'set', 'rules[2]', JSON.stringify({name: 'urgent gets a tag', on: ['update'], if: {priority: 'urgent'}, then: {tags: ['hot']}})])
    await run(dir, ['config', 'set', 'rules[3]', JSON.stringify({name: 'tier 2 is high', on: ['update'], if: {tier: 2}, then: {priority: 'high'}})])
    const t = await newTicket(dir, 'Printer M')
    const before = commits(dir)
    const set = await run(dir, ['set', t.shortId, '--priority', 'urgent'])
    expect(set.stdout).toBe(`${t.shortId}: priority -> urgent; rule "urgent gets a tag" applied (on update); tags +hot (rule "urgent gets a tag").\n`)
    expect(commits(dir)).toBe(before + 1)
    const esc = (await run(dir, ['escalate', t.shortId, '--reason', 'Needs admin rights', '--json'])).json()
    expect(esc.ticket).toMatchObject({tier: 2, priority: 'high'})
    expect(commits(dir)).toBe(before + 2)
  })
})
