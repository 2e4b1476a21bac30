// The cache's summary text (summaryText) and the contract JSON spliced from it (ticketJsonText):
// `tix list --all --json` writes every ticket this way, so the splice must give exactly what
// JSON.stringify of ticketJson gives, for any ticket, or refuse (null) and let the caller parse.
import {describe, expect, it} from 'vitest'
import {emptyTicket} from '../../src/domain/ticket/fold.js'
import type {Ticket} from '../../src/domain/ticket/model.js'
import {earlyString, laterString, summaryParts, summaryText, writeTicketJson} from '../../src/domain/ticket/summary-text.js'
import {ticketJson} from '../../src/domain/ticket/ticket-json.js'

const IDS = ['0AAAAAAAAA', '0AAAAAAAAB', 'ZZZZZZZZZ1', 'ZZZZZZZZZ2']

/** writeTicketJson as a string: what `list --all --json` writes for a summary's text (null: it parses instead). */
function ticketJsonText(text: string, ids: readonly string[], slaText: string): string | null {
  const b = Buffer.from(text)
  const p = summaryParts(b)
  if (!p) return null
  const pieces: Buffer[] = []
  const ok = writeTicketJson(b, p, ids, slaText, {bytes: (x, s, e) => pieces.push(x.subarray(s, e)), ascii: (s) => pieces.push(Buffer.from(s, 'latin1')), text: (s) => pieces.push(Buffer.from(s))})
  return ok ? Buffer.concat(pieces).toString() : null
}

/** What the parsing path writes for a summary's text. */
const parsed = (text: string, sla: unknown) => JSON.stringify({...ticketJson(JSON.parse(text) as Ticket, IDS), sla})

function ticket(id: string, over: Partial<Ticket> = {}): Ticket {
  return {...emptyTicket(id), title: 'Printer jams', body: 'On floor 3', createdAt: '2026-01-02T03:04:05.678Z', createdBy: 'ana@example.com', updatedAt: '2026-01-03T00:00:00.000Z', statusLog: [{at: '2026-01-02T03:04:05.678Z', status: 'new'}], ...over}
}

// Text that tries to look like the members the splice searches for, in every language the desk writes.
const TRICKY = [
  'plain',
  '",“reopenCount”:1,"notices":[',
  ',"reopenCount":7,"notices":["x"],"statusLog":[',
  'quote " backslash \\ \\" end\\',
  'طابعة لا تعمل',
  'چاپگر کار نمی‌کند',
  'Принтер не печатает',
  'emoji 🖨️ and a lone \ud800 surrogate',
  'C1 \u0085 and DEL \u007f and \u001b[31m escape',
  '',
]

describe('summaryText and ticketJsonText', () => {
  it('splice the same JSON as ticketJson for summaries with every optional member, and read back the same summary', () => {
    const cases: Ticket[] = [
      ticket('0AAAAAAAAA'),
      ticket('0AAAAAAAAB', {status: 'resolved', resolvedAt: '2026-01-04T00:00:00.000Z', resolution: 'Replaced the toner', satisfaction: {rating: 'good', score: 5, comment: 'Quick, "thanks"', at: '2026-01-05T00:00:00.000Z', by: 'bo@example.com'}}),
      ticket('ZZZZZZZZZ1', {links: [{id: '0AAAAAAAAA', as: 'duplicate'}], mergedFrom: ['0AAAAAAAAB'], mergedInto: 'ZZZZZZZZZ2', dedupeKey: 'nightly/linux', occurrences: {count: 3, lastAt: '2026-01-06T00:00:00.000Z', lastRun: null}, followUp: 2}),
      ticket('ZZZZZZZZZ2', {attachments: [{name: 'log.txt', blob: 'ab'.repeat(32), size: 12, mediaType: 'text/plain', at: '2026-01-02T00:00:00.000Z', by: 'ci@example.com'}], mailFailures: [{key: 'k', at: '2026-01-02T00:00:00.000Z', result: 'bounced', error: 'mailbox full', attempts: 2}], notices: ['two closes at once'], tags: ['printer', 'вход'], fields: {plan: 'pro', seats: 12, vip: true, note: null}}),
      ticket('0AAAAAAAAA', {replies: [{at: '2026-01-02T05:00:00.000Z', by: 'ana@example.com', auto: true}], assignments: [{at: '2026-01-02T05:00:00.000Z', to: 'ana@example.com'}], escalations: [{at: '2026-01-02T06:00:00.000Z', fromTier: 1, toTier: 2, by: 'ana@example.com'} as never], slaPolicy: null, rulesApplied: ['route'], automations: ['a|b'], slaAlerts: ['first:warning:0'], activityAt: '2026-01-02T06:00:00.000Z', priorityLog: [{at: '2026-01-02T03:04:05.678Z', priority: 'high'}]}),
    ]
    let spliced = 0
    for (const t of cases) {
      const text = summaryText(t)
      expect(JSON.parse(text)).toEqual(t)
      for (const sla of [null, {state: 'ok', due: '2026-01-02T00:00:00.000Z'}]) {
        expect(ticketJsonText(text, IDS, JSON.stringify(sla))).toBe(parsed(text, sla))
        spliced++
      }
    }
    expect(spliced).toBe(cases.length * 2)
  })

  it('stays exact for hostile titles, bodies, requesters, tags and fields (500 random tickets)', () => {
    let seed = 7
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff
      return seed % n
    }
    const pick = () => TRICKY[rand(TRICKY.length)]! + TRICKY[rand(TRICKY.length)]!
    let spliced = 0
    for (let i = 0; i < 500; i++) {
      const t = ticket(IDS[rand(IDS.length)]!, {
        title: pick(),
        body: pick(),
        requester: {name: rand(3) === 0 ? null : pick(), email: pick()},
        tags: [pick(), pick()],
        resolution: rand(2) ? null : pick(),
        notices: rand(2) ? [] : [pick()],
        fields: rand(2) ? {} : {[pick()]: pick(), n: rand(100)},
        ...(rand(3) === 0 ? {satisfaction: {rating: 'bad' as const, score: null, comment: pick(), at: '2026-01-05T00:00:00.000Z', by: pick()}} : {}),
      })
      const text = summaryText(t)
      expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(t)))
      expect(ticketJsonText(text, IDS, 'null')).toBe(parsed(text, null))
      spliced++
    }
    expect(spliced).toBe(500)
  })

  it('writes a summary whose custom fields name a searched member so that the splice refuses it', () => {
    for (const fields of [{statusLog: [1]}, {x: {notices: ['y'], reopenCount: 3}}, {createdAt: '1999-01-01T00:00:00.000Z'}]) {
      const t = ticket('0AAAAAAAAA', {fields})
      const text = summaryText(t)
      expect(JSON.parse(text)).toEqual(t)
      expect(summaryParts(Buffer.from(text))).toBeNull()
      expect(ticketJsonText(text, IDS, 'null')).toBeNull()
    }
    // other objects in fields are spliced as they are
    const t = ticket('0AAAAAAAAA', {fields: {x: {created: 1, list: ['reopenCount']}}})
    expect(ticketJsonText(summaryText(t), IDS, 'null')).toBe(parsed(summaryText(t), null))
  })

  it('refuses texts not in the written order: the fold’s own order, a damaged line, another shape', () => {
    const t = ticket('0AAAAAAAAA', {satisfaction: {rating: 'good', score: 4, comment: null, at: '2026-01-05T00:00:00.000Z', by: 'bo@example.com'}})
    const text = summaryText(t)
    for (const bad of [JSON.stringify(t), text.slice(0, 200), '{"id":"X"}', '[]', '{"id":"0AAAAAAAAA","title":"x"}', text.replace(',"reopenCount":0', ',"reopenCount":"0"')]) {
      expect(ticketJsonText(bad, IDS, 'null'), bad.slice(0, 60)).toBeNull()
    }
  })

  it('reads the sort keys a wide list needs without parsing', () => {
    const t = ticket('0AAAAAAAAA', {status: 'pending', priority: 'urgent', title: ',"status":"new","priority":"low"'})
    const b = Buffer.from(summaryText(t))
    const p = summaryParts(b)!
    expect([laterString(b, p, 'createdAt'), laterString(b, p, 'updatedAt'), earlyString(b, p, 'status'), earlyString(b, p, 'priority')]).toEqual([t.createdAt, t.updatedAt, 'pending', 'urgent'])
  })
})
