// Guard figures of issue 9 for `npm run bench -- --guards` (or alone: `node bench/guards.bench.mjs`):
//   wrap() of a 10 MB unbroken line in under 1 s (it was quadratic: 1 MB took 50 s);
//   tix show of a ticket whose body is 1 MB on one line;
//   tix new on a desk whose rules hold the six patterns that hung a backtracking engine, with a
//   29-character title that would take minutes each there, against tix new on a desk without rules.
import {spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {performance} from 'node:perf_hooks'
import {fileURLToPath, pathToFileURL} from 'node:url'

const EVIL = ['((a+))+$', '(?:(a)+)+$', '(a|a)+$', '(a|a?)+$', '(a|aa)+$', '.*.*.*.*=x']
const TITLE = 'a'.repeat(28) + '!'

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

async function loadWrap(root) {
  // src/output/text.ts on the fly (esbuild is a dev dependency): the function the CLI and TUI use.
  const {build} = await import('esbuild')
  const out = await build({entryPoints: [join(root, 'src', 'output', 'text.ts')], bundle: true, format: 'esm', platform: 'node', write: false, logLevel: 'error'})
  return (await import('data:text/javascript;base64,' + Buffer.from(out.outputFiles[0].text).toString('base64'))).wrap
}

export async function run(ctx) {
  if (!ctx.flag('--guards')) return []
  const rows = []
  const wrap = await loadWrap(ctx.root)
  const line = 'x'.repeat(10_000_000)
  const samples = []
  for (let i = 0; i < 3; i++) {
    const t = performance.now()
    const lines = wrap(line, 100)
    samples.push(performance.now() - t)
    if (lines.length !== 100_000) throw new Error(`wrap gave ${lines.length} lines`)
  }
  const ms = median(samples)
  rows.push({name: 'wrap(): one 10 MB unbroken line, 100 columns', value: ms, unit: 'ms', budget: 1000, pass: ms <= 1000})

  const env = {...ctx.env}
  const dir = mkdtempSync(join(tmpdir(), 'tix-bench-guards-'))
  try {
    const git = (...args) => spawnSync('git', args, {cwd: dir, env})
    const tix = (args, input) => {
      const r = spawnSync(ctx.node, [ctx.bin, ...args], {cwd: dir, env, input, encoding: 'utf8', maxBuffer: 1 << 30})
      if (r.status !== 0) throw new Error(`tix ${args.join(' ')}: ${r.stderr}`)
      return r.stdout
    }
    git('init', '-q', '-b', 'main')
    tix(['init'])
    const id = JSON.parse(tix(['new', 'One long line', '--body-file', '-', '--json'], 'y'.repeat(1_000_000))).ticket.shortId
    const show = ctx.measure(ctx.node, [ctx.bin, 'show', id], dir, {runs: 3})
    rows.push({name: 'tix show: a 1 MB body on one line', value: show, unit: 'ms', budget: null, pass: true})
    const plain = ctx.measure(ctx.node, [ctx.bin, 'new', TITLE], dir, {runs: ctx.runs})
    tix(['config', 'set', 'rules', JSON.stringify(EVIL.map((p, i) => ({name: `evil ${i}`, if: {title: p}, then: {tags: [`evil${i}`]}})))])
    const evil = ctx.measure(ctx.node, [ctx.bin, 'new', TITLE], dir, {runs: ctx.runs})
    rows.push({name: 'tix new, no rules (29-char title)', value: plain, unit: 'ms', budget: null, pass: true})
    rows.push({name: 'tix new, 6 backtracking-prone rule patterns (RE2)', value: evil, unit: 'ms', budget: null, pass: true, detail: `${(evil / plain).toFixed(2)}x the desk without rules`})
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
  return rows
}

// Alone: node bench/guards.bench.mjs [--runs N]
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
  const args = process.argv.slice(2)
  const runs = Number(args[args.indexOf('--runs') + 1]) || 7
  const gitconfig = join(mkdtempSync(join(tmpdir(), 'tix-bench-home-')), 'gitconfig')
  writeFileSync(gitconfig, '')
  const env = {...process.env, TIX_ACTOR: 'Bench Agent <bench@example.com>', NO_COLOR: '1', GIT_CONFIG_GLOBAL: gitconfig, GIT_CONFIG_NOSYSTEM: '1'}
  for (const k of ['TIX_NOW', 'TIX_REPO', 'TIX_BRANCH', 'GIT_DIR', 'NODE_ENV']) delete env[k]
  const measure = (cmd, argv, cwd, opts = {}) => {
    spawnSync(cmd, argv, {cwd, env})
    const xs = []
    for (let i = 0; i < (opts.runs ?? runs); i++) {
      const t = performance.now()
      const r = spawnSync(cmd, argv, {cwd, env, maxBuffer: 1 << 30})
      xs.push(performance.now() - t)
      if (r.status !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr}`)
    }
    return median(xs)
  }
  const rows = await run({root, bin: join(root, 'bin', 'run.js'), node: process.execPath, env, runs, measure, flag: (f) => f === '--guards'})
  for (const r of rows) process.stdout.write(`${r.name.padEnd(56)}${`${r.value.toFixed(0)} ${r.unit}`.padEnd(10)}${r.budget ? `<= ${r.budget} ${r.unit}  ${r.pass ? 'PASS' : 'FAIL'}` : 'report only'}${r.detail ? `  (${r.detail})` : ''}\n`)
}
