// Loaded with `node --require` by bench/run.mjs: writes the process's peak resident memory (KB) to
// TIX_BENCH_RSS_FILE when it exits, so the bench needs no GNU time.
const {writeFileSync} = require('node:fs')
const out = process.env.TIX_BENCH_RSS_FILE
if (out) process.on('exit', () => writeFileSync(out, String(process.resourceUsage().maxRSS)))
