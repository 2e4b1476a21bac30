// desk.json's workflow sections: every problem names its JSON path and what is expected.
import {describe, expect, it, vi} from 'vitest'
import {addBusinessMs, businessMs, compileCalendar} from '../../src/domain/sla/calendar.js'
import {parseConfig, validateDesk} from '../../src/domain/config/config.js'
import {getPath, parsePath, parseValue, setPath} from '../../src/domain/config/json-path.js'
import {renderTemplate, unknownPlaceholders} from '../../src/domain/workflow/template.js'
import {workflowOf} from '../../src/domain/workflow/workflow-config.js'
import {calendarsSection} from '../../src/domain/workflow/config/calendars.js'
import {splitCommand} from '../../commands/editor.js'

const problems = (config: Record<string, unknown>) => validateDesk({version: 1, timezone: 'UTC', ...config}).map((p) => `${p.path}: ${p.message}`)

describe('desk.json validation', () => {
  it('names the path and what is expected (the example of the issue)', () => {
    expect(problems({rules: [{name: 'r', if: {channel: 'social'}, then: {department: 'x', assign: {strategy: 'fastest'}}}]})).toEqual([
      'rules[0].then.assign.strategy: expected one of round-robin, load-balanced, skills',
    ])
  })

  it('finds every problem at once', () => {
    expect(
      problems({
        calendars: {office: {hours: {'mon-fri': '17:00-09:00'}}},
        agents: {'ana@example.com': {tier: 0, skills: 'es', colour: 'red'}, bob: {}},
        departments: {it: {assignment: 'random', tiers: {one: ['ana@example.com'], '2': ['zed@example.com']}}},
        sla: [{name: 'std', calendar: 'nope', targets: {critical: {}, urgent: {firstResponse: 'soon', replyTime: '1h'}}, warnAt: 2, pauseOn: ['resolved']}],
        rules: [{name: 'r', on: ['delete'], if: {title: '(?=.*refund)x', channel: 'fax', colour: 'red'}, then: {priority: 'asap', sla: 'gold', macro: 'Bad Name'}}],
        automations: [{name: 'a', if: {status: 'pending'}, then: {escalate: 'yes'}}],
        hooks: [{on: ['assigned', 'deleted'], run: 'curl -d @- https://chat', timeout: 0}],
      }),
    ).toEqual([
      'calendars.office.hours.mon-fri: "17:00-09:00" must start before it ends, within 00:00-24:00',
      'agents.ana@example.com.colour: unknown key: expected name, departments, tier, capacity, skills or available',
      'agents.ana@example.com.tier: expected a tier number (a whole number, at least 1)',
      'agents.ana@example.com.skills: expected a list of skills (tags such as "es" or "vpn")',
      "agents.bob: expected the key to be the agent's e-mail address",
      'departments.it.tiers.2: "zed@example.com" is not listed in agents (add them with `tix agent add zed@example.com`)',
      'departments.it.tiers.one: expected a tier number as the key ("1", "2", "3")',
      'departments.it.assignment: expected one of round-robin, load-balanced, skills',
      'sla[0].calendar: expected the name of a calendar (define one under "calendars")',
      'sla[0].targets.critical: expected a priority as the key: low, normal, high, urgent',
      'sla[0].targets.urgent.firstResponse: expected a duration such as "90m", "6h", "1h30m", "3d" or "5 business days" (got "soon")',
      'sla[0].targets.urgent.replyTime: unknown metric: expected firstResponse, nextResponse, resolution',
      'sla[0].pauseOn: expected statuses from new, open, pending, on-hold (got "resolved")',
      'sla[0].warnAt: expected the fraction of the target left at which to warn, from 0 to below 1 (e.g. 0.25)',
      'rules[0].on[0]: expected one of create, update',
      'rules[0].if.title: expected a regular expression RE2 supports: look-ahead `(?=` is not supported: tix matches rules with RE2, which runs in time linear in the text and has no look-around. Match the text itself (e.g. "refund" instead of "(?=.*refund)"), or use two conditions',
      'rules[0].if.channel: expected one of email, chat, phone, web, social, api, ci, cli (got "fax")',
      'rules[0].if.colour: unknown condition: expected one of channel, requester, title, body, tags, priority, type, status, department, assignee, tier, fields',
      'rules[0].then.priority: expected one of low, normal, high, urgent',
      'rules[0].then.sla: expected the name of an SLA policy (std)',
      'rules[0].then.macro: expected a macro name (a file macros/<name>.md; see `tix macro list`)',
      'automations[0].if: expected a time condition: "idleFor" (e.g. "5 business days") or "sla" ("breached" or "warning")',
      'automations[0].then.escalate: expected true (the next tier) or {"toDept": "...", "to": "...", "reason": "..."}',
      'hooks[0].on[1]: expected one of assigned, escalated, sla-warning, sla-breach, created-by-rule',
      'hooks[0].run: expected the command and its arguments as a list of strings, run without a shell, e.g. ["node", "hooks/notify.js"]',
      'hooks[0].timeout: expected seconds, more than 0 and at most 300',
    ])
  })

  it('an invalid regular expression is refused when the config is validated, not when a ticket arrives', () => {
    expect(problems({rules: [{name: 'r', if: {title: '(unclosed'}, then: {tags: ['x']}}]})).toEqual([
      'rules[0].if.title: expected a valid regular expression (RE2: missing closing ): `(unclosed`)',
    ])
  })

  it('explains what RE2 lacks (look-around, back-references) with the JSON path', () => {
    const got = problems({
      rules: [
        {name: 'a', if: {title: '(?<!re)fund'}, then: {tags: ['x']}},
        {name: 'b', if: {body: '(\\w+) \\1'}, then: {tags: ['x']}},
        {name: 'c', if: {title: '(?!spam)'}, then: {tags: ['x']}},
      ],
      automations: [{name: 'd', if: {idleFor: '1d', title: '(?<q>x)\\k<q>'}, then: {status: 'resolved'}}],
    })
    expect(got).toHaveLength(4)
    expect(got[0]).toMatch(/^rules\[0\]\.if\.title: .*look-behind `\(\?<!` is not supported/)
    expect(got[1]).toMatch(/^rules\[1\]\.if\.body: .*back-reference `\\1` is not supported/)
    expect(got[2]).toMatch(/^rules\[2\]\.if\.title: .*look-ahead `\(\?!` is not supported/)
    expect(got[3]).toMatch(/^automations\[0\]\.if\.title: .*back-reference `\\k<` is not supported/)
  })

  it('no rule pattern can hang: patterns that backtrack exponentially run in linear time (RE2)', () => {
    const title = 'a'.repeat(28) + '!' // 29 characters: minutes each with a backtracking engine
    const evil = ['((a+))+$', '(?:(a)+)+$', '(a|a)+$', '(a|a?)+$', '(a|aa)+$', '.*.*.*.*=x']
    const config = {version: 1, timezone: 'UTC', rules: evil.map((p, i) => ({name: `r${i}`, if: {title: p}, then: {tags: [`t${i}`]}}))}
    expect(validateDesk(config)).toEqual([])
    const wf = workflowOf(parseConfig(JSON.stringify(config)))
    const t = {title, body: '', tags: [], channel: 'email', priority: 'normal', type: 'question', status: 'new', department: null, assignee: null, tier: 1, fields: {}, requester: {name: null, email: null}} as never
    // (a|a?)+$ matches the empty string before the end; the others need the title to end in a's or "=x"
    expect(wf.rules.map((r) => r.conditions.test(t))).toEqual([false, false, false, true, false, false])
    const ok = {...(t as object), title: 'a'.repeat(29)} as never
    expect(wf.rules.map((r) => r.conditions.test(ok))).toEqual([true, true, true, true, true, false])
  })

  it('parseConfig exits 2 with every problem in the message', () => {
    expect(() => parseConfig(JSON.stringify({version: 1, departments: {it: {assignment: 'x'}}}))).toThrow(/desk.json is not valid: departments.it.assignment: expected one of/)
    try {
      parseConfig('{"hooks": 3}')
    } catch (error) {
      expect((error as {exitCode: number}).exitCode).toBe(2)
    }
  })

  it('the example of the issue is valid', () => {
    expect(
      problems({
        timezone: 'Europe/Berlin',
        calendars: {office: {hours: {'mon-fri': '09:00-17:00'}, holidays: ['2026-12-24', '2026-12-25']}},
        agents: {'ana@example.com': {name: 'Ana Diaz', departments: ['it'], tier: 1, capacity: 10, skills: ['es']}},
        departments: {it: {name: 'IT', tiers: {'1': ['ana@example.com']}, assignment: 'load-balanced', signature: '-- IT Help Desk'}, marketing: {name: 'Marketing'}},
        sla: [{name: 'standard', if: {department: 'it'}, calendar: 'office', targets: {urgent: {firstResponse: '1h', resolution: '4h'}, normal: {firstResponse: '6h', resolution: '3d'}}, pauseOn: ['pending'], warnAt: 0.25}],
        rules: [{name: 'social to marketing', on: ['create'], if: {channel: ['social']}, then: {department: 'marketing', assign: {strategy: 'load-balanced', cap: 1}}}],
        automations: [
          {name: 'close stale pending', if: {status: 'pending', idleFor: '5 business days'}, then: {status: 'resolved', note: 'Closed after 5 days without an answer.'}},
          {name: 'escalate breaches', if: {sla: 'breached'}, then: {escalate: true}},
        ],
      }),
    ).toEqual([])
  })
})

describe('the compiled workflow of a parsed desk.json', () => {
  const text = JSON.stringify({version: 1, calendars: {office: {hours: {'mon-fri': '09:00-17:00'}}}, sla: [{name: 'std', calendar: 'office', targets: {urgent: {firstResponse: '1h'}}}]})

  it('is the one validation compiled (no second compile), and is compiled again once the config changes', () => {
    const compile = vi.spyOn(calendarsSection, 'compile')
    try {
      const config = parseConfig(text)
      expect(compile).toHaveBeenCalledTimes(1)
      expect([...workflowOf(config).calendars.keys()]).toEqual(['office'])
      expect(workflowOf(config)).toBe(workflowOf(config))
      expect(compile).toHaveBeenCalledTimes(1)
      config.calendars = {support: {hours: {daily: '08:00-20:00'}}}
      expect([...workflowOf(config).calendars.keys()]).toEqual(['support'])
      expect(compile).toHaveBeenCalledTimes(2)
    } finally {
      compile.mockRestore()
    }
  })

  it('of a config that was never parsed is compiled on first use', () => {
    const wf = workflowOf({version: 1, timezone: 'Europe/Berlin', departments: {it: {name: 'IT'}}})
    expect(wf.timezone).toBe('Europe/Berlin')
    expect([...wf.departments.keys()]).toEqual(['it'])
  })
})

describe('config paths', () => {
  const config = {agents: {'ana@example.com': {tier: 1}}, sla: [{name: 'std', targets: {urgent: {firstResponse: '1h'}}}]}
  it('reads dotted, indexed and bracketed paths; keys with dots are found as written', () => {
    expect(parsePath('sla[0].targets["urgent"]')).toEqual(['sla', 0, 'targets', 'urgent'])
    expect(getPath(config, 'sla[0].targets.urgent.firstResponse')).toMatchObject({found: true, value: '1h'})
    expect(getPath(config, 'agents.ana@example.com.tier')).toMatchObject({found: true, value: 1, path: 'agents["ana@example.com"].tier'})
    expect(getPath(config, 'agents.nobody').found).toBe(false)
  })
  it('sets and deletes, creating objects and list items on the way', () => {
    const c = structuredClone(config) as Record<string, unknown>
    setPath(c, 'departments.it.name', 'IT')
    setPath(c, 'agents.ana@example.com.tier', 2)
    setPath(c, 'agents["bob@example.com"].tier', 3)
    setPath(c, 'sla[1]', {name: 'x'})
    setPath(c, 'sla[0]', undefined, true)
    expect(c).toEqual({agents: {'ana@example.com': {tier: 2}, 'bob@example.com': {tier: 3}}, sla: [{name: 'x'}], departments: {it: {name: 'IT'}}})
    expect(() => setPath(c, 'agents.zed@example.com.tier', 1)).toThrow(/needs brackets/)
    expect(() => setPath(c, 'sla[5]', {})).toThrow(/has 1 items/)
  })
  it('values: JSON when it parses, else text', () => {
    expect([parseValue('3'), parseValue('true'), parseValue('["a"]'), parseValue('Europe/Berlin'), parseValue('"3"')]).toEqual([3, true, ['a'], 'Europe/Berlin', '3'])
  })
})

describe('templates', () => {
  it('finds unknown placeholders and stray braces', () => {
    expect(unknownPlaceholders('Hi {{ticket.title}} {{ agent.name | "me" }}')).toEqual([])
    expect(unknownPlaceholders('Hi {{ticket.titel}} and {{x}}')).toEqual(['ticket.titel', 'x'])
    expect(unknownPlaceholders('Hi {{ticket.title}')).toEqual(['{{ without a matching }}'])
  })
  it('renders values and fallbacks; ticket text is inserted as is, never evaluated', () => {
    expect(renderTemplate('{{ticket.title}} / {{agent.name | "the team"}}', {'ticket.title': '{{agent.name}} $(rm -rf /)', 'agent.name': ''})).toBe('{{agent.name}} $(rm -rf /) / the team')
  })
})

describe('editor command lines are split without a shell', () => {
  it('spaces, quotes and escapes', () => {
    expect(splitCommand('code --wait')).toEqual(['code', '--wait'])
    expect(splitCommand(`"/Applications/My Editor/bin/ed" -w 'a b' c\\ d`)).toEqual(['/Applications/My Editor/bin/ed', '-w', 'a b', 'c d'])
    expect(splitCommand('vim; rm -rf ~')).toEqual(['vim;', 'rm', '-rf', '~'])
  })
})

describe('business time: the cumulative table agrees with a minute-by-minute count', () => {
  // mon-fri 09:00-12:00 and 13:00-17:00, sat 10:00-12:00, a holiday, across DST changes, in zones
  // east and west, with half-hour offsets and the +14 h extreme.
  const zones: Array<[string, string]> = [
    ['Europe/Berlin', '2026-03-20T00:00:00Z'],
    ['Pacific/Auckland', '2026-03-30T00:00:00Z'],
    ['America/St_Johns', '2026-10-27T00:00:00Z'],
    ['Pacific/Kiritimati', '2026-03-20T00:00:00Z'],
  ]
  for (const [zone, start] of zones) {
    it(`${zone}: random spans (quarter-hour aligned); addBusinessMs inverts businessMs`, () => {
      const holiday = start.slice(0, 8) + String(Number(start.slice(8, 10)) + 7).padStart(2, '0')
      const cal = compileCalendar({hours: {'mon-fri': ['09:00-12:00', '13:00-17:00'], sat: '10:00-12:00'}, holidays: [holiday]}, zone)
      const fmt = new Intl.DateTimeFormat('en-GB', {timeZone: zone, weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23'})
      const working = (t: number) => {
        const parts = Object.fromEntries(fmt.formatToParts(new Date(t)).map((p) => [p.type, p.value]))
        if (`${parts.year}-${parts.month}-${parts.day}` === holiday) return false
        const m = Number(parts.hour) * 60 + Number(parts.minute)
        if (parts.weekday === 'Sun') return false
        if (parts.weekday === 'Sat') return m >= 600 && m < 720
        return (m >= 540 && m < 720) || (m >= 780 && m < 1020)
      }
      const STEP = 15 * 60_000
      const reference = (from: number, to: number) => {
        let n = 0
        for (let t = from; t < to; t += STEP) if (working(t)) n += STEP
        return n
      }
      let seed = 42
      const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647)
      const base = Date.parse(start)
      for (let i = 0; i < 25; i++) {
        const from = base + Math.floor(rnd() * 16 * 96) * STEP
        const to = from + Math.floor(rnd() * 10 * 96) * STEP
        expect(businessMs(cal, from, to)).toBe(reference(from, to))
        const x = Math.floor(rnd() * 40) * STEP + STEP
        const at = addBusinessMs(cal, from, x).getTime()
        expect(businessMs(cal, from, at)).toBe(x)
        expect(working(at - STEP)).toBe(true) // the last quarter before it was working time: the earliest such instant
      }
    })
  }
})

describe('business time on the day the clocks change', () => {
  it('around the clock, a DST night is 23 or 25 hours of business time, exactly the elapsed time', () => {
    for (const zone of ['Europe/Berlin', 'America/New_York', 'Pacific/Auckland', 'Australia/Lord_Howe']) {
      const cal = compileCalendar({hours: {daily: '00:00-24:00'}}, zone)
      for (const [from, to] of [
        ['2026-03-27T00:00:00Z', '2026-03-31T00:00:00Z'],
        ['2026-10-23T00:00:00Z', '2026-10-27T00:00:00Z'],
        ['2026-04-03T00:00:00Z', '2026-04-07T00:00:00Z'],
        ['2026-09-25T00:00:00Z', '2026-09-29T00:00:00Z'],
        ['2026-11-01T05:30:00Z', '2026-11-01T06:30:00Z'],
      ]) {
        expect(businessMs(cal, Date.parse(from!), Date.parse(to!)), `${zone} ${from}`).toBe(Date.parse(to!) - Date.parse(from!))
      }
    }
  })
  it('working hours across the change (Sunday 01:00-04:00 in Berlin: 2 hours on 2026-03-29, 4 on 2026-10-25)', () => {
    const cal = compileCalendar({hours: {sun: '01:00-04:00'}}, 'Europe/Berlin')
    expect(businessMs(cal, Date.parse('2026-03-28T12:00:00Z'), Date.parse('2026-03-29T12:00:00Z'))).toBe(2 * 3_600_000)
    expect(businessMs(cal, Date.parse('2026-10-24T12:00:00Z'), Date.parse('2026-10-25T12:00:00Z'))).toBe(4 * 3_600_000)
  })
})
