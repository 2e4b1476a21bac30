import {describe, expect, it} from 'vitest'
import {tixAsync} from '../helpers.js'
import {deskWith, renderApp} from './helpers.js'

describe('refresh', () => {
  it('shows a change another process made, keeping the selection on the same ticket', async () => {
    const {desk, dir} = await deskWith([
      {title: 'Alpha', priority: 'high'},
      {title: 'Bravo', priority: 'normal'},
      {title: 'Charlie', priority: 'low'},
    ])
    const app = renderApp(desk, {pollMs: 100})
    await app.waitFor('1/3 tickets')
    await app.press('j')
    await app.waitFor(/▶ \S+\s+normal\s+new .*Bravo/)
    // Another process (the CLI) files an urgent ticket: it sorts above, and Bravo stays selected.
    const r = await tixAsync(dir, ['new', 'Delta from outside', '--priority', 'urgent'], {env: {TIX_ACTOR: 'other@example.com'}})
    expect(r.code, r.stderr).toBe(0)
    const f = await app.waitFor('Delta from outside')
    expect(f).toContain('3/4 tickets')
    expect(f).toMatch(/▶ \S+\s+normal\s+new .*Bravo/)
    expect(f.indexOf('Delta from outside')).toBeLessThan(f.indexOf('Alpha'))
    app.unmount()
  })

  it('moves the cursor to the next ticket when the selected one leaves the view', async () => {
    const {desk, dir, ids} = await deskWith([
      {title: 'Alpha', priority: 'high'},
      {title: 'Bravo', priority: 'normal'},
      {title: 'Charlie', priority: 'low'},
    ])
    const app = renderApp(desk, {pollMs: 100})
    await app.waitFor('1/3 tickets')
    await app.press('j')
    await app.waitFor(/▶ .*Bravo/)
    const r = await tixAsync(dir, ['resolve', ids[1]!.slice(0, 6), '--resolution', 'Done elsewhere'])
    expect(r.code, r.stderr).toBe(0)
    const f = await app.waitFor('2/2 tickets')
    expect(f).not.toContain('Bravo')
    expect(f).toMatch(/▶ .*Charlie/)
    app.unmount()
  })

  it('re-reads an open ticket when it changes on disk', async () => {
    const {desk, dir, ids} = await deskWith([{title: 'Alpha'}])
    const app = renderApp(desk, {pollMs: 100})
    await app.waitFor('Alpha')
    await app.press('\r')
    await app.waitFor('id ')
    const r = await tixAsync(dir, ['note', ids[0]!.slice(0, 6), 'Written by someone else'])
    expect(r.code, r.stderr).toBe(0)
    await app.waitFor('┆ Written by someone else')
    app.unmount()
  })
})
