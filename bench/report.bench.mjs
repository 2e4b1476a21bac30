// Report figures for `npm run bench` (bench/run.mjs calls run(ctx)); docs/architecture.md budgets a report
// over 100,000 tickets (about 1,000,000 events) at 3 s with a warm cache and 300 MB of memory.
// The 100k figures need a 100k desk: `npm run bench -- --large`. Without it, the 10k figures only.
//
// Standalone, with desks of its own (bench/report-desk.mjs, cached under .bench/):
//   node bench/report.bench.mjs            10,000 tickets
//   node bench/report.bench.mjs --large    and 100,000 tickets
import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {performance} from 'node:perf_hooks'
import {fileURLToPath} from 'node:url'

const REPORT = ['report', '--by', 'department', '--period', 'week']

export async function run(ctx) {
  const rows = []
  const warm = (dir) => {
    const r = ctx.tix(REPORT, dir)
    if (r.code !== 0) throw new Error(`tix report failed: ${r.stderr}`)
  }
  const d10k = ctx.desks[10000]
  if (d10k) {
    warm(d10k)
    const ms = ctx.measure(ctx.node, [ctx.bin, ...REPORT], d10k, {runs: Math.max(3, Math.ceil(ctx.runs / 2))})
    rows.push({name: 'tix report --by department --period week (10k, warm)', value: ms / 1000, unit: 's', budget: null, pass: true})
    const asOf = ctx.measure(ctx.node, [ctx.bin, ...REPORT, '--as-of', new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10)], d10k, {runs: 1, warmup: 0})
    rows.push({name: 'tix report --as-of a month ago (10k, refolded from git)', value: asOf / 1000, unit: 's', budget: null, pass: true})
  }
  const d100k = ctx.desks[100000]
  if (!d100k) {
    rows.push({name: 'tix report (100k): run with --large', value: NaN, unit: '', budget: null, pass: true})
    return rows
  }
  const cold = ctx.measure(ctx.node, [ctx.bin, ...REPORT], d100k, {runs: 1, warmup: 0, before: () => dropFacts(ctx, d100k)})
  rows.push({name: 'tix report, facts built from git (100k, cold)', value: cold / 1000, unit: 's', budget: 3, pass: cold <= 3000})
  const coldMb = ctx.rss(REPORT, d100k, {runs: 1, before: () => dropFacts(ctx, d100k)})
  rows.push({name: 'peak memory of tix report, facts built from git (100k)', value: coldMb, unit: 'MB', budget: null, pass: true})
  warm(d100k)
  const ms = ctx.measure(ctx.node, [ctx.bin, ...REPORT], d100k, {runs: 5, warmup: 1})
  rows.push({name: 'tix report --by department --period week (100k, warm)', value: ms / 1000, unit: 's', budget: 0.5, pass: ms <= 500})
  const mb = ctx.rss(REPORT, d100k, {runs: 3})
  rows.push({name: 'peak memory of tix report --by department --period week (100k, warm)', value: mb, unit: 'MB', budget: 300, pass: mb <= 300})
  const age = ctx.measure(ctx.node, [ctx.bin, 'report', 'backlog-age', '--by', 'department'], d100k, {runs: 3, warmup: 1})
  rows.push({name: 'tix report backlog-age --by department (100k, warm)', value: age / 1000, unit: 's', budget: 3, pass: age <= 3000})
  return rows
}

/** Only the report's own cache: the ticket cache stays warm, as after any change to desk.json. */
function dropFacts(ctx, dir) {
  const cache = join(dir, '.git', 'tix', 'cache', 'tix')
  // every version's file: naming one (v1) left the current one (v2) in place, and "cold" ran warm
  for (const f of existsSync(cache) ? readdirSync(cache) : []) if (f.startsWith('report-facts.')) rmSync(join(cache, f), {force: true})
}

// ------------------------------------------------------------------ standalone

async function standalone() {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
  const large = process.argv.includes('--large')
  const bin = join(root, 'bin', 'run.js')
  const node = process.execPath
  const benchDir = join(root, '.bench')
  mkdirSync(benchDir, {recursive: true})
  const gitconfig = join(benchDir, 'gitconfig')
  writeFileSync(gitconfig, '')
  const env = {...process.env, TIX_ACTOR: 'Bench Agent <bench@example.com>', NO_COLOR: '1', GIT_CONFIG_GLOBAL: gitconfig, GIT_CONFIG_NOSYSTEM: '1'}
  delete env.TIX_NOW
  const {makeReportDesk} = await import('./report-desk.mjs')
  const desks = {}
  for (const n of large ? [10000, 100000] : [10000]) {
    const dir = join(benchDir, `report-desk-${n}`)
    if (!existsSync(join(dir, '.done'))) {
      rmSync(dir, {recursive: true, force: true})
      process.stderr.write(`generating a ${n}-ticket desk in ${dir} ...\n`)
      await makeReportDesk(dir, n)
      writeFileSync(join(dir, '.done'), '')
    }
    desks[n] = dir
  }
  const exec = (cmd, argv, cwd, extraEnv = {}) => spawnSync(cmd, argv, {cwd, env: {...env, ...extraEnv}, encoding: 'utf8', maxBuffer: 1 << 28})
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
  const measure = (cmd, argv, cwd, opts = {}) => {
    for (let i = 0; i < (opts.warmup ?? 1); i++) exec(cmd, argv, cwd)
    const samples = []
    for (let i = 0; i < (opts.runs ?? 5); i++) {
      opts.before?.()
      const t = performance.now()
      const r = exec(cmd, argv, cwd)
      samples.push(performance.now() - t)
      if (r.status !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr}`)
    }
    return median(samples)
  }
  // Peak resident memory of the tix process itself (VmHWM), written by a preload at exit.
  const preload = join(benchDir, 'report-rss-preload.cjs')
  writeFileSync(preload, "process.on('exit', () => { try { const m = /VmHWM:\\s+(\\d+)/.exec(require('fs').readFileSync('/proc/self/status', 'utf8')); require('fs').writeFileSync(process.env.TIX_RSS_FILE, String(m ? Number(m[1]) / 1024 : process.resourceUsage().maxRSS / 1024)) } catch {} })\n")
  const rss = (argv, cwd, opts = {}) => {
    const out = []
    for (let i = 0; i < (opts.runs ?? 3); i++) {
      opts.before?.()
      const file = join(benchDir, `rss-${process.pid}.txt`)
      exec(node, ['-r', preload, bin, ...argv], cwd, {TIX_RSS_FILE: file})
      out.push(Number(readFileSync(file, 'utf8')))
    }
    return median(out)
  }
  const ctx = {root, bin, node, env, desks, runs: 5, large, measure, rss, tix: (argv, cwd) => {
    const r = exec(node, [bin, ...argv], cwd)
    return {code: r.status, stdout: r.stdout, stderr: r.stderr}
  }}
  for (const r of await run(ctx)) {
    const v = r.unit === 's' ? `${r.value.toFixed(2)} s` : r.unit === 'MB' ? `${r.value.toFixed(0)} MB` : ''
    const budget = r.budget === null ? 'report only' : `<= ${r.budget} ${r.unit}`
    process.stdout.write(`${r.name.padEnd(72)}${v.padEnd(12)}${budget.padEnd(14)}${r.budget === null ? '' : r.pass ? 'PASS' : 'FAIL'}\n`)
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) await standalone()
