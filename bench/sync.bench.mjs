// Hooks the sync figures (bench/sync.mjs) into `npm run bench`, which runs every bench/*.bench.mjs.
import {benchSync} from './sync.mjs'

export async function run(ctx) {
  return benchSync({bin: ctx.bin, node: ctx.node, env: ctx.env, runs: Math.min(ctx.runs ?? 5, 7)})
}
