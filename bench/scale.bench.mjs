// Scale figures for `npm run bench` (bench/run.mjs calls run(ctx)), each behind its flag:
//   --contention   20 clones x 25 changes, a sync after each, all at once (bench/contention.mjs)
//   --huge         1,000,000 tickets: generation, index build, list, new, show, search, report,
//                  peak memory, .git size after gc (bench/huge.mjs; several minutes, never in CI)
import {benchContention} from './contention.mjs'
import {benchHuge} from './huge.mjs'

export async function run(ctx) {
  const rows = []
  if (ctx.flag('--contention')) {
    const r = await benchContention({bin: ctx.bin, node: ctx.node, env: ctx.env})
    const ok = r.missing === 0 && r.doubled === 0 && r.failures === 0
    rows.push({name: `contention: ${r.clones} clones x ${r.changes} changes, total`, value: r.totalMs / 1000, unit: 's', budget: null, pass: ok, detail: `${r.onRemote}/${r.expected} on the remote, ${r.missing} missing, ${r.doubled} doubled, ${r.failures} failed commands${r.failures ? ` (${Object.entries(r.failed).map(([k, n]) => `${n}x ${k}`).join("; ")})` : ""}`})
    rows.push({name: 'contention: one sync, median', value: r.syncMedianMs, unit: 'ms', budget: null, pass: true})
    rows.push({name: 'contention: one sync, p95', value: r.syncP95Ms, unit: 'ms', budget: null, pass: true})
    rows.push({name: 'contention: push retries (attempts beyond the first)', value: r.retries, unit: '', budget: null, pass: true})
    rows.push({name: 'contention: syncs that parked on their clone ref', value: r.parked, unit: '', budget: null, pass: true, detail: `${r.parkedLeft} parked refs left at the end, ${r.missingBeforeFinalSync} changes not on the branch before one final sync`})
  }
  if (ctx.flag('--huge')) rows.push(...(await benchHuge(ctx)))
  return rows
}
