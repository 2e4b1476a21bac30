// The writers of one clone take turns. Without a queue, every process that wants to commit reads the
// tip, builds its change and races the others through fast-import's compare-and-swap; with sixty of
// them on two cores, a slow one loses race after race and gives up. Here each writer leaves a ticket
// in `.git/tix/queue/` (a file named by its arrival time) and waits until its ticket is the oldest
// live one: first come, first served, however many there are. A ticket whose process has died (kill
// -9, power loss) is removed by whoever finds it, so a crash never blocks the queue.
//
// Within one process, concurrent writes (the portal's writer, nested calls) share one ticket: the
// compare-and-swap in writer.ts still orders them, as it orders a clone against its remote's sync.
import {mkdirSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'
import type {Repo} from './repo.js'

const POLL_MS = 8
/** A ticket is removed without asking its process when it is this old (a process on another host sharing the folder, or a recycled pid). */
const ABANDONED_MS = 10 * 60_000

interface Held {
  count: number
  file: string
  ready: Promise<void>
}

const held = new Map<string, Held>()
let sequence = 0

const alive = (pid: number): boolean => {
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** `<ms since epoch, 15 digits>-<sequence, 6>-<pid>`: sorts by arrival; the pid tells a dead writer. */
function ticketName(): string {
  sequence = (sequence + 1) % 1_000_000
  return `${String(Date.now()).padStart(15, '0')}-${String(sequence).padStart(6, '0')}-${process.pid}`
}

async function waitTurn(dir: string, mine: string): Promise<void> {
  for (;;) {
    let names: string[]
    try {
      names = readdirSync(dir).sort()
    } catch {
      return // the folder went away (a cache clear): nothing to wait for
    }
    let first: string | undefined
    for (const name of names) {
      if (name === mine) break
      const m = /^(\d{15})-\d{6}-(\d+)$/.exec(name)
      if (!m || !alive(Number(m[2])) || Date.now() - Number(m[1]) > ABANDONED_MS) {
        rmSync(join(dir, name), {force: true})
        continue
      }
      first = name
      break
    }
    if (first === undefined) return
    await sleep(POLL_MS + Math.floor(Math.random() * POLL_MS))
  }
}

/** Runs `work` when this process's turn to write to `repo` has come (see the top of this file). */
export async function inTurn<T>(repo: Repo, work: () => Promise<T>): Promise<T> {
  const dir = join(repo.commonDir, 'tix', 'queue')
  let h = held.get(dir)
  if (!h) {
    mkdirSync(dir, {recursive: true})
    const file = ticketName()
    writeFileSync(join(dir, file), '')
    h = {count: 0, file, ready: waitTurn(dir, file)}
    held.set(dir, h)
  }
  h.count++
  try {
    await h.ready
    return await work()
  } finally {
    if (--h.count === 0) {
      held.delete(dir)
      rmSync(join(dir, h.file), {force: true})
    }
  }
}
