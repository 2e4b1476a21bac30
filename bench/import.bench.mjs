// Import, export and bulk figures for `npm run bench -- --import` (bench/run.mjs picks up
// bench/*.bench.mjs; this one runs only with --import, and the 100,000-ticket import only with
// --import --large):
//   import 10,000 tickets with ~5 thread entries each from JSONL <= 10 s (cache update included);
//   import 100,000 <= 90 s and <= 400 MB peak memory;
//   export 10,000 as JSONL <= 3 s;
//   a bulk status change of 1,000 tickets (one command, ids on stdin) <= 3 s.
import {createWriteStream, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {performance} from 'node:perf_hooks'
import {spawnSync} from 'node:child_process'

const WORDS = 'printer vpn mail laptop account password screen network drive badge phone license backup refund invoice'.split(' ')
const STATUSES = ['new', 'open', 'open', 'pending', 'on-hold', 'resolved', 'closed']

/** A deterministic JSONL source of `n` tickets, each with about 5 comments. */
async function writeSource(file, n) {
  const out = createWriteStream(file)
  let seed = 7
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff)
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)]
  const t0 = Date.parse('2025-01-01T00:00:00Z')
  for (let i = 0; i < n; i++) {
    const created = t0 + Math.floor(rnd() * 300 * 86400_000)
    const comments = Array.from({length: 3 + Math.floor(rnd() * 5)}, (_, k) => ({
      author: k % 2 === 0 ? `agent${k % 7}@example.com` : `user${i % 5000}@corp.example`,
      at: new Date(created + (k + 1) * 3600_000).toISOString(),
      body: `Reply ${k + 1} about the ${pick(WORDS)}: ${Array.from({length: 20}, () => pick(WORDS)).join(' ')}.`,
      public: k !== 2,
    }))
    // the first 1,000 are open: the bulk figure changes them
    const status = i < 1000 ? 'open' : pick(STATUSES)
    const line = JSON.stringify({id: `BENCH-${i}`, title: `The ${pick(WORDS)} does not work (${i})`, body: Array.from({length: 40}, () => pick(WORDS)).join(' '), status, priority: pick(['low', 'normal', 'normal', 'high', 'urgent']), requester: `user${i % 5000}@corp.example`, tags: [pick(WORDS)], createdAt: new Date(created).toISOString(), resolution: status === 'resolved' || status === 'closed' ? 'Fixed' : undefined, comments})
    if (!out.write(line + '\n')) await new Promise((r) => out.once('drain', r))
  }
  await new Promise((r) => out.end(r))
}

/** CPU seconds of this process's finished children, git included (Linux; null elsewhere). */
function childCpu() {
  try {
    const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ')
    return (Number(f[13]) + Number(f[14])) / 100
  } catch {
    return null
  }
}

export async function run(ctx) {
  if (!ctx.flag('--import')) return []
  const rows = []
  const work = mkdtempSync(join(tmpdir(), 'tix-bench-import-'))
  const exec = (argv, cwd, opts = {}) => {
    const c = childCpu()
    const t = performance.now()
    const r = ctx.tix(argv, cwd, opts)
    const ms = performance.now() - t
    if (r.code !== 0) throw new Error(`tix ${argv.join(' ')} exited ${r.code}: ${r.stderr.trim().split('\n').slice(-2).join(' ')}`)
    return {ms, r, cpu: c === null ? null : childCpu() - c}
  }
  // CPU time (user + system, git included) is a second opinion on a busy machine, where wall time is not.
  const cpuText = (cpu) => (cpu === null ? '' : `cpu ${cpu.toFixed(2)} s`)
  const freshDesk = (name) => {
    const dir = join(work, name)
    spawnSync('git', ['init', '-q', dir])
    exec(['init'], dir)
    return dir
  }
  try {
    const sizes = [10_000, ...(process.argv.includes('--large') ? [100_000] : [])]
    let desk10k = null
    for (const n of sizes) {
      const source = join(work, `source-${n}.jsonl`)
      await writeSource(source, n)
      const budget = n === 10_000 ? 10 : 90
      if (n === 100_000) {
        // time and memory of the same single run
        const dir = freshDesk(`desk-${n}-rss`)
        const c = childCpu()
        const t = performance.now()
        const mb = ctx.rss(['import', source], dir, {runs: 1})
        const s = (performance.now() - t) / 1000
        rows.push({name: `import ${n.toLocaleString('en')} tickets from JSONL`, value: s, unit: 's', budget, pass: s <= budget, detail: `incl. cache update; ${cpuText(c === null ? null : childCpu() - c)}`})
        rows.push({name: `import ${n.toLocaleString('en')} tickets: peak memory`, value: mb, unit: 'MB', budget: 400, pass: mb <= 400})
        continue
      }
      const dir = freshDesk(`desk-${n}`)
      const {ms, r, cpu} = exec(['import', source, '--json'], dir)
      const doc = JSON.parse(r.stdout)
      const s = ms / 1000
      rows.push({name: `import ${n.toLocaleString('en')} tickets from JSONL`, value: s, unit: 's', budget, pass: s <= budget && doc.created === n, detail: `${doc.created} created, ${doc.commits} commit(s), cache updated; ${cpuText(cpu)}`})
      desk10k = dir
    }
    // export 10,000 as JSONL (median of 3)
    const out = join(work, 'export.jsonl')
    const exports = [0, 1, 2].map(() => exec(['export', '--format', 'jsonl', '-o', out], desk10k)).sort((a, b) => a.ms - b.ms)
    rows.push({name: 'export 10,000 tickets as JSONL', value: exports[1].ms / 1000, unit: 's', budget: 3, pass: exports[1].ms <= 3000, detail: cpuText(exports[1].cpu)})
    // bulk status change of 1,000 tickets, ids on stdin (median of 3, alternating pending/open)
    const ids = exec(['list', '--status', 'open', '--all', '-q', '--limit', '1000'], desk10k).r.stdout
    if (ids.trim().split('\n').length !== 1000) throw new Error('expected 1,000 open tickets')
    const bulk = ['pending', 'open', 'pending'].map((to) => exec(['status', '-', to], desk10k, {input: ids})).sort((a, b) => a.ms - b.ms)
    rows.push({name: 'bulk status change of 1,000 tickets (one commit)', value: bulk[1].ms / 1000, unit: 's', budget: 3, pass: bulk[1].ms <= 3000, detail: cpuText(bulk[1].cpu)})
  } finally {
    rmSync(work, {recursive: true, force: true})
  }
  return rows
}
