// Workflow figures for `npm run bench` (bench/run.mjs picks up bench/*.bench.mjs):
//   tix sla --at-risk and tix list --sla breached on 10,000 tickets within 2x plain `tix list`,
//   tix automate over 10,000 tickets within 5 s.
// The generated desk gets SLA policies and automations here (commits on its tix branch); the desk is
// put back as generated at the end.
import {spawnSync} from 'node:child_process'
import {performance} from 'node:perf_hooks'

const CALENDARS = {office: {hours: {'mon-fri': '09:00-17:00'}, holidays: ['2025-12-24', '2025-12-25', '2026-01-01', '2026-12-24', '2026-12-25']}}
const SLA = [
  {name: 'urgent around the clock', if: {priority: 'urgent'}, targets: {urgent: {firstResponse: '1h', nextResponse: '2h', resolution: '8h'}}},
  {
    name: 'standard',
    calendar: 'office',
    targets: {
      high: {firstResponse: '2h', nextResponse: '4h', resolution: '2 business days'},
      normal: {firstResponse: '6h', nextResponse: '8h', resolution: '5 business days'},
      low: {firstResponse: '1 business days', resolution: '10 business days'},
    },
    pauseOn: ['pending'],
    pauseResolutionOn: ['on-hold'],
  },
]
const AUTOMATIONS = [
  {name: 'close stale pending', if: {status: 'pending', idleFor: '5 business days'}, then: {status: 'resolved', note: 'Closed after 5 days without an answer.'}},
  {name: 'escalate breaches', if: {sla: 'breached', priority: ['urgent', 'high']}, then: {escalate: true}},
]

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

export async function run(ctx) {
  const dir = ctx.desks[10000]
  const node = ctx.node ?? process.execPath
  const env = {...process.env, ...(ctx.env ?? {})}
  const git = (...args) => {
    const r = spawnSync('git', args, {cwd: dir, encoding: 'utf8'})
    if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`)
    return r.stdout.trim()
  }
  const tix = (args) => {
    const r = spawnSync(node, [ctx.bin, ...args], {cwd: dir, env, encoding: 'utf8', maxBuffer: 1 << 28})
    if (r.status !== 0) throw new Error(`tix ${args.join(' ')} exited ${r.status}: ${r.stderr.trim().split('\n').slice(-2).join(' ')}`)
    return r
  }
  const time = (args) => ctx.measure(node, [ctx.bin, ...args], dir)
  const rows = []
  const generated = git('rev-parse', 'refs/heads/tix')
  try {
    // The budget's yardstick: plain `tix list` on the desk as generated (no SLA policies).
    tix(['list'])
    const plain = time(['list'])
    tix(['config', 'set', 'calendars', JSON.stringify(CALENDARS)])
    tix(['config', 'set', 'sla', JSON.stringify(SLA)])
    tix(['config', 'set', 'automations', JSON.stringify(AUTOMATIONS)])
    const configured = git('rev-parse', 'refs/heads/tix')
    tix(['list']) // the cache catches up with the config commits
    const summary = JSON.parse(tix(['sla', '--json']).stdout).counts
    const detail = `${summary.breached} breached, ${summary.warning} at risk, ${summary.ok + summary.paused + summary.met} ok/paused/met of the unresolved`
    // Ratios to plain `tix list` (not to node): unit "x" so the report formats them.
    const ratioRow = (name, args, budget) => {
      const ms = time(args)
      return {name, value: ms / plain, unit: 'x', budget, pass: budget === null || ms / plain <= budget, detail: `${ms.toFixed(0)} ms vs plain list ${plain.toFixed(0)} ms`}
    }
    rows.push(ratioRow('tix list --sla breached (10k) / plain tix list', ['list', '--sla', 'breached'], 2))
    rows.push(ratioRow('tix sla --at-risk (10k) / plain tix list', ['sla', '--at-risk'], 2))
    rows.push({...ratioRow('tix list on a desk with SLA policies (10k) / plain', ['list'], null), detail: detail})

    // tix automate: the first run after the configuration (it fires and commits), from the same
    // starting point each time; the cache is kept, as on a desk where cron runs it regularly.
    const runs = Math.max(3, Math.min(5, ctx.runs ?? 3))
    const samples = []
    let changed = 0
    for (let i = 0; i < runs; i++) {
      git('update-ref', 'refs/heads/tix', configured)
      tix(['list'])
      const t = performance.now()
      const r = tix(['automate', '--json'])
      samples.push(performance.now() - t)
      changed = JSON.parse(r.stdout).changed
    }
    const first = median(samples)
    rows.push({name: 'tix automate, first run (10k)', value: first, unit: 'ms', budget: 5000, pass: first <= 5000, detail: `${changed} tickets changed in one commit`})
    const again = time(['automate'])
    rows.push({name: 'tix automate, nothing due (10k)', value: again, unit: 'ms', budget: 5000, pass: again <= 5000})
  } finally {
    if (ctx.restore) ctx.restore(dir)
    else git('update-ref', 'refs/heads/tix', generated)
  }
  return rows
}
