// A bare remote and clones of it in temp folders, with the desk published: the shape every sync
// test starts from. Real git throughout.
import {join} from 'node:path'
import {expect} from 'vitest'
import {parseEventLines} from '../../src/domain/ticket/events.js'
import {initDesk} from '../../src/services/tickets.js'
import {syncDesk} from '../../src/services/sync.js'
import {Desk} from '../../src/store/desk.js'
import {lsTree, readBlobs} from '../../src/store/objects.js'
import type {SyncOptions} from '../../src/store/sync.js'
import {git, tempDir, testIO} from '../helpers.js'

export interface Clone {
  name: string
  dir: string
  env: NodeJS.ProcessEnv
  warnings: string[]
  desk: Desk
}

export const actorEnv = (name: string): NodeJS.ProcessEnv => ({TIX_ACTOR: `${name} <${name.toLowerCase()}@example.com>`})

/** A bare remote with a published desk, and `n` clones of it (the first one made the desk). */
export async function team(n: number, opts: {names?: string[]} = {}): Promise<{root: string; remote: string; clones: Clone[]}> {
  const root = tempDir('tix-sync-')
  const remote = join(root, 'remote.git')
  git(root, 'init', '--quiet', '--bare', remote)
  const names = opts.names ?? ['Ana', 'Bo', 'Cy', 'Di', 'Ed', 'Flo', 'Gus', 'Hal'].slice(0, n)
  const clones: Clone[] = []
  for (let i = 0; i < n; i++) {
    const name = names[i] ?? `Agent${i}`
    const dir = join(root, name.toLowerCase())
    const env = actorEnv(name)
    const warnings: string[] = []
    if (i === 0) {
      git(root, 'init', '--quiet', '-b', 'main', dir)
      git(dir, 'remote', 'add', 'origin', remote)
      await initDesk(testIO(dir, env, warnings))
      const first = Desk.locate(testIO(dir, env, warnings))
      await syncWith({name, dir, env, warnings, desk: first})
    } else {
      git(root, 'clone', '--quiet', remote, dir)
    }
    clones.push({name, dir, env, warnings, desk: await Desk.open(testIO(dir, env, warnings))})
  }
  return {root, remote, clones}
}

/** `tix sync` in-process. */
export async function syncWith(c: Clone, opts: SyncOptions = {}) {
  const res = await syncDesk(testIO(c.dir, c.env, c.warnings), {backoffMs: 5, attempts: 30, ...opts})
  return res.result
}

/** Every event line on a clone's desk, per ticket file: the raw truth the folds come from. */
export async function eventsOnDesk(desk: Desk): Promise<Map<string, string[]>> {
  const tip = desk.requireTip()
  const entries = (await lsTree(desk.repo, tip, 'tickets')).filter((e) => e.type === 'blob')
  const blobs = await readBlobs(desk.repo, entries.map((e) => e.oid))
  const out = new Map<string, string[]>()
  entries.forEach((e, i) => {
    const parsed = parseEventLines(blobs[i]!.toString('utf8'))
    expect(parsed.problems, e.path).toEqual([])
    out.set(e.path, parsed.events.map((x) => x.id))
  })
  return out
}

/** The folded desk as scripts see it: every ticket summary, sorted by id. */
export async function foldedDesk(desk: Desk) {
  const index = await desk.index({done: true})
  return Object.values({...index.open, ...index.done}).sort((a, b) => (a.id < b.id ? -1 : 1))
}
