// The key cached report facts are kept under (src/store/report-facts.ts factsKey): only the sections
// of desk.json the facts are made from. Checked both ways: each of those sections changes the key,
// and the facts of the office fixture desk are the same under a desk.json that differs only in the
// other sections (so a change there may keep them).
import {describe, expect, it} from 'vitest'
import {office, OFFICE_DESK} from '../../fixtures/reports/office.js'
import {ticketLines} from '../../fixtures/reports/build.js'
import {validateDesk} from '../../src/domain/config/config.js'
import '../../src/domain/workflow/workflow-config.js'
import '../../src/domain/mail/config.js'
import {BatchFolder} from '../../src/store/index-fold.js'
import {FACTS_SECTIONS, factsKey} from '../../src/store/report-facts.js'

const NOW = Date.parse('2026-11-30T22:00:00Z')

// every other top-level section desk.json has (schema/desk.schema.json), set to something valid
const OTHERS = {
  $schema: './schema/desk.schema.json',
  name: 'Renamed desk',
  remote: 'origin',
  deskId: 'office-2',
  attachments: {maxBytes: 1024},
  web: {baseUrl: 'https://help.example.com'},
  rules: [{name: 'printers to IT', on: ['create'], if: {title: 'printer'}, then: {department: 'it', priority: 'urgent'}}],
  automations: [{name: 'close stale', if: {status: 'pending', idleFor: '1d'}, then: {status: 'resolved'}}],
  hooks: [{on: ['sla-breach'], run: ['true']}],
  mail: {address: 'help@example.com'},
}

describe('factsKey (report facts kept through desk.json changes they do not depend on)', () => {
  it('changes with each section the facts are made from, not with the others', () => {
    const base = factsKey(JSON.stringify(OFFICE_DESK))
    const changed: Record<(typeof FACTS_SECTIONS)[number], unknown> = {
      version: 2,
      timezone: 'Asia/Tehran',
      calendars: {office: {hours: {'sun-thu': '08:00-16:00'}}},
      sla: [],
      agents: {'bob@example.com': {name: 'Bob'}},
      departments: {it: {name: 'IT'}},
      fields: {region: {type: 'enum', values: ['north', 'south']}},
    }
    for (const k of FACTS_SECTIONS) expect(factsKey(JSON.stringify({...OFFICE_DESK, [k]: changed[k]})), k).not.toBe(base)
    for (const [k, v] of Object.entries(OTHERS)) expect(factsKey(JSON.stringify({...OFFICE_DESK, [k]: v})), k).toBe(base)
    // the layout of the text does not matter, a desk.json that is not an object is keyed by its text
    expect(factsKey(JSON.stringify(OFFICE_DESK, null, 2))).toBe(base)
    expect(factsKey('[1]')).not.toBe(factsKey('[2]'))
    expect(factsKey(null)).toBe(factsKey(null))
  })

  it('the office desk’s facts are the same under a desk.json that differs in every other section', () => {
    const other = {...OFFICE_DESK, ...OTHERS}
    expect(validateDesk(other)).toEqual([])
    const ids = Object.keys(office.tickets)
    const files = ids.map((id) => `${ticketLines(id, office.tickets[id]!)}\n`)
    const rows = (desk: object) => new BatchFolder({deskText: JSON.stringify(desk), now: NOW, summaries: false, facts: true, factsRows: true}).fold(ids, files).rows
    const base = rows(OFFICE_DESK)
    expect(base).toHaveLength(ids.length)
    expect(base.some((r) => (r[14] as unknown[]).length > 0)).toBe(true) // SLA targets are in them
    expect(rows(other)).toEqual(base)
    // and a section they depend on does change them
    expect(rows({...OFFICE_DESK, timezone: 'Asia/Tehran'})).not.toEqual(base)
  })
})
