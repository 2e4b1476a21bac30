// One view of a ticket for both faces: tix show and the TUI's detail screen show the same rows,
// satisfaction, merges and links included (the TUI used to omit them).
import {describe, expect, it} from 'vitest'
import {Chalk} from 'chalk'
import type {LoadedTicket} from '../../src/store/desk.js'
import {ticketDetail} from '../../src/output/tickets.js'
import {detailBody} from '../../tui/detail-lines.js'

const NOW = new Date('2026-11-20T12:00:00Z')
const ids = ['AAAAAAAAAA', 'BBBBBBBBBB', 'CCCCCCCCCC']
const loaded = {
  ticket: {
    id: 'AAAAAAAAAA', title: 'Printer jams', body: '', status: 'resolved', priority: 'normal', type: 'incident', channel: 'email',
    requester: {name: 'Ana', email: 'ana@example.com'}, assignee: 'ben@example.com', department: 'it', tags: [], tier: 1, fields: {},
    createdAt: '2026-11-19T10:00:00.000Z', createdBy: 'ana@example.com', updatedAt: '2026-11-20T10:00:00.000Z',
    firstResponseAt: '2026-11-19T11:00:00.000Z', resolvedAt: '2026-11-20T10:00:00.000Z', closedAt: null, resolution: 'Cleared the tray',
    replyCount: 0, noteCount: 0, reopenCount: 0, notices: [],
    satisfaction: {rating: 'good', score: 5, comment: 'Quick, thanks', at: '2026-11-20T11:00:00.000Z', by: 'ana@example.com'},
    mergedFrom: ['BBBBBBBBBB'], links: [{id: 'CCCCCCCCCC', as: 'related'}],
  },
  events: [], thread: [], problems: [],
} as unknown as LoadedTicket

describe('one view of a ticket', () => {
  it('tix show and the TUI list the same rows, satisfaction, merges and links included', () => {
    const cli = ticketDetail(loaded, ids, {now: NOW, color: new Chalk({level: 0}), columns: 120})
    const tui = detailBody(loaded, ids, {now: NOW, width: 120}).map((segs) => segs.map((s) => s.text).join(''))
    const rowsOf = (lines: string[]) => {
      const keys = lines.filter((l) => /^[a-z][a-z ]{0,13}\s{2,}\S/.test(l.slice(0, 16)) && !l.includes(' · ')).map((l) => l.slice(0, 15).trim())
      return keys.slice(keys.indexOf('requester'))
    }
    expect(rowsOf(tui)).toEqual(rowsOf(cli))
    for (const lines of [cli, tui]) {
      const text = lines.join('\n')
      expect(text).toMatch(/satisfaction\s+good \(5\/5\) "Quick, thanks" on 2026-11-20/)
      expect(text).toMatch(/merged in\s+B/)
      expect(text).toMatch(/related to\s+C/)
    }
  })
})
