import {execFileSync} from 'node:child_process'
import {readdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {packOrder} from '../../src/store/pack-order.js'
import {git, gitRepo} from '../helpers.js'

/** What `git verify-pack -v` says of each blob: its offset, and its depth and base when it is a delta. */
function packedBlobs(dir: string): Map<string, {offset: number; depth: number; base: string | null}> {
  const packDir = join(dir, '.git', 'objects', 'pack')
  const idx = readdirSync(packDir).filter((f) => f.endsWith('.idx'))
  expect(idx).toHaveLength(1)
  const out = new Map<string, {offset: number; depth: number; base: string | null}>()
  // "<oid> <type> <size> <size in pack> <offset> [<depth> <base oid>]"
  for (const l of git(dir, 'verify-pack', '-v', join(packDir, idx[0]!)).split('\n')) {
    const m = /^([0-9a-f]{40,64}) blob +\d+ \d+ (\d+)(?: (\d+) ([0-9a-f]{40,64}))?/.exec(l)
    if (m) out.set(m[1]!, {offset: Number(m[2]), depth: m[3] ? Number(m[3]) : 0, base: m[4] ?? null})
  }
  return out
}

/** The order packOrder promises, from verify-pack's view: chain by chain (by where it starts), deepest first, then by offset. */
function expectedOrder(blobs: ReturnType<typeof packedBlobs>, oids: readonly string[]): number[] {
  const start = (o: string): number => {
    let x = o
    while (blobs.get(x)?.base) x = blobs.get(x)!.base!
    return blobs.get(x)!.offset
  }
  const known = (i: number) => blobs.has(oids[i]!.toLowerCase())
  const key = (i: number) => {
    const o = oids[i]!.toLowerCase()
    return [start(o), -blobs.get(o)!.depth, blobs.get(o)!.offset]
  }
  const found = oids
    .map((_, i) => i)
    .filter(known)
    .sort((a, b) => {
      const [x, y] = [key(a), key(b)]
      return x[0]! - y[0]! || x[1]! - y[1]! || x[2]! - y[2]! || a - b
    })
  return [...found, ...oids.map((_, i) => i).filter((i) => !known(i))]
}

/** A repository whose blobs were written by fast-import: each a delta of the one before, in chains. */
function fastImported(files: number): string {
  const dir = gitRepo()
  let stream = ''
  for (let i = 0; i < files; i++) {
    const body = `{"ticket":${i},"title":"Printer ${i} jams on every page"}\n`.repeat(3) + `{"reply":"${'x'.repeat(i)}"}\n`
    stream += `blob\nmark :${i + 1}\ndata ${Buffer.byteLength(body)}\n${body}\n`
  }
  stream += `commit refs/heads/tix\ncommitter T <t@example.com> 0 +0000\ndata 5\nfiles\n`
  for (let i = 0; i < files; i++) stream += `M 100644 :${i + 1} tickets/f${String(i).padStart(3, '0')}.jsonl\n`
  execFileSync('git', ['-c', 'fastimport.unpackLimit=0', 'fast-import', '--quiet', '--depth=10'], {cwd: dir, input: stream})
  return dir
}

describe('packOrder: the order to read blobs in', () => {
  it('reads each chain of deltas deepest first, so that git rebuilds each blob once', () => {
    const dir = fastImported(60)
    const blobs = packedBlobs(dir)
    expect([...blobs.values()].filter((b) => b.depth > 1).length).toBeGreaterThan(30) // else the test shows nothing
    const oids = git(dir, 'ls-tree', '-r', '--format=%(objectname)', 'tix').trim().split('\n')
    const order = packOrder(join(dir, '.git', 'objects'), oids)
    expect(order).toEqual(expectedOrder(blobs, oids))
    // the first blob read of each chain is its deepest: every other blob of the chain was on its way
    const first = oids[order[0]!]!
    expect(blobs.get(first)!.depth).toBe(Math.max(...[...blobs.values()].filter((b) => b.offset < 2 ** 40).map((b) => b.depth)))
  })

  it('puts loose or unknown ones last in their given order', () => {
    const dir = gitRepo()
    for (let i = 0; i < 30; i++) writeFileSync(join(dir, `f${i}.txt`), `file ${i}\n${'line of text\n'.repeat(i + 1)}`)
    git(dir, 'add', '.')
    git(dir, '-c', 'user.name=T', '-c', 'user.email=t@example.com', 'commit', '-qm', 'files')
    git(dir, 'repack', '-adq')
    const blobs = packedBlobs(dir)
    const names = [...blobs.keys()].sort() // name order, as ls-tree gives them
    expect(names.length).toBe(30)
    // one more blob, loose (written after the repack), and one that exists nowhere
    const loose = git(dir, 'hash-object', '-w', '--stdin').trim()
    const nowhere = 'f'.repeat(names[0]!.length)
    const oids = [loose, ...names, nowhere]
    const order = packOrder(join(dir, '.git', 'objects'), oids)
    expect(order).toEqual(expectedOrder(blobs, oids))
    expect(order.slice(-2)).toEqual([0, oids.length - 1])
    expect(order.map((i) => oids[i])).not.toEqual(oids) // else the test shows nothing
  })

  it('keeps ties (an id asked for twice) and the unknown in their given order, in any order given', () => {
    const dir = fastImported(40)
    const blobs = packedBlobs(dir)
    const all = [...blobs.keys()]
    let seed = 3
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
    for (let round = 0; round < 20; round++) {
      const oids: string[] = []
      for (let k = 0; k < 60; k++) {
        const r = next()
        oids.push(r < 0.1 ? `${'0123456789abcdef'[k % 16]!.repeat(39)}${k % 10}` : r < 0.15 ? all[0]!.toUpperCase() : all[Math.floor(next() * all.length)]!)
      }
      expect(packOrder(join(dir, '.git', 'objects'), oids)).toEqual(expectedOrder(blobs, oids))
    }
  })

  it('leaves the order as given when there is no pack', () => {
    const dir = gitRepo()
    const a = git(dir, 'hash-object', '-w', '--stdin').trim()
    expect(packOrder(join(dir, '.git', 'objects'), [a, 'b'.repeat(40)])).toEqual([0, 1])
  })
})
