#!/usr/bin/env node
// Sync speed (docs/architecture.md): a sync that merges 1,000 concurrent events per side (on distinct and
// on shared tickets) within 3 s, and a no-op sync that costs about one `git fetch`.
//
//   node bench/sync.mjs [--events 1000] [--runs 5]      (after `npm run build`)
//
// Prints one line per figure: name, measured, budget, PASS/FAIL. `npm run bench` runs the same
// figures through bench/sync.bench.mjs; other scripts can `import {benchSync} from './sync.mjs'`.
//
// The scenario: a bare remote and two clones sharing 200 tickets. Offline, each side writes
// `events` events, one commit each: half on the shared tickets (so both sides changed them and
// their logs must be unioned), half on tickets of its own (created and replied to). Side A pushes
// (timed: a sync that only sends), side B syncs (timed: fetch 1,000 commits, merge, push), then A
// syncs again (timed: a fast-forward of 1,000 events, cache refresh included).
import {spawnSync} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {performance} from 'node:perf_hooks'
import {fileURLToPath} from 'node:url'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
const SHARED = 200

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

function randomId(length) {
  const bytes = randomBytes(length)
  let out = ''
  for (let i = 0; i < length; i++) out += ALPHABET[bytes[i] & 31]
  return out
}

const ticketPath = (id) => `tickets/${id.slice(0, 2)}/${id}.jsonl`

function createEvent(id, seq, at, by, title) {
  return {v: 1, id: randomId(16), seq, at, by, type: 'create', ticket: id, title, body: 'Generated for the sync benchmark.', requester: {name: 'Req', email: 'req@example.com'}, channel: 'api', priority: 'normal', ticketType: 'question', tags: [], department: null, assignee: null}
}

/** One `git fast-import` run writing `commits` (each: message + files) on top of the branch tip. */
function fastImport(dir, env, branch, tip, commits, author) {
  const parts = []
  let t = Math.floor(Date.now() / 1000)
  commits.forEach((c, i) => {
    const msg = Buffer.from(c.message + '\n')
    parts.push(Buffer.from(`commit refs/heads/${branch}\nauthor ${author} ${t} +0000\ncommitter ${author} ${t} +0000\ndata ${msg.length}\n`), msg)
    if (i === 0 && tip) parts.push(Buffer.from(`from ${tip}\n`))
    for (const f of c.files) {
      const data = Buffer.from(f.content)
      parts.push(Buffer.from(`M 100644 inline ${f.path}\ndata ${data.length}\n`), data, Buffer.from('\n'))
    }
    parts.push(Buffer.from('\n'))
    t++
  })
  parts.push(Buffer.from('done\n'))
  run('git', ['fast-import', '--quiet', '--done'], dir, env, Buffer.concat(parts))
}

function run(cmd, args, cwd, env, input) {
  const r = spawnSync(cmd, args, {cwd, env, input, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], maxBuffer: 1 << 30})
  if (r.error) throw r.error
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr.toString().trim().split('\n').slice(-3).join(' ')}`)
  return r.stdout.toString('utf8')
}

function timed(cmd, args, cwd, env) {
  const t = performance.now()
  const out = run(cmd, args, cwd, env)
  return {ms: performance.now() - t, out}
}

/**
 * Builds the scenario in a temp folder and measures it. Returns rows
 * {name, value, unit, budget, pass, detail} (the shape bench/run.mjs prints).
 */
export async function benchSync(opts = {}) {
  const node = opts.node ?? process.execPath
  const bin = opts.bin ?? join(ROOT, 'bin', 'run.js')
  const events = opts.events ?? 1000
  const runs = Math.max(3, opts.runs ?? 5)
  const work = mkdtempSync(join(opts.tmp ?? tmpdir(), 'tix-bench-sync-'))
  const gitconfig = join(work, 'gitconfig')
  writeFileSync(gitconfig, '')
  const env = {...process.env, ...opts.env, NO_COLOR: '1', GIT_CONFIG_GLOBAL: gitconfig, GIT_CONFIG_NOSYSTEM: '1', TIX_ACTOR: 'Bench A <a@example.com>'}
  for (const k of ['TIX_NOW', 'TIX_REPO', 'TIX_BRANCH', 'GIT_DIR', 'GIT_WORK_TREE']) delete env[k]
  const envB = {...env, TIX_ACTOR: 'Bench B <b@example.com>'}
  const tix = (args, cwd, e = env) => timed(node, [bin, ...args], cwd, e)
  try {
    const remote = join(work, 'remote.git')
    const a = join(work, 'a')
    const b = join(work, 'b')
    run('git', ['init', '--quiet', '--bare', remote], work, env)
    mkdirSync(a)
    run('git', ['init', '--quiet', '-b', 'main', a], work, env)
    run('git', ['remote', 'add', 'origin', remote], a, env)
    tix(['init', '--remote', 'origin'], a)

    // 200 shared tickets, published, then B clones.
    const shared = Array.from({length: SHARED}, () => randomId(10))
    const logs = new Map()
    const at0 = new Date(Date.now() - 86_400_000).toISOString()
    for (const [i, id] of shared.entries()) logs.set(id, [createEvent(id, 1, at0, 'a@example.com', `Shared ticket ${i}`)])
    const tipA = run('git', ['rev-parse', 'tix'], a, env).trim()
    fastImport(a, env, 'tix', tipA, [{message: 'Shared tickets', files: shared.map((id) => ({path: ticketPath(id), content: logs.get(id).map((e) => JSON.stringify(e) + '\n').join('')}))}], 'Bench <a@example.com>')
    tix(['sync'], a)
    run('git', ['clone', '--quiet', remote, b], work, env)
    tix(['list'], b, envB) // B adopts origin/tix and builds its cache, as a person's clone would have

    // Offline, each side writes `events` events, one commit each.
    for (const [dir, who] of [
      [a, 'a@example.com'],
      [b, 'b@example.com'],
    ]) {
      const local = new Map([...logs].map(([id, evs]) => [id, [...evs]]))
      const commits = []
      const own = []
      for (let i = 0; i < events; i++) {
        const at = new Date(Date.now() - 3_600_000 + i * 1000).toISOString()
        let id
        if (i % 2 === 0) {
          id = shared[(i >> 1) % SHARED]
          const evs = local.get(id)
          evs.push({v: 1, id: randomId(16), seq: evs.length + 1, at, by: who, type: i % 4 === 0 ? 'reply' : 'note', body: `Event ${i} from ${who}`})
        } else if (own.length === 0 || i % 4 === 1) {
          id = randomId(10)
          own.push(id)
          local.set(id, [createEvent(id, 1, at, who, `Own ticket ${i} of ${who}`)])
        } else {
          id = own[own.length - 1]
          const evs = local.get(id)
          evs.push({v: 1, id: randomId(16), seq: evs.length + 1, at, by: who, type: 'reply', body: `Reply ${i}`})
        }
        commits.push({message: `${id.slice(0, 5)}: event ${i}`, files: [{path: ticketPath(id), content: local.get(id).map((e) => JSON.stringify(e) + '\n').join('')}]})
      }
      fastImport(dir, env, 'tix', run('git', ['rev-parse', 'tix'], dir, env).trim(), commits, `Bench <${who}>`)
    }

    const rows = []
    const budget = opts.budget === undefined ? 3000 : opts.budget
    const within = (ms) => budget === null || ms <= budget
    const out = tix(['sync', '--json'], a)
    const outJson = JSON.parse(out.out)
    rows.push({name: `sync pushing ${events.toLocaleString('en')} events`, value: out.ms, unit: 'ms', budget, pass: within(out.ms) && outJson.eventsOut === events, detail: `${outJson.pushed} commits`})

    const merge = tix(['sync', '--json'], b, envB)
    const m = JSON.parse(merge.out)
    const mergeOk = m.merged === 'merge' && m.eventsIn === events && m.conflicts.length === 0
    rows.push({
      name: `sync merging ${events.toLocaleString('en')} + ${events.toLocaleString('en')} concurrent events`,
      value: merge.ms,
      unit: 'ms',
      budget,
      pass: within(merge.ms) && mergeOk,
      detail: mergeOk ? `${m.fetched} commits in, ${m.tickets.length} tickets, ${m.eventsOut} events out` : `unexpected result: ${JSON.stringify({merged: m.merged, eventsIn: m.eventsIn, conflicts: m.conflicts.length})}`,
    })

    const ff = tix(['sync', '--json'], a)
    const f = JSON.parse(ff.out)
    const ffOk = f.merged === 'fast-forward' && f.eventsIn === events
    rows.push({name: `sync fast-forwarding ${events.toLocaleString('en')} events in`, value: ff.ms, unit: 'ms', budget, pass: within(ff.ms) && ffOk, detail: ffOk ? `${f.tickets.length} tickets` : 'unexpected result'})

    // A no-op sync against a plain `git fetch` and a plain tix command, run alternately.
    const noop = []
    const fetch = []
    const list = []
    for (let i = 0; i < runs + 1; i++) {
      const n = tix(['sync'], a).ms
      const g = timed('git', ['fetch', '--quiet', 'origin', 'tix'], a, env).ms
      const l = tix(['list'], a).ms
      if (i === 0) continue // warm-up
      noop.push(n)
      fetch.push(g)
      list.push(l)
    }
    const [noopMs, fetchMs, listMs] = [median(noop), median(fetch), median(list)]
    // "About one git fetch": no more than a plain command plus a plain fetch, with 15% for noise.
    const noopBudget = 1.15 * (listMs + fetchMs)
    rows.push({
      name: 'sync with nothing to do',
      value: noopMs,
      unit: 'ms',
      budget: noopBudget,
      pass: noopMs <= noopBudget,
      detail: `tix list ${listMs.toFixed(0)} ms + git fetch ${fetchMs.toFixed(0)} ms = ${(listMs + fetchMs).toFixed(0)} ms`,
    })
    return rows
  } finally {
    if (!opts.keep) rmSync(work, {recursive: true, force: true})
  }
}

const fmt = (v, unit) => (unit === 'ms' ? (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(0)} ms`) : `${v} ${unit}`)

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(name)
    return i >= 0 ? Number(process.argv[i + 1]) : fallback
  }
  const rows = await benchSync({events: arg('--events', 1000), runs: arg('--runs', 5), keep: process.argv.includes('--keep')})
  const width = Math.max(...rows.map((r) => r.name.length)) + 2
  for (const r of rows) {
    const measured = `${fmt(r.value, r.unit)}${r.detail ? ` (${r.detail})` : ''}`
    process.stdout.write(`${r.name.padEnd(width)}${measured.padEnd(64)}<= ${fmt(r.budget, r.unit).padEnd(10)}${r.pass ? 'PASS' : 'FAIL'}\n`)
  }
  if (rows.some((r) => !r.pass)) process.exitCode = 1
}
