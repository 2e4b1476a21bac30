// The server and sync: a sync that brings a conflicting desk.json keeps the server serving and
// /healthz shows the conflict. And the HTML report: one self-contained page with the figures and
// SVG charts, everything escaped, from `tix report --format html -o FILE`.
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {htmlReport} from '../../src/output/html-report.js'
import {runReport} from '../../src/services/reports.js'
import {startServer} from '../../src/services/serve/server.js'
import {newTicket} from '../../src/services/tickets.js'
import {updateDeskJson} from '../../src/services/workflow/desk-config.js'
import {makeDesk, tempDir, tixIn} from '../helpers.js'
import {syncWith, team} from '../sync/helpers.js'
import {ENV} from './helpers.js'

describe('sync while serving', () => {
  it('a conflicting change from the remote: the server keeps serving and /healthz shows it', async () => {
    const {clones} = await team(2)
    const [ana, bo] = clones as [NonNullable<(typeof clones)[0]>, NonNullable<(typeof clones)[0]>]
    await updateDeskJson(bo.desk, 'name from Bo', (c) => ({...c, name: 'Bo desk'}))
    await syncWith(bo)
    await updateDeskJson(ana.desk, 'name from Ana', (c) => ({...c, name: 'Ana desk'}))
    const server = await startServer(ana.desk, {port: 0, ratePerIp: 0})
    try {
      await server.syncNow()
      const health = (await (await fetch(`${server.url}/healthz`)).json()) as {lastSync: {ok: boolean}; conflicts: {path: string}[]}
      expect(health.conflicts.map((c) => c.path)).toContain('desk.json')
      expect((await fetch(`${server.url}/`)).status).toBe(200)
      // and it still writes
      const t = await newTicket(ana.desk, {title: 'after the conflict'})
      expect(t.commit).toMatch(/^[0-9a-f]{40}$/)
    } finally {
      await server.close()
    }
  })

  it('a failed sync (no remote) is on /healthz and the server goes on', async () => {
    const {desk} = await makeDesk(ENV)
    const server = await startServer(desk, {port: 0, ratePerIp: 0})
    try {
      await server.syncNow()
      const health = (await (await fetch(`${server.url}/healthz`)).json()) as {lastSync: {ok: boolean; error: string}}
      expect(health.lastSync.ok).toBe(false)
      expect(health.lastSync.error).toMatch(/remote/i)
      expect((await fetch(`${server.url}/`)).status).toBe(200)
    } finally {
      await server.close()
    }
  })
})

describe('the HTML report', () => {
  it('has the table and SVG charts, escapes group names, and loads nothing from the network', async () => {
    const {desk} = await makeDesk(ENV)
    // a custom field's value is free text from whoever filed the ticket: the group name is a stranger's
    await newTicket(desk, {title: 'a', fields: {plan: 'pro'}})
    await newTicket(desk, {title: 'b', fields: {plan: '<img src=x>'}})
    const page = htmlReport(await runReport(desk, {by: 'field:plan', period: 'week'}), {deskName: 'Acme <Desk>'})
    expect(page).toContain('<table>')
    expect(page).toMatch(/<svg [^>]*role="img"/)
    expect(page).toContain('&lt;img src=x&gt;')
    expect(page).not.toContain('<img')
    expect(page).toContain('Acme &lt;Desk&gt;')
    expect(page).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org\/2000\/svg)/)
  })

  it('tix report --format html -o FILE writes the page', async () => {
    const dir = tempDir()
    expect((await tixIn(dir, ['init'], {env: ENV})).code).toBe(0)
    expect((await tixIn(dir, ['new', 'x'], {env: ENV})).code).toBe(0)
    const out = join(dir, 'report.html')
    const r = await tixIn(dir, ['report', '--period', 'week', '--format', 'html', '-o', out], {env: ENV})
    expect(r.code).toBe(0)
    const page = readFileSync(out, 'utf8')
    expect(page.startsWith('<!doctype html>')).toBe(true)
    expect(page).toContain('<svg')
  })
})
