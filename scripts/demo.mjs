#!/usr/bin/env node
// `npm start` (after the build): a throw-away demo desk to try tix on. Makes a fresh folder in the
// system's temp dir, `git init`s it, writes the demo desk (a few hundred tickets over several months,
// fixed seed) onto its `tix` branch, shows the queue, and prints the commands to go on with.
// Needs no git identity: the desk's commits carry their own authors, and tix runs with TIX_ACTOR.
import {spawnSync} from 'node:child_process'
import {mkdtempSync} from 'node:fs'
import {createRequire} from 'node:module'
import {tmpdir} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const bin = join(root, 'bin', 'run.js')
const ACTOR = 'Ana Diaz <ana@example.com>'

let gen
try {
  gen = createRequire(import.meta.url)(join(root, 'dist', 'fixtures.cjs'))
} catch {
  process.stderr.write('tix is not built yet: run `npm start` (it builds first) or `npm run build`.\n')
  process.exit(1)
}

const dir = mkdtempSync(join(tmpdir(), 'tix-demo-'))
const env = {...process.env, TIX_ACTOR: process.env.TIX_ACTOR || ACTOR}
for (const k of ['TIX_REPO', 'TIX_BRANCH', 'TIX_NOW', 'GIT_DIR', 'GIT_WORK_TREE']) delete env[k]

const git = spawnSync('git', ['init', '--quiet', '--initial-branch=main', dir], {env, encoding: 'utf8'})
if (git.status !== 0) {
  process.stderr.write(`git init failed: ${git.stderr || git.error?.message}\nInstall git 2.39 or newer and try again.\n`)
  process.exit(1)
}

// The same desk every time, moved by whole weeks so that it looks in use this week.
const res = await gen.writeDemoDesk(dir, {seed: gen.DEFAULT_SEED, end: gen.latestDemoEnd()})
const open = res.statuses.new + res.statuses.open + res.statuses.pending + res.statuses['on-hold']

const tix = (...args) => spawnSync(process.execPath, [bin, ...args], {cwd: dir, env, encoding: 'utf8'})

// The team's workflow, set up the way a person would (each a commit on the desk): office hours,
// SLA targets per priority, and a canned reply. The old open tickets then show real SLA states.
const setup = [
  ['config', 'set', 'calendars', JSON.stringify({office: {hours: {'mon-fri': '08:00-18:00'}, holidays: ['2026-12-24', '2026-12-25', '2026-12-31']}})],
  [
    'config', 'set', 'sla',
    JSON.stringify([
      {
        name: 'standard',
        calendar: 'office',
        targets: {
          urgent: {firstResponse: '1h', nextResponse: '2h', resolution: '8h'},
          high: {firstResponse: '4h', nextResponse: '8h', resolution: '3 business days'},
          normal: {firstResponse: '8h', nextResponse: '16h', resolution: '5 business days'},
          low: {firstResponse: '2 business days', resolution: '10 business days'},
        },
        pauseOn: ['pending', 'on-hold'],
        warnAt: 0.25,
      },
    ]),
  ],
  [
    'macro', 'new', 'password-reset', '--description', 'Password reset link sent',
    '--body', 'Hi {{ticket.requester.name}},\n\nI have sent you a link to reset your password. It is valid for 24 hours.\n\n{{department.signature}}',
    '--status', 'pending', '--tag', 'password',
  ],
]
for (const args of setup) {
  const r = tix(...args)
  if (r.status !== 0) process.stderr.write(`demo set-up: tix ${args.slice(0, 3).join(' ')} failed: ${r.stderr}`)
}
const list = tix('list', '--json')
let sample = null
try {
  const tickets = JSON.parse(list.stdout).tickets
  sample = tickets.find((t) => t.assignee === 'ana@example.com' && t.status === 'open') ?? tickets.find((t) => t.status === 'open') ?? tickets[0]
} catch {
  process.stderr.write(`tix list failed:\n${list.stderr}`)
  process.exit(1)
}

// ---- The TUI (issue 6) -----------------------------------------------------------------------------
// On a terminal the TUI opens on the demo desk; the printed tour below follows when it is closed.
// In a pipe or CI the tour is all there is.
if (process.stdin.isTTY && process.stdout.isTTY && !process.env.CI) {
  spawnSync(process.execPath, [bin, 'tui'], {cwd: dir, env, stdio: 'inherit'})
}

const c = process.stdout.isTTY && !process.env.NO_COLOR ? {b: (s) => `\x1b[1m${s}\x1b[22m`, d: (s) => `\x1b[2m${s}\x1b[22m`} : {b: (s) => s, d: (s) => s}
const out = (s = '') => process.stdout.write(s + '\n')

out(c.b(`A demo desk: ${res.tickets} tickets (${open} unresolved), ${res.commits} commits on the "tix" branch of`))
out(c.b(`  ${dir}`))
out(c.d(`(generated in ${(res.ms / 1000).toFixed(1)} s from seed ${gen.DEFAULT_SEED}; your working tree and HEAD there are untouched)`))
out()
out(c.b('The queue (tix list):'))
spawnSync(process.execPath, [bin, 'list'], {cwd: dir, env, stdio: 'inherit'})
out()

const tixCmd = `node ${bin}`
const id = sample?.shortId ?? 'ID'
out(c.b('Go on from here:'))
out(`  cd ${dir}`)
out(`  export TIX_ACTOR="${ACTOR}"       ${c.d('# act as Ana, an IT agent of this desk')}`)
out(`  ${tixCmd} show ${id}`)
out(`  ${tixCmd} list --assignee me --sort priority`)
out(`  ${tixCmd} list --all --department support --channel email --limit 20`)
out(`  ${tixCmd} search refund`)
out(`  ${tixCmd} reply ${id} "Could you try again now and tell me whether it works?"`)
out(`  ${tixCmd} note ${id} "Same cause as last month's ticket."`)
out(`  ${tixCmd} resolve ${id} --resolution "Fixed; the steps are in the thread."`)
out(`  ${tixCmd} history ${id}`)
out(`  ${tixCmd} new "VPN drops every hour" --requester "Lena Fischer <lena.fischer@example.com>" --department it`)
out(`  git log --oneline tix | head     ${c.d('# every change is a commit on the tix branch')}`)
out()
out(`Put tix on your PATH to type ${c.b('tix')} instead of "${tixCmd}": ${c.b(`(cd ${root} && npm link)`)}`)
out(`Remove the demo when done: rm -rf ${dir}`)
