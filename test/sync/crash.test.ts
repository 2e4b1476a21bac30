// Issue 3, test 4: kill -9 (the whole process group: tix and the git processes it started) at
// random moments during writes and syncs. Afterwards `git fsck` is clean, the desk folds, the next
// commands work, and the clones still converge.
import {spawn} from 'node:child_process'
import {setTimeout as sleep} from 'node:timers/promises'
import {describe, expect, it} from 'vitest'
import {newTicket} from '../../src/services/tickets.js'
import {BIN, cliEnv, tix} from '../helpers.js'
import {eventsOnDesk, foldedDesk, syncWith, team} from './helpers.js'
import {spawnSync} from 'node:child_process'
import {utimesSync, writeFileSync, existsSync} from 'node:fs'
import {join} from 'node:path'

const ROUNDS = Number(process.env.TIX_CRASH_ROUNDS) || 12

/** Starts the CLI in its own process group and SIGKILLs the group after `afterMs`. */
function startAndKill(cwd: string, args: string[], env: NodeJS.ProcessEnv, afterMs: number): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {cwd, env: cliEnv(env), stdio: 'ignore', detached: true})
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL')
      } catch {
        // already finished
      }
    }, afterMs)
    child.on('exit', (code) => {
      clearTimeout(timer)
      resolve(code)
    })
  })
}

function fsck(dir: string) {
  const r = spawnSync('git', ['fsck', '--full', '--no-progress'], {cwd: dir, encoding: 'utf8'})
  expect(r.status, r.stderr).toBe(0)
  expect(r.stderr + r.stdout).not.toMatch(/error|fatal|missing|broken|corrupt|bad /i)
}

describe('crash safety', () => {
  it('kill -9 at random moments during writes and syncs leaves a valid ref, a clean fsck and a working desk', async () => {
    const {clones} = await team(2)
    const [a, b] = clones as [(typeof clones)[0], (typeof clones)[0]]
    const first = await newTicket(a.desk, {title: 'Seed ticket'})
    await syncWith(a)
    let seed = 7
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
    let killed = 0
    for (let round = 0; round < ROUNDS; round++) {
      await newTicket(b.desk, {title: `From B ${round}`}) // so that A's syncs have something to merge
      await syncWith(b)
      const runs = [
        startAndKill(a.dir, ['new', `Crash ${round}`], a.env, 40 + random() * 260),
        startAndKill(a.dir, ['note', first.ticket.ticket.id, `note ${round}`], a.env, 40 + random() * 260),
        startAndKill(a.dir, ['sync'], a.env, 60 + random() * 400),
      ]
      killed += (await Promise.all(runs)).filter((code) => code === null).length
      if (round % 3 === 2) await sleep(50)
    }
    expect(killed, 'no process was killed: the test proved nothing').toBeGreaterThan(ROUNDS / 2)

    fsck(a.dir)
    const list = tix(a.dir, ['list', '--all', '--json'], {env: a.env})
    expect(list.code, list.stderr).toBe(0)
    for (const ids of (await eventsOnDesk(a.desk)).values()) expect(ids.length).toBe(new Set(ids).size)
    // The next commands work (a ref lock left by a killed git is waited out and removed).
    const next = tix(a.dir, ['new', 'After the crashes'], {env: a.env})
    expect(next.code, next.stderr).toBe(0)
    const s = tix(a.dir, ['sync'], {env: a.env})
    expect(s.code, s.stderr).toBe(0)
    await syncWith(b)
    fsck(b.dir)
    expect(a.desk.tip()).toBe(b.desk.tip())
    expect(await foldedDesk(a.desk)).toEqual(await foldedDesk(b.desk))
    // The cache, however the kills left it, agrees with a fold from scratch.
    const rebuilt = await a.desk.rebuild()
    expect(Object.values({...rebuilt.open, ...rebuilt.done}).sort((x, y) => (x.id < y.id ? -1 : 1))).toEqual(await foldedDesk(b.desk))
  }, 120_000)

  it('a ref lock left by a killed git process does not block the next write or sync', async () => {
    const {clones} = await team(2)
    const [a, b] = clones as [(typeof clones)[0], (typeof clones)[0]]
    await newTicket(b.desk, {title: 'Moves the remote'})
    await syncWith(b)
    const old = (Date.now() - 60_000) / 1000
    for (const ref of ['refs/heads/tix.lock', 'refs/remotes/origin/tix.lock']) {
      writeFileSync(join(a.dir, '.git', ref), '')
      utimesSync(join(a.dir, '.git', ref), old, old)
    }
    const r = tix(a.dir, ['new', 'After a crash'], {env: a.env})
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/removed .*refs\/heads\/tix\.lock, left behind by a git process that stopped 6\d s ago/)
    const s = tix(a.dir, ['sync'], {env: a.env})
    expect(s.code, s.stderr).toBe(0)
    expect(s.stderr).toMatch(/removed .*refs\/remotes\/origin\/tix\.lock/)
    expect(existsSync(join(a.dir, '.git', 'refs/heads/tix.lock'))).toBe(false)
  })
})
