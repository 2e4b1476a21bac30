// The TUI on a desk with SLA policies: the countdown column, the "At risk" view and the detail clocks.
import {describe, expect, it} from 'vitest'
import {Desk} from '../../src/store/desk.js'
import {testIO} from '../helpers.js'
import {deskWith, NOW, renderApp} from './helpers.js'

const SLA = {
  calendars: {office: {hours: {'mon-sun': '00:00-24:00'}}},
  sla: [{name: 'standard', calendar: 'office', targets: {high: {firstResponse: '1h', resolution: '8h'}, normal: {firstResponse: '8h', resolution: '3d'}}}],
}

describe('SLA in the TUI', () => {
  it('shows the countdown, finds breaches in the At risk view, and the clocks in the detail', async () => {
    const {dir, desk} = await deskWith([
      {title: 'Overdue printer', createdAt: '2026-03-12T08:00:00.000Z', priority: 'high'},
      {title: 'Fresh question', createdAt: '2026-03-12T11:30:00.000Z', priority: 'normal'},
    ])
    const current = JSON.parse((await desk.index()).config ? JSON.stringify((await desk.index()).config) : '{}')
    await desk.commitFiles([{path: 'desk.json', content: JSON.stringify({...current, ...SLA}, null, 2)}], 'SLA')
    const app = renderApp(Desk.locate(testIO(dir, {TIX_NOW: NOW})))
    let f = await app.waitFor('SLA')
    expect(f).toMatch(/Overdue printer/)
    expect(f).toMatch(/-3h\s.*Overdue printer/)
    expect(f).toMatch(/ 7h\s.*Fresh question/) // 7h30m left: never rounds up a deadline
    await app.press('3')
    f = await app.waitFor('by SLA due')
    expect(f).toContain('Overdue printer')
    expect(f).not.toContain('Fresh question')
    await app.press('\r')
    f = await app.waitFor('policy standard')
    expect(f).toMatch(/SLA\s+breached/)
    expect(f).toMatch(/first reply\s+breached/)
  })
})
