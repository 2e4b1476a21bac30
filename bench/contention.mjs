#!/usr/bin/env node
// A team on one desk: N clones of one bare remote, each making M changes and syncing after each one,
// all at the same time. Reports the total time, the median and p95 per sync, the push attempts beyond
// the first (retries), the syncs that parked their commit on the clone's own ref (refs/tix/clones/*)
// instead of the branch, and checks that every change is on the remote's tix branch afterwards, once.
// Changes still only parked when every clone is done are counted (parkedLeft, missingBeforeFinalSync),
// then one more sync by one clone publishes them and the check is made again.
//
//   node bench/contention.mjs [--clones 20] [--changes 25]      (after `npm run build`)
//
// `npm run bench -- --contention` runs the same through bench/scale.bench.mjs.
import {spawn, spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {loadavg, tmpdir} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {performance} from 'node:perf_hooks'
import {fileURLToPath} from 'node:url'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.floor(q * s.length))]
}

function git(cwd, env, ...argv) {
  const r = spawnSync('git', argv, {cwd, env, encoding: 'utf8'})
  if (r.status !== 0) throw new Error(`git ${argv.join(' ')}: ${r.stderr}`)
  return r.stdout.trim()
}

function run(cmd, argv, cwd, env) {
  return new Promise((res) => {
    const child = spawn(cmd, argv, {cwd, env, stdio: ['ignore', 'pipe', 'pipe']})
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (err += d))
    child.on('close', (code) => res({code, out, err}))
  })
}

export async function benchContention({bin = join(ROOT, 'bin', 'run.js'), node = process.execPath, env: baseEnv = process.env, clones = 20, changes = 25} = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'tix-contention-'))
  const gitconfig = join(dir, 'gitconfig')
  writeFileSync(gitconfig, '[user]\n\tname = Bench\n\temail = bench@example.com\n[init]\n\tdefaultBranch = main\n')
  const env = {...baseEnv, GIT_CONFIG_GLOBAL: gitconfig, GIT_CONFIG_NOSYSTEM: '1', NO_COLOR: '1'}
  for (const k of ['TIX_NOW', 'TIX_REPO', 'TIX_BRANCH', 'GIT_DIR', 'GIT_WORK_TREE']) delete env[k]
  try {
    const remote = join(dir, 'remote.git')
    git(dir, env, 'init', '-q', '--bare', remote)
    const seed = join(dir, 'seed')
    git(dir, env, 'init', '-q', seed)
    git(seed, env, 'remote', 'add', 'origin', remote)
    let r = await run(node, [bin, 'init'], seed, env)
    if (r.code !== 0) throw new Error(`tix init: ${r.err}`)
    r = await run(node, [bin, 'sync'], seed, env)
    if (r.code !== 0) throw new Error(`tix sync (seed): ${r.err}`)
    const dirs = []
    for (let c = 0; c < clones; c++) {
      const d = join(dir, `agent${c}`)
      git(dir, env, 'clone', '-q', remote, d)
      dirs.push(d)
    }
    const syncs = []
    let retries = 0
    let parked = 0
    let clonesMerged = 0
    let failures = 0
    const failed = new Map() // the first stderr line of each failure -> how many
    const fail = (what, r) => {
      failures++
      const line = `${what}: exit ${r.code}: ${(r.err.trim().split('\n')[0] ?? '').slice(0, 200)}`
      failed.set(line, (failed.get(line) ?? 0) + 1)
    }
    let lastParked = 0
    const expected = new Set()
    const load = [loadavg()[0]]
    const sampler = setInterval(() => load.push(loadavg()[0]), 5_000)
    const started = performance.now()
    await Promise.all(
      dirs.map(async (d, c) => {
        const e = {...env, TIX_ACTOR: `Agent ${c} <agent${c}@example.com>`}
        for (let i = 0; i < changes; i++) {
          const title = `agent ${c} change ${i}`
          const made = await run(node, [bin, 'new', title, '--json'], d, e)
          if (made.code !== 0) {
            fail('tix new', made)
            continue
          }
          expected.add(JSON.parse(made.out).ticket.id)
          const t = performance.now()
          const s = await run(node, [bin, 'sync', '--json'], d, e)
          syncs.push(performance.now() - t)
          if (s.code !== 0) fail('tix sync', s)
          try {
            const j = JSON.parse(s.out)
            retries += Math.max(0, (j.attempts ?? 1) - 1)
            if (j.parked) parked++
            clonesMerged += j.clonesMerged ?? 0
          } catch {}
        }
        // a last sync so that a change whose push lost every race still goes out
        const s = await run(node, [bin, 'sync', '--json'], d, e)
        if (s.code !== 0) fail('tix sync (last)', s)
        try {
          if (JSON.parse(s.out).parked) lastParked++
        } catch {}
      }),
    )
    const total = performance.now() - started
    clearInterval(sampler)
    // What the remote's tix branch holds: one file per ticket, each with exactly one create event.
    const onBranch = () => new Set(git(dir, env, '--git-dir', remote, 'ls-tree', '-r', '--name-only', 'refs/heads/tix', 'tickets').split('\n').filter(Boolean).map((n) => n.replace(/^.*\//, '').replace('.jsonl', '')))
    const parkedRefs = () => git(dir, env, '--git-dir', remote, 'for-each-ref', '--format=%(refname)', 'refs/tix/clones/').split('\n').filter(Boolean)
    const onRemoteBeforeFinalSync = onBranch()
    const parkedLeft = parkedRefs().length
    const missingBeforeFinalSync = [...expected].filter((id) => !onRemoteBeforeFinalSync.has(id)).length
    let finalSync = null
    if (parkedLeft > 0) {
      // Still parked: one more sync by any clone publishes it.
      const s = await run(node, [bin, 'sync', '--json'], dirs[0], {...env, TIX_ACTOR: 'Agent 0 <agent0@example.com>'})
      if (s.code !== 0) fail('tix sync (final)', s)
      finalSync = {code: s.code, parkedRefsAfter: parkedRefs().length}
    }
    const names = git(dir, env, '--git-dir', remote, 'ls-tree', '-r', '--name-only', 'refs/heads/tix', 'tickets').split('\n').filter(Boolean)
    const onRemote = new Set(names.map((n) => n.replace(/^.*\//, '').replace('.jsonl', '')))
    const missing = [...expected].filter((id) => !onRemote.has(id))
    const mergeCommits = Number(git(dir, env, '--git-dir', remote, 'rev-list', '--merges', '--count', 'refs/heads/tix'))
    const commits = Number(git(dir, env, '--git-dir', remote, 'rev-list', '--count', 'refs/heads/tix'))
    let doubled = 0
    for (const n of names) {
      const lines = git(dir, env, '--git-dir', remote, 'show', `refs/heads/tix:${n}`).split('\n').filter(Boolean)
      const ids = lines.map((l) => JSON.parse(l).id)
      if (new Set(ids).size !== ids.length) doubled++
    }
    return {
      clones,
      changes,
      totalMs: total,
      syncMedianMs: quantile(syncs, 0.5),
      syncP95Ms: quantile(syncs, 0.95),
      retries,
      parked,
      lastParked,
      clonesMerged,
      failures,
      failed: Object.fromEntries(failed),
      expected: expected.size,
      onRemoteBeforeFinalSync: onRemoteBeforeFinalSync.size,
      missingBeforeFinalSync,
      parkedLeft,
      finalSync,
      onRemote: onRemote.size,
      missing: missing.length,
      doubled,
      commits,
      mergeCommits,
      loadAverage: {min: Math.min(...load), median: quantile(load, 0.5), max: Math.max(...load)},
    }
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2)
  const opt = (n, f) => (args.includes(n) ? Number(args[args.indexOf(n) + 1]) : f)
  const r = await benchContention({clones: opt('--clones', 20), changes: opt('--changes', 25)})
  process.stdout.write(JSON.stringify(r, null, 2) + '\n')
  if (r.missing > 0 || r.doubled > 0 || r.failures > 0) process.exitCode = 1
}
