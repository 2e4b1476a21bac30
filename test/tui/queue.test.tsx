import {describe, expect, it} from 'vitest'
import {deskWith, DOWN, ESC, many, renderApp} from './helpers.js'

describe('queue screen', () => {
  it('shows the unresolved queue by priority and moves with j/k, g/G', async () => {
    const {desk} = await deskWith([
      {title: 'Printer jams', priority: 'high', department: 'it'},
      {title: 'VPN drops', priority: 'urgent', tags: ['vpn']},
      {title: 'Old and done', status: 'resolved'},
      {title: 'Chair broken', priority: 'low', department: 'facilities'},
    ])
    const app = renderApp(desk)
    let f = await app.waitFor('VPN drops')
    expect(f).toContain('5 All open')
    expect(f).toContain('1/3 tickets · by priority')
    expect(f).not.toContain('Old and done')
    const order = ['VPN drops', 'Printer jams', 'Chair broken'].map((t) => f.indexOf(t))
    expect(order).toEqual([...order].sort((a, b) => a - b))
    expect(f).toMatch(/▶ \S+\s+urgent/)
    await app.press('j')
    f = await app.waitFor(/▶ \S+\s+high/)
    await app.press('G')
    f = await app.waitFor(/▶ \S+\s+low/)
    expect(f).toContain('3/3')
    await app.press('g', DOWN)
    await app.waitFor('2/3')
    await app.press('k')
    await app.waitFor('1/3')
    app.unmount()
  })

  it('renders only the rows that fit, and pages through 2,000 tickets', async () => {
    const {desk} = await deskWith(many(2000))
    const app = renderApp(desk, {size: {columns: 80, rows: 24}})
    let f = await app.waitFor('1/2,000')
    const rows = f.split('\n').filter((l) => /Ticket number/.test(l))
    expect(rows.length).toBeGreaterThan(10)
    expect(rows.length).toBeLessThan(24)
    expect(f.split('\n').length).toBeLessThanOrEqual(23)
    await app.press('\u001B[6~')
    f = await app.waitFor((x) => !x.includes('1/2,000'))
    const at = Number(/(\d+)\/2,000/.exec(f)![1])
    expect(at).toBe(rows.length)
    await app.press('G')
    f = await app.waitFor('2,000/2,000')
    expect(f.split('\n').filter((l) => /Ticket number/.test(l)).length).toBe(rows.length)
    app.unmount()
  })

  it('switches saved views with the number keys', async () => {
    const {desk} = await deskWith([
      {title: 'Mine', assignee: 'agent@example.com'},
      {title: 'Nobody has it'},
      {title: 'Someone else', assignee: 'bob@example.com', priority: 'urgent'},
      {title: 'Done already', status: 'resolved', assignee: 'agent@example.com'},
    ])
    const app = renderApp(desk)
    await app.waitFor('3 tickets')
    await app.press('1')
    let f = await app.waitFor('1 ticket ')
    expect(f).toContain('Mine')
    expect(f).not.toContain('Nobody has it')
    await app.press('2')
    f = await app.waitFor('Nobody has it')
    expect(f).not.toContain('Someone else')
    await app.press('3')
    f = await app.waitFor('Someone else')
    expect(f).not.toContain('Nobody has it')
    await app.press('6')
    f = await app.waitFor('Done already')
    expect(f).toContain('4 tickets')
    app.unmount()
  })

  it('cycles the order with o', async () => {
    const {desk} = await deskWith([
      {title: 'Older', createdAt: '2026-03-01T00:00:00.000Z', priority: 'urgent'},
      {title: 'Newer', createdAt: '2026-03-10T00:00:00.000Z', priority: 'low'},
    ])
    const app = renderApp(desk)
    let f = await app.waitFor('by priority')
    expect(f.indexOf('Older')).toBeLessThan(f.indexOf('Newer'))
    await app.press('o')
    f = await app.waitFor('by SLA due')
    expect(f.indexOf('Older')).toBeLessThan(f.indexOf('Newer')) // no SLA policy: by priority
    await app.press('o')
    await app.waitFor('by updated')
    await app.press('o')
    f = await app.waitFor('by oldest')
    expect(f.indexOf('Older')).toBeLessThan(f.indexOf('Newer'))
    await app.press('o')
    f = await app.waitFor('by newest')
    expect(f.indexOf('Newer')).toBeLessThan(f.indexOf('Older'))
    app.unmount()
  })

  it('filters as you type, with terms, and Esc clears', async () => {
    const {desk} = await deskWith([
      {title: 'VPN drops on wifi', tags: ['vpn'], department: 'it'},
      {title: 'Printer jams', department: 'it', status: 'pending'},
      {title: 'Chair broken', department: 'facilities'},
    ])
    const app = renderApp(desk)
    await app.waitFor('3 tickets')
    await app.press('/', 'p', 'r', 'i', 'n')
    let f = await app.waitFor((x) => x.includes('/ prin') && x.includes('1 ticket '))
    expect(f).toContain('Printer jams')
    await app.press('\u007F', '\u007F', '\u007F', '\u007F', 'dept:it')
    f = await app.waitFor('2 tickets')
    expect(f).not.toContain('Chair broken')
    await app.press(' status:pen')
    f = await app.waitFor('1 ticket ')
    expect(f).toContain('Printer jams')
    await app.press(' status:xyz')
    await app.waitFor('status:xyz is not a status')
    await app.press('\r')
    await app.waitFor('filter: dept:it status:pen status:xyz')
    await app.press(ESC)
    f = await app.waitFor('3 tickets')
    expect(f).toContain('Filter cleared.')
    app.unmount()
  })

  it('says so when a view is empty', async () => {
    const {desk} = await deskWith([{title: 'Only one'}])
    const app = renderApp(desk)
    await app.waitFor('Only one')
    await app.press('1')
    await app.waitFor('Nothing here: unresolved tickets assigned to you.')
    app.unmount()
  })
})
