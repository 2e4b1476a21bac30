// Loaded with `node --require` by bench/run.mjs: writes the process's peak resident memory (KB) to
// TIX_BENCH_RSS_FILE when it exits, so the bench needs no GNU time. On Linux it reads VmHWM: the
// rusage maxRSS of a child also counts the parent's pages from before exec (a bench holding 100 MB
// would add them to every figure).
const {readFileSync, writeFileSync} = require('node:fs')
const out = process.env.TIX_BENCH_RSS_FILE
if (out) {
  process.on('exit', () => {
    let kb = process.resourceUsage().maxRSS
    try {
      const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))
      if (m) kb = Number(m[1])
    } catch {}
    writeFileSync(out, String(kb))
  })
}
