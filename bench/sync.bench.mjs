// Hooks the sync figures (bench/sync.mjs) into `npm run bench`, which runs every bench/*.bench.mjs.
// With --large also the sync at scale: a remote that moved by 10,000 events (one commit each, as
// tix writes them), and a fresh repository adopting the 100,000-ticket desk from its remote.
import {mkdirSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {spawnSync} from 'node:child_process'
import {benchSync} from './sync.mjs'

export async function run(ctx) {
  const rows = await benchSync({bin: ctx.bin, node: ctx.node, env: ctx.env, runs: Math.min(ctx.runs ?? 5, 7)})
  if (!ctx.large) return rows
  const big = await benchSync({bin: ctx.bin, node: ctx.node, env: ctx.env, runs: 3, events: 10000, budget: null})
  rows.push(...big.filter((r) => !r.name.startsWith('sync with nothing')))
  const d100k = ctx.desks[100000]
  if (d100k) rows.push(...adopt(ctx, d100k))
  return rows
}

/** `tix sync` in a fresh repository whose remote holds the 100,000-ticket desk: fetch, adopt, index. */
function adopt(ctx, desk) {
  const work = mkdtempSync(join(tmpdir(), 'tix-bench-adopt-'))
  const git = (cwd, ...argv) => {
    const r = spawnSync('git', argv, {cwd, env: ctx.env, encoding: 'utf8'})
    if (r.status !== 0) throw new Error(`git ${argv.join(' ')}: ${r.stderr}`)
  }
  try {
    const remote = join(work, 'remote.git')
    git(work, 'init', '--quiet', '--bare', remote)
    git(desk, 'push', '--quiet', remote, 'refs/heads/tix:refs/heads/tix')
    const fresh = join(work, 'fresh')
    const reset = () => {
      rmSync(fresh, {recursive: true, force: true})
      mkdirSync(fresh)
      git(fresh, 'init', '--quiet')
      git(fresh, 'remote', 'add', 'origin', remote)
    }
    const ms = ctx.measure(ctx.node, [ctx.bin, 'sync', '--json'], fresh, {runs: 1, warmup: 0, before: reset})
    const mb = ctx.rss(['sync', '--json'], fresh, {runs: 1, before: reset})
    return [
      {name: 'sync adopting a 100,000-ticket remote (fetch, adopt, index)', value: ms / 1000, unit: 's', budget: null, pass: true},
      {name: 'peak memory of that sync', value: mb, unit: 'MB', budget: null, pass: true},
    ]
  } finally {
    rmSync(work, {recursive: true, force: true})
  }
}
