// One million tickets (`npm run bench -- --huge`): how each command grows past 100,000. Never run by
// CI; it takes several minutes and a few GB of disk. The desk is kept under .bench/ like the others.
// Figures: generation, first index build (what a fresh clone pays), warm list, new, show, search,
// report cold and warm, peak memory of each, and the .git folder's size after `git gc`.
import {spawnSync} from 'node:child_process'
import {existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {join} from 'node:path'

const SIZE = 1_000_000
const REPORT = ['report', '--by', 'department', '--period', 'week']

function duBytes(path) {
  const r = spawnSync('du', ['-sb', path], {encoding: 'utf8'})
  return Number(r.stdout.split('\t')[0])
}

export async function benchHuge(ctx) {
  const gen = createRequire(import.meta.url)(join(ctx.root, 'dist', 'fixtures.cjs'))
  const dir = join(ctx.root, '.bench', `desk-${SIZE}-seed1-gen${gen.GENERATOR_VERSION}`)
  const rows = []
  const marker = join(dir, '.bench-desk.json')
  if (!existsSync(marker)) {
    rmSync(dir, {recursive: true, force: true})
    const tmp = `${dir}.tmp-${process.pid}`
    rmSync(tmp, {recursive: true, force: true})
    process.stderr.write(`Generating a 1,000,000-ticket desk in ${dir} ...`)
    const res = await gen.writeSyntheticDesk(tmp, SIZE, {seed: 1, perCommit: 50_000, onProgress: (n) => n % 100_000 === 0 && process.stderr.write(` ${n / 1000}k`)})
    process.stderr.write(` ${(res.ms / 1000).toFixed(0)} s\n`)
    writeFileSync(join(tmp, '.bench-desk.json'), JSON.stringify({tip: res.tip, tickets: res.tickets, events: res.events, statuses: res.statuses, ms: res.ms}, null, 2) + '\n')
    renameSync(tmp, dir)
    rows.push({name: 'huge: generate 1M-ticket desk (fast-import)', value: res.ms / 1000, unit: 's', budget: null, pass: true, detail: `${res.events.toLocaleString('en')} events`})
  }
  ctx.restore(dir)
  const info = JSON.parse(readFileSync(marker, 'utf8'))
  process.stderr.write(`huge desk: ${info.tickets.toLocaleString('en')} tickets, ${info.events.toLocaleString('en')} events\n`)
  const secs = (name, argv, opts = {}) => {
    const ms = ctx.measure(ctx.node, [ctx.bin, ...argv], dir, {runs: 1, warmup: 0, ...opts})
    rows.push({name: `huge: ${name}`, value: ms / 1000, unit: 's', budget: null, pass: true})
  }
  const mb = (name, argv, opts = {}) => {
    try {
      rows.push({name: `huge: peak memory of ${name}`, value: ctx.rss(argv, dir, {runs: 1, ...opts}), unit: 'MB', budget: null, pass: true})
    } catch (error) {
      rows.push({name: `huge: peak memory of ${name}`, value: NaN, unit: '', budget: null, pass: false, detail: String(error.message).slice(0, 120)})
    }
  }
  const drop = () => ctx.dropCache(dir)
  secs('first index build (tix list after a clone)', ['list'], {before: drop})
  mb('the first index build', ['list'], {before: drop})
  secs('tix list (warm, piped)', ['list'], {runs: 3, warmup: 1})
  mb('tix list (warm)', ['list'])
  const names = spawnSync('git', ['ls-tree', '--name-only', 'refs/heads/tix:tickets/7K'], {cwd: dir, encoding: 'utf8'}).stdout.trim().split('\n')
  const id = (names[0] ?? '').replace('.jsonl', '').slice(0, 7)
  if (id) secs(`tix show ${id}`, ['show', id], {runs: 3, warmup: 1})
  try {
    secs('tix new (commit included)', ['new', 'Huge desk: printer jams', '--body', 'It jams.', '--priority', 'high'], {runs: 3, warmup: 1})
  } finally {
    ctx.restore(dir)
  }
  secs('tix search spooler --all', ['search', 'spooler', '--all'], {runs: 3, warmup: 1})
  mb('tix search spooler --all', ['search', 'spooler', '--all'])
  secs('tix list --all --json > /dev/null', ['list', '--all', '--json'], {discard: true})
  mb('tix list --all --json', ['list', '--all', '--json'], {discard: true})
  // every version's facts file (naming one went stale when the version changed)
  const cacheDir = join(dir, '.git', 'tix', 'cache', 'tix')
  const dropFacts = () => {
    for (const f of existsSync(cacheDir) ? readdirSync(cacheDir) : []) if (f.startsWith('report-facts.')) rmSync(join(cacheDir, f), {force: true})
  }
  secs('tix report (cold: facts built)', REPORT, {before: dropFacts})
  mb('tix report (cold)', REPORT, {before: dropFacts})
  secs('tix report (warm)', REPORT, {runs: 3, warmup: 1})
  const before = duBytes(join(dir, '.git'))
  const gc = spawnSync('git', ['gc', '-q'], {cwd: dir, encoding: 'utf8'})
  const after = duBytes(join(dir, '.git'))
  rows.push({name: 'huge: .git size before / after git gc', value: after / 1e6, unit: 'MB', budget: null, pass: gc.status === 0, detail: `before ${(before / 1e6).toFixed(0)} MB`})
  const cache = duBytes(join(dir, '.git', 'tix'))
  rows.push({name: 'huge: the cache (.git/tix)', value: cache / 1e6, unit: 'MB', budget: null, pass: true})
  return rows
}
