// Mail figures (issue 11), run with `npm run bench -- --mail` or alone: `node bench/mail.bench.mjs`.
//   tix mail ingest of a maildir of 1,000 messages: <= 10 s (batched commits)
//   tix mail send of 1,000 queued messages to a local SMTP server: <= 20 s
//   tix mail run --once, idle, on a desk of 10,000 tickets: <= 0.5 s of CPU (tix and its git processes)
import {spawn, spawnSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {tmpdir} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {performance} from 'node:perf_hooks'
import {fileURLToPath} from 'node:url'

const require = createRequire(import.meta.url)
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')

function exec(cmd, argv, cwd, env) {
  const r = spawnSync(cmd, argv, {cwd, env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28})
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed (${r.status}): ${r.stderr}`)
  return r.stdout.toString('utf8')
}

/** CPU time (ms) of this process's finished children (Linux). */
function childCpu() {
  const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ')
  return ((Number(f[13]) + Number(f[14])) * 1000) / 100
}

function runAsync(cmd, argv, cwd, env) {
  return new Promise((res, rej) => {
    const child = spawn(cmd, argv, {cwd, env, stdio: ['ignore', 'pipe', 'pipe']})
    let err = ''
    child.stderr.on('data', (d) => (err += d))
    child.stdout.resume()
    child.on('error', rej)
    child.on('close', (code) => (code === 0 ? res() : rej(new Error(`${argv.join(' ')} exited ${code}: ${err}`))))
  })
}

async function smtpSink() {
  const {SMTPServer} = require('smtp-server')
  let count = 0
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _s, cb) {
      stream.on('data', () => {})
      stream.on('end', () => {
        count++
        cb()
      })
    },
  })
  await new Promise((r) => server.listen(0, '127.0.0.1', r))
  return {url: `smtp://127.0.0.1:${server.server.address().port}?starttls=off`, count: () => count, close: () => new Promise((r) => server.close(r))}
}

export async function benchMail({bin, node, env, desk10k, restore}) {
  const rows = []
  const MailComposer = require('nodemailer/lib/mail-composer')
  const dir = mkdtempSync(join(tmpdir(), 'tix-bench-mail-'))
  try {
    // 1. A maildir of 1,000 messages into a fresh desk.
    const repo = join(dir, 'desk')
    mkdirSync(repo)
    exec('git', ['init', '-q', '-b', 'main'], repo, env)
    exec(node, [bin, 'init'], repo, env)
    exec(node, [bin, 'config', 'set', 'mail.address', 'help@example.com'], repo, env)
    const md = join(dir, 'Maildir')
    for (const d of ['new', 'cur', 'tmp']) mkdirSync(join(md, d), {recursive: true})
    for (let i = 0; i < 1000; i++) {
      const raw = await new MailComposer({
        from: `Requester ${i} <r${i}@example.org>`,
        to: 'help@example.com',
        subject: `Bench request ${i}: the printer on floor ${i % 7} jams`,
        text: `Hello,\n\nsince Monday the printer jams on every page (${i}).\n\nThanks\n-- \nRequester ${i}`,
        messageId: `<bench-${i}@example.org>`,
      }).compile().build()
      writeFileSync(join(md, 'new', `${1700000000 + i}.M${i}.bench`), raw)
    }
    let t = performance.now()
    let cpu0 = childCpu()
    exec(node, [bin, 'mail', 'ingest', md], repo, env)
    const ingestS = (performance.now() - t) / 1000
    const ingestCpu = (childCpu() - cpu0) / 1000
    const tickets = JSON.parse(exec(node, [bin, 'list', '--json'], repo, env)).tickets.length
    rows.push({name: 'tix mail ingest: maildir of 1,000 messages', value: ingestS, unit: 's', budget: 10, pass: ingestS <= 10 && tickets === 1000, detail: `${tickets} tickets; CPU ${ingestCpu.toFixed(2)} s (tix + git)`})

    // 2. The 1,000 acknowledgements those made, sent to a local SMTP server.
    const sink = await smtpSink()
    try {
      t = performance.now()
      cpu0 = childCpu()
      await runAsync(node, [bin, 'mail', 'send'], repo, {...env, TIX_SMTP_URL: sink.url})
      const sendS = (performance.now() - t) / 1000
      const sendCpu = (childCpu() - cpu0) / 1000
      rows.push({name: 'tix mail send: 1,000 queued messages to local SMTP', value: sendS, unit: 's', budget: 20, pass: sendS <= 20 && sink.count() === 1000, detail: `${sink.count()} received; CPU ${sendCpu.toFixed(2)} s (tix + git; the SMTP server is not counted)`})
    } finally {
      await sink.close()
    }

    // 3. An idle gateway cycle on 10,000 tickets (after a first cycle that scanned the desk).
    if (desk10k) {
      const e = {...env, TIX_SMTP_URL: 'smtp://127.0.0.1:9?starttls=off'}
      exec(node, [bin, 'config', 'set', 'mail.address', 'help@example.com'], desk10k, e)
      try {
        exec(node, [bin, 'mail', 'run', '--once'], desk10k, e)
        const cpu = []
        for (let i = 0; i < 5; i++) {
          const before = childCpu()
          exec(node, [bin, 'mail', 'run', '--once'], desk10k, e)
          cpu.push(childCpu() - before)
        }
        cpu.sort((a, b) => a - b)
        const ms = cpu[cpu.length >> 1]
        rows.push({name: 'tix mail run --once, idle (10k): CPU incl. node start and git', value: ms / 1000, unit: 's', budget: 0.5, pass: ms <= 500})
      } finally {
        restore?.(desk10k)
      }
    }
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
  return rows
}

export async function run(ctx) {
  if (!ctx.flag('--mail')) return []
  return benchMail({bin: ctx.bin, node: ctx.node, env: ctx.env, desk10k: ctx.desks[10000], restore: ctx.restore})
}

// Alone: node bench/mail.bench.mjs (makes its own 10k desk with the fixture generator).
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const gen = require(join(root, 'dist', 'fixtures.cjs'))
  const home = mkdtempSync(join(tmpdir(), 'tix-bench-mail-home-'))
  writeFileSync(join(home, 'gitconfig'), '')
  const env = {...process.env, TIX_ACTOR: 'Bench Agent <bench@example.com>', NO_COLOR: '1', GIT_CONFIG_GLOBAL: join(home, 'gitconfig'), GIT_CONFIG_NOSYSTEM: '1'}
  for (const k of ['TIX_NOW', 'TIX_REPO', 'TIX_BRANCH', 'GIT_DIR', 'TIX_SMTP_URL', 'TIX_IMAP_URL']) delete env[k]
  const desk10k = join(home, 'desk-10k')
  process.stderr.write('Generating a 10,000-ticket desk ...\n')
  await gen.writeSyntheticDesk(desk10k, 10000, {seed: 1})
  exec(process.execPath, [join(root, 'bin', 'run.js'), 'list'], desk10k, env)
  try {
    const rows = await benchMail({bin: join(root, 'bin', 'run.js'), node: process.execPath, env, desk10k})
    for (const r of rows) process.stdout.write(`${r.name.padEnd(70)} ${r.value.toFixed(2).padStart(8)} ${r.unit}  (budget ${r.budget} ${r.unit})  ${r.pass ? 'PASS' : 'FAIL'}${r.detail ? `  ${r.detail}` : ''}\n`)
  } finally {
    rmSync(home, {recursive: true, force: true})
  }
}
