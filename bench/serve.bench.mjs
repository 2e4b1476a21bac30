/* global FormData */
// `npm run bench -- --serve`: tix serve under load (autocannon), on the built CLI:
//   - POST /api/v1/tickets on the 1k desk: tickets/s sustained, p99, and every 2xx on the branch after;
//   - a requester's ticket page (/t/<link>) on the 10k desk: requests/s and p99;
//   - peak memory (VmHWM) of the server while serving the 100k desk (lists, pages and creates).
// Budgets: >= 200 creates/s with p99 <= 250 ms; >= 1,000 pages/s with p99 <= 30 ms; <= 300 MB.
import {spawn, spawnSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {createRequire} from 'node:module'

const require = createRequire(import.meta.url)

function startServe(ctx, dir) {
  const child = spawn(ctx.node, [ctx.bin, 'serve', '--port', '0', '--rate-limit', '0', '--token-rate-limit', '0'], {cwd: dir, env: {...ctx.env, TIX_REPO: dir}, stdio: ['ignore', 'pipe', 'pipe']})
  let err = ''
  child.stderr.on('data', (d) => (err += d))
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (d) => {
      out += d
      const m = /Serving \S+ on (\S+)/.exec(out)
      if (m) resolve({child, url: m[1], stop: () => stop(child)})
    })
    child.once('exit', (code) => reject(new Error(`tix serve exited (${code}): ${err.trim().split('\n').pop()}`)))
  })
}

function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}

function cannon(opts) {
  const autocannon = require('autocannon')
  return new Promise((resolve, reject) => autocannon(opts, (err, res) => (err ? reject(err) : resolve(res))))
}

const ticketCount = (dir) => spawnSync('git', ['ls-tree', '-r', '--name-only', 'refs/heads/tix', 'tickets'], {cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28}).stdout.split('\n').filter(Boolean).length

function token(ctx, dir, name, scopes) {
  ctx.tix(['serve', 'token', 'revoke', name], dir)
  const r = ctx.tix(['serve', 'token', 'add', name, ...scopes.flatMap((s) => ['--scope', s])], dir)
  if (r.code !== 0) throw new Error(`tix serve token add failed: ${r.stderr}`)
  return r.stdout.trim()
}

/** A requester's link, made the way a requester gets one: through the form. */
async function portalLink(url) {
  const home = await fetch(`${url}/`)
  const cookie = home.headers.get('set-cookie').split(';')[0]
  const csrf = /name="csrf" value="([^"]+)"/.exec(await home.text())[1]
  const form = new FormData()
  for (const [k, v] of Object.entries({csrf, name: 'Bench Requester', email: 'bench.requester@example.com', subject: 'Bench: the page under load', description: 'Measured by npm run bench -- --serve.'})) form.set(k, v)
  const res = await fetch(`${url}/requests`, {method: 'POST', body: form, headers: {cookie}, redirect: 'manual'})
  if (res.status !== 303) throw new Error(`the form answered ${res.status}`)
  return res.headers.get('location').replace(/[?&]created=1/, '')
}

export async function run(ctx) {
  if (!ctx.flag('--serve')) return []
  const rows = []
  const seconds = Number(process.env.TIX_BENCH_SERVE_SECONDS ?? 10)

  // Creates through the API, with group commit.
  {
    const dir = ctx.desks[1000]
    const auth = token(ctx, dir, 'bench-write', ['tickets:write'])
    const before = ticketCount(dir)
    const server = await startServe(ctx, dir)
    let res
    try {
      res = await cannon({
        url: `${server.url}/api/v1/tickets`,
        method: 'POST',
        connections: 32,
        duration: seconds,
        timeout: 60, // a slow commit is a slow answer, not a lost one: count it
        headers: {authorization: `Bearer ${auth}`, 'content-type': 'application/json'},
        body: JSON.stringify({title: 'Bench: printer on 2nd floor jams', body: 'Since Monday the printer jams on every page.', requester: 'Ana Diaz <ana@example.com>', priority: 'high', type: 'incident', tags: ['printer'], department: 'it', channel: 'chat'}),
      })
    } finally {
      await server.stop()
    }
    const created = ticketCount(dir) - before
    const ok = res['2xx']
    const rate = ok / (res.duration || seconds)
    rows.push({name: `serve: POST /api/v1/tickets (1k desk, 32 connections, ${seconds} s)`, value: Math.round(rate), unit: 'tickets/s', budget: null, pass: rate >= 200, detail: `>= 200 wanted; ${ok} acknowledged, ${res.non2xx} non-2xx, ${res.errors} errors`})
    rows.push({name: 'serve: POST /api/v1/tickets p99 latency', value: res.latency.p99, unit: 'ms', budget: 250, pass: res.latency.p99 <= 250})
    rows.push({name: 'serve: acknowledged creates on the branch after', value: created, unit: '', budget: null, pass: created >= ok, detail: `${created} written for ${ok} acknowledged (the rest were in flight when the load stopped)`})
  }

  // A requester's page.
  {
    const dir = ctx.desks[10000]
    const server = await startServe(ctx, dir)
    let res
    try {
      const link = await portalLink(server.url)
      await cannon({url: server.url + link, connections: 10, duration: 2}) // warm-up
      res = await cannon({url: server.url + link, connections: 10, duration: seconds})
    } finally {
      await server.stop()
    }
    const rate = res['2xx'] / (res.duration || seconds)
    rows.push({name: `serve: portal ticket page (10k desk, 10 connections, ${seconds} s)`, value: Math.round(rate), unit: 'req/s', budget: null, pass: rate >= 1000 && res.non2xx === 0, detail: `>= 1,000 wanted; ${res.non2xx} non-2xx`})
    rows.push({name: 'serve: portal ticket page p99 latency', value: res.latency.p99, unit: 'ms', budget: 30, pass: res.latency.p99 <= 30})
  }

  // Memory while serving the 100k desk.
  {
    const dir = ctx.desks[100000]
    if (dir) {
      const auth = token(ctx, dir, 'bench-all', ['tickets:read', 'tickets:write', 'reports:read'])
      const server = await startServe(ctx, dir)
      let peak
      // The peak so far after each stage (VmHWM), so that a regression says where it happens.
      const stages = []
      const hwm = (stage) => {
        const status = readFileSync(`/proc/${server.child.pid}/status`, 'utf8')
        peak = Number(/VmHWM:\s+(\d+) kB/.exec(status)[1]) / 1024
        stages.push(`${stage} ${peak.toFixed(0)}`)
      }
      try {
        const h = {authorization: `Bearer ${auth}`}
        hwm('start')
        await cannon({url: `${server.url}/api/v1/tickets?limit=100`, connections: 4, amount: 200, headers: h})
        hwm('lists')
        await cannon({url: `${server.url}/api/v1/tickets?all=true&q=printer&limit=50`, connections: 2, amount: 20, headers: h})
        hwm('search')
        const link = await portalLink(server.url)
        await cannon({url: server.url + link, connections: 8, amount: 2000})
        hwm('pages')
        await cannon({url: `${server.url}/api/v1/tickets`, method: 'POST', connections: 16, amount: 400, headers: {...h, 'content-type': 'application/json'}, body: JSON.stringify({title: 'Bench: memory'})})
        hwm('creates')
        await fetch(`${server.url}/api/v1/reports?period=month`, {headers: h})
        hwm('report')
      } finally {
        await server.stop()
      }
      rows.push({name: 'serve: peak memory serving the 100k desk (lists, search, pages, creates, a report)', value: peak, unit: 'MB', budget: 300, pass: peak <= 300, detail: `peak after ${stages.join(', ')}`})
    } else {
      rows.push({name: 'serve: peak memory serving the 100k desk', value: NaN, unit: 'MB', budget: 300, pass: false, detail: 'no 100k desk (run with --serve, which makes it)'})
    }
  }
  return rows
}
