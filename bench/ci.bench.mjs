// `tix ci` figures for `npm run bench -- --ci` (bench/run.mjs calls run(ctx)):
//   tix ci on a 10,000-ticket desk without --sync: <= 3x `node -e 0` (issue 10). Measured as a
//   failing GitHub Actions job with a 2,000-line log (tail 200 in the body, the whole log attached):
//   the first run creates the job's ticket, every later one records an occurrence, a note and the log.
//   Also, report only: --dry-run, --passed, and a first run before the desk's root commit is remembered.
// Alone (only these figures, on the 10k desk `npm run bench` generated or generates):
//   npm run build && node bench/ci.bench.mjs [--runs N]
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {tmpdir} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {performance} from 'node:perf_hooks'
import {fileURLToPath} from 'node:url'

const GITHUB = {
  GITHUB_ACTIONS: 'true', GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/app', GITHUB_WORKFLOW: 'nightly',
  GITHUB_JOB: 'bench', GITHUB_RUN_ID: '1', GITHUB_SHA: 'a1b2c3d4e5f6', GITHUB_REF_NAME: 'main', GITHUB_ACTOR: 'bench',
}

export async function run(ctx) {
  if (!ctx.flag('--ci')) return []
  const dir = ctx.desks[10000]
  const logDir = mkdtempSync(join(tmpdir(), 'tix-bench-ci-'))
  const log = join(logDir, 'build.log')
  const lines = []
  for (let i = 0; i < 2000; i++) lines.push(`\u001b[32m✓\u001b[0m test ${i} passed in ${i % 97} ms${i % 500 === 0 ? ' token=ghp_0123456789abcdefghijklmnopqrstuvwxyzAB' : ''}`)
  lines.push('\u001b[31m✗ 1 failed\u001b[0m')
  writeFileSync(log, lines.join('\n') + '\n')
  const env = {...GITHUB}
  const rows = []
  try {
    ctx.dropCache(dir) // also forgets the root commit: the first run finds it again
    const first = ctx.measure(ctx.node, [ctx.bin, 'list'], dir, {runs: 1, warmup: 0}) // rebuild the cache outside the figure
    void first
    const cold = ctx.measure(ctx.node, [ctx.bin, 'ci', '--log', log, '--tail', '200'], dir, {runs: 1, warmup: 0, env})
    rows.push({name: 'tix ci, first run on a desk (root commit looked up; 10k)', value: cold, unit: 'ms', budget: null, pass: true})
    rows.push(ctx.ratio('tix ci --log (10k, failing job, no --sync)', ['ci', '--log', log, '--tail', '200'], dir, 3, {env}))
    rows.push({...ctx.ratio('tix new, for comparison (10k, commit included)', ['new', 'Bench: printer jams', '--channel', 'email'], dir, Infinity), budget: null, pass: true})
    ctx.restore(dir)
    rows.push(ctx.ratio('tix ci --dry-run --json (10k)', ['ci', '--dry-run', '--json'], dir, Infinity, {env}))
    rows.push(ctx.ratio('tix ci --passed, then failing again (10k)', ['ci', '--passed'], dir, Infinity, {env, before: () => ctx.tix(['ci', '--on-repeat', 'reopen'], dir, {env})}))
    for (const r of rows.slice(-2)) {
      r.budget = null
      r.pass = true
    }
  } finally {
    rmSync(logDir, {recursive: true, force: true})
    ctx.restore(dir)
  }
  return rows
}

// ------------------------------------------------------------------ alone: node bench/ci.bench.mjs

async function standalone() {
  const argv = process.argv.slice(2)
  const runs = Math.max(3, Number(argv[argv.indexOf('--runs') + 1]) || 9)
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
  const bin = join(root, 'bin', 'run.js')
  const node = process.execPath
  const gen = createRequire(import.meta.url)(join(root, 'dist', 'fixtures.cjs'))
  const dir = join(root, '.bench', `desk-10000-seed1-gen${gen.GENERATOR_VERSION}`)
  const gitconfig = join(root, '.bench', 'gitconfig')
  if (!existsSync(join(dir, '.bench-desk.json'))) {
    process.stderr.write('No 10,000-ticket bench desk yet: run `npm run bench` once (it generates and keeps it in .bench/).\n')
    process.exit(1)
  }
  writeFileSync(gitconfig, '')
  const env = {...process.env, TIX_ACTOR: 'Bench Agent <bench@example.com>', NO_COLOR: '1', GIT_CONFIG_GLOBAL: gitconfig, GIT_CONFIG_NOSYSTEM: '1'}
  for (const k of ['TIX_NOW', 'TIX_REPO', 'TIX_BRANCH', 'GIT_DIR', 'GIT_WORK_TREE', 'FORCE_COLOR', 'TIX_DEBUG', 'CI', 'GITLAB_CI', 'BUILDKITE', 'CIRCLECI', 'TF_BUILD', 'JENKINS_URL']) delete env[k]
  const exec = (cmd, args, cwd, opts = {}) => {
    const r = spawnSync(cmd, args, {cwd, env: {...env, ...opts.env}, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28})
    return {code: r.status ?? -1, stdout: r.stdout?.toString('utf8') ?? '', stderr: r.stderr?.toString('utf8') ?? ''}
  }
  const cpu = () => {
    const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ')
    return ((Number(f[13]) + Number(f[14])) * 1000) / 100
  }
  let lastCpu = 0
  const timed = (cmd, args, cwd, opts = {}) => {
    opts.before?.()
    const c = cpu()
    const t = performance.now()
    const r = exec(cmd, args, cwd, opts)
    const ms = performance.now() - t
    lastCpu = cpu() - c
    if (r.code !== 0) throw new Error(`${args.join(' ')} exited ${r.code}: ${r.stderr.trim()}`)
    return ms
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1]
  const measure = (cmd, args, cwd, opts = {}) => {
    for (let i = 0; i < (opts.warmup ?? 2); i++) timed(cmd, args, cwd, opts)
    const xs = []
    for (let i = 0; i < (opts.runs ?? runs); i++) xs.push(timed(cmd, args, cwd, opts))
    return median(xs)
  }
  const ratio = (name, args, cwd, budget, opts = {}) => {
    for (let i = 0; i < 2; i++) {
      timed(node, ['-e', '0'], cwd)
      timed(node, [bin, ...args], cwd, opts)
    }
    const base = []
    const cmd = []
    let baseCpu = 0
    let cmdCpu = 0
    for (let i = 0; i < runs; i++) {
      base.push(timed(node, ['-e', '0'], cwd))
      baseCpu += lastCpu
      cmd.push(timed(node, [bin, ...args], cwd, opts))
      cmdCpu += lastCpu
    }
    const value = median(cmd) / median(base)
    return {name, value, unit: 'x', budget, pass: value <= budget, detail: `${median(cmd).toFixed(0)} ms vs ${median(base).toFixed(0)} ms; cpu ${(cmdCpu / baseCpu).toFixed(2)}x`}
  }
  const git = (...args) => exec('git', args, dir).stdout.trim()
  const restore = () => {
    const {tip} = JSON.parse(readFileSync(join(dir, '.bench-desk.json'), 'utf8'))
    if (git('rev-parse', '-q', '--verify', 'refs/heads/tix') !== tip) {
      git('update-ref', 'refs/heads/tix', tip)
      rmSync(join(dir, '.git', 'tix'), {recursive: true, force: true})
    }
  }
  restore()
  const ctx = {
    root, bin, node, env, desks: {10000: dir}, runs, measure, ratio, restore, flag: (f) => f === '--ci',
    tix: (args, cwd, opts) => exec(node, [bin, ...args], cwd, opts),
    dropCache: () => rmSync(join(dir, '.git', 'tix'), {recursive: true, force: true}),
  }
  const load = existsSync('/proc/loadavg') ? readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ') : '?'
  process.stdout.write(`tix ci bench: node ${process.version}, ${runs} runs per figure (median), load average ${load}\n`)
  for (const r of await run(ctx)) {
    const v = r.unit === 'x' ? `${r.value.toFixed(2)}x` : `${r.value.toFixed(0)} ${r.unit}`
    process.stdout.write(`${r.name.padEnd(58)}${`${v}${r.detail ? ` (${r.detail})` : ''}`.padEnd(44)}${r.budget == null ? 'report only' : `<= ${r.budget}x ${r.pass ? 'PASS' : 'FAIL'}`}\n`)
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await standalone()
