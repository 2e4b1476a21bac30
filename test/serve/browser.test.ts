// The portal in a real browser (Debian's chromium driven by playwright-core): file a request, an
// agent answers from the CLI, the requester answers and rates; Arabic is right to left (checked on
// the page and in a screenshot); the form works with JavaScript off. Screenshots are kept in
// $TIX_SCREENSHOTS when set (to look at the pages).
import {existsSync, mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {Browser, Page} from 'playwright-core'
import {serializeArticle} from '../../src/domain/kb/article.js'
import {showTicket} from '../../src/services/tickets.js'
import {tix} from '../helpers.js'
import {ENV, servedDesk} from './helpers.js'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const present = existsSync(CHROMIUM)
if (!present) {
  if (process.env.CI === 'true') throw new Error(`The browser tests need chromium at ${CHROMIUM} (CI=true: not skipping).`)
  process.stderr.write(`test/serve/browser.test.ts: skipped, no chromium at ${CHROMIUM} (apt-get install chromium).\n`)
}
const shots = process.env.TIX_SCREENSHOTS
const keep = async (page: Page, name: string) => {
  const png = await page.screenshot({fullPage: true})
  if (shots) {
    mkdirSync(shots, {recursive: true})
    writeFileSync(join(shots, `${name}.png`), png)
  }
  return png
}

describe.skipIf(!present)('the portal in chromium', () => {
  let browser: Browser
  let s: Awaited<ReturnType<typeof servedDesk>>
  beforeAll(async () => {
    const {chromium} = await import('playwright-core')
    browser = await chromium.launch({executablePath: CHROMIUM, args: ['--no-sandbox']})
    s = await servedDesk({}, async (desk) => {
      const {updateDeskJson} = await import('../../src/services/workflow/desk-config.js')
      await updateDeskJson(desk, 'departments', (c) => ({...c, name: 'Acme Help', departments: {it: {name: 'IT support', public: true}}}))
    })
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
  })

  async function fileRequest(page: Page, subject: string, file?: {name: string; mimeType: string; buffer: Buffer}): Promise<string> {
    await page.goto(`${s.url}/?lang=en`)
    await page.getByLabel('Your name').fill('Ana Diaz')
    await page.getByLabel('Your e-mail address').fill('ana@example.com')
    await page.getByLabel('Subject').fill(subject)
    await page.getByLabel('Describe the problem').fill('It jams on every page.\nSecond line.')
    await page.getByLabel('Department').selectOption('it')
    if (file) await page.getByLabel('Attach a file (optional)').setInputFiles(file)
    await Promise.all([page.waitForURL(/\/t\//), page.getByRole('button', {name: 'Send request'}).click()])
    return (await page.locator('[data-ticket]').first().getAttribute('data-ticket'))!
  }

  it('files a request, shows the agent reply, takes the answer and the rating', {timeout: 180_000}, async () => {
    const page = await browser.newPage({viewport: {width: 390, height: 844}})
    const log = Buffer.from('E42 paper jam in tray 2\n'.repeat(50))
    const sid = await fileRequest(page, 'Printer jams', {name: 'printer.log', mimeType: 'text/plain', buffer: log})
    await keep(page, 'created')
    const created = (await showTicket(s.desk, sid)).ticket.ticket
    expect(created).toMatchObject({channel: 'web', department: 'it', title: 'Printer jams'})
    expect(created.attachments).toEqual([expect.objectContaining({name: 'printer.log', size: log.length})])
    const env0 = {...ENV, TIX_REPO: s.dir}
    const got = tix(s.dir, ['attachment', 'get', sid, 'printer.log', '-o', '-'], {env: env0})
    expect(got.stdout).toBe(log.toString())
    const env = {...ENV, TIX_REPO: s.dir}
    expect(tix(s.dir, ['reply', sid, 'Restarted the spooler; please try again.'], {env}).code).toBe(0)
    expect(tix(s.dir, ['note', sid, 'INTERNAL: fuser worn'], {env}).code).toBe(0)
    await page.reload()
    await expect.poll(() => page.locator('ol.thread').innerText()).toContain('Restarted the spooler')
    expect(await page.content()).not.toContain('INTERNAL: fuser worn')
    await page.getByLabel('Your answer').fill('Works now, thanks')
    await Promise.all([page.waitForURL(/done=reply/), page.getByRole('button', {name: 'Send answer'}).click()])
    expect(await page.locator('ol.thread').innerText()).toContain('Works now, thanks')
    expect(tix(s.dir, ['resolve', sid, '--resolution', 'Cleaned the rollers'], {env}).code).toBe(0)
    await page.reload()
    await page.getByLabel('Good').check()
    await page.getByLabel('Comment (optional)').fill('Fast and friendly')
    await Promise.all([page.waitForURL(/done=rate/), page.getByRole('button', {name: 'Send rating'}).click()])
    await keep(page, 'rated')
    const shown = tix(s.dir, ['show', sid, '--json'], {env}).json().ticket
    expect(shown.satisfaction).toMatchObject({rating: 'good', comment: 'Fast and friendly'})
    expect(shown.thread.some((e: {author: string; body: string}) => e.author === 'ana@example.com' && e.body === 'Works now, thanks')).toBe(true)
    await page.close()
  })

  it('renders Arabic right to left: dir on the page, and the heading drawn on the right in a screenshot', {timeout: 120_000}, async () => {
    const page = await browser.newPage({viewport: {width: 800, height: 600}})
    await page.goto(`${s.url}/`, {waitUntil: 'load'})
    await page.goto(`${s.url}/?lang=ar`)
    expect(await page.getAttribute('html', 'dir')).toBe('rtl')
    expect(await page.getAttribute('html', 'lang')).toBe('ar')
    await keep(page, 'arabic')
    const box = (await page.locator('main').boundingBox())!
    const h1 = (await page.locator('h1').boundingBox())!
    const png = await page.screenshot({clip: {x: box.x, y: h1.y, width: box.width, height: h1.height}})
    // Where the ink is: the mean x of dark pixels, as a share of the width (decoded by the browser itself).
    const probe = await browser.newPage()
    const share = await probe.evaluate(async (b64) => {
      const g = globalThis as any  
      const img = new g.Image()
      img.src = `data:image/png;base64,${b64}`
      await img.decode()
      const canvas = g.document.createElement('canvas')
      canvas.width = img.width
      canvas.height = img.height
      const ctx = canvas.getContext('2d')
      ctx.drawImage(img, 0, 0)
      const {data} = ctx.getImageData(0, 0, img.width, img.height) as {data: Uint8ClampedArray}
      let sum = 0
      let n = 0
      let min = img.width
      for (let i = 0; i < data.length; i += 4) {
        if (data[i]! + data[i + 1]! + data[i + 2]! < 300) {
          const x = (i / 4) % img.width
          sum += x
          n++
          min = Math.min(min, x)
        }
      }
      return {mean: sum / n / img.width, left: min / img.width, n}
    }, png.toString('base64'))
    await probe.close()
    expect(share.n).toBeGreaterThan(50)
    expect(share.mean).toBeGreaterThan(0.6)
    expect(share.left).toBeGreaterThan(0.4)
    // and English is drawn on the left
    await page.goto(`${s.url}/?lang=en`)
    expect(await page.getAttribute('html', 'dir')).toBe('ltr')
    await page.close()
  })

  it('searches the knowledge base from the home page and votes on an article', {timeout: 60_000}, async () => {
    await s.desk.commitFiles(
      [{path: 'kb/vpn-setup/en.md', content: serializeArticle({title: 'Set up the VPN', category: 'network', tags: ['vpn'], status: 'published', author: null, updated: '2026-11-01T10:00:00.000Z', summary: null, source: null}, 'Install the VPN client.\n\n- switch to TCP\n')}],
      'kb: an article for the browser',
    )
    const context = await browser.newContext({javaScriptEnabled: false})
    const page = await context.newPage()
    await page.goto(`${s.url}/?lang=en`)
    await page.getByLabel('Search the help articles').fill('vpn drops')
    await Promise.all([page.waitForURL(/\/kb\?/), page.getByRole('button', {name: 'Search'}).click()])
    await Promise.all([page.waitForURL(/\/kb\/vpn-setup/), page.getByRole('link', {name: 'Set up the VPN'}).click()])
    expect(await page.locator('article h1').innerText()).toBe('Set up the VPN')
    await Promise.all([page.waitForURL(/voted=1/), page.getByRole('button', {name: 'Yes'}).click()])
    expect(await page.locator('[data-voted]').innerText()).toBe('Thank you for your feedback.')
    await keep(page, 'kb-article')
    const stats = tix(s.dir, ['kb', 'stats', '--json'], {env: {...ENV, TIX_REPO: s.dir}}).json()
    expect(stats.articles).toEqual([expect.objectContaining({slug: 'vpn-setup', helpful: 1, notHelpful: 0})])
    await context.close()
  })

  it('works with JavaScript disabled', {timeout: 120_000}, async () => {
    const context = await browser.newContext({javaScriptEnabled: false})
    const page = await context.newPage()
    const sid = await fileRequest(page, 'No script here')
    expect((await showTicket(s.desk, sid)).ticket.ticket).toMatchObject({title: 'No script here', channel: 'web'})
    await page.goto(`${s.url}/?lang=fa`)
    await keep(page, 'persian')
    await page.goto(`${s.url}/?lang=ru`)
    await keep(page, 'russian')
    await context.close()
  })
})
