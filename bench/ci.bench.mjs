// `tix ci` figures for `npm run bench -- --ci` (bench/run.mjs calls run(ctx)):
//   tix ci on a 10,000-ticket desk without --sync: <= 3x `node -e 0` (issue 10). Measured as a
//   failing GitHub Actions job with a 2,000-line log (tail 200 in the body, the whole log attached):
//   the first run creates the job's ticket, every later one records an occurrence, a note and the log.
//   Also, report only: --dry-run, --passed, and a first run before the desk's root commit is remembered.
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

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
