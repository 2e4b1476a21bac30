// A synthetic desk for the report benchmark, written with one `git fast-import` run: N tickets
// (about 90% resolved or closed, about 10 events a ticket) spread over the year before `now`, in
// five departments, with replies, pauses, reopens, tier escalations and ratings. Deterministic
// (seeded), so two runs build the same desk. Used when bench/run.mjs does not hand us a desk of
// that size (the shared generator lives in fixtures/).
import {spawn, spawnSync} from 'node:child_process'
import {mkdirSync} from 'node:fs'

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
const DEPTS = ['it', 'support', 'engineering', 'facilities', 'hr']
const CHANNELS = ['email', 'chat', 'phone', 'web', 'social', 'api', 'ci', 'cli']
const PRIORITIES = ['low', 'normal', 'normal', 'normal', 'high', 'urgent']
const AGENTS = Array.from({length: 20}, (_, i) => `agent${i}@example.com`)
const HOUR = 3_600_000

function rng(seed) {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function deskConfig() {
  return {
    version: 1,
    name: 'Report bench desk',
    timezone: 'Europe/Berlin',
    departments: Object.fromEntries(DEPTS.map((d) => [d, {name: d}])),
    agents: Object.fromEntries(AGENTS.map((a, i) => [a, {name: `Agent ${i}`, tier: i < 15 ? 1 : 2}])),
    calendars: {office: {hours: {'mon-fri': '08:00-18:00'}, holidays: ['2025-12-25', '2026-01-01']}},
    sla: [
      {
        name: 'standard',
        calendar: 'office',
        targets: {
          urgent: {firstResponse: '1h', nextResponse: '2h', resolution: '8h'},
          high: {firstResponse: '4h', nextResponse: '4h', resolution: '2 business days'},
          normal: {firstResponse: '8h', nextResponse: '8h', resolution: '5 business days'},
          low: {firstResponse: '2 business days', resolution: '10 business days'},
        },
        pauseOn: ['pending'],
      },
    ],
  }
}

/** Builds the desk in `dir` (git init if needed). Returns {tickets, events}. */
export async function makeReportDesk(dir, n, {seed = 42, now = '2026-11-20T12:00:00.000Z'} = {}) {
  mkdirSync(dir, {recursive: true})
  spawnSync('git', ['init', '--quiet', '-b', 'main', dir])
  const rand = rng(seed)
  const pick = (xs) => xs[Math.floor(rand() * xs.length)]
  const end = Date.parse(now)
  const start = end - 365 * 24 * HOUR
  const id = (len) => Array.from({length: len}, () => ALPHABET[Math.floor(rand() * 32)]).join('')
  const child = spawn('git', ['fast-import', '--quiet', '--done'], {cwd: dir, stdio: ['pipe', 'inherit', 'inherit']})
  const done = new Promise((res, rej) => child.on('close', (c) => (c === 0 ? res() : rej(new Error(`fast-import exit ${c}`)))))
  let buf = []
  let bufLen = 0
  const write = async (s) => {
    buf.push(s)
    bufLen += s.length
    if (bufLen > 1 << 20) {
      const chunk = buf.join('')
      buf = []
      bufLen = 0
      if (!child.stdin.write(chunk)) await new Promise((r) => child.stdin.once('drain', r))
    }
  }
  const msg = 'Synthetic desk for the report benchmark\n'
  await write(`feature done\ncommit refs/heads/tix\nauthor Bench <bench@example.com> ${Math.floor(end / 1000)} +0000\ncommitter Bench <bench@example.com> ${Math.floor(end / 1000)} +0000\ndata ${Buffer.byteLength(msg)}\n${msg}`)
  const blob = (path, text) => `M 100644 inline ${path}\ndata ${Buffer.byteLength(text)}\n${text}\n`
  await write(blob('.gitattributes', '*.jsonl merge=union\n'))
  await write(blob('desk.json', JSON.stringify(deskConfig(), null, 2) + '\n'))
  let events = 0
  for (let i = 0; i < n; i++) {
    const tid = id(10)
    let t = start + Math.floor(rand() * (end - start - 2 * HOUR))
    let seq = 0
    const lines = []
    const requester = `customer${Math.floor(rand() * n)}@example.org`
    const ev = (by, type, extra) => {
      lines.push(JSON.stringify({v: 1, id: id(16), seq: ++seq, at: new Date(t).toISOString(), by, type, ...extra}))
    }
    const dept = pick(DEPTS)
    const agent = pick(AGENTS)
    ev('mail-gateway@example.com', 'create', {
      ticket: tid,
      title: `Request ${i}: something is not working`,
      body: 'Hello, since this morning the thing does not work as it should. Could you have a look? Thanks.',
      requester: {name: null, email: requester},
      channel: pick(CHANNELS),
      priority: pick(PRIORITIES),
      ticketType: 'incident',
      tags: ['synthetic'],
      department: dept,
      assignee: null,
    })
    const step = () => (t = Math.min(end - 1, t + Math.floor(rand() * 20 * HOUR) + 60_000))
    step()
    ev(agent, 'assign', {from: null, to: agent})
    step()
    ev(agent, 'reply', {body: 'Thanks, we are looking into it.'})
    ev(agent, 'status', {from: 'new', to: 'open'})
    let status = 'open'
    if (rand() < 0.8) {
      step()
      ev(agent, 'note', {body: 'Checked the logs; looks like the usual suspect.'})
      step()
      ev('mail-gateway@example.com', 'reply', {body: 'Any news?', author: requester})
      step()
      ev(agent, 'reply', {body: 'Almost there, thanks for waiting.'})
    }
    if (rand() < 0.3) {
      step()
      ev(agent, 'status', {from: status, to: 'pending'})
      step()
      ev('mail-gateway@example.com', 'reply', {body: 'Here is the information you asked for.', author: requester})
      ev(agent, 'status', {from: 'pending', to: 'open'})
    }
    if (rand() < 0.1) {
      step()
      ev(agent, 'escalate', {toTier: 2, reason: 'needs a specialist'})
    }
    const resolved = rand() < 0.9
    if (resolved) {
      step()
      ev(agent, 'status', {from: status, to: 'resolved', resolution: 'Fixed the configuration.'})
      if (rand() < 0.05) {
        step()
        ev('mail-gateway@example.com', 'status', {from: 'resolved', to: 'open'})
        step()
        ev(agent, 'status', {from: 'open', to: 'resolved', resolution: 'Fixed it again.'})
      }
      if (rand() < 0.4) {
        step()
        const score = 1 + Math.floor(rand() * 5)
        ev(requester, 'rate', {rating: score >= 4 ? 'good' : score === 3 ? 'neutral' : 'bad', score, comment: null})
      }
      if (rand() < 0.5) {
        step()
        ev(agent, 'status', {from: 'resolved', to: 'closed'})
      }
    } else if (rand() < 0.2) {
      step()
      ev(agent, 'note', {body: 'Waiting for the vendor.'})
    }
    events += lines.length
    await write(blob(`tickets/${tid.slice(0, 2)}/${tid}.jsonl`, lines.join('\n') + '\n'))
  }
  await write('\ndone\n')
  child.stdin.write(buf.join(''))
  child.stdin.end()
  await done
  return {tickets: n, events}
}

// node bench/report-desk.mjs DIR N
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/.*\//, ''))) {
  const [dir, n] = process.argv.slice(2)
  const t0 = Date.now()
  const r = await makeReportDesk(dir, Number(n ?? 1000))
  console.log(`${r.tickets} tickets, ${r.events} events in ${Date.now() - t0} ms`)
}
