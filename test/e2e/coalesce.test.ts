// The binary writes a command's stdout in a few large writes (src/output/coalesce.ts, issue 14),
// without changing what is written, its order beside stderr, or a long-running command's lines
// appearing as they are made.
import {spawn, spawnSync} from 'node:child_process'
import {join} from 'node:path'
import {PassThrough} from 'node:stream'
import {buildSync} from 'esbuild'
import {describe, expect, it} from 'vitest'
import {coalesceWrites} from '../../src/output/coalesce.js'
import {newTicket} from '../../src/services/tickets.js'
import {BIN, cliEnv, makeDesk, ROOT, tempDir, tix, tixIn} from '../helpers.js'

/** Two streams whose writes are recorded in one log, in the order they reach the "system". */
function recorded() {
  const log: [string, string][] = []
  const stream = (name: string) => {
    const s = new PassThrough()
    s.write = ((chunk: string | Uint8Array, a?: unknown, b?: unknown) => {
      log.push([name, Buffer.from(chunk).toString('utf8')])
      const cb = typeof a === 'function' ? a : b
      if (typeof cb === 'function') (cb as () => void)()
      return true
    }) as typeof s.write
    return s
  }
  const out = stream('out')
  const err = stream('err')
  return {log, out, err}
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve))

describe('coalesceWrites', () => {
  it('writes one turn of the event loop at once, stdout before stderr, and large chunks as they come', async () => {
    const {log, out, err} = recorded()
    const flush = coalesceWrites(out, err)
    out.write('a\n')
    out.write(Buffer.from('b\n'))
    out.write('c\n', 'utf8')
    expect(log).toEqual([])
    await turn()
    expect(log).toEqual([['out', 'a\nb\nc\n']])
    out.write('d\n')
    err.write('warning\n')
    out.write('e\n')
    expect(log.slice(1)).toEqual([
      ['out', 'd\n'],
      ['err', 'warning\n'],
    ])
    const big = 'x'.repeat(20_000)
    out.write(big)
    expect(log.slice(3)).toEqual([
      ['out', 'e\n'],
      ['out', big],
    ])
    // a callback or another encoding goes through at once, after what is held
    out.write('f\n')
    let called = false
    out.write('g\n', () => (called = true))
    expect(called).toBe(true)
    expect(log.slice(5)).toEqual([
      ['out', 'f\n'],
      ['out', 'g\n'],
    ])
    out.write('h\n')
    flush()
    expect(log.at(-1)).toEqual(['out', 'h\n'])
    await turn()
    expect(log).toHaveLength(8) // nothing written twice
  })

  it('writes what is held when the process exits, even by process.exit in the same turn', () => {
    const dir = tempDir('tix-coalesce-')
    const bundle = join(dir, 'coalesce.cjs')
    buildSync({entryPoints: [join(ROOT, 'src/output/coalesce.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: bundle, logLevel: 'silent'})
    const script = `const {coalesceWrites} = require(${JSON.stringify(bundle)}); coalesceWrites(process.stdout, process.stderr); process.stdout.write('one\\n'); process.stdout.write('two\\n'); process.exit(3)`
    const r = spawnSync(process.execPath, ['-e', script], {encoding: 'utf8'})
    expect(r.status).toBe(3)
    expect(r.stdout).toBe('one\ntwo\n')
  })
})

describe('the binary', () => {
  it('gives the same output as in one write per line, with stderr in order under 2>&1', async () => {
    // a fixed clock: "created 3s ago" must not differ between the runs compared
    const NOW = {TIX_NOW: '2026-11-23T09:00:00Z'}
    const {dir, desk} = await makeDesk(NOW)
    const id = (await newTicket(desk, {title: 'Printer jam', requester: {name: 'Ana', email: 'ana@example.com'}})).ticket.ticket.id
    const shown = tix(dir, ['show', id], {env: NOW})
    expect(shown.code).toBe(0)
    expect(shown.stdout).toContain('Printer jam')
    // the in-process runner writes each line as the command makes it (nothing is held there)
    expect(shown.stdout).toBe((await tixIn(dir, ['show', id], {env: NOW})).stdout)
    expect(tix(dir, ['history', id], {env: NOW}).stdout).toBe((await tixIn(dir, ['history', id], {env: NOW})).stdout)
    // stdout and stderr into one pipe: the error comes after what was written before it
    const both = spawnSync('/bin/sh', ['-c', `"$0" "$1" show "$2" && "$0" "$1" show ZZZZ; "$0" "$1" history "$2"`, process.execPath, BIN, id], {cwd: dir, env: cliEnv(NOW), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']})
    expect(both.stdout).toBe(shown.stdout + tix(dir, ['history', id], {env: NOW}).stdout)
    const merged = spawnSync('/bin/sh', ['-c', `exec 2>&1; "$0" "$1" show "$2"; "$0" "$1" show ZZZZ; "$0" "$1" list`, process.execPath, BIN, id], {cwd: dir, env: cliEnv(NOW), encoding: 'utf8'})
    const at = (s: string) => merged.stdout.indexOf(s)
    expect(at('Printer jam')).toBeGreaterThanOrEqual(0)
    expect(at('No ticket matches')).toBeGreaterThan(at('Printer jam'))
    expect(merged.stdout.lastIndexOf(id.slice(0, 5))).toBeGreaterThan(at('No ticket matches'))
  })

  it('makes one write of a short output (strace counts them)', async () => {
    const strace = spawnSync('strace', ['-V'], {encoding: 'utf8'})
    if (strace.error) {
      if (process.env.CI === 'true') throw new Error('strace is missing: .ci/run installs it')
      console.log('skipped: strace is not installed')
      return
    }
    const {dir, desk} = await makeDesk()
    const id = (await newTicket(desk, {title: 'Printer jam', body: 'one\ntwo\nthree', requester: {name: 'Ana', email: 'ana@example.com'}})).ticket.ticket.id
    for (const title of ['VPN drops', 'New laptop']) await newTicket(desk, {title})
    for (const dept of ['it', 'hr']) expect(tix(dir, ['dept', 'add', dept, '--name', dept.toUpperCase()]).code).toBe(0)
    expect(tix(dir, ['list']).code).toBe(0) // the cache is built
    const trace = join(tempDir('tix-strace-'), 'trace')
    for (const args of [['show', id], ['history', id], ['dept', 'list'], ['list']]) {
      const r = spawnSync('strace', ['-e', 'trace=write', '-o', trace, process.execPath, BIN, ...args], {cwd: dir, env: cliEnv(), encoding: 'utf8'})
      expect(r.status, r.stderr).toBe(0)
      expect(r.stdout.split('\n').length, args.join(' ')).toBeGreaterThan(2) // several lines...
      const writes = spawnSync('grep', ['-c', '^write(1,', trace], {encoding: 'utf8'}).stdout.trim()
      expect(writes, args.join(' ')).toBe('1') // ...in one write
    }
  })

  it('shows a long-running command’s lines as they are made (tix serve)', async () => {
    const {dir} = await makeDesk()
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], {cwd: dir, env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe']})
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let text = ''
        const timer = setTimeout(() => reject(new Error(`no output from tix serve: ${text}`)), 20_000)
        child.stdout.on('data', (d: Buffer) => {
          text += d.toString('utf8')
          if (text.includes('\n')) {
            clearTimeout(timer)
            resolve(text)
          }
        })
        child.once('exit', (code) => reject(new Error(`tix serve exited ${code}: ${text}`)))
      })
      expect(line).toMatch(/http:\/\/127\.0\.0\.1:\d+/)
    } finally {
      child.kill('SIGTERM')
    }
  })
})
